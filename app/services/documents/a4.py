"""What every A4 document shares: the page frame, the footer line, the QR code, the build.

Receipts, certificates and reports differ in their content, not in how a page is
laid out or numbered, so that lives here once.
"""

from __future__ import annotations

import io

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate

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
