"""Asset labels: the tag as Code 128 and QR code, with model, serial and intake date; PDF or ZPL.

Label stock is data (`resources/labels/layouts.json`): Brother and Dymo rolls,
Zebra 4×2" and A4 sheets of 3×8. One geometry (`place`) decides where every
element of a label goes; the PDF renderer (ReportLab) and the ZPL II renderer
(Zebra) both draw from it, so a label looks alike on either printer, and the
rules checked on the geometry — nothing overlaps, nothing leaves the label,
the barcodes keep their quiet zones — hold for both. A layout that breaks
them is refused when it is loaded, not discovered on a printed roll.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from os import PathLike
from pathlib import Path
from typing import Any, BinaryIO

import segno
from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ...i18n import N_, _
from ...paths import RESOURCES
from ...timefmt import local
from ..errors import DomainError
from ..organisation import DEFAULT_NAME as DEFAULT_ORG  # what a label says until one is set
from .fonts import BOLD, FONTS_DIR, REGULAR, draw, font_file, runs, string_width

LAYOUTS_FILE = RESOURCES / "labels" / "layouts.json"
ZPL_PORT = 9100

# Quiet zones from the symbology standards (ISO/IEC 15417 for Code 128, ISO/IEC
# 18004 for QR): scanners need this much white beside the bars / around the symbol.
BAR_QUIET_MODULES = 10
QR_QUIET_MODULES = 4

# The box a line of text fills, as a fraction of the font size: DejaVu Sans's capitals stand
# 0.73 high and its descenders reach 0.24 down.
ASCENT, DESCENT = 0.75, 0.24
# What a label can carry: scanners and both symbologies read it, ZPL needs no escaping for it.
PRINTABLE_CODE = re.compile(r"^[0-9A-Z][0-9A-Z\-./:_]{0,39}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class PrinterUnavailable(DomainError):
    message = N_(
        "The label printer at {printer} cannot be reached ({detail}). Check that it is switched on "
        "and connected to the network, then print again."
    )


# ---------------------------------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Layout:
    """One label stock; every length in PDF points (1/72 inch)."""

    key: str
    name: str
    page: tuple[float, float]
    label: tuple[float, float]
    columns: int
    rows: int
    margin_left: float
    margin_top: float
    gap: tuple[float, float]
    padding: tuple[float, float]
    module: float
    barcode_height: float
    qr: float
    fonts: dict[str, float]

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def is_sheet(self) -> bool:
        return self.per_page > 1

    def cell_origin(self, cell: int) -> tuple[float, float]:
        """Bottom-left corner of a label on its page; cells run left to right, top to bottom."""
        row, col = divmod(cell, self.columns)
        x = self.margin_left + col * (self.label[0] + self.gap[0])
        y = self.page[1] - self.margin_top - (row + 1) * self.label[1] - row * self.gap[1]
        return x, y


def _layout_from_json(key: str, raw: dict[str, Any]) -> Layout:
    margins = raw.get("margins_mm", {})
    layout = Layout(
        key=key,
        name=raw.get("name", key),
        page=(raw["page_mm"][0] * mm, raw["page_mm"][1] * mm),
        label=(raw["label_mm"][0] * mm, raw["label_mm"][1] * mm),
        columns=int(raw.get("grid", [1, 1])[0]),
        rows=int(raw.get("grid", [1, 1])[1]),
        margin_left=margins.get("left", 0) * mm,
        margin_top=margins.get("top", 0) * mm,
        gap=(raw.get("gap_mm", [0, 0])[0] * mm, raw.get("gap_mm", [0, 0])[1] * mm),
        padding=(raw["padding_mm"][0] * mm, raw["padding_mm"][1] * mm),
        module=raw["module_mm"] * mm,
        barcode_height=raw["barcode_height_mm"] * mm,
        qr=raw["qr_mm"] * mm,
        fonts={k: float(v) for k, v in raw["font_pt"].items()},
    )
    problems = layout_problems(layout)
    if problems:
        raise ValueError(f"label layout {key!r} in {LAYOUTS_FILE.name} does not work: "
                         + "; ".join(problems))
    return layout


def layout_problems(layout: Layout) -> list[str]:
    """What is wrong with a layout, tried with a worst-case label (long texts, widest tag)."""
    problems = []
    if layout.module < 0.25 * mm:
        problems.append(f"module {layout.module / mm:.3f} mm is below 0.25 mm: it scans badly")
    cols, rows = layout.columns, layout.rows
    right = layout.margin_left + cols * layout.label[0] + (cols - 1) * layout.gap[0]
    bottom = layout.margin_top + rows * layout.label[1] + (rows - 1) * layout.gap[1]
    if right > layout.page[0] + 0.01 or bottom > layout.page[1] + 0.01:
        problems.append("the labels do not fit on the page")
    sample = LabelData("CD99999994", "W" * 80, "W" * 120, "W" * 80, dt.date(2028, 12, 28), "W" * 60)
    problems += placement_problems(place(sample, layout))
    return problems


@cache
def _load_layouts() -> dict[str, Layout]:
    raw = json.loads(LAYOUTS_FILE.read_text(encoding="utf-8"))
    return {key: _layout_from_json(key, spec)
            for key, spec in raw.items() if not key.startswith("_")}  # "_about" documents the file


def get_layout(key: str | Layout) -> Layout:
    if isinstance(key, Layout):
        return key
    try:
        return LAYOUTS[key]
    except KeyError:
        valid = ", ".join(LAYOUTS)
        raise ValueError(f"unknown label layout {key!r}; valid layouts: {valid}") from None


# ------------------------------------------------------------------------------------ label data


@dataclass(frozen=True)
class LabelData:
    tag: str
    manufacturer: str
    model: str
    serial: str | None
    intake_date: dt.date | None
    org: str = DEFAULT_ORG

    @classmethod
    def from_asset(cls, asset: Any, org: str = DEFAULT_ORG) -> LabelData:
        # The record is created at the desk when the device is received: its day in Brussels
        # is the intake date, whatever the UTC date was.
        created = getattr(asset, "created_at", None)
        return cls(
            tag=asset.tag,
            manufacturer=asset.manufacturer or "",
            model=asset.model or "",
            serial=asset.serial,
            intake_date=local(created).date() if created is not None else None,
            org=org,
        )


def _clean(text: str | None) -> str:
    """One line of text: no control characters, no runs of white space."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


