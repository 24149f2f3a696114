"""Asset labels and the command sheet: what is printed scans back, fits, and injects nothing.

The scan-back tests render the PDF at 300 dpi with pdftoppm (poppler-utils) and
decode it with zbarimg (zbar-tools), one symbology at a time, so a label whose
QR code reads but whose Code 128 does not is caught.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.models import Asset
from app.services.codes import BENCH_COMMANDS, INTAKE_COMMANDS, Command, format_tag
from app.services.documents import labels
from app.services.documents.command_sheet import COMMAND_NAMES, command_code, render_command_sheet
from app.services.documents.labels import (
    LAYOUTS,
    LabelData,
    PrinterUnavailable,
    place,
    placement_problems,
    render_pdf,
    render_zpl,
    send_zpl,
    write_zpl,
)

DPI = 300
ROLLS = [key for key, layout in LAYOUTS.items() if not layout.is_sheet]
LONG_MODEL = "EliteBook 840 G8 Notebook PC with Intel Core i7-1185G7 vPro and a 14 inch screen"
# Every ZPL command the renderer writes: anything else in the output came from user text.
ALLOWED_ZPL = {"XA", "XZ", "CI", "PW", "LL", "LH", "FO", "FT", "BQ", "BY", "BC", "A0", "FB", "FH",
               "FD", "FS"}


def label(number: int, **changes) -> LabelData:
    values = {"tag": format_tag(number), "manufacturer": "Dell", "model": f"Latitude {number}",
              "serial": f"SN{number:07d}", "intake_date": dt.date(2025, 3, 14), "org": "Provincie"}
    return LabelData(**(values | changes))


@pytest.fixture(scope="session")
def scan_tools():
    missing = [pkg for tool, pkg in (("pdftoppm", "poppler-utils"), ("zbarimg", "zbar-tools"))
               if shutil.which(tool) is None]
    if missing:
        message = (f"{' and '.join(missing)} missing: install poppler-utils and zbar-tools "
                   "(apt-get install poppler-utils zbar-tools) to check that labels scan back")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def rasterise(pdf: Path) -> list[Path]:
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(prefix)], check=True)
    return sorted(pdf.parent.glob(f"{prefix.name}-*.png"))


def decode(png: Path, symbology: str) -> list[str]:
    """What zbarimg reads in the image with only `symbology` (code128 or qrcode) enabled."""
    result = subprocess.run(
        ["zbarimg", "-q", "--raw", "-Sdisable", f"-S{symbology}.enable", str(png)],
        capture_output=True, text=True, check=False)
    assert result.returncode in (0, 4), result.stderr  # 4: nothing found
    return result.stdout.split()


def crop_cell(png: Path, layout: labels.Layout, cell: int, tmp_path: Path) -> Path:
    k = DPI / 72
    x, y = layout.cell_origin(cell)
    w, h = layout.label
    top = layout.page[1] - y - h  # the image counts from the top, the PDF from the bottom
    box = (round(x * k), round(top * k), round((x + w) * k), round((top + h) * k))
    out = tmp_path / f"cell-{cell}.png"
    with Image.open(png) as image:
        image.crop(box).save(out)
    return out


# ------------------------------------------------------------------------------------ scan back


@pytest.mark.parametrize("layout", ROLLS)
def test_every_roll_label_scans_back_as_code128_and_qr(layout, scan_tools, tmp_path):
    tags = [format_tag(1), format_tag(4711), format_tag(9_999_999)]
    pdf = tmp_path / "labels.pdf"
    render_pdf([label(1, tag=t, model=LONG_MODEL) for t in tags], layout, pdf)
    pages = rasterise(pdf)
    assert len(pages) == len(tags)
    for page, tag in zip(pages, tags, strict=True):
        assert decode(page, "code128") == [tag]
        assert decode(page, "qrcode") == [tag]


def test_a4_sheet_scans_back_all_24_tags_in_their_cells(scan_tools, tmp_path):
    layout = LAYOUTS["a4-3x8"]
    tags = [format_tag(n) for n in range(101, 125)]
    pdf = tmp_path / "sheet.pdf"
    render_pdf([label(1, tag=t) for t in tags], "a4-3x8", pdf)
    [page] = rasterise(pdf)
    for cell, tag in enumerate(tags):
        png = crop_cell(page, layout, cell, tmp_path)
        assert decode(png, "code128") == [tag], f"cell {cell}"
        assert decode(png, "qrcode") == [tag], f"cell {cell}"
    assert sorted(decode(page, "code128")) == sorted(tags)


def test_a4_sheet_can_start_after_cells_already_used(scan_tools, tmp_path):
    layout = LAYOUTS["a4-3x8"]
    pdf = tmp_path / "sheet.pdf"
    render_pdf([label(7)], "a4-3x8", pdf, skip=5)
    [page] = rasterise(pdf)
    assert decode(crop_cell(page, layout, 0, tmp_path), "code128") == []
    assert decode(crop_cell(page, layout, 5, tmp_path), "code128") == [format_tag(7)]


def test_a25th_label_starts_a_second_sheet(tmp_path):
    pdf = tmp_path / "sheets.pdf"
    render_pdf([label(n) for n in range(1, 26)], "a4-3x8", pdf)
    assert pdf.read_bytes().count(b"/Type /Page\n") == 2


def test_command_sheet_scans_back_every_command(scan_tools, tmp_path):
    pdf = tmp_path / "commands.pdf"
    render_command_sheet(pdf)
    intake_page, bench_page = rasterise(pdf)  # a page per desk
    assert sorted(decode(intake_page, "code128")) == sorted(command_code(c) for c in INTAKE_COMMANDS)
    assert sorted(decode(bench_page, "code128")) == sorted(command_code(c) for c in BENCH_COMMANDS)
    assert set(INTAKE_COMMANDS) | set(BENCH_COMMANDS) == set(Command)


def test_every_command_has_a_printed_name():
    assert set(COMMAND_NAMES) == set(Command)


# ------------------------------------------------------------------------------------- geometry


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("data", [
    label(1),
    label(2, model=LONG_MODEL, manufacturer="Hewlett-Packard Enterprise", serial="X" * 80,
          org="Provinciebestuur van Oost-Vlaanderen, dienst ICT en digitale transformatie"),
    label(3, serial=None, intake_date=None, manufacturer="", model="?"),
], ids=["short", "long", "sparse"])
def test_nothing_overlaps_and_everything_stays_on_the_label(layout, data):
    assert placement_problems(place(data, LAYOUTS[layout])) == []


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_long_model_names_are_shortened_with_an_ellipsis_within_the_label(layout):
    lay = LAYOUTS[layout]
    line = place(label(1, model=LONG_MODEL), lay).text("model")
    assert line.text.endswith("…") and line.text.startswith("Dell EliteBook")
    assert line.x >= lay.padding[0]
    right_edge = line.x + stringWidth(line.text, line.font, line.size)
    assert right_edge <= lay.label[0] - lay.padding[0] + 1e-6


@pytest.mark.parametrize("layout", ROLLS)
def test_a_long_model_name_leaves_the_labels_edge_white(layout, scan_tools, tmp_path):
    lay = LAYOUTS[layout]
    pdf = tmp_path / "long.pdf"
    render_pdf([label(1, model="W" * 120, serial="M" * 80)], layout, pdf)
    [page] = rasterise(pdf)
    with Image.open(page) as image:
        gray = image.convert("L")
        strip = round(lay.padding[0] / 2 * DPI / 72)
        edge = gray.crop((gray.width - strip, 0, gray.width, gray.height))
        assert edge.getextrema()[0] > 200, "something is printed in the right-hand padding"


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_code128_bars_are_scannable_wide_and_use_code_set_c(layout):
    p = place(label(1), LAYOUTS[layout])
    assert p.bar_module >= 0.25 * mm
    assert 99 in p.barcode.encoded  # CODE C: the eight digits take four symbols
    assert round(p.bars.w / p.bar_module) == 112


def test_intake_date_is_printed_day_first():
    line = place(label(1), LAYOUTS["62x29"]).text("date")
    assert "14/03/2025" in line.text


def test_label_data_from_an_asset_takes_the_intake_day_in_brussels():
    asset = Asset(tag="CD00000013", manufacturer="Lenovo", model="ThinkPad T14", serial="PF2ABCDE",
                  created_at=dt.datetime(2025, 3, 13, 23, 30, tzinfo=dt.UTC))
    data = LabelData.from_asset(asset, org="Provincie Limburg")
    assert data == LabelData("CD00000013", "Lenovo", "ThinkPad T14", "PF2ABCDE",
                             dt.date(2025, 3, 14), "Provincie Limburg")


def test_an_unknown_layout_names_the_valid_ones():
    with pytest.raises(ValueError, match=r"62x29.*57x32.*102x51.*a4-3x8"):
        render_pdf([label(1)], "99x99", "unused.pdf")


def test_a_layout_without_room_for_the_quiet_zones_is_refused():
    raw = json.loads(labels.LAYOUTS_FILE.read_text(encoding="utf-8"))["62x29"]
    raw["qr_mm"] = 24
    with pytest.raises(ValueError, match="62x29"):
        labels._layout_from_json("62x29", raw)


def test_a_layout_with_bars_too_thin_to_scan_is_refused():
    raw = json.loads(labels.LAYOUTS_FILE.read_text(encoding="utf-8"))["102x51"]
    raw["module_mm"] = 0.19
    with pytest.raises(ValueError, match=r"0\.25 mm"):
        labels._layout_from_json("102x51", raw)


# ------------------------------------------------------------------------------------------ ZPL


def text_fields(zpl: str) -> list[str]:
    return [unescape(t) for t in re.findall(r"\^FH\^FD([^^]*)\^FS", zpl)]


def unescape(field: str) -> str:
    return re.sub(r"_([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), field)


def test_zpl_has_one_format_per_label_with_the_label_size_in_dots():
    zpl = render_zpl([label(1), label(2), label(3)], "102x51", dpi=203)
    assert zpl.count("^XA") == zpl.count("^XZ") == 3
    assert zpl.count("^CI28") == 3
    assert "^PW812^LL406" in zpl  # 4 × 2 inch at 203 dpi
    assert "^PW732^LL343" in render_zpl([label(1)], "62x29", dpi=300)


def test_zpl_code128_field_holds_the_tag_in_code_sets_b_and_c():
    zpl = render_zpl([label(1)])
    assert "^BY3," in zpl  # 3 dots at 203 dpi: 0.375 mm bars
    [data] = re.findall(r"\^BC[^^]*\^FD([^^]*)\^FS", zpl)
    assert data == ">:CD>500000013"
    assert data.replace(">:", "").replace(">5", "") == format_tag(1)


def test_zpl_qr_field_holds_the_tag():
    [data] = re.findall(r"\^BQ[^^]*\^FD([^^]*)\^FS", render_zpl([label(1)]))
    assert data == f"HA,{format_tag(1)}"


def test_user_text_cannot_break_out_of_its_zpl_field():
    evil = label(1, manufacturer="Evil^XZ^XA", model="^FO0,0^GB800,800,800^FS~JR~PS_x\\&",
                 serial="S~N^1", org="Prov^FS^XZ~JA")
    zpl = render_zpl([evil])
    assert "~" not in zpl
    assert zpl.count("^XA") == zpl.count("^XZ") == 1
    assert set(re.findall(r"\^([A-Z0-9@]{2})", zpl)) <= ALLOWED_ZPL
    texts = text_fields(zpl)
    assert "Prov^FS^XZ~JA" in texts  # printed as written, not obeyed
    assert "S/N S~N^1" in texts


def test_zpl_refuses_a_sheet_layout():
    with pytest.raises(ValueError, match="sheet"):
        render_zpl([label(1)], "a4-3x8")


def test_zpl_long_model_name_is_shortened():
    zpl = render_zpl([label(1, model=LONG_MODEL)], "62x29")
    assert any(t.startswith("Dell EliteBook") and t.endswith("...") for t in text_fields(zpl))


def test_write_zpl_writes_utf8(tmp_path):
    path = write_zpl([label(1, model="Café Fräsmaschine")], tmp_path / "labels.zpl")
    assert "Café Fräsmaschine" in path.read_bytes().decode("utf-8")


def test_send_zpl_delivers_exactly_the_zpl_to_the_printer_port():
    zpl = render_zpl([label(1, model="Café"), label(2)])
    received = bytearray()
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]

        def printer():
            conn, _ = server.accept()
            with conn:
                while chunk := conn.recv(65536):
                    received.extend(chunk)

        thread = threading.Thread(target=printer)
        thread.start()
        send_zpl(zpl, "127.0.0.1", port, timeout=5)
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert bytes(received) == zpl.encode("utf-8")


def test_send_zpl_to_a_printer_that_is_off_raises_printer_unavailable():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # free now, and nobody listens once it is closed
    with pytest.raises(PrinterUnavailable) as caught:
        send_zpl("^XA^XZ", "127.0.0.1", port, timeout=2)
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message
    assert "cannot be reached" in message
