"""The inventory page, its table model and a device's detail window, driven as people use them.

The model reads pages off the GUI thread: tests wait (without sleeping) until the answer for the
query on screen has arrived. Scans go through the main window's routing, as from the scanner.
"""

from __future__ import annotations

import datetime as dt

import pytest
from bench_helpers import pass_bench
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QPushButton

from app import clock
from app.config import Settings
from app.models import AssetStatus, Category, MediumKind, Role
from app.services import assets, auth, inventory, lifecycle, locations, parties
from app.services.assets import MediumSpec
from app.services.inventory import InventoryQuery, SortColumn
from app.services.permissions import SYSTEM
from app.ui.asset_detail import AssetDetail, open_asset_by_scan
from app.ui.inventory_model import COLUMNS, InventoryModel, column_of
from app.ui.inventory_page import InventoryPage
from app.ui.main_window import MainWindow

MODELS = [("Dell", "Latitude 5420", Category.LAPTOP), ("HP", "EliteBook 840 G8", Category.LAPTOP),
          ("Dell", "P2419H", Category.MONITOR), ("Fairphone", "Fairphone 4", Category.SMARTPHONE)]


@pytest.fixture
def people(ui_database):
    with ui_database.session() as s:
        return {role: auth.add_user(s, SYSTEM, role.value, f"{role.value.title()} Test", role, "pass-word-1")
                for role in (Role.TECHNICIAN, Role.MANAGER, Role.AUDITOR)}


@pytest.fixture
def stock(ui_database, people):
    """32 devices, all received at shelf LOC-A-01-1; the first four on the bench; the fifth ready."""
    tech, manager = people[Role.TECHNICIAN], people[Role.MANAGER]
    with ui_database.session() as s:
        service = parties.create_party(s, SYSTEM, "service", name="Dienst Mobiliteit")
        shelf = locations.create_location(s, SYSTEM, "Centraal magazijn", "A", "01", "1")
        locations.create_location(s, SYSTEM, "Centraal magazijn", "B", "01", "1")
        ids = []
        for n in range(32):
            make, model, category = MODELS[n % len(MODELS)]
            media = [MediumSpec(MediumKind.SSD, f"DISK{n:03d}", 256)] if category == Category.LAPTOP else []
            asset = assets.register_asset(s, tech, category=category, manufacturer=make, model=model,
                                          serial=f"SN{n:05d}", media=media, origin_service_id=service.id,
                                          location_id=shelf.id)
            ids.append(asset.id)
        for asset_id in ids[:4]:
            lifecycle.apply(s, tech, asset_id, "start_checks")
        pass_bench(s, tech, manager, ids[4])
    return ids


def settled(qtbot, model: InventoryModel, query: InventoryQuery | None = None) -> InventoryModel:
    """Wait until the answer for the model's current (or the given) query is shown and counted."""
    qtbot.waitUntil(lambda: (query is None or model.query == query) and not model.is_loading()
                    and model.count is not None, timeout=10_000)
    return model


@pytest.fixture
def model(qtbot, ui_database, stock):
    model = InventoryModel(ui_database, page_size=10)
    yield model
    model.shutdown()


@pytest.fixture
def page(qtbot, ui_database, people, stock, english):
    page = InventoryPage(ui_database, people[Role.TECHNICIAN],
                         Settings(extra={"sound_muted": True, "stale_days": 60}))
    qtbot.addWidget(page)
    page.show()
    settled(qtbot, page.model)
    yield page
    for detail in list(page.details):
        detail.close()
    page.model.shutdown()


def texts(model: InventoryModel, sort: SortColumn) -> list[str]:
    column = column_of(sort)
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


# --- the model ---------------------------------------------------------------------------------

def test_the_first_page_and_the_count_arrive_from_a_worker(qtbot, model):
    model.set_query(InventoryQuery())
    settled(qtbot, model)
    assert (model.rowCount(), model.count) == (10, 32)
    assert model.canFetchMore()


def test_fetch_more_appends_the_next_pages_in_order(qtbot, model):
    model.set_query(InventoryQuery())
    settled(qtbot, model)
    while model.canFetchMore():
        with qtbot.waitSignal(model.rows_added, timeout=10_000):
            model.fetchMore()
    tags = texts(model, SortColumn.TAG)
    assert len(tags) == 32 and tags == sorted(tags)
    assert not model.canFetchMore()


