"""The sales receipt and handover document (PDF) a staff member signs when collecting a device.

Number, date, the buyer (name, staff number, service), the device with its
grade, the price and how it was paid (with the structured communication), the
terms ("sold as is…; bring it to a WEEE collection point at end of life"),
signature blocks for the buyer and the province, and a QR code to check it.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from ...i18n import N_, current_language
from ...models import SaleItem, User, utcnow
from ...timefmt import format_local
from ..organisation import Identity
from .a4 import WIDTH, build_a4, letterhead, qr_drawing
from .fonts import Paragraph
from .intake_receipt import category_name
from .issued import qr_payload
from .sale_common import SalePage, esc, euros, fields_table, grid

TITLE = N_("Sales receipt and handover")
TERMS = [
    N_("The device is sold as is, with no warranty beyond the legal minimum."),
    N_("All data of the province was erased from it according to NIST SP 800-88; the buyer "
       "receives it without the province's labels."),
    N_("At the end of its life, bring it to a WEEE collection point (recyparc or shop); never "
       "put it with household waste."),
    N_("The device is for the buyer's own use; the province does not take it back."),
]
PAYMENT_NAMES = {"transfer": N_("bank transfer"), "card": N_("card at the desk")}


def render_sale_receipt(number: str, item: SaleItem, issued_by: User, language: str | None = None,
                        organisation: Identity | None = None, issued_at: dt.datetime | None = None,
                        digest: str | None = None) -> bytes:
    page = SalePage(language or current_language())
    t = page.t
    org = organisation or Identity()
    a, buyer = item.asset, item.buyer
    issued_at = issued_at or utcnow()
    payment = PAYMENT_NAMES.get(item.payment_method.value if item.payment_method else "", "")
    paid = f"{t(payment)}" + (f", {esc(format_local(item.paid_at))}" if item.paid_at else "")
    fields = [
        (N_("Sales receipt number"), f"<b>{esc(number)}</b>"),
        (N_("Date"), esc(format_local(issued_at))),
        (N_("Buyer"), f"<b>{esc(buyer.full_name)}</b>"),
        (N_("Staff number"), esc(buyer.staff_number or "—")),
        (N_("Service"), esc(buyer.service_name or "—")),
        (N_("Structured communication"), esc(f"+++{item.ogm[:3]}/{item.ogm[3:7]}/{item.ogm[7:]}+++")
         if item.ogm else "—"),
        (N_("Paid by"), paid or "—"),
    ]
    qr = 34 * mm
    head = Table([[fields_table(page, fields, WIDTH - qr, 42 * mm),
                   qr_drawing(qr_payload(number, digest), 32 * mm)]], colWidths=[WIDTH - qr, qr])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    from ..sales import specs

    p = page.p
    device = grid([
        [p(f"<b>{t(h)}</b>") for h in (N_("Tag"), N_("Category"), N_("Device"), N_("Serial number"),
                                       N_("Grade"), N_("Price"))],
        [p(esc(a.tag)), p(esc(category_name(a.category, page.language))),
         p(f"{esc(a.manufacturer)} {esc(a.model)}<br/><i>{esc(specs(a))}</i>"), p(esc(a.serial or "—")),
         p(esc(a.grade.value if a.grade else "—")), p(f"<b>{esc(euros(item.price))}</b>")],
    ], [WIDTH * s for s in (0.15, 0.12, 0.36, 0.17, 0.07, 0.13)])
    terms = [Paragraph(f"• {t(text)}", page.body) for text in TERMS]
    story = [
        letterhead(org, page.language),
        Paragraph(t(TITLE), page.title), Spacer(1, 3 * mm), head, Spacer(1, 5 * mm), device,
        Spacer(1, 5 * mm), Paragraph(t(N_("Terms")), page.heading), *terms, Spacer(1, 8 * mm),
        KeepTogether([Paragraph(t(N_("Signatures")), page.heading), Spacer(1, 2 * mm),
                      _signatures(page, buyer.full_name, issued_by.display_name)]),
    ]
    return build_a4(story, title=f"{page.plain(TITLE)} {number}", author=org.name,
                    footer_left=f"{page.plain(TITLE)} {number} · {org.short}",
                    page_label=lambda n: page.plain(N_("page {page}"), page=n))


def _signatures(page: SalePage, buyer: str, handed_over_by: str) -> Table:
    width = (WIDTH - 8 * mm) / 2

    def box(role: str, name: str) -> Table:
        lines = [f"<b>{page.t(role)}</b>", f"{page.t(N_('Name'))}: {esc(name)}",
                 f"{page.t(N_('Date'))}:", f"{page.t(N_('Signature'))}:"]
        table = Table([[Paragraph(line, page.small)] for line in lines] + [[Spacer(1, 14 * mm)]],
                      colWidths=[width])
        table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.black)]))
        return table

    table = Table([[box(N_("Buyer, for receipt of the device"), buyer),
                    box(N_("For the province, handed over by"), handed_over_by)]],
                  colWidths=[width + 8 * mm, width])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table
