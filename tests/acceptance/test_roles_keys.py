"""What a role may not do is disabled or refused with the roles that may, from the one table."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton
from screen import screenshot


def test_the_administrator_on_the_sales_page_is_told_who_may(start, desk):
    window = start("admin")
    desk.shortcut("Ctrl+6")
    assert window.current_page_key() == "sales"
    screenshot(window, "sales-admin")
    info = window.stack.currentWidget().findChild(QLabel, "salesRoundInfo").text()
    assert "Magazijnverantwoordelijke" in info and "aangemeld als: Beheerder" in info


def test_a_technician_sees_why_closing_a_round_is_not_for_them(start, desk):
    window = start("tine")
    desk.shortcut("Ctrl+6")
    close = window.stack.currentWidget().findChild(QPushButton, "salesClose")
    assert not close.isEnabled() and "Magazijnverantwoordelijke" in close.toolTip()


def test_the_administrator_at_the_bench_is_told_who_works_there(start, desk):
    window = start("admin")
    desk.shortcut("Ctrl+4")
    assert window.current_page_key() == "refurbishment"
    page = window.stack.currentWidget()
    notice = page.findChild(QLabel, "benchEmpty").text()
    assert "Technieker" in notice and "aangemeld als: Beheerder" in notice
    wipe_import = page.findChild(QPushButton, "importWipeReports")
    assert not wipe_import.isEnabled() and "Technieker" in wipe_import.toolTip()