def test_a_filter_change_replaces_the_rows(qtbot, model):
    model.set_query(InventoryQuery())
    settled(qtbot, model)
    query = InventoryQuery(statuses=frozenset({AssetStatus.IN_REFURBISHMENT}))
    model.set_query(query)
    settled(qtbot, model, query)
    assert set(texts(model, SortColumn.STATUS)) == {"in refurbishment"}
    assert (model.rowCount(), model.count) == (4, 4)


def test_answers_to_an_earlier_query_are_dropped(qtbot, model, ui_database):
    first = InventoryQuery(search="latitude")
    model.set_query(first)
    later = InventoryQuery(search="p2419")
    model.set_query(later)  # typed on before the first answer came
    settled(qtbot, model, later)
    assert set(texts(model, SortColumn.MODEL)) == {"Dell P2419H"}
    with ui_database.session() as s:
        late_answer = inventory.page(s, first, None, 10)
    model._page_arrived(model._generation.value - 1, late_answer, True)
    model._count_arrived(model._generation.value - 1, 999)
    assert set(texts(model, SortColumn.MODEL)) == {"Dell P2419H"} and model.count == 8


def test_sorting_asks_the_database(qtbot, model):
    model.set_query(InventoryQuery())
    settled(qtbot, model)
    model.sort(column_of(SortColumn.SERIAL), Qt.SortOrder.DescendingOrder)
    settled(qtbot, model, InventoryQuery(sort=SortColumn.SERIAL, descending=True))
    assert texts(model, SortColumn.SERIAL)[:3] == ["SN00031", "SN00030", "SN00029"]


