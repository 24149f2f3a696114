"""Every page in the same frame: the title where it is on every other page, the scan bar right
under it at full width, the page's buttons in one bar at the bottom, and no page wider than the
screen of a 1280- or 1366-pixel desk.

The pages are reached the way a technician reaches them: Ctrl+1…9.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel, QWidget
from screen import screenshot

SCREENS = [(1280, 800), (1366, 768)]


def place(widget: QWidget, window: QWidget) -> QPoint:
    return widget.mapTo(window, QPoint(0, 0))


def visit_every_page(window, desk):
    for number, key in enumerate(window.page_keys(), start=1):
        desk.shortcut(f"Ctrl+{number}")
        assert window.current_page_key() == key
        yield key, window.stack.currentWidget()


def test_every_page_s_title_and_scan_bar_line_up(start, desk):
    window = start("mia")
    titles, bars = {}, {}
    for key, page in visit_every_page(window, desk):
        title = [w for w in page.findChildren(QLabel, "pageHeader") if w.isVisible()]
        assert len(title) == 1, f"{key}: {len(title)} page titles"
        titles[key] = (place(title[0], window).x(), place(title[0], window).y())
        bar = page.frame.scan_bar
        if bar.isVisible():  # pages that take scans; the others' quiet bar sits in the same place
            bars[key] = (place(bar, window).x(), place(bar, window).y(), bar.width())
            assert place(bar, window).y() > titles[key][1], f"{key}: scan bar above the title"
    assert len(set(titles.values())) == 1, f"titles at different places: {titles}"
    assert len(set(bars.values())) == 1, f"scan bars at different places: {bars}"
    assert set(bars) >= {"intake", "inventory", "locations", "refurbishment", "handovers", "sales",
                         "disposal"}


def test_a_page_s_buttons_sit_in_the_action_bar_at_the_bottom(start, desk):
    window = start("mia")
    for key, page in visit_every_page(window, desk):
        bar = page.frame.actions
        if key in ("sales", "disposal"):
            assert bar.isVisible(), f"{key}: no action bar"
        if bar.isVisible():
            bottom = place(bar, window).y() + bar.height()
            assert bottom >= place(page, window).y() + page.height() - 24, f"{key}: not at the bottom"


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_page_is_wider_or_taller_than_the_screen(start, desk, language, size):
    window = start("mia", language=language)
    window.resize(*size)
    for key, page in visit_every_page(window, desk):
        desk.settle()
        screenshot(window, f"frame-{language}-{size[0]}-{key}")
        assert window.width() <= size[0], f"{key} widens the window to {window.width()} px"
        assert window.minimumSizeHint().width() <= size[0]
        assert window.minimumSizeHint().height() <= size[1], f"{key} needs a taller screen"
