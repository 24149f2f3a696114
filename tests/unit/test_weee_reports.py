"""The yearly WEEE report and the waste-register extract: summed from the batches, to the cent."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.models import Category, Role, WasteStream
from app.services import auth, disposal, lifecycle, processors, weee, weee_reports
from app.services.assets import register_asset
from app.services.errors import PermissionDenied

UTC = dt.UTC


@pytest.fixture
def world(session, admin, manager, technician):
    second = auth.add_user(session, admin, "max", "Max Tweede", Role.MANAGER, "mgr-pass-2")
    proc = processors.create_processor(
        session, manager, name="=HYPERLINK(\"x\") Recycling", enterprise_number="0403170701",
        registration_number="OVAM 1", street="Kaai 1", postcode="9000", city="Gent")
    processors.add_certification(session, manager, proc.id, "r2", dt.date(2099, 1, 1))
    carrier = processors.create_carrier(session, manager, name="Claes", enterprise_number="0202239951",
                                        registration_number="IHM-1")
    return {"proc": proc, "carrier": carrier, "second": second}


SERIALS = iter(range(10_000))


def picked_up(session, manager, technician, world, when: dt.datetime,
              devices: list[tuple[Category, str | None]]):
    """A batch with these monitors/printers/servers (no data) closed at `when`."""
    batch = disposal.open_batch(session, manager, world["proc"].id, world["carrier"].id)
    for category, weight in devices:
        asset = register_asset(session, technician, category=category, manufacturer="HP",
                               model="Model", serial=f"S{next(SERIALS)}", data_bearing=False)
        lifecycle.apply(session, technician, asset.id, "retire")
        disposal.add_device(session, technician, batch.id, asset.tag, weight_kg=weight)
    for line in disposal.weight_check(batch):
        disposal.record_weighing(session, technician, batch.id, line.weee_category,
                                 line.device_kg + Decimal("0.35"))
    disposal.close_batch(session, manager, batch.id, world["second"], picked_up_at=when)
    return batch


M, P, S = Category.MONITOR, Category.PRINTER, Category.SERVER


def test_weee_report_totals_equal_the_sum_of_the_batches(session, manager, technician, world):
    batches = [
        picked_up(session, manager, technician, world, dt.datetime(2025, 3, 4, 10, tzinfo=UTC),
                  [(M, "5.13"), (M, None), (P, "11.07")]),
        picked_up(session, manager, technician, world, dt.datetime(2025, 9, 1, 10, tzinfo=UTC),
                  [(S, "21.99"), (M, "0.01"), (P, None)]),
        picked_up(session, manager, technician, world, dt.datetime(2024, 6, 1, 10, tzinfo=UTC),
                  [(M, "9.99")]),  # another year
    ]
    report = weee_reports.weee_report(session, manager, 2025)
    in_year = [i for b in batches[:2] for i in b.items]
    assert report.total.total_items == len(in_year) == 6
    assert report.total.total_kg == sum(i.weight_kg for i in in_year)
    assert report.total.weighed_kg == sum(w.weighed_kg for b in batches[:2] for w in b.weighings)
    line2 = report.lines[1]  # category 2: screens, household-like
    assert (line2.items[WasteStream.HOUSEHOLD], line2.kg[WasteStream.HOUSEHOLD]) == (
        3, Decimal("5.13") + Decimal("5.20") + Decimal("0.01"))
    line4 = report.lines[3]  # category 4: printers and servers, professional
    assert (line4.items[WasteStream.PROFESSIONAL], line4.items[WasteStream.HOUSEHOLD]) == (3, 0)
    assert [line.weee_category for line in report.lines] == [1, 2, 3, 4, 5, 6]


def test_pickup_on_new_years_night_counts_in_brussels_time(session, manager, technician, world):
    # 23:30 UTC on 31 December is 00:30 on 1 January in Brussels
    picked_up(session, manager, technician, world, dt.datetime(2024, 12, 31, 23, 30, tzinfo=UTC),
              [(M, "5")])
    assert weee_reports.weee_report(session, manager, 2024).total.total_items == 0
    assert weee_reports.weee_report(session, manager, 2025).total.total_items == 1


def test_weee_report_written_as_xlsx_and_csv_has_the_same_totals(session, manager, technician,
                                                                 world, tmp_path):
    picked_up(session, manager, technician, world, dt.datetime(2025, 5, 5, 9, tzinfo=UTC),
              [(M, "5.25"), (P, "12.50")])
    weee_reports.export_weee_report(session, manager, 2025, tmp_path / "weee.xlsx")
    sheet = load_workbook(tmp_path / "weee.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "WEEE category" and rows[-1][0] == "Total"
    assert (rows[-1][6], Decimal(str(rows[-1][7]))) == (2, Decimal("17.75"))
    weee_reports.export_weee_report(session, manager, 2025, tmp_path / "weee.csv")
    with open(tmp_path / "weee.csv", encoding="utf-8-sig") as fh:
        last = list(csv.reader(fh, delimiter=";"))[-1]
    assert last[0] == "Total" and last[6:8] == ["2", "17,75"]


def test_waste_register_has_a_line_per_pickup_and_eural_code(session, manager, technician, world,
                                                             tmp_path):
    first = picked_up(session, manager, technician, world, dt.datetime(2025, 2, 1, 9, tzinfo=UTC),
                      [(M, "5"), (M, "6"), (P, "10")])
    picked_up(session, manager, technician, world, dt.datetime(2025, 4, 1, 9, tzinfo=UTC), [(S, "20")])
    lines = weee_reports.waste_register(session, manager, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert [(x.batch, x.eural_code, x.items, x.kg) for x in lines][:2] == [
        (first.number, "16 02 14", 1, Decimal("10.00")),
        (first.number, weee.eural_code("household", True), 2, Decimal("11.00"))]
    assert sum(x.kg for x in lines) == Decimal("41.00")
    assert all(x.certificate.startswith("EOL-") and x.carrier == "Claes" for x in lines)
    only_feb = weee_reports.waste_register(session, manager, dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    assert {x.batch for x in only_feb} == {first.number}

    weee_reports.export_waste_register(session, manager, dt.date(2025, 1, 1), dt.date(2025, 12, 31),
                                       tmp_path / "register.csv")
    text = (tmp_path / "register.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text  # a processor name that looks like a formula stays text


def test_technician_cannot_pull_the_weee_report(session, technician):
    with pytest.raises(PermissionDenied):
        weee_reports.weee_report(session, technician, 2025)


def test_cli_writes_the_weee_report(session, manager, technician, world, tmp_path, database):
    from app.cli import main

    picked_up(session, manager, technician, world, dt.datetime(2025, 5, 5, 9, tzinfo=UTC), [(M, "5")])
    out = tmp_path / "w.xlsx"
    code = main(["--database", database.url,
                 "report", "weee", "--year", "2025", "--out", str(out)])
    assert code == 0
    total = list(load_workbook(out).active.iter_rows(values_only=True))[-1]
    assert (total[6], Decimal(str(total[7]))) == (1, Decimal(5))
