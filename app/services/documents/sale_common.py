"""What the staff-sale documents share: styles, a translator into one language, small tables.

Every piece of user text goes through `t()` / `esc()` (escaped) before a Paragraph.
"""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from .a4 import DocumentPage
from .fonts import Paragraph

HEADER_FILL = colors.HexColor("#e8eef4")


class SalePage(DocumentPage):
    """The styles of the sale documents (receipt, allocation report, catalogue)."""

    def p(self, markup: str, style=None) -> Paragraph:
        return Paragraph(markup, style or self.cell)


def esc(text: object) -> str:
    return escape("" if text is None else str(text))


def euros(amount: Decimal) -> str:
    """€ 1.234,00 as Belgians write it (the same on Dutch and English paper)."""
    text = f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"€ {text}"


def grid(rows: list[list], widths: list[float], header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands = [("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
    table.setStyle(TableStyle(commands))
    return table


def fields_table(page: SalePage, fields: list[tuple[str, str]], width: float,
                 label_width: float) -> Table:
    """Label | value rows (labels are marked texts, values are escaped markup)."""
    table = Table([[Paragraph(page.t(label), page.small), Paragraph(value, page.body)]
                   for label, value in fields], colWidths=[label_width, width - label_width])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (0, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table
