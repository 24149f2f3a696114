"""What every A4 document shares: the letterhead, the page frame, the footer, the QR code, the build.

Receipts, certificates and reports differ in their content, not in how a page is
laid out, headed or numbered, so that lives here once. The letterhead carries the
organisation's identity (`services.organisation`), the same on every document.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, SimpleDocTemplate, Table, TableStyle

from ...i18n import N_, translate
from ..organisation import Identity
from .fonts import BOLD, REGULAR, Paragraph, draw

PAGE_MARGIN = 18 * mm
FRAME_PADDING = 6  # points SimpleDocTemplate's frame keeps free on either side
WIDTH = A4[0] - 2 * PAGE_MARGIN - 2 * FRAME_PADDING  # what a table may fill: about 170 mm
LOGO_BOX = (45 * mm, 15 * mm)  # the most a logo takes in the letterhead (width, height)
LETTERHEAD_NAME = ParagraphStyle("letterhead_name", fontName=BOLD, fontSize=10.5,
                                 leading=13)
LETTERHEAD_DETAIL = ParagraphStyle("letterhead_detail", fontName=REGULAR, fontSize=8,
                                   leading=10, textColor=colors.HexColor("#404040"))


def qr_drawing(payload: str, size: float) -> Drawing:
    """A vector QR code of `size` points square (scans at any print resolution)."""
    widget = QrCodeWidget(payload)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def letterhead(organisation: Identity | None, language: str) -> Flowable:
    """The top of page one: logo, full name, address and enterprise number, then a rule.

    Every document starts with it, so a reader recognises who issued the paper wherever it
    was printed. Without an identity set, the default ("Provincie") stands alone.
    """
    org = organisation or Identity()
    lines = [Paragraph(f"{escape(org.name)} — "
                       f"{escape(translate(N_('Central ICT warehouse'), language))}", LETTERHEAD_NAME)]
    details = [escape(org.address)] if org.address else []
    if org.enterprise_number:
        details.append(escape(translate(N_("Enterprise number {number}"), language,
                                        number=org.enterprise_number)))
    if details:
        lines.append(Paragraph(" · ".join(details), LETTERHEAD_DETAIL))
    logo = _logo(org)
    if logo is None:
        table = Table([[lines]], colWidths=[WIDTH])
    else:
        logo_width = logo.drawWidth + 5 * mm
        table = Table([[logo, lines]], colWidths=[logo_width, WIDTH - logo_width])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
                               ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#8a9bb0"))]))
    table.spaceAfter = 3 * mm
    return table


def _logo(org: Identity) -> Image | None:
    if not org.logo:
        return None
    try:
        width, height = ImageReader(io.BytesIO(org.logo)).getSize()
    except Exception:  # noqa: BLE001 - checked when saved; a damaged row must not stop a certificate
        return None
    scale = min(LOGO_BOX[0] / width, LOGO_BOX[1] / height)
    return Image(io.BytesIO(org.logo), width=width * scale, height=height * scale)


def build_a4(story: list, *, title: str, author: str, footer_left: str, page_label) -> bytes:
    """Render `story` on A4 with a footer: `footer_left` on the left, `page_label(n)` on the right."""

    def footer(canvas, document):
        canvas.saveState()
        draw(canvas, PAGE_MARGIN + FRAME_PADDING, 10 * mm, footer_left, REGULAR, 7.5)
        draw(canvas, A4[0] - PAGE_MARGIN - FRAME_PADDING, 10 * mm, page_label(document.page),
             REGULAR, 7.5, "right")
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
                 bold_font: str = BOLD, heading: dict | None = None) -> None:
        self.language = language
        base = getSampleStyleSheet()
        self.body = ParagraphStyle("body", parent=base["BodyText"], fontName=REGULAR,
                                   fontSize=body[0], leading=body[1])
        self.small = ParagraphStyle("small", parent=self.body, fontSize=small[0], leading=small[1])
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=cell[0], leading=cell[1])
        self.title = ParagraphStyle("title", parent=base["Title"], fontName=BOLD, fontSize=17,
                                    alignment=0, spaceAfter=2)
        self.heading = ParagraphStyle("heading", parent=self.body, fontName=bold_font,
                                      **(heading if heading is not None else {"spaceBefore": 2}))

    def plain(self, text: str, **params) -> str:
        return translate(text, self.language, **params)

    def t(self, text: str, **params) -> str:
        return escape(self.plain(text, **params))
