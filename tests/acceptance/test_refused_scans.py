"""A scan that means nothing here is refused in red, with its sound, on every page.

Pages with a scan bar say it there; the reports and settings pages take no scans, and their quiet
scan bar, in the same place as everywhere else, answers (it used to be grey text in the status bar
only). A real device in the wrong state is refused too, with why: at the handover desk, the sales
desk and disposal.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget
from screen import screenshot
from sqlalchemy import select
from stock import disposal_yard, drawn_sale_round, handover_for_a_school

from app.models import Asset, AssetStatus

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


def status(warehouse, tag: str) -> AssetStatus:
    with warehouse.session() as s:
        return s.scalar(select(Asset.status).where(Asset.tag == tag))


def test_the_handover_desk_refuses_a_device_that_is_not_reserved_for_it(start, desk, warehouse):
    handover = handover_for_a_school(warehouse)
    window = start("tine")
    desk.shortcut("Ctrl+5")
    desk.scan(handover.reserved[0])
    desk.scan(handover.ready)  # ready, but for nobody's handover
    verdict, message = answer(window)
    assert verdict == "bad" and handover.ready in message and "HB-" in message, message
    assert "“klaar”, niet gereserveerd" in message, message
    desk.scan(handover.received)  # not even over the bench yet
    verdict, message = answer(window)
    assert verdict == "bad" and "“ontvangen”, niet gereserveerd" in message, message
    assert label_of(window, "deskProgress").startswith("1 van 3 gescand")
    screenshot(window, "refused-scan-handover-desk")


def test_the_sales_desk_refuses_an_unpaid_and_an_unsold_device(start, desk, warehouse):
    sale = drawn_sale_round(warehouse)
    window = start("tine")
    desk.shortcut("Ctrl+6")
    desk.scan(sale.unpaid)  # allotted to a colleague who has not paid
    verdict, message = answer(window)
    assert verdict == "bad" and "nog niet betaald" in message and "+++" in message, message
    desk.scan(sale.unsold)  # nobody was allotted it: nothing to collect
    verdict, message = answer(window)
    assert verdict == "bad" and sale.unsold in message and "niet verkocht" in message, message
    assert status(warehouse, sale.unpaid) == AssetStatus.RESERVED
    assert status(warehouse, sale.unsold) == AssetStatus.READY


def test_disposal_refuses_a_device_that_does_not_await_disposal(start, desk, warehouse):
    yard = disposal_yard(warehouse, batch_open=True)
    window = start("tine")
    desk.shortcut("Ctrl+7")
    desk.scan(yard.ready)
    verdict, message = answer(window)
    assert verdict == "bad" and yard.ready in message and "klaar" in message, message
    assert status(warehouse, yard.ready) == AssetStatus.READY
    desk.scan(yard.monitors[0])
    desk.scan(yard.monitors[0])  # the same monitor twice: it is in the batch already
    verdict, message = answer(window)
    assert verdict == "bad" and "DB-" in message, message
    screenshot(window, "refused-scan-disposal")


def label_of(window, name: str) -> str:
    return window.stack.currentWidget().findChild(QLabel, name).text()
