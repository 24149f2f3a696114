"""The Reports page: it shows the service's figures, follows the period, and exports them."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from PySide6.QtCharts import QBarSeries, QPieSeries
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.config import Settings
from app.models import User
from app.services import reports
from app.ui.dashboard_page import DashboardPage, chart_buckets, number
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.calendar  # reads the calendar: `make test` runs it a year ahead too


@pytest.fixture
def ui_database(demo_copy):
    """A demo warehouse of 40 devices with eighteen months of history (made once a session)."""
    return demo_copy(40, 3)


@pytest.fixture
def manager(ui_database):
    with ui_database.session() as s:
        return s.scalar(select(User).where(User.username == "manager"))


@pytest.fixture
def page(qtbot, ui_database, manager, english):
    page = DashboardPage(ui_database, manager, Settings(site_name="Testmagazijn"))
    qtbot.addWidget(page)
    page.resize(1060, 720)
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.show()  # the figures are read when the page shows
    return page


def service_figures(database, user, preset="last_12_months") -> reports.Figures:
    with database.session() as s:
        return reports.figures(s, user, reports.Period.of(preset))


def test_the_tiles_show_the_figures_of_the_service(page, ui_database, manager):
    data = service_figures(ui_database, manager)
    tiles = page.tiles
    assert tiles["received"].value.text() == number(data.received_total)
    assert tiles["second_life"].value.text() == f"{number(data.second_life.rate * 100)} %"
    assert f"{data.second_life.reused} of {data.second_life.exits}" in tiles["second_life"].note.text()
    assert tiles["stock"].value.text() == number(data.stock_total)
    assert tiles["recycling"].value.text() == f"{number(data.recycling.kg, 1)} kg"
    assert page.figures.received_total == data.received_total


def test_the_co2e_tile_names_the_source_of_its_factors(page, ui_database, manager):
    tile = page.tiles["co2e"]
    assert tile.note.text().startswith("source: ADEME NegaOctet (2022)")
    assert "indicative" in tile.note.text()
    assert "base-impacts.ademe.fr" in tile.toolTip()
    assert "to be confirmed by the province's sustainability officer" in page.co2e_source.text()


def test_the_co2e_table_lists_each_reused_category_with_its_factor(page, ui_database, manager):
    data = service_figures(ui_database, manager)
    model = page.co2e_model
    assert model.rowCount() == len(data.co2e.lines)
    first = data.co2e.lines[0]
    assert model.index(0, 1).data() == number(first.devices)
    tooltip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == (first.factor.citation() or "No published factor chosen yet: not counted.")


def test_the_charts_are_filled(page, ui_database, manager):
    data = service_figures(ui_database, manager)
    bars = page.received_chart.series()[0]
    assert isinstance(bars, QBarSeries)
    assert bars.barSets()[0].count() == len(data.received) == 12
    assert sum(bars.barSets()[0].at(i) for i in range(12)) == data.received_total
    pie = page.destinations_chart.series()[0]
    assert isinstance(pie, QPieSeries)
    assert sum(s.value() for s in pie.slices()) == data.second_life.exits
    assert page.stock_chart.series()[0].count() > 0  # one bar set per category in stock


def test_another_period_reads_the_figures_again(qtbot, page, ui_database, manager):
    stock_before = page.tiles["stock"].value.text()
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.period.setCurrentIndex(reports.PRESETS.index("last_year"))
    assert page.figures.period.preset == "last_year"
    last_year = service_figures(ui_database, manager, "last_year")
    # the demo's history reaches back eighteen months: last year has deliveries too
    assert page.tiles["received"].value.text() == number(last_year.received_total) != "0"
    assert page.figures.received_total == last_year.received_total
    assert page.tiles["stock"].value.text() == stock_before  # stock is "now", whatever the period


def test_export_writes_the_figures_on_screen_to_excel(page, tmp_path):
    path = tmp_path / "cijfers.xlsx"
    assert page.export_to(str(path))
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    figures = {r[0] for r in rows}
    assert {"Devices received per month", "Second-life rate", "Destinations",
            "CO2e avoided by reuse", "Sent to recycling"} <= figures
    total = next(r for r in rows if r[0] == "Devices received per month" and r[1] == "Total")
    assert total[2] == page.figures.received_total
    assert str(path) in page.status.text()


def test_export_writes_csv_too(page, tmp_path):
    path = tmp_path / "cijfers.csv"
    assert page.export_to(str(path))
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["Figure", "Item", "Value", "Unit", "Source"]


def test_export_to_another_file_type_is_refused_with_a_message(page, tmp_path):
    assert not page.export_to(str(tmp_path / "cijfers.pdf"))
    assert page.error.isVisible()
    assert ".csv or .xlsx" in page.error.text()
    assert not (tmp_path / "cijfers.pdf").exists()


def test_the_main_window_opens_the_reports_page(qtbot, ui_database, manager, english):
    window = MainWindow(ui_database, manager, Settings(site_name="Testmagazijn"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = window.stack.widget(window.page_keys().index("reports"))
    assert isinstance(page, DashboardPage)
    with qtbot.waitSignal(page.loaded, timeout=15000):
        window.show_page("reports")
    assert page.figures is not None


def month_counts(first_year: int, first_month: int, n: int) -> list[reports.MonthCount]:
    out = []
    year, month = first_year, first_month
    for _ in range(n):
        out.append(reports.MonthCount(f"{year:04d}-{month:02d}", 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def test_a_year_of_bars_is_labelled_by_month(english):
    labels = [label for label, _n in chart_buckets(month_counts(2024, 12, 12))]
    assert len(labels) == 12 and not any(ch.isdigit() for ch in "".join(labels))


def test_two_years_of_bars_carry_the_year(english):
    buckets = chart_buckets(month_counts(2023, 1, 24))
    assert len(buckets) == 24 and buckets[0][0].endswith("23") and buckets[-1][0].endswith("24")


def test_a_long_history_is_shown_per_quarter_then_per_year(english):
    quarters = chart_buckets(month_counts(2020, 1, 60))
    assert len(quarters) == 20 and quarters[0] == ("Q1 20", 3)
    years = chart_buckets(month_counts(2000, 1, 12 * 20))
    assert years[0] == ("2000", 12) and len(years) == 20


# --- stale stock ------------------------------------------------------------------------------

@pytest.fixture
def strict_page(qtbot, ui_database, manager, english):
    """The page with a 30-day threshold in the settings."""
    page = DashboardPage(ui_database, manager, Settings(site_name="Testmagazijn",
                                                        extra={"stale_days": 30}))
    qtbot.addWidget(page)
    page.resize(1060, 720)
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.show()
    return page


def test_the_stale_tile_shows_the_count_and_the_threshold_from_the_settings(strict_page, ui_database,
                                                                            manager):
    with ui_database.session() as s:
        stale = reports.stale_stock(s, manager, days=30)
    assert stale.devices > 0  # else this test would prove nothing
    tile = strict_page.tiles["stale"]
    assert tile.value.text() == number(stale.devices)
    assert tile.note.text() == "ready or received > 30 days"
    assert f"{stale.received} received, {stale.ready} ready" in tile.toolTip()
    assert tile.value.property("warning") is True


def test_clicking_the_stale_tile_asks_for_the_stale_stock(qtbot, strict_page):
    tile = strict_page.tiles["stale"]
    with qtbot.waitSignal(strict_page.stale_stock_requested, timeout=1000):
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    tile.setFocus()
    with qtbot.waitSignal(strict_page.stale_stock_requested, timeout=1000):
        qtbot.keyClick(tile, Qt.Key.Key_Return)


def test_the_stale_tile_opens_the_inventory_on_exactly_that_stock(qtbot, ui_database, manager,
                                                                  strict_page):
    from app.models import AssetStatus
    from app.ui.inventory_page import InventoryPage

    inventory_page = InventoryPage(ui_database, manager, Settings(extra={"stale_days": 30,
                                                                         "sound_muted": True}))
    qtbot.addWidget(inventory_page)
    inventory_page.status_filter.set_values([AssetStatus.SOLD])  # a filter left on from before
    strict_page.stale_stock_requested.connect(inventory_page.show_stale_stock)
    qtbot.mouseClick(strict_page.tiles["stale"], Qt.MouseButton.LeftButton)
    query = inventory_page.model.query
    assert query.stale_only and query.stale_days == 30 and not query.statuses
    assert inventory_page.stale_filter.isChecked()
    qtbot.waitUntil(lambda: not inventory_page.model.is_loading()
                    and inventory_page.model.count is not None, timeout=10_000)
    assert inventory_page.model.count == strict_page.figures.stale.devices


def test_the_export_holds_the_stale_stock(strict_page, tmp_path):
    path = tmp_path / "cijfers.xlsx"
    assert strict_page.export_to(str(path))
    rows = {(r[0], r[1]): r for r in load_workbook(path).active.iter_rows(values_only=True)}
    total = rows[("Stale stock (more than 30 days ready or received)", "Total")]
    assert total[2] == strict_page.figures.stale.devices
