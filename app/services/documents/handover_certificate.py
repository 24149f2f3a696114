"""The handover certificate (PDF): one signed paper per hand-off of devices for a second life.

Everything printed comes from the certificate's `content` (the dict whose
digest is in the QR code), so the paper and the record cannot say different
things: the number and date, the province as giver and the recipient with its
enterprise number, the device table (tag, category, manufacturer/model, serial,
grade, sanitisation certificate), totals, the terms, signature blocks for both
sides and the QR code. A donation (school, charity, public body) and an
internal redeployment (a provincial service) differ in title, introduction and
terms. The device table uses plain strings where they fit — a certificate for
500 devices must render in well under two seconds — and wraps only long text.
All user text is escaped before it enters a Paragraph.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from ...i18n import N_, current_language
from ...timefmt import format_local
from ..organisation import Identity
from .a4 import WIDTH, DocumentPage, build_a4, letterhead, qr_drawing
from .fonts import BOLD, REGULAR, Paragraph, drawn_as_is, string_width
from .intake_receipt import category_name
from .issued import qr_payload

TITLES = {"donation": N_("Handover certificate"), "internal": N_("Internal redeployment certificate")}
INTRO = {
    "donation": N_("The province hands over the devices listed below, free of charge, to the "
                   "recipient named on this certificate, to give them a second life."),
    "internal": N_("The devices listed below are redeployed from the central ICT warehouse to the "
                   "provincial service named on this certificate. They remain the property of the "
                   "province."),
}
TERMS = {
    "donation": [
        N_("The devices are given as they are, without any warranty or support; the province is "
           "not liable for their use."),
        N_("At the end of their life, the recipient brings the devices back to the province or to "
           "an official WEEE collection point (such as Recupel), and does not export them."),
        N_("All personal data was erased from the storage media before the handover "
           "(NIST SP 800-88; see the sanitisation certificates listed). The recipient does not "
           "try to recover any data."),
        N_("The labels and inventory stickers of the province were removed."),
    ],
    "internal": [
        N_("The devices remain the property of the province and are recorded in the inventory "
           "under the receiving service."),
        N_("The receiving service does not pass the devices on to third parties, and brings them "
           "back to the central ICT warehouse when they are no longer used or at the end of their "
           "life."),
        N_("All data was erased from the storage media before the redeployment (NIST SP 800-88; "
           "see the sanitisation certificates listed)."),
    ],
}
TYPE_NAMES = {"service": N_("internal service"), "school": N_("school"), "charity": N_("charity"),
              "public_body": N_("other public body")}

FONT, FONT_BOLD, CELL_SIZE = REGULAR, BOLD, 7.5
# # | tag | category | manufacturer and model | serial | grade | sanitisation certificate
COLUMNS = [w * mm for w in (9, 22, 18, 53, 30, 12, 26)]
PADDING = 3
HEADER_FILL = colors.HexColor("#e8eef4")


class _Page(DocumentPage):
    def __init__(self, language: str) -> None:
        super().__init__(language, cell=(CELL_SIZE, 9), bold_font=FONT_BOLD)
        self.term = ParagraphStyle("term", parent=self.body, fontSize=9, leading=11, spaceBefore=0,
                                   spaceAfter=3, leftIndent=10, firstLineIndent=-10)


def render_handover_certificate(content: dict, digest: str, language: str | None = None,
                                organisation: Identity | None = None) -> bytes:
    """The certificate for `content` (see `services.handovers.certificate_content`); the
    letterhead shows `organisation` (the giver in `content` names the same organisation)."""
    page = _Page(language or current_language())
    t = page.t
    wording = content["wording"]
    title = page.plain(TITLES[wording])
    number = content["number"]
    org = organisation or Identity(name=content["giver"]["name"])
    terms = [Paragraph(f"{i}. {t(term)}", page.term) for i, term in enumerate(TERMS[wording], 1)]
    story = [
        letterhead(org, page.language),
        Paragraph(escape(title), page.title),
        Spacer(1, 3 * mm),
        _head(page, content, digest),
        Spacer(1, 3 * mm),
        _parties(page, content),
        Spacer(1, 3 * mm),
        Paragraph(t(INTRO[wording]), page.body),
        Spacer(1, 3 * mm),
        _devices(page, content["devices"]),
        Spacer(1, 2 * mm),
        Paragraph(_totals(page, content), page.body),
        Spacer(1, 3 * mm),
        KeepTogether([Paragraph(t(N_("Terms")), page.heading), Spacer(1, 1 * mm), *terms]),
        Spacer(1, 2 * mm),
        KeepTogether([Paragraph(t(N_("Signatures")), page.heading), Spacer(1, 2 * mm),
                      _signatures(page, content)]),
    ]
    return build_a4(story, title=f"{title} {number}", author=org.name,
                    footer_left=f"{title} {number} · {org.short}",
                    page_label=lambda n: page.plain(N_("page {page}"), page=n))


def _head(page: _Page, content: dict, digest: str) -> Table:
    issued_at = dt.datetime.fromisoformat(content["issued_at"])
    fields = [
        (N_("Certificate number"), f"<b>{escape(content['number'])}</b>"),
        (N_("Date of issue"), escape(format_local(issued_at))),
        (N_("Request"), escape(content.get("request") or "—")),
        (N_("Handover batch"), escape(content.get("batch") or "—")),
        (N_("Issued by"), escape(content.get("issued_by") or "—")),
    ]
    qr_width = 34 * mm
    left = Table([[Paragraph(page.t(label), page.small), Paragraph(value, page.body)]
                  for label, value in fields], colWidths=[38 * mm, WIDTH - qr_width - 38 * mm])
    left.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (0, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    head = Table([[left, qr_drawing(qr_payload(content["number"], digest), 32 * mm)]],
                 colWidths=[WIDTH - qr_width, qr_width])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return head


def _party_lines(page: _Page, party: dict) -> list[str]:
    lines = [f"<b>{escape(party['name'])}</b>"]
    if party.get("type"):
        lines.append(f"<i>{page.t(TYPE_NAMES.get(party['type'], party['type']))}</i>")
    if party.get("enterprise_number"):
        lines.append(f"{page.t(N_('Enterprise number'))}: {escape(party['enterprise_number'])}")
    if party.get("site"):
        lines.append(escape(party["site"]))
    for key in ("street", "city_line"):
        if party.get(key):
            lines.append(escape(party[key]))
    if party.get("contact"):
        lines.append(f"{page.t(N_('Contact'))}: {escape(party['contact'])}")
    return lines


def _parties(page: _Page, content: dict) -> Table:
    half = WIDTH / 2
    cells = []
    for label, party in ((N_("Giver"), content["giver"]), (N_("Recipient"), content["recipient"])):
        cells.append([Paragraph(page.t(label), page.small),
                      Paragraph("<br/>".join(_party_lines(page, party)), page.body)])
    table = Table([cells], colWidths=[half, half])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BOX", (0, 0), (0, 0), 0.4, colors.grey),
                               ("BOX", (1, 0), (1, 0), 0.4, colors.grey),
                               ("LEFTPADDING", (0, 0), (-1, -1), 6),
                               ("TOPPADDING", (0, 0), (-1, -1), 4),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return table


def _devices(page: _Page, devices: list[dict]) -> Table:
    """One table, its header repeated on every page; a cell wraps only when its text is too long."""
    t = page.t
    room = [w - 2 * PADDING for w in COLUMNS]

    def cell(text: str, column: int):
        if drawn_as_is(text, FONT) and string_width(text, FONT, CELL_SIZE) <= room[column]:
            return text
        return Paragraph(escape(text), page.cell)

    rows: list[list] = [[Paragraph(f"<b>{t(h)}</b>", page.cell) for h in (
        N_("No."), N_("Tag"), N_("Category"), N_("Manufacturer and model"), N_("Serial number"),
        N_("Grade"), N_("Sanitisation"))]]
    categories: dict[str, str] = {}
    for i, d in enumerate(devices, 1):
        category = categories.get(d["category"])
        if category is None:
            category = categories[d["category"]] = category_name(d["category"], page.language)
        rows.append([str(i), d["tag"], cell(category, 2),
                     cell(f"{d['manufacturer']} {d['model']}", 3), cell(d.get("serial") or "—", 4),
                     d.get("grade") or "—", cell(d.get("sanitisation") or "—", 6)])
    table = Table(rows, colWidths=COLUMNS, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 1), (-1, -1), FONT, CELL_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 1), (0, -1), "RIGHT"),
        ("ALIGN", (5, 1), (5, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
    ]))
    return table


def _totals(page: _Page, content: dict) -> str:
    totals = content["totals"]
    parts = ", ".join(f"{n} × {escape(category_name(c, page.language))}"
                      for c, n in sorted(totals["by_category"].items()))
    text = page.t(N_("Total: {count} devices"), count=totals["devices"])
    note = page.t(N_("“—” under sanitisation: the device holds no data, or its media were wiped and "
                     "verified without a separate certificate."))
    return f"<b>{text}</b> ({parts}).<br/><font size='7.5'>{note}</font>"


def _signatures(page: _Page, content: dict) -> Table:
    gap = 8 * mm
    width = (WIDTH - gap) / 2

    def box(role: str, organisation: str, name: str) -> Table:
        lines = [f"<b>{page.t(role)}</b>", escape(organisation),
                 f"{page.t(N_('Name'))}: {escape(name)}", f"{page.t(N_('Date'))}:",
                 f"{page.t(N_('Signature'))}:"]
        table = Table([[Paragraph(line, page.small)] for line in lines] + [[Spacer(1, 9 * mm)]],
                      colWidths=[width])
        table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                   ("TOPPADDING", (0, 0), (0, 0), 4)]))
        return table

    giver, recipient = content["giver"], content["recipient"]
    table = Table([[box(N_("For the province (giver)"), giver["name"], content.get("issued_by") or ""),
                    box(N_("For the recipient"), recipient["name"], recipient.get("contact") or "")]],
                  colWidths=[width + gap, width])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table
