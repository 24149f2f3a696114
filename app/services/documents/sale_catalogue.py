"""The catalogue of a sale round for staff: a PDF and an XLSX, photo-free.

Per device its tag, category, model, key specs, grade, price and the rule the
price came from; above the list the round's conditions (dates, per-person
limit, eligibility, payment term, "sold as is"). Cells that start like a
formula are written as text in the XLSX (`asset_export.neutralise`).
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ...i18n import N_, current_language, translate
from ...models import SaleRound
from ..organisation import Identity
from .a4 import WIDTH, build_a4, letterhead
from .fonts import Paragraph
from .intake_receipt import category_name
from .sale_common import SalePage, esc, euros, grid

TITLE = N_("Catalogue")
HEADERS = (N_("Tag"), N_("Category"), N_("Device"), N_("Key specs"), N_("Grade"), N_("Price"),
           N_("Price rule"))


def conditions(round_: SaleRound, language: str) -> list[str]:
    from ..sales import describe_limits, limits_of

    lines = [
        translate(N_("Register your interest from {opens} to {closes}, at the warehouse desk."),
                  language, opens=f"{round_.opens_on:%d/%m/%Y}", closes=f"{round_.closes_on:%d/%m/%Y}"),
        translate(N_("Per person at most: {limits}. Several candidates for one device: a lottery "
                     "decides; its seed and result are published in the allocation report."),
                  language, limits=describe_limits(limits_of(round_))),
        translate(N_("Pay within {days} days of the allocation, by bank transfer with the structured "
                     "communication you receive, or by card at the desk; then collect the device."),
                  language, days=round_.payment_days),
        translate(N_("Sold as is, no warranty beyond the legal minimum; bring it to a WEEE collection "
                     "point at the end of its life."), language),
    ]
    if round_.eligibility:
        lines.insert(0, translate(N_("Who may take part: {notes}"), language, notes=round_.eligibility))
    return lines


def render_catalogue_pdf(round_: SaleRound, rows: list, language: str | None = None,
                         organisation: Identity | None = None) -> bytes:
    page = SalePage(language or current_language())
    t, p = page.t, page.p
    org = organisation or Identity()
    table = [[p(f"<b>{t(h)}</b>") for h in HEADERS]]
    for r in rows:
        table.append([p(esc(r.tag)), p(esc(category_name(r.category, page.language))), p(esc(r.model)),
                      p(esc(r.specs or "—")), p(esc(r.grade or "—")), p(f"<b>{esc(euros(r.price))}</b>"),
                      p(f"<font size='6.5'>{esc(r.override_reason and page.plain(N_('set by the manager')) or r.rule)}</font>")])
    story = [
        letterhead(org, page.language),
        Paragraph(f"{t(TITLE)}: {esc(round_.title)}", page.title), Spacer(1, 2 * mm),
        *[Paragraph(f"• {esc(line)}", page.body) for line in conditions(round_, page.language)],
        Spacer(1, 4 * mm),
        grid(table, [WIDTH * s for s in (0.12, 0.10, 0.20, 0.22, 0.06, 0.09, 0.21)]),
    ]
    return build_a4(story, title=f"{page.plain(TITLE)} {round_.title}", author=org.name,
                    footer_left=f"{page.plain(TITLE)} · {round_.title}",
                    page_label=lambda n: page.plain(N_("page {page}"), page=n))


def catalogue_xlsx(round_: SaleRound, rows: list, language: str | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..asset_export import neutralise

    lang = language or current_language()
    book = Workbook()
    sheet = book.active
    sheet.title = translate(TITLE, lang)[:31]
    sheet.append([neutralise(round_.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in conditions(round_, lang):
        sheet.append([neutralise(line)])
    sheet.append([])
    sheet.append([translate(h, lang) for h in HEADERS])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for r in rows:
        rule = translate(N_("set by the manager"), lang) if r.override_reason else r.rule
        sheet.append([neutralise(r.tag), category_name(r.category, lang), neutralise(r.model),
                      neutralise(r.specs), r.grade, r.price, neutralise(rule)])
        sheet.cell(sheet.max_row, 6).number_format = '€ #,##0.00'
    for col, width in zip("ABCDEFG", (14, 12, 30, 40, 7, 10, 60), strict=True):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
