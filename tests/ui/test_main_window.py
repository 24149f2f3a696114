"""The main window: who and where in the status bar, one page per workflow, Ctrl+1…9."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QLabel, QMessageBox

from app import __version__
from app.ui.main_window import MainWindow

ENGLISH_PAGES = ["Intake", "Inventory", "Locations", "Refurbishment", "Handovers", "Sales",
                 "Disposal", "Reports", "Settings"]
DUTCH_PAGES = ["Intake", "Inventaris", "Locaties", "Herstelling", "Overdrachten", "Verkoop",
               "Afvoer", "Rapporten", "Instellingen"]


@pytest.fixture
def window(qtbot, ui_database, admin, site_settings):
    window = MainWindow(ui_database, admin, site_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def navigation_labels(window: MainWindow) -> list[str]:
    return [window.navigation.item(row).text() for row in range(window.navigation.count())]


def header_of_current_page(window: MainWindow) -> str:
    return window.stack.currentWidget().findChild(QLabel, "pageHeader").text()


def test_status_bar_shows_the_signed_in_user_and_role(english, window):
    assert window.user_label.isVisible()
    assert window.user_label.text() == "Signed in: Ada Admin (Administrator)"


def test_status_bar_shows_the_database_file_and_kind(english, window, tmp_path):
    text = window.database_label.text()
    assert str(tmp_path / "t.sqlite") in text
    assert "(SQLite)" in text


def test_window_title_names_the_site(english, window):
    assert window.windowTitle() == "CircuIT Depot — Magazijn Testlaan"


def test_navigation_lists_every_workflow_in_order(english, window):
    assert navigation_labels(window) == ENGLISH_PAGES


def test_first_page_is_shown_at_start(english, window):
    assert header_of_current_page(window) == "Intake"


def test_clicking_each_navigation_row_shows_its_page(qtbot, english, window):
    shown = []
    for row in reversed(range(window.navigation.count())):  # start away from the default row
        item = window.navigation.item(row)
        qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton,
                         pos=window.navigation.visualItemRect(item).center())
        assert window.stack.currentIndex() == row
        assert header_of_current_page(window) == item.text()
        shown.append(window.stack.currentWidget())
    assert len(set(shown)) == len(ENGLISH_PAGES)


@pytest.mark.parametrize("number", range(1, 10))
def test_ctrl_number_jumps_to_that_page(qtbot, english, window, number):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    if number == 1:
        window.show_page("settings")  # so that Ctrl+1 has somewhere to come back from
    qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
    assert header_of_current_page(window) == ENGLISH_PAGES[number - 1]
    assert window.navigation.currentRow() == number - 1


def test_pages_not_built_yet_say_so_and_show_no_data(english, window):
    from app.ui.pages import PAGES

    for row, spec in enumerate(PAGES):
        if spec.factory is not None:
            continue  # a built workflow
        page = window.stack.widget(row)
        headline = page.findChild(QLabel, "placeholderHeadline")
        purpose = page.findChild(QLabel, "placeholderPurpose")
        assert headline.text() == "This part is not built yet."
        assert purpose.text().endswith(".") and len(purpose.text()) > 30
        assert not page.findChildren(QAbstractItemView)  # no tables or lists of made-up devices


def test_about_names_the_version_and_the_database(english, window, monkeypatch, tmp_path):
    shown = {}
    monkeypatch.setattr(QMessageBox, "about",
                        lambda parent, title, text: shown.update(title=title, text=text))
    window.findChild(QAction, "aboutAction").trigger()
    assert shown["title"] == "About CircuIT Depot"
    assert __version__ in shown["text"]
    assert str(tmp_path / "t.sqlite") in shown["text"]


def test_quit_closes_the_window(qtbot, english, window):
    window.findChild(QAction, "quitAction").trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_dutch_ui_shows_dutch_navigation_labels(dutch, window):
    assert navigation_labels(window) == DUTCH_PAGES
    window.show_page("refurbishment")
    assert header_of_current_page(window) == "Herstelling"


def test_dutch_status_bar_names_the_role_in_dutch(dutch, window):
    assert "Beheerder" in window.user_label.text()


def test_scanning_a_certificate_qr_code_on_any_page_shows_whether_it_is_genuine(qtbot, english, window,
                                                                               ui_database, admin):
    from app.models import DocumentKind
    from app.services.documents import issued
    from app.services.uow import unit_of_work

    content = {"devices": [{"tag": "CD00000013", "category": "Laptop", "model": "Dell Latitude 5420",
                            "serial": "ABC123"}]}
    with ui_database.session() as session:
        with unit_of_work(session, admin, "issue_test", permission="demo.fill"):
            number = issued.allocate_number(session, DocumentKind.HANDOVER_CERTIFICATE)
            issued.store_document(session, admin, DocumentKind.HANDOVER_CERTIFICATE, number, "t",
                                  b"%PDF", [], content=content)
    window.route_scan(issued.qr_payload(number, issued.content_digest(content)))
    dialog = window.verify_dialog
    qtbot.waitExposed(dialog)
    assert dialog.result.ok and "genuine" in dialog.findChild(QLabel, "verifyVerdict").text()
    assert dialog.findChild(QAbstractItemView, "verifyDevices").model().index(0, 0).data() == "CD00000013"
    dialog.close()

    window.route_scan(issued.qr_payload(number, "000000000000"))
    assert not window.verify_dialog.result.ok
    assert "Do not accept it" in window.verify_dialog.findChild(QLabel, "verifyVerdict").text()


def test_the_dashboards_stale_stock_tile_opens_the_inventory_page_on_it(qtbot, english, window):
    dashboard = window.page("reports")
    dashboard.stale_stock_requested.emit()
    assert window.current_page_key() == "inventory"
    inventory = window.page("inventory")
    assert inventory.stale_filter.isChecked() and inventory.model.query.stale_only
