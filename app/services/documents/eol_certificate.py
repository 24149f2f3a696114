"""The end-of-life (EOL) certificate (PDF): where the devices of one disposal batch went, when,
with whom, and that their data was destroyed.

Rendered from the certificate's `content` (services/disposal.certificate_content), the same dict
its QR digest is taken over, so the paper prints exactly what the record holds: number and date,
the province, processor and carrier with their enterprise and permit numbers, the processor's
certification, the EURAL codes, per WEEE category the count and weights (device weights and the
weight on the scale), the full device list with each device's data status, signature blocks and
the verification QR code. All user text is escaped before it enters a Paragraph.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from ...i18n import N_, current_language
from ...models import User, utcnow
from ...timefmt import format_local
from .. import weee
from ..organisation import Identity
from .a4 import WIDTH, DocumentPage, build_a4, letterhead, qr_drawing
from .fonts import Paragraph
from .intake_receipt import category_name
from .issued import qr_payload

TITLE = N_("End-of-life certificate")
HEADER_FILL = colors.HexColor("#e8eef4")
TOTAL_FILL = colors.HexColor("#f4f6f8")
STREAMS = {"household": N_("household-like"), "professional": N_("professional")}
DATA_STATUS = {
    "none": N_("no data-bearing parts"),
    "wiped": N_("wiped"),
    "destroyed": N_("media destroyed"),
}
# tag | model | serial | category | WEEE | kg | data status
DEVICE_COLUMNS = [WIDTH * s for s in (0.115, 0.23, 0.155, 0.12, 0.055, 0.065, 0.26)]


def _kg(text: str | None) -> str:
    if text in (None, "None", ""):
        return "—"
    return f"{Decimal(text):,.2f}".replace(",", " ").replace(".", ",")


class _Page(DocumentPage):
    def __init__(self, language: str) -> None:
        super().__init__(language, body=(9, 11.5), small=(7.8, 9.6), cell=(7.3, 8.8),
                         heading={"fontSize": 10, "spaceBefore": 4, "spaceAfter": 2})


def render_eol_certificate(number: str, content: dict, issued_by: User, countersigner: User | None,
                           language: str | None = None, organisation: Identity | None = None,
                           issued_at: dt.datetime | None = None, digest: str | None = None) -> bytes:
    page = _Page(language or current_language())
    t = page.t
    org = organisation or Identity()
    moment = issued_at or utcnow()
    devices = content["devices"]
    story = [
        letterhead(org, page.language),
        Paragraph(t(TITLE), page.title),
        Spacer(1, 2 * mm),
        _head(page, number, content, moment, org.name, issued_by, len(devices), digest),
        Spacer(1, 3 * mm),
        Paragraph(t(N_("The devices below left the central ICT warehouse at the end of their life and "
                       "were handed to the processor named here for treatment as waste electrical "
                       "and electronic equipment (Directive 2012/19/EU). Every device that could hold "
                       "data was wiped or had its storage media destroyed before it left.")),
                  page.body),
        Spacer(1, 3 * mm),
        _parties(page, content),
        Spacer(1, 3 * mm),
        Paragraph(t(N_("Per WEEE category")), page.heading),
        _categories(page, content),
        Spacer(1, 2 * mm),
        Paragraph(t(N_("EURAL waste codes")) + ": " + "; ".join(
            f"<b>{escape(code)}</b> {escape(weee.eural_name(code, page.language))}"
            for code in content["eural_codes"]), page.small),
        Spacer(1, 3 * mm),
        Paragraph(t(N_("Devices")), page.heading),
        _devices(page, devices),
        Spacer(1, 5 * mm),
        KeepTogether([Paragraph(t(N_("Signatures")), page.heading), Spacer(1, 1 * mm),
                      _signatures(page, content, issued_by, countersigner)]),
    ]
    return build_a4(story, title=f"{page.plain(TITLE)} {number}", author=org.name,
                    footer_left=f"{page.plain(TITLE)} {number} · {content['batch']} · {org.short}",
                    page_label=lambda n: page.plain(N_("page {page}"), page=n))


def _grid(rows, widths, header=True, extra=()) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        *([("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL)] if header else []),
        *extra,
    ]))
    return table


def _head(page: _Page, number: str, content: dict, issued_at: dt.datetime, organisation: str,
          issued_by: User, count: int, digest: str | None) -> Table:
    total = sum(Decimal(d["weight_kg"]) for d in content["devices"])
    pickup = dt.datetime.fromisoformat(content["pickup"])
    fields = [
        (N_("Certificate number"), f"<b>{escape(number)}</b>"),
        (N_("Date of issue"), escape(format_local(issued_at))),
        (N_("Disposal batch"), escape(content["batch"])),
        (N_("Pick-up"), escape(format_local(pickup))),
        (N_("Organisation"), escape(organisation)),
        (N_("Devices"), f"{count} · {_kg(str(total))} kg"),
        (N_("Treatment"), escape(weee.treatment_name(content["treatment"], page.language))),
    ]
    qr_width = 34 * mm
    info = Table([[Paragraph(page.t(label), page.small), Paragraph(value, page.body)]
                  for label, value in fields], colWidths=[36 * mm, WIDTH - qr_width - 36 * mm])
    info.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (0, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                              ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    head = Table([[info, qr_drawing(qr_payload(number, digest), 32 * mm)]],
                 colWidths=[WIDTH - qr_width, qr_width])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return head


def _parties(page: _Page, content: dict) -> Table:
    t = page.t

    def block(role: str, party: dict | None, extra: str = "") -> Paragraph:
        if party is None:
            return Paragraph(f"<b>{t(role)}</b><br/>—", page.small)
        lines = [f"<b>{t(role)}</b>", f"<b>{escape(party['name'])}</b>"]
        if party["address"]:
            lines.append(escape(party["address"]))
        lines.append(f"{t(N_('Enterprise number'))}: {escape(party['enterprise_number'] or '—')}")
        lines.append(f"{t(N_('Permit or registration number'))}: "
                     f"{escape(party['registration_number'] or '—')}")
        if party["contact"]:
            lines.append(f"{t(N_('Contact'))}: {escape(party['contact'])}")
        if extra:
            lines.append(extra)
        return Paragraph("<br/>".join(lines), page.small)

    cert = content["certification"]
    # a certification without a number reads "R2, valid until", not "R2 , valid until"
    scheme = " ".join(p for p in (cert["scheme"], cert["number"]) if p)
    certified = t(N_("Certified: {scheme}, valid until {date}"), scheme=scheme,
                  date=dt.date.fromisoformat(cert["valid_until"]).strftime("%d/%m/%Y"))
    table = Table([[block(N_("Waste processor"), content["processor"], certified),
                    block(N_("Carrier"), content["carrier"])]], colWidths=[WIDTH / 2, WIDTH / 2])
    table.setStyle(TableStyle([("BOX", (0, 0), (0, 0), 0.5, colors.grey),
                               ("BOX", (1, 0), (1, 0), 0.5, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _categories(page: _Page, content: dict) -> Table:
    t = page.t

    def p(markup: str, right: bool = False) -> Paragraph:
        style = ParagraphStyle("r", parent=page.cell, alignment=2) if right else page.cell
        return Paragraph(markup, style)

    rows = [[p(f"<b>{t(h)}</b>", right=i > 0) for i, h in enumerate(
        (N_("WEEE category"), N_("Devices"), N_("Device weights (kg)"), N_("Weighed at pick-up (kg)"),
         N_("Difference (kg)")))]]
    rows[0][0] = p(f"<b>{t(N_('WEEE category'))}</b>")
    n_total, device_total, weighed_total = 0, Decimal(0), Decimal(0)
    for line in content["categories"]:
        device_kg = Decimal(line["device_kg"])
        weighed = None if line["weighed_kg"] in (None, "None") else Decimal(line["weighed_kg"])
        n_total += line["count"]
        device_total += device_kg
        weighed_total += weighed or 0
        diff = "—" if weighed is None else _kg(str(weighed - device_kg))
        rows.append([p(f"{line['weee_category']}. {escape(weee.category_name(line['weee_category'], page.language))}"),
                     p(str(line["count"]), True), p(_kg(line["device_kg"]), True),
                     p(_kg(line["weighed_kg"]), True), p(diff, True)])
    rows.append([p(f"<b>{t(N_('Total'))}</b>"), p(f"<b>{n_total}</b>", True),
                 p(f"<b>{_kg(str(device_total))}</b>", True), p(f"<b>{_kg(str(weighed_total))}</b>", True),
                 p(f"<b>{_kg(str(weighed_total - device_total))}</b>", True)])
    widths = [WIDTH * s for s in (0.46, 0.1, 0.15, 0.15, 0.14)]
    return _grid(rows, widths, extra=[("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL)])


def _devices(page: _Page, devices: list[dict]) -> Table:
    t = page.t

    def p(markup: str) -> Paragraph:
        return Paragraph(markup, page.cell)

    rows = [[p(f"<b>{t(h)}</b>") for h in (N_("Tag"), N_("Model"), N_("Serial number"),
                                           N_("Category"), N_("WEEE"), N_("kg"),
                                           N_("Data status"))]]
    for d in devices:
        status = t(DATA_STATUS[d["data_status"]])
        if d["data_reference"]:
            status += f"<br/><font size=6.5>{escape(d['data_reference'])}</font>"
        rows.append([p(escape(d["tag"])), p(escape(d["model"])), p(escape(d["serial"] or "—")),
                     p(escape(category_name(d["category"], page.language))), p(str(d["weee_category"])), p(_kg(d["weight_kg"])),
                     p(status)])
    return _grid(rows, DEVICE_COLUMNS)


def _signatures(page: _Page, content: dict, issued_by: User, countersigner: User | None) -> Table:
    gap = 4 * mm
    n = 4
    width = (WIDTH - (n - 1) * gap) / n

    def box(role: str, name: str) -> Table:
        lines = [f"<b>{page.t(role)}</b>", f"{page.t(N_('Name'))}: {escape(name)}",
                 f"{page.t(N_('Date'))}:", f"{page.t(N_('Signature'))}:"]
        table = Table([[Paragraph(line, page.small)] for line in lines] + [[Spacer(1, 10 * mm)]],
                      colWidths=[width])
        table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        return table

    carrier = content["carrier"]["name"] if content["carrier"] else ""
    boxes = [box(N_("Warehouse manager"), issued_by.display_name),
             box(N_("Second manager (four eyes)"), countersigner.display_name if countersigner else ""),
             box(N_("Carrier"), carrier),
             box(N_("Waste processor"), content["processor"]["name"])]
    table = Table([boxes], colWidths=[width + gap] * (n - 1) + [width])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table