# -------------------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def grown(self, dx: float, dy: float) -> Box:
        return Box(self.x - dx, self.y - dy, self.w + 2 * dx, self.h + 2 * dy)

    def overlaps(self, other: Box) -> bool:
        eps = 1e-6
        return (self.x < other.right - eps and other.x < self.right - eps
                and self.y < other.top - eps and other.y < self.top - eps)

    def inside(self, other: Box) -> bool:
        eps = 1e-6
        return (self.x >= other.x - eps and self.y >= other.y - eps
                and self.right <= other.right + eps and self.top <= other.top + eps)


@dataclass(frozen=True)
class TextLine:
    role: str
    text: str
    font: str
    size: float
    x: float
    baseline: float
    width: float
    align: str = "left"
    # The span the line is aligned in: a printer with its own font metrics aligns it there again.
    span: tuple[float, float] = (0.0, 0.0)

    @property
    def box(self) -> Box:
        size = self.size
        return Box(self.x, self.baseline - DESCENT * size, self.width, (ASCENT + DESCENT) * size)


@dataclass(frozen=True)
class Placement:
    """Where everything of one label goes, in points from the label's bottom-left corner."""

    tag: str
    size: tuple[float, float]
    qr: Box
    qr_module: float
    qr_error: str  # the QR error correction level: H for a tag (it fits version 1 even so)
    bars: Box  # the bars only; the quiet zones come on top
    bar_module: float
    barcode: Code128
    texts: tuple[TextLine, ...]

    @property
    def qr_zone(self) -> Box:
        return self.qr.grown(QR_QUIET_MODULES * self.qr_module, QR_QUIET_MODULES * self.qr_module)

    @property
    def bars_zone(self) -> Box:
        return self.bars.grown(BAR_QUIET_MODULES * self.bar_module, 0)

    def text(self, role: str) -> TextLine | None:
        return next((t for t in self.texts if t.role == role), None)


