"""A scan that means nothing here is refused in red, with its sound, on every page.

Pages with a scan bar say it there; the reports and settings pages take no scans, and their quiet
scan bar, in the same place as everywhere else, answers (it used to be grey text in the status bar
only).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget
from screen import screenshot

NOT_A_CODE = "ZZ-GEEN-CODE-42"


def answer(window) -> tuple[str | None, str]:
    bar = window.stack.currentWidget().frame.scan_bar
    assert bar.isVisible(), "no scan bar answered"
    return bar.findChild(QLabel, "scanBarMark").property("verdict"), \
        bar.findChild(QLabel, "scanBarMeaning").text()


def test_a_meaningless_scan_is_red_on_every_page(start, desk):
    window = start("mia")
    for number, key in enumerate(window.page_keys(), start=1):
        desk.shortcut(f"Ctrl+{number}")
        assert window.current_page_key() == key
        desk.scan(NOT_A_CODE)
        verdict, message = answer(window)
        assert verdict == "bad" and message, f"{key}: {verdict} {message!r}"
    screenshot(window, "refused-scan-settings")


def test_the_quiet_scan_bar_goes_with_the_page(start, desk):
    window = start("mia")
    desk.shortcut("Ctrl+8")
    reports = window.stack.currentWidget()
    assert not reports.findChild(QWidget, "quietScanBar").isVisible()
    desk.scan(NOT_A_CODE)
    assert reports.findChild(QWidget, "quietScanBar").isVisible()
    desk.shortcut("Ctrl+9")
    desk.shortcut("Ctrl+8")
    assert not reports.findChild(QWidget, "quietScanBar").isVisible()
