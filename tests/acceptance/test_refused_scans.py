"""A scan that means nothing here is refused in red, with its sound, on every page.

Pages with a scan bar say it there; the reports and settings pages have none and the window's
own scan bar answers above them (it used to be grey text in the status bar only).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget
from screen import screenshot

NOT_A_CODE = "ZZ-GEEN-CODE-42"


def answer(window) -> tuple[str | None, str]:
    page = window.stack.currentWidget()
    bar = page.findChild(QWidget, "scanBar")
    if bar is None or not bar.isVisible():
        bar = window.findChild(QWidget, "windowScanBar")
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


def test_the_window_scan_bar_goes_with_the_page(start, desk):
    window = start("mia")
    desk.shortcut("Ctrl+8")
    desk.scan(NOT_A_CODE)
    assert window.findChild(QWidget, "windowScanBar").isVisible()
    desk.shortcut("Ctrl+9")
    assert not window.findChild(QWidget, "windowScanBar").isVisible()