Measure = Callable[[str, str, float], float]


def fit(text: str, width: float, font: str, size: float, measure: Measure = string_width,
        ellipsis: str = "…") -> str:
    """The text, or its longest beginning plus an ellipsis, that is at most `width` wide."""
    if measure(text, font, size) <= width:
        return text
    def cut(n: int) -> str:  # no dangling "(" or "-" before the ellipsis
        return text[:n].rstrip(" ([{-/,;:") + ellipsis

    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if measure(cut(mid), font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    shortened = cut(lo)
    return shortened if measure(shortened, font, size) <= width else ""


def _qr(tag: str, fast: bool = False) -> segno.QRCode:
    # Error level M, raised as far as the version allows: a tag becomes version 1-H.
    # `fast` skips choosing the best mask (8 trial encodings): size and level do not depend on it.
    return segno.make_qr(tag, error="m", boost_error=True, mask=0 if fast else None)


@lru_cache(maxsize=4096)
def _qr_shape(tag: str) -> tuple[int, str]:
    """Modules per side and error level of the tag's QR code (for ZPL: the printer encodes it)."""
    qr = _qr(tag, fast=True)
    return int(qr.symbol_size(border=0)[0]), qr.error


def _pdf_qr_shape(tag: str) -> tuple[int, str]:
    return _qr_symbol(tag)[:2]


@lru_cache(maxsize=4096)
def _qr_symbol(tag: str) -> tuple[int, str, str]:
    """Modules per side, error level and the QR code as PDF path operators (module units, rows down)

    One filled path of horizontal runs: far fewer operators than a square per
    module, no hairline seams between neighbours, and formatted once per tag —
    ReportLab's own (pure Python) number formatting would dominate a big batch.
    """
    qr = _qr(tag)
    ops = []
    for r, row in enumerate(qr.matrix):
        c, n = 0, len(row)
        while c < n:
            if row[c] & 1:
                start = c
                while c < n and row[c] & 1:
                    c += 1
                ops.append(f"{start} {r} {c - start} 1 re")
            else:
                c += 1
    return int(qr.symbol_size(border=0)[0]), qr.error, " ".join(ops) + " f"


def _code128(tag: str, layout: Layout) -> Code128:
    # ReportLab's encoder switches to code set C for the digits: two digits per symbol.
    quiet = BAR_QUIET_MODULES * layout.module
    barcode = Code128(tag, barWidth=layout.module, barHeight=layout.barcode_height, quiet=1,
                      lquiet=quiet, rquiet=quiet, humanReadable=0)
    barcode._calculate()
    return barcode


def place(data: LabelData, layout: Layout, measure: Measure = string_width, ellipsis: str = "…",
          qr_shape: Callable[[str], tuple[int, str]] = _pdf_qr_shape) -> Placement:
    """The label's geometry: QR top left, Code 128 and tag beside it, model and serial below.

    The top band hangs from the top padding, the two text lines stand on the
    bottom padding; any room to spare ends up between them.
    """
    if not PRINTABLE_CODE.match(data.tag):
        raise ValueError(f"cannot print {data.tag!r} as a label code")
    width, height = layout.label
    pad_x, pad_y = layout.padding
    left, right, top, bottom = pad_x, width - pad_x, height - pad_y, pad_y
    fonts = layout.fonts

    modules, qr_error = qr_shape(data.tag)
    qr_module = layout.qr / modules
    # The quiet zone stays on the label, not on the liner: a roll that drifts a millimetre
    # must not cut into it.
    qr_quiet = QR_QUIET_MODULES * qr_module
    qr_box = Box(max(left, qr_quiet), min(top, height - qr_quiet) - layout.qr, layout.qr, layout.qr)

    barcode = _code128(data.tag, layout)
    bar_width = barcode.width - barcode.lquiet - barcode.rquiet
    # The column beside the QR code starts after the wider of the two quiet zones.
    column = qr_box.right + max(qr_quiet, BAR_QUIET_MODULES * layout.module)

    def line(role: str, text: str, font: str, size: float, x: float, baseline: float,
             room: float, align: str = "left") -> TextLine:
        text = fit(_clean(text), room, font, size, measure, ellipsis)
        w = measure(text, font, size)
        shift = {"left": 0.0, "centre": (room - w) / 2, "right": room - w}[align]
        return TextLine(role, text, font, size, x + shift, baseline, w, align, (x, room))

    org_size = fonts["org"]
    org = line("org", data.org, BOLD, org_size, column, top - ASCENT * org_size, right - column)
    bars_top = org.baseline - DESCENT * org_size - 0.35 * org_size
    bars = Box(column, bars_top - layout.barcode_height, bar_width, layout.barcode_height)
    tag_size = fonts["tag"]
    tag = line("tag", data.tag, BOLD, tag_size, bars.x, bars.y - 0.3 * tag_size - ASCENT * tag_size,
               bars.w, "centre")

    detail_size, model_size = fonts["detail"], fonts["model"]
    detail_baseline = bottom + DESCENT * detail_size
    texts = [org, tag]
    room = right - left
    if data.intake_date is not None:
        date = line("date", _("Received {date}", date=data.intake_date.strftime("%d/%m/%Y")),
                    REGULAR, detail_size, left, detail_baseline, room, "right")
        texts.append(date)
        room = date.x - left - 1.5 * detail_size
    if _clean(data.serial):
        texts.append(line("serial", _("S/N {serial}", serial=_clean(data.serial)), REGULAR,
                          detail_size, left, detail_baseline, room))
    model_baseline = detail_baseline + (ASCENT + 0.3) * detail_size + DESCENT * model_size
    texts.append(line("model", f"{_clean(data.manufacturer)} {_clean(data.model)}", BOLD,
                      model_size, left, model_baseline, right - left))
    return Placement(data.tag, (width, height), qr_box, qr_module, qr_error, bars, layout.module,
                     barcode, tuple(t for t in texts if t.text))


def placement_problems(p: Placement) -> list[str]:
    """Overlaps, overflows and missing quiet zones of a placed label (empty when it is fine)."""
    label = Box(0, 0, *p.size)
    problems = []
    if not p.qr_zone.inside(label):
        problems.append("the QR code's quiet zone leaves the label")
    if not p.bars_zone.inside(label):
        problems.append("the barcode's quiet zones leave the label")
    if p.bars_zone.overlaps(p.qr) or p.qr_zone.overlaps(p.bars):
        problems.append("the barcode and the QR code are too close")
    for i, t in enumerate(p.texts):
        if not t.box.inside(label):
            problems.append(f"the {t.role} text leaves the label")
        if t.box.overlaps(p.qr_zone):
            problems.append(f"the {t.role} text touches the QR code or its quiet zone")
        if t.box.overlaps(p.bars_zone):
            problems.append(f"the {t.role} text touches the barcode or its quiet zones")
        problems += [f"the {t.role} and {u.role} texts overlap"
                     for u in p.texts[i + 1:] if t.box.overlaps(u.box)]
    return problems


# Loaded (and checked) once the geometry above exists to check them with.
LAYOUTS: dict[str, Layout] = _load_layouts()


# ------------------------------------------------------------------------------------------- PDF


def _draw(canvas: Canvas, p: Placement, ox: float, oy: float) -> None:
    q = p.qr_module
    matrix = fp_str(q, 0, 0, -q, ox + p.qr.x, oy + p.qr.top)  # module units, rows downwards
    canvas.addLiteral(f"q {matrix} cm {_qr_symbol(p.tag)[2]} Q")
    p.barcode.drawOn(canvas, ox + p.bars.x - p.barcode.lquiet, oy + p.bars.y)
    for t in p.texts:
        draw(canvas, ox + t.x, oy + t.baseline, t.text, t.font, t.size)


def render_pdf(labels: Sequence[LabelData], layout: str | Layout,
               out: BinaryIO | str | PathLike[str], *, skip: int = 0) -> None:
    """Write the labels as one PDF: one page per label on rolls, sheets filled row by row.

    `skip` leaves that many cells of the first sheet empty, to finish a sheet that was
    partly used before.
    """
    lay = get_layout(layout)
    if not labels:
        raise ValueError("no labels to render")
    if not 0 <= skip < lay.per_page:
        raise ValueError(f"skip must be between 0 and {lay.per_page - 1}")
    if isinstance(out, (str, PathLike)):  # a file: written whole or not at all
        from .. import files

        with files.atomic_path(out) as tmp:
            _render_pdf(labels, lay, str(tmp), skip)
        return
    _render_pdf(labels, lay, out, skip)


def _render_pdf(labels: Sequence[LabelData], lay: Layout, target, skip: int) -> None:
    canvas = Canvas(target, pagesize=lay.page, invariant=1, pageCompression=1)
    canvas.setTitle(_("Asset labels"))
    canvas.setCreator("CircuIT Depot")
    canvas.setFillColorRGB(0, 0, 0)
    for index, data in enumerate(labels, start=skip):
        cell = index % lay.per_page
        if cell == 0 and index > skip:
            canvas.showPage()
        _draw(canvas, place(data, lay), *lay.cell_origin(cell))
    canvas.showPage()
    canvas.save()


# ------------------------------------------------------------------------------------------- ZPL


def _bold_measure(text: str, font: str, size: float) -> float:
    # Zebra font 0 is a bold condensed face: DejaVu Sans Bold is wider for every text, so a
    # line measured with it never runs off the label (and a line sent as a bitmap, drawn in
    # that very font, is exactly as wide as measured).
    return string_width(text, BOLD, size)


def zebra_prints(text: str) -> bool:
    """Whether the printer's resident font 0 prints every character of the text.

    Font 0 (CG Triumvirate Bold Condensed) holds the Latin-1 / Windows-1252 repertoire
    of Zebra's code pages; under ^CI28 a character outside its glyphs prints as nothing
    or a substitute, and no resident font shapes Arabic or holds CJK. What it cannot print
    goes to the printer as a bitmap drawn with the app's own fonts (`_zpl_bitmap`).
    """
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _zpl_bitmap(t: TextLine, k: float, x: int, baseline: int) -> str:
    """One line of text as a ^GFA graphic field, drawn with the PDF's fonts at the printer's dots.

    The same runs as the PDF (fallback fonts, Arabic shaped and in visual order), so a
    Zebra prints 'Łukasz', 'Παπαδόπουλος' or '王小明' whatever its firmware holds.
    """
    em = t.size * k  # the font size in dots
    above, below = math.ceil(0.95 * em), math.ceil(0.3 * em)  # accents on capitals, descenders
    # Bold, as font 0 is: the line was measured in DejaVu Sans Bold (`_bold_measure`).
    pieces = [(_pil_font(f, round(em)), piece) for f, piece in runs(t.text, BOLD)]
    width = max(1, math.ceil(sum(font.getlength(piece) for font, piece in pieces)))
    image = Image.new("1", (width, above + below), 0)
    pen = ImageDraw.Draw(image)
    left = 0.0
    for font, piece in pieces:
        pen.text((left, above), piece, font=font, fill=1, anchor="ls")
        left += font.getlength(piece)
    row = (width + 7) // 8
    data = image.tobytes().hex().upper()  # 1 = black, as ^GF wants it; rows padded to a byte
    return (f"^FO{x},{max(0, baseline - above)}"
            f"^GFA,{row * image.height},{row * image.height},{row},{data}^FS")


@lru_cache(maxsize=32)
def _pil_font(name: str, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout: the text comes already shaped and in visual order (`runs`); Raqm would
    # reorder it a second time.
    return ImageFont.truetype(str(FONTS_DIR / font_file(name)), max(1, size),
                              layout_engine=ImageFont.Layout.BASIC)


def zpl_text(text: str) -> str:
    """Field data for ^FH^FD: characters that are commands to a Zebra become hex escapes.

    '^' and '~' start commands even inside field data, '_' is the ^FH escape itself and
    '\\' starts ^FB sequences; as _XX they print as themselves and command nothing.
    """
    escaped = []
    for ch in _CONTROL.sub("", text):
        escaped.append(f"_{ord(ch):02X}" if ch in "^~_\\" else ch)
    return "".join(escaped)


def _zpl_code128(code: str) -> str:
    """^BC field data with explicit code sets: start in B, switch to C for the trailing digits."""
    digits = len(code) - len(code.rstrip("0123456789"))
    digits -= digits % 2
    if digits >= 4:
        return f">:{code[:-digits]}>5{code[-digits:]}" if digits < len(code) else f">;{code}"
    return f">:{code}"


def _zpl_label(data: LabelData, lay: Layout, dpi: int) -> str:
    p = place(data, lay, measure=_bold_measure, ellipsis="...", qr_shape=_qr_shape)
    k = dpi / 72  # dots per point

    def x(v: float) -> int:
        return round(v * k)

    def y(v: float) -> int:  # ZPL counts from the top
        return round((p.size[1] - v) * k)

    width, height = x(p.size[0]), round(p.size[1] * k)
    out = ["^XA", "^CI28", f"^PW{width}", f"^LL{height}", "^LH0,0"]
    magnification = max(1, min(10, int(p.qr_module * k)))
    out.append(f"^FO{x(p.qr.x)},{y(p.qr.top)}^BQN,2,{magnification}^FD{p.qr_error}A,{p.tag}^FS")
    modules = round(p.bars.w / p.bar_module)
    module = max(1, round(p.bar_module * k))
    while module > 1 and x(p.bars.x) + (modules + BAR_QUIET_MODULES) * module > width:
        module -= 1  # a printer with other dots than the layout assumed: stay on the label
    bar_height = round(p.bars.h * k)
    out.append(f"^FO{x(p.bars.x)},{y(p.bars.top)}^BY{module},3,{bar_height}"
               f"^BCN,{bar_height},N,N,N,N^FD{_zpl_code128(p.tag)}^FS")
    for t in p.texts:
        if not zebra_prints(t.text):
            out.append(_zpl_bitmap(t, k, x(t.x), y(t.baseline)))
            continue
        h = max(10, round(t.size * k))
        font = f"^A0N,{h},{h}"
        if t.align == "left":
            out.append(f"^FT{x(t.x)},{y(t.baseline)}{font}^FH^FD{zpl_text(t.text)}^FS")
        else:  # the printer aligns it with its own font's metrics, in the same span
            start, room = t.span
            just = "C" if t.align == "centre" else "R"
            block = x(start + room) - x(start)
            out.append(f"^FO{x(start)},{y(t.box.top)}{font}^FB{block},1,0,{just},0"
                       f"^FH^FD{zpl_text(t.text)}^FS")
    out.append("^XZ")
    return "".join(out)


def render_zpl(labels: Sequence[LabelData], layout: str | Layout = "102x51", dpi: int = 203) -> str:
    """ZPL II for a Zebra printer: one ^XA…^XZ format per label.

    Text goes as UTF-8 (^CI28) in the resident font 0 where that font has every character
    (`zebra_prints`); any other line goes as a bitmap drawn with the PDF's fonts, so no
    name comes out as '?' or blank on a printer without a downloaded Unicode font.
    """
    lay = get_layout(layout)
    if lay.is_sheet:
        rolls = ", ".join(k for k, v in LAYOUTS.items() if not v.is_sheet)
        raise ValueError(f"layout {lay.key!r} is a sheet for office printers; ZPL: {rolls}")
    if dpi not in (152, 203, 300, 600):
        raise ValueError(f"a Zebra prints at 152, 203, 300 or 600 dpi, not {dpi}")
    return "\n".join(_zpl_label(data, lay, dpi) for data in labels) + "\n"


def write_zpl(labels: Sequence[LabelData], path: str | PathLike[str],
              layout: str | Layout = "102x51", dpi: int = 203) -> Path:
    from .. import files

    return files.write_bytes(path, render_zpl(labels, layout, dpi).encode("utf-8"))


def send_zpl(zpl: str, host: str, port: int = ZPL_PORT, timeout: float = 5) -> None:
    """Send ZPL to a network printer's raw port; PrinterUnavailable if it cannot be reached."""
    data = zpl.encode("utf-8")
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)  # end of job: the printer may start on the last label
    except OSError as err:
        printer = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        detail = err.strerror or str(err) or type(err).__name__
        raise PrinterUnavailable(printer=printer, detail=detail) from err
