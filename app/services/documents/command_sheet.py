"""The command sheet: an A4 page of barcodes that give the intake desk its commands by scanning.

A technician with a scanner in one hand and a device in the other scans
`CMD-DONE`, `CMD-CANCEL` … from this sheet instead of reaching for the mouse
(`app.services.codes` recognises them). Each command is printed in Dutch and
in English, whatever the screen's language, so one sheet serves every desk.
"""

from __future__ import annotations

from os import PathLike
from typing import BinaryIO

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from ...i18n import N_, translate
from ..codes import BENCH_COMMANDS, INTAKE_COMMANDS, Command
from .fonts import BOLD, MONO, REGULAR, string_width
from .labels import BAR_QUIET_MODULES

# The same words as the intake page's buttons and messages, so sheet and screen agree.
COMMAND_NAMES = {
    Command.DONE: N_("Done"),
    Command.CANCEL: N_("Cancel"),
    Command.PRINT_AGAIN: N_("Print label again"),
    Command.NEXT_LOT: N_("Close lot and print receipt"),
    Command.UNDO_LAST: N_("Undo last"),
    Command.GRADE_A: N_("Grade A"),
    Command.GRADE_B: N_("Grade B"),
    Command.GRADE_C: N_("Grade C"),
    Command.GRADE_D: N_("Grade D"),
    Command.PASS: N_("Pass checks"),
    Command.FAIL: N_("Fail checks"),
}
TITLE = N_("Scanner commands")
# One sheet per desk, each with as many barcodes as fit at arm's-length size.
SHEETS = ((N_("Intake"), INTAKE_COMMANDS), (N_("Refurbishment"), BENCH_COMMANDS))
HINT = N_("Print at actual size (100 %), not “fit to page”: smaller bars scan badly.")

MARGIN = 18 * mm
# Wider bars than on a label: read from arm's length off a sheet lying on the bench.
MODULE = 0.4 * mm
BAR_HEIGHT = 20 * mm
NAME_PT, ENGLISH_PT, MIN_PT = 20, 13, 8


def command_code(command: Command) -> str:
    return f"CMD-{command.value}"


def bilingual(text: str, separator: str = " / ") -> str:
    english, dutch = translate(text, "en"), translate(text, "nl")
    return english if dutch == english else f"{english}{separator}{dutch}"


def _fitted(text: str, font: str, size: float, width: float) -> tuple[float, list[str]]:
    """Size and lines for a name: one line, else two at a size not far below, else smaller."""
    for step in (size, size * 0.9, size * 0.8):
        lines = simpleSplit(text, font, step, width)
        if len(lines) <= (1 if step == size else 2):
            return step, lines
    two_lines = simpleSplit(text, font, size * 0.8, width)[:2]
    natural = max(string_width(line, font, 1) for line in two_lines)
    step = max(MIN_PT, width / natural)
    return step, simpleSplit(text, font, step, width)[:2]


def render_command_sheet(out: BinaryIO | str | PathLike[str]) -> None:
    """The command barcodes, a page per desk: intake, then the bench."""
    if isinstance(out, (str, PathLike)):  # a file: written whole or not at all
        from .. import files

        with files.atomic_path(out) as tmp:
            _render(str(tmp))
        return
    _render(out)


def _render(out: BinaryIO | str) -> None:
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setTitle(bilingual(TITLE))
    canvas.setCreator("CircuIT Depot")
    for desk, commands in SHEETS:
        _draw_sheet(canvas, f"{bilingual(TITLE)} — {bilingual(desk)}", commands)
    canvas.save()


def _draw_sheet(canvas: Canvas, title: str, commands: tuple[Command, ...]) -> None:
    width, height = A4
    size = min(20, 20 * (width - 2 * MARGIN) / string_width(title, BOLD, 20))  # one line, fitted
    canvas.setFont(BOLD, size)
    canvas.drawString(MARGIN, height - MARGIN - 20, title)

    barcodes = [Code128(command_code(c), barWidth=MODULE, barHeight=BAR_HEIGHT, quiet=1,
                        lquiet=BAR_QUIET_MODULES * MODULE, rquiet=BAR_QUIET_MODULES * MODULE,
                        humanReadable=0) for c in commands]
    for barcode in barcodes:
        barcode._calculate()
    # One column for every barcode, as wide as the widest with its quiet zones; the
    # names start where the quiet zones end, so no text ever sits in one.
    bars_x = MARGIN - BAR_QUIET_MODULES * MODULE  # the left quiet zone may lie in the margin
    names_x = bars_x + max(b.width for b in barcodes) + 4 * mm
    names_width = width - MARGIN - names_x
    top = height - MARGIN - 28 * mm
    row = (top - MARGIN - 14 * mm) / len(barcodes)

    for i, (command, barcode) in enumerate(zip(commands, barcodes, strict=True)):
        row_top = top - i * row
        if i:  # a rule between rows, so the eye (and the scanner) keeps to one command
            canvas.setStrokeGray(0.6)
            canvas.setLineWidth(0.5)
            canvas.line(MARGIN, row_top + 8 * mm, width - MARGIN, row_top + 8 * mm)
        bars_y = row_top - BAR_HEIGHT
        barcode.drawOn(canvas, bars_x, bars_y)
        canvas.setFont(MONO, 10)
        canvas.drawString(MARGIN, bars_y - 5 * mm, command_code(command))

        name = COMMAND_NAMES.get(command, command.value.replace("_", " ").capitalize())
        size, lines = _fitted(translate(name, "nl"), BOLD, NAME_PT, names_width)
        small, english = _fitted(translate(name, "en"), REGULAR, ENGLISH_PT, names_width)
        # The Dutch name, then the English one, centred as a block beside the bars.
        block = len(lines) * size * 1.15 + 0.1 * size + len(english) * small * 1.2
        baseline = bars_y + BAR_HEIGHT / 2 + block / 2 - 0.8 * size
        canvas.setFont(BOLD, size)
        for text in lines:
            canvas.drawString(names_x, baseline, text)
            baseline -= size * 1.15
        baseline -= 0.1 * size + 0.2 * small
        canvas.setFont(REGULAR, small)
        for text in english:
            canvas.drawString(names_x, baseline, text)
            baseline -= small * 1.2

    canvas.setFont(REGULAR, 9)
    for j, language in enumerate(("nl", "en")):
        canvas.drawString(MARGIN, MARGIN + (1 - j) * 12, translate(HINT, language))
    canvas.showPage()