def test_stale_rows_are_marked_in_the_status_column(qtbot, model):
    with clock.use(clock.ShiftedClock(dt.timedelta(days=61), clock.current())):  # 61 days on
        model.set_query(InventoryQuery(statuses=frozenset({AssetStatus.RECEIVED, AssetStatus.READY})))
        settled(qtbot, model)
    status = column_of(SortColumn.STATUS)
    row = model.index(0, status)
    assert model.data(row, Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(row, Qt.ItemDataRole.ToolTipRole) == "Stale stock: ready for 61 days (more than 60)."
    assert model.data(model.index(0, column_of(SortColumn.TAG)), Qt.ItemDataRole.DecorationRole) is None


def test_fresh_rows_carry_no_mark(qtbot, model):
    model.set_query(InventoryQuery())
    settled(qtbot, model)
    status = column_of(SortColumn.STATUS)
    assert all(model.data(model.index(r, status), Qt.ItemDataRole.DecorationRole) is None
               for r in range(model.rowCount()))


def test_every_column_has_a_header(model):
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [c.title for c in COLUMNS]


# --- the page ----------------------------------------------------------------------------------

def test_typing_in_the_search_field_filters_the_list(qtbot, page):
    qtbot.keyClicks(page.search, "lati")
    settled(qtbot, page.model, InventoryQuery(search="lati"))
    assert set(texts(page.model, SortColumn.MODEL)) == {"Dell Latitude 5420"}
    assert page.count_label.text() == "8 devices"


def test_a_serial_prefix_finds_its_devices(qtbot, page):
    qtbot.keyClicks(page.search, "sn0001")
    settled(qtbot, page.model, InventoryQuery(search="sn0001"))
    assert texts(page.model, SortColumn.SERIAL) == [f"SN{n:05d}" for n in range(10, 20)]


def test_the_status_filter_lists_only_those(qtbot, page):
    page.status_filter.set_values([AssetStatus.READY.value])
    settled(qtbot, page.model, page.current_query())
    assert texts(page.model, SortColumn.STATUS) == ["ready"]
    assert page.status_filter.text() == "Status: ready"


def test_clear_filters_shows_everything_again(qtbot, page):
    page.category_filter.set_values([Category.MONITOR.value])
    settled(qtbot, page.model, page.current_query())
    assert page.model.count == 8
    page.clear_filters()
    settled(qtbot, page.model, page.current_query())
    assert page.model.count == 32 and page.current_query().categories == frozenset()


def test_clicking_a_header_sorts_by_that_column(qtbot, page):
    header = page.table.horizontalHeader()
    column = column_of(SortColumn.MODEL)
    where = QPoint(header.sectionViewportPosition(column) + 20, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: page.model.query.sort == SortColumn.MODEL, timeout=5000)
    settled(qtbot, page.model)
    shown = list(dict.fromkeys(texts(page.model, SortColumn.MODEL)))
    assert shown == ["Dell Latitude 5420", "Dell P2419H", "Fairphone Fairphone 4", "HP EliteBook 840 G8"]


def test_a_scanned_tag_opens_the_device(qtbot, page, stock, ui_database):
    with ui_database.session() as s:
        tag = inventory.rows_by_id(s, InventoryQuery(), [stock[7]])[stock[7]].tag
    page.handle_scan(tag)
    assert [d.asset_id for d in page.details] == [stock[7]]
    assert page.details[0].isVisible() and page.scan_bar.state == "good"


def test_a_scanned_serial_opens_the_device_through_the_window(qtbot, ui_database, people, stock,
                                                                english):
    window = MainWindow(ui_database, people[Role.TECHNICIAN], Settings(extra={"sound_muted": True}))
    qtbot.addWidget(window)
    window.show()
    window.show_page("inventory")
    page = window.stack.currentWidget()
    window.route_scan("SN00012")
    assert [d.asset_id for d in page.details] == [stock[12]]
    for detail in page.details:
        detail.close()
    page.model.shutdown()


def test_an_unknown_serial_is_refused_with_a_reason(page):
    page.handle_scan("NO-SUCH-1")
    assert page.scan_bar.state == "bad" and page.details == []
    assert "No device with NO-SUCH-1 is known." in page.last_message


def test_a_scanned_shelf_label_shows_what_is_recorded_there(qtbot, page):
    page.handle_scan("LOC-B-01-1")
    settled(qtbot, page.model, page.current_query())
    assert page.location_filter.currentText() == "LOC-B-01-1" and page.model.count == 0


def test_double_click_opens_the_row(qtbot, page, stock):
    index = page.model.index(2, 0)
    page.table.activated.emit(index)
    assert [d.asset_id for d in page.details] == [page.model.row(2).id]


def test_enter_on_a_typed_serial_opens_it(qtbot, page, stock):
    qtbot.keyClicks(page.search, "SN00003")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert [d.asset_id for d in page.details] == [stock[3]]


def test_the_page_is_in_the_window_registry(qtbot, ui_database, people, english):
    window = MainWindow(ui_database, people[Role.AUDITOR], Settings(extra={"sound_muted": True}))
    qtbot.addWidget(window)
    window.show_page("inventory")
    page = window.stack.currentWidget()
    assert isinstance(page, InventoryPage)
    assert page.findChild(QLabel, "pageHeader").text() == "Inventory"
    page.model.shutdown()


# --- the detail window -------------------------------------------------------------------------

@pytest.fixture
def detail_of(qtbot, ui_database, people, english):
    opened = []

    def make(asset_id: int, role: Role = Role.TECHNICIAN) -> AssetDetail:
        detail = AssetDetail(ui_database, people[role], asset_id)
        qtbot.addWidget(detail)
        opened.append(detail)
        return detail
    return make


def history(detail: AssetDetail) -> list[tuple]:
    return [detail.history_model.row(r) for r in range(detail.history_model.rowCount())]


def test_the_history_shows_who_did_what_and_old_to_new(detail_of, stock):
    detail = detail_of(stock[0])
    rows = history(detail)
    assert [r[2] for r in rows] == ["start checks", "receive"]  # newest first
    assert rows[0][1] == "Technician Test"
    assert rows[0][3] == "status: received → in refurbishment"
    assert rows[1][3].startswith("status: received")


def test_the_bench_work_is_in_the_history(detail_of, stock):
    actions = [r[2] for r in history(detail_of(stock[4]))]
    assert actions[:1] == ["pass checks"]
    assert {"sanitisation verified", "sanitisation recorded", "checklist answered"} <= set(actions)


def test_media_show_their_sanitisation_state(detail_of, stock):
    ready, waiting = detail_of(stock[4]), detail_of(stock[8])
    assert ready.media_model.row(0)[1] == "✔ verified"
    assert waiting.media_model.row(0)[1] == "missing"


def buttons(detail: AssetDetail) -> dict[str, bool]:
    return {name: button.isEnabled() for name, button in detail.action_buttons.items()}


def test_a_technician_sees_only_what_the_status_and_role_allow(detail_of, stock):
    assert buttons(detail_of(stock[8])) == {"start_checks": True, "retire": True}
    assert buttons(detail_of(stock[0])) == {"pass_checks": False, "fail_checks": False}


def test_actions_of_another_page_point_to_it(detail_of, stock):
    detail = detail_of(stock[4], Role.MANAGER)
    assert buttons(detail) == {"retire": True, "reserve": False}
    assert detail.action_buttons["reserve"].toolTip() == "Done on the “Handovers” page."


def test_an_auditor_gets_no_actions(detail_of, stock):
    detail = detail_of(stock[8], Role.AUDITOR)
    assert detail.action_buttons == {} and detail.findChildren(QPushButton, "action_retire") == []


def test_an_action_runs_through_the_lifecycle(qtbot, detail_of, stock, ui_database):
    detail = detail_of(stock[8])
    with qtbot.waitSignal(detail.changed):
        detail.action_buttons["start_checks"].click()
    assert detail.view.status == AssetStatus.IN_REFURBISHMENT
    assert history(detail)[0][2] == "start checks"
    assert "start_checks" not in detail.action_buttons


def test_retiring_asks_first(detail_of, stock):
    detail = detail_of(stock[9])
    detail.confirm = lambda question: False
    detail.action_buttons["retire"].click()
    assert detail.view.status == AssetStatus.RECEIVED
    detail.confirm = lambda question: "Retire" in question
    detail.action_buttons["retire"].click()
    assert detail.view.status == AssetStatus.AWAITING_DISPOSAL


def test_a_refusal_of_the_service_is_shown(detail_of, stock, ui_database, people):
    detail = detail_of(stock[10])
    with ui_database.session() as s:  # someone at another desk got there first
        lifecycle.apply(s, people[Role.TECHNICIAN], stock[10], "start_checks")
    assert not detail.run_action("start_checks")
    assert not detail.error.isHidden() and "reload it and try again" in detail.error.text()


def test_the_documents_are_listed_and_saved_as_issued(detail_of, stock, ui_database, people, tmp_path):
    from app.services import certificates

    with ui_database.session() as s:
        document = certificates.issue_sanitisation_certificate(s, people[Role.MANAGER], [stock[4]])
    detail = detail_of(stock[4])
    assert detail.documents_model.row(0)[:2] == (document.number, "data sanitisation certificate")
    saved = detail.save_document(str(tmp_path / "copy.pdf"))
    assert saved.read_bytes() == document.pdf


def test_a_scan_on_another_page_opens_the_device(qtbot, ui_database, people, stock):
    window = MainWindow(ui_database, people[Role.TECHNICIAN], Settings(extra={"sound_muted": True}))
    qtbot.addWidget(window)
    assert open_asset_by_scan(window, ui_database, people[Role.TECHNICIAN], "sn00015")
    opened = [w for w in window.findChildren(AssetDetail) if w.isVisible()]
    assert [w.asset_id for w in opened] == [stock[15]]
    assert not open_asset_by_scan(window, ui_database, people[Role.TECHNICIAN], "CMD-DONE")
    assert open_asset_by_scan(window, ui_database, people[Role.TECHNICIAN], "UNKNOWN-77")
    bar = window.stack.currentWidget().frame.scan_bar  # red with its sound, on the page shown
    assert bar.isVisibleTo(window) and bar.state == "bad" and "No device with UNKNOWN-77" in bar.meaning()
    for w in opened:
        w.close()
    window.stack.widget(window.page_keys().index("inventory")).model.shutdown()


def test_the_filtered_view_exports_to_xlsx_as_shown(qtbot, page, tmp_path):
    import openpyxl

    page.category_filter.set_values([Category.MONITOR.value])
    settled(qtbot, page.model, page.current_query())
    shown = texts(page.model, SortColumn.TAG)
    assert page.export_to(str(tmp_path / "view.xlsx")) == len(shown) == 8
    sheet = openpyxl.load_workbook(tmp_path / "view.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Tag" and rows[0][2] == "Category"
    assert [r[0] for r in rows[1:]] == shown
    assert {r[2] for r in rows[1:]} == {"monitor"}


def test_the_exported_csv_neutralises_text_a_spreadsheet_would_run(qtbot, page, ui_database, people,
                                                                   tmp_path):
    with ui_database.session() as s:
        assets.register_asset(s, people[Role.TECHNICIAN], category=Category.OTHER, manufacturer="Acme",
                              model="=HYPERLINK(\"http://x\")", serial="EVIL-1")
    page.search.setText("EVIL-1")
    settled(qtbot, page.model, page.current_query())
    assert page.export_to(str(tmp_path / "view.csv")) == 1
    text = (tmp_path / "view.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
