"""What every A4 document shares: the page frame, the footer line, the QR code, the build.

Receipts, certificates and reports differ in their content, not in how a page is
laid out or numbered, so that lives here once.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate

from ...i18n import translate

PAGE_MARGIN = 18 * mm
FRAME_PADDING = 6  # points SimpleDocTemplate's frame keeps free on either side
WIDTH = A4[0] - 2 * PAGE_MARGIN - 2 * FRAME_PADDING  # what a table may fill: about 170 mm


def qr_drawing(payload: str, size: float) -> Drawing:
    """A vector QR code of `size` points square (scans at any print resolution)."""
    widget = QrCodeWidget(payload)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def build_a4(story: list, *, title: str, author: str, footer_left: str, page_label) -> bytes:
    """Render `story` on A4 with a footer: `footer_left` on the left, `page_label(n)` on the right."""

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(PAGE_MARGIN + FRAME_PADDING, 10 * mm, footer_left)
        canvas.drawRightString(A4[0] - PAGE_MARGIN - FRAME_PADDING, 10 * mm, page_label(document.page))
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=PAGE_MARGIN, rightMargin=PAGE_MARGIN,
                            topMargin=16 * mm, bottomMargin=18 * mm, title=title, author=author)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


class DocumentPage:
    """The paragraph styles of a document and its translator into one language (`t` escapes).

    Sizes are (font size, leading) in points; `heading` holds the heading style's own settings.
    """

    def __init__(self, language: str, *, body: tuple[float, float] = (9.5, 12),
                 small: tuple[float, float] = (8, 10), cell: tuple[float, float] = (7.5, 9),
                 bold_font: str = "Helvetica-Bold", heading: dict | None = None) -> None:
        self.language = language
        base = getSampleStyleSheet()
        self.body = ParagraphStyle("body", parent=base["BodyText"], fontSize=body[0], leading=body[1])
        self.small = ParagraphStyle("small", parent=self.body, fontSize=small[0], leading=small[1])
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=cell[0], leading=cell[1])
        self.title = ParagraphStyle("title", parent=base["Title"], fontSize=17, alignment=0,
                                    spaceAfter=2)
        self.heading = ParagraphStyle("heading", parent=self.body, fontName=bold_font,
                                      **(heading if heading is not None else {"spaceBefore": 2}))

    def plain(self, text: str, **params) -> str:
        return translate(text, self.language, **params)

    def t(self, text: str, **params) -> str:
        return escape(self.plain(text, **params))
