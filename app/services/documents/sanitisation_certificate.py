"""The data sanitisation certificate (PDF): proof that the data on the listed devices is gone.

For every device it lists each storage medium with what NIST SP 800-88 Rev. 1
§4.8 asks a certificate of sanitisation to say: the medium (manufacturer,
model, serial, type), the method category (Clear, Purge, Destroy) and the
technique, the tool and its version, how the result was verified, who did it
and who checked it, and when. One table carries all devices so its header
repeats on every page; a device's heading row is kept on the same page as
its media. Signature blocks for the operators, the verifiers and the
warehouse manager, and a QR code with the certificate number so anyone
holding the paper can check it against the database. All user text is
escaped before it enters a Paragraph.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from ...i18n import N_, current_language
from ...models import Asset, Role, SanitisationRecord, User, utcnow
from ...timefmt import format_local
from ..organisation import Identity
from .a4 import WIDTH, DocumentPage, build_a4, letterhead
from .a4 import qr_drawing as _qr
from .fonts import Paragraph
from .issued import qr_payload

TITLE = N_("Data sanitisation certificate")
STANDARD = "NIST SP 800-88 Rev. 1"

METHOD_NAMES = {"clear": N_("Clear"), "purge": N_("Purge"), "destroy": N_("Destroy")}
MEDIUM_KIND_NAMES = {
    "hdd": N_("hard disk (HDD)"), "flash": N_("flash memory"),
    # the same in every language
    "ssd": "SSD", "nvme": "NVMe SSD", "emmc": "eMMC",
}
# The techniques offered at the bench (sanitisation.TECHNIQUES); free text prints as typed.
TECHNIQUE_NAMES = {
    "overwrite": N_("overwrite"), "factory_reset": N_("factory reset"),
    "crypto_erase": N_("cryptographic erase"), "block_erase": N_("block erase"),
    "secure_erase": N_("secure erase"), "sanitize_command": N_("sanitize command"),
    "degauss": N_("degauss"), "shred": N_("shred"), "disintegrate": N_("disintegrate"),
    "pulverise": N_("pulverise"), "incinerate": N_("incinerate"), "drill": N_("drill through"),
}
RESULT_NAMES = {"passed": N_("passed"), "failed": N_("failed")}

# storage medium | NIST method and technique | tool | verification | operator | verifier; the people
# columns hold a Flemish surname (Vandenbroucke) and a date and time on one line each.
MEDIA_COLUMNS = [WIDTH * share for share in (0.235, 0.165, 0.135, 0.159, 0.153, 0.153)]
CELL_PADDING = 3
# An operator or two, a verifier and the manager fit on one row, with room to sign.
SIGNATURES_PER_ROW = 4
# A device's heading row stays with up to this many of its media; a server with
# more disks than fit on a page may still split after them.
KEEP_WITH_HEADING = 6
HEADER_FILL = colors.HexColor("#e8eef4")
DEVICE_FILL = colors.HexColor("#f4f6f8")


@dataclass(frozen=True)
class CertifiedMedium:
    """One verified sanitisation record as printed, with the names of the two people behind it."""

    record: SanitisationRecord
    operator: str
    verifier: str


class _Page(DocumentPage):
    """The styles of the certificate and its translator into one language (all output escaped)."""


def render_sanitisation_certificate(
        number: str, assets_with_records: Sequence[tuple[Asset, Sequence[CertifiedMedium]]],
        issued_by: User, language: str | None = None, organisation: Identity | None = None,
        issued_at: dt.datetime | None = None, digest: str | None = None) -> bytes:
    page = _Page(language or current_language())
    t = page.t
    org = organisation or Identity()
    media = [m for _, ms in assets_with_records for m in ms]
    intro = t(N_("The data on the storage media of the devices below was sanitised according to "
                 "NIST SP 800-88 Rev. 1, Guidelines for Media Sanitization. Every sanitisation was "
                 "recorded by its operator and checked by a second person, the verifier."))
    story = [
        letterhead(org, page.language),
        Paragraph(t(TITLE), page.title),
        Spacer(1, 3 * mm),
        _head(page, number, issued_at or utcnow(), org.name, issued_by,
              len(assets_with_records), len(media), digest),
        Spacer(1, 4 * mm),
        # the name of the standard is never broken over two lines
        Paragraph(intro.replace(STANDARD, STANDARD.replace(" ", "&nbsp;")), page.body),
        Spacer(1, 3 * mm),
        _media_table(page, assets_with_records),
        Spacer(1, 3 * mm),
        Paragraph(t(N_("Clear: overwritten so that the data cannot be recovered with ordinary tools. "
                       "Purge: erased so that recovery is infeasible even in a laboratory. "
                       "Destroy: the medium was physically destroyed and can never be used again.")),
                  page.small),
        Spacer(1, 6 * mm),
        KeepTogether([Paragraph(t(N_("Signatures")), page.heading), Spacer(1, 2 * mm),
                      _signatures(page, media, issued_by)]),
    ]

    return build_a4(story, title=f"{page.plain(TITLE)} {number}", author=org.name,
                    footer_left=f"{page.plain(TITLE)} {number} · {org.short}",
                    page_label=lambda n: page.plain(N_("page {page}"), page=n))


def _head(page: _Page, number: str, issued_at: dt.datetime, organisation: str, issued_by: User,
          devices: int, media: int, digest: str | None = None) -> Table:
    """Number, date, organisation and counts on the left, the QR code on the right."""
    fields = [
        (N_("Certificate number"), f"<b>{escape(number)}</b>"),
        (N_("Date of issue"), escape(format_local(issued_at))),
        (N_("Organisation"), escape(organisation)),
        (N_("Issued by"), escape(issued_by.display_name)),
        (N_("Devices"), str(devices)),
        (N_("Storage media"), str(media)),
    ]
    qr_width = 34 * mm
    fields_table = Table([[Paragraph(page.t(label), page.small), Paragraph(value, page.body)]
                          for label, value in fields], colWidths=[38 * mm, WIDTH - qr_width - 38 * mm])
    fields_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                      ("LEFTPADDING", (0, 0), (0, -1), 0),
                                      ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    head = Table([[fields_table, _qr(qr_payload(number, digest), 32 * mm)]],
                 colWidths=[WIDTH - qr_width, qr_width])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return head


def _media_table(page: _Page,
                 assets_with_records: Sequence[tuple[Asset, Sequence[CertifiedMedium]]]) -> Table:
    """One table for all devices: its header repeats on every page, each device heads its media."""
    t = page.t

    def p(markup: str) -> Paragraph:
        return Paragraph(markup, page.cell)

    def done(name: str, moment: dt.datetime | None) -> Paragraph:
        return p(escape(name) + (f"<br/>{escape(format_local(moment))}" if moment else ""))

    def medium_row(m: CertifiedMedium) -> list[Paragraph]:
        r = m.record
        make = " ".join(x for x in (r.media_manufacturer, r.media_model) if x)
        technique = TECHNIQUE_NAMES.get(r.technique)
        tool = " ".join(x for x in (r.tool, r.tool_version) if x)
        result = RESULT_NAMES.get(r.verification_result)
        return [
            p((f"{escape(make)}<br/>" if make else "") + f"S/N {escape(r.media_serial or '—')}<br/>"
              f"<i>{escape(page.plain(MEDIUM_KIND_NAMES.get(r.media_kind, r.media_kind)))}</i>"),
            p(f"<b>{t(METHOD_NAMES[r.method])}</b><br/>"
              + (t(technique) if technique else escape(r.technique))),
            p(escape(tool or "—")),
            p(f"{escape(r.verification_method or '—')}<br/>"
              f"<b>{t(result) if result else escape(r.verification_result)}</b>"),
            done(m.operator, r.performed_at),
            done(m.verifier, r.verified_at),
        ]

    columns = len(MEDIA_COLUMNS)
    rows: list[list] = [[p(f"<b>{t(h)}</b>") for h in (
        N_("Storage medium"), N_("NIST method and technique"), N_("Tool and version"),
        N_("Verification and result"), N_("Sanitised by"), N_("Verified by"))]]
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    for asset, certified in assets_with_records:
        first = len(rows)
        device = (f"<b>{escape(asset.tag)}</b> · {escape(f'{asset.manufacturer} {asset.model}')}"
                  f" · S/N {escape(asset.serial or '—')}")
        rows.append([Paragraph(device, page.small)] + [""] * (columns - 1))
        commands += [("SPAN", (0, first), (-1, first)),
                     ("BACKGROUND", (0, first), (-1, first), DEVICE_FILL)]
        if certified:
            rows.extend(medium_row(m) for m in certified)
        else:
            none = t(N_("This device holds no data-bearing storage medium."))
            rows.append([p(f"<i>{none}</i>")] + [""] * (columns - 1))
            commands.append(("SPAN", (0, first + 1), (-1, first + 1)))
        last = min(len(rows) - 1, first + KEEP_WITH_HEADING)
        commands.append(("NOSPLIT", (0, first), (-1, last)))
    table = Table(rows, colWidths=MEDIA_COLUMNS, repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def _signatures(page: _Page, media: Sequence[CertifiedMedium], issued_by: User) -> Table:
    """A box per operator and per verifier, and one for the manager who answers for the warehouse."""
    n, gap = SIGNATURES_PER_ROW, 4 * mm
    box_width = (WIDTH - (n - 1) * gap) / n

    def box(role: str, name: str) -> Table:
        lines = [f"<b>{page.t(role)}</b>", f"{page.t(N_('Name'))}: {escape(name)}",
                 f"{page.t(N_('Date'))}:", f"{page.t(N_('Signature'))}:"]
        table = Table([[Paragraph(line, page.small)] for line in lines] + [[Spacer(1, 10 * mm)]],
                      colWidths=[box_width])
        table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                   ("TOPPADDING", (0, 0), (0, 0), 4)]))
        return table

    manager = issued_by.display_name if getattr(issued_by, "role", None) == Role.MANAGER else ""
    boxes = ([box(N_("Operator"), name) for name in sorted({m.operator for m in media})]
             + [box(N_("Verifier"), name) for name in sorted({m.verifier for m in media})]
             + [box(N_("Warehouse manager"), manager)])
    rows = [boxes[i:i + n] + [""] * (n - len(boxes[i:i + n])) for i in range(0, len(boxes), n)]
    table = Table(rows, colWidths=[box_width + gap] * (n - 1) + [box_width])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return table
