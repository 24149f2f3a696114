"""The intake receipt (PDF): the first link of the chain of custody for a lot.

Lot and receipt number, origin service, who delivered and who received, the
date, every device with its tag and serial, a count per category, signature
blocks for both parties and a QR code with the receipt number to check the
paper against the database. All user text is escaped before it enters a
Paragraph (a model name with "<" must print as text, not break the PDF).
"""

from __future__ import annotations

import io
from collections import Counter
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ...i18n import N_, current_language, translate
from ...models import Asset, IntakeLot, User
from ...timefmt import format_local
from ..organisation import Identity
from .a4 import letterhead
from .a4 import qr_drawing as _qr
from .fonts import BOLD, REGULAR, Paragraph, draw
from .issued import qr_payload

CATEGORY_NAMES = {
    "laptop": N_("laptop"), "desktop": N_("desktop"), "monitor": N_("monitor"),
    "smartphone": N_("smartphone"), "tablet": N_("tablet"), "printer": N_("printer"),
    "server": N_("server"), "network": N_("network device"), "other": N_("other"),
}


def category_name(category, language: str | None = None) -> str:
    return translate(CATEGORY_NAMES[getattr(category, "value", category)], language)


def render_intake_receipt(number: str, lot: IntakeLot, devices: list[Asset], received_by: User,
                          language: str | None = None, organisation: Identity | None = None) -> bytes:
    lang = language or current_language()
    org = organisation or Identity()

    def t(text: str, **params) -> str:
        return escape(translate(text, lang, **params))

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName=REGULAR, fontSize=9.5,
                          leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    title = ParagraphStyle("title", parent=styles["Title"], fontName=BOLD, fontSize=17, alignment=0,
                           spaceAfter=2)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=18 * mm,
                            title=f"{translate(N_('Intake receipt'), lang)} {number}",
                            author=org.name)
    origin = lot.origin_service.name if lot.origin_service else ""
    head = [
        [Paragraph(t(N_("Receipt number")), small), Paragraph(f"<b>{escape(number)}</b>", body)],
        [Paragraph(t(N_("Lot")), small), Paragraph(escape(lot.number), body)],
        [Paragraph(t(N_("Origin service")), small), Paragraph(escape(origin), body)],
        [Paragraph(t(N_("Delivered by")), small), Paragraph(escape(lot.delivered_by or "—"), body)],
        [Paragraph(t(N_("Received by")), small), Paragraph(escape(received_by.display_name), body)],
        [Paragraph(t(N_("Received on")), small), Paragraph(escape(format_local(lot.received_at)), body)],
        [Paragraph(t(N_("Closed on")), small), Paragraph(escape(format_local(lot.closed_at)), body)],
    ]
    head_table = Table(head, colWidths=[38 * mm, 100 * mm])
    head_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    top = Table([[head_table, _qr(qr_payload(number), 32 * mm)]], colWidths=[140 * mm, 34 * mm])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT")]))

    rows = [[Paragraph(f"<b>{t(h)}</b>", small) for h in
             (N_("No."), N_("Tag"), N_("Category"), N_("Manufacturer and model"), N_("Serial number"))]]
    for i, a in enumerate(devices, 1):
        rows.append([Paragraph(str(i), small), Paragraph(escape(a.tag), small),
                     Paragraph(escape(category_name(a.category, lang)), small),
                     Paragraph(escape(f"{a.manufacturer} {a.model}"), small),
                     Paragraph(escape(a.serial or "—"), small)])
    device_table = Table(rows, colWidths=[10 * mm, 26 * mm, 26 * mm, 70 * mm, 42 * mm], repeatRows=1)
    device_table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f7f7")]),
    ]))
    counts = Counter(a.category for a in devices)
    count_text = ", ".join(f"{n} × {escape(category_name(c, lang))}" for c, n in sorted(counts.items()))

    def signature(role: str, name: str) -> Table:
        sig = Table([[Paragraph(f"<b>{t(role)}</b>", body)],
                     [Paragraph(f"{t(N_('Name'))}: {escape(name)}", body)],
                     [Paragraph(f"{t(N_('Date'))}:", body)],
                     [Paragraph(f"{t(N_('Signature'))}:", body)],
                     [Spacer(1, 16 * mm)]], colWidths=[80 * mm])
        sig.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.black)]))
        return sig

    signatures = Table([[signature(N_("Delivered by"), lot.delivered_by or ""),
                         signature(N_("Received by"), received_by.display_name)]],
                       colWidths=[87 * mm, 87 * mm])
    story = [
        letterhead(org, lang),
        Paragraph(t(N_("Intake receipt")), title),
        Spacer(1, 3 * mm), top, Spacer(1, 5 * mm),
        Paragraph(t(N_("The warehouse received the following {n} devices:"), n=len(devices)), body),
        Spacer(1, 2 * mm), device_table, Spacer(1, 3 * mm),
        Paragraph(f"{t(N_('In total'))}: {count_text}", body), Spacer(1, 4 * mm),
        Paragraph(t(N_("From this moment the warehouse is responsible for these devices and the data "
                       "on them until their data is destroyed and they leave the warehouse with a "
                       "handover or end-of-life certificate.")), small),
        Spacer(1, 6 * mm), KeepTogether([signatures]),
    ]

    def footer(canvas, document):
        canvas.saveState()
        draw(canvas, 18 * mm, 10 * mm, f"{number} · {lot.number}", REGULAR, 7.5)
        draw(canvas, A4[0] - 18 * mm, 10 * mm, translate(N_("page {page}"), lang, page=document.page),
             REGULAR, 7.5, "right")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
