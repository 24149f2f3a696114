"""The stock count report (PDF): what was physically in a location against what the records say.

The location, who counted and when, a tally per finding (found, missing,
unexpected, unknown code), every line with the device, its finding and how
the manager resolved it, signature blocks and a QR code with the report
number to check the paper against the database. Lines that need attention
come first; found devices last. All user text is escaped before it enters a
Paragraph (a model or a reason with "<" or "&" prints as typed).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from ...i18n import N_, current_language, translate
from ...models import CountFinding, CountResolution, utcnow
from ...timefmt import format_local
from ..organisation import Identity
from .a4 import WIDTH, build_a4, letterhead
from .a4 import qr_drawing as _qr
from .fonts import BOLD, REGULAR, Paragraph
from .issued import qr_payload

TITLE = N_("Stock count report")

FINDING_NAMES = {
    CountFinding.FOUND: N_("found"),
    CountFinding.MISSING: N_("missing"),
    CountFinding.UNEXPECTED: N_("unexpected"),
    CountFinding.UNKNOWN: N_("unknown code"),
}
RESOLUTION_NAMES = {
    CountResolution.NONE: N_("open"),
    CountResolution.MOVED_HERE: N_("moved here"),
    CountResolution.MARKED_MISSING: N_("marked missing"),
    CountResolution.FOUND_ELSEWHERE: N_("found elsewhere"),
    CountResolution.IGNORED: N_("ignored"),
}
# The order of the report and the screen: what needs the manager first.
FINDING_ORDER = (CountFinding.MISSING, CountFinding.UNEXPECTED, CountFinding.UNKNOWN,
                 CountFinding.FOUND)

# no. | tag | manufacturer and model | serial | finding | resolution | reason
LINE_COLUMNS = [WIDTH * share for share in (0.05, 0.13, 0.22, 0.16, 0.15, 0.14, 0.15)]
HEADER_FILL = colors.HexColor("#e8eef4")
ATTENTION_FILL = colors.HexColor("#fdf3e1")


def finding_name(finding: CountFinding | str, language: str | None = None) -> str:
    return translate(FINDING_NAMES[CountFinding(finding)], language)


def resolution_name(resolution: CountResolution | str, language: str | None = None) -> str:
    return translate(RESOLUTION_NAMES[CountResolution(resolution)], language)


def needs_resolution(finding: CountFinding, resolution: CountResolution) -> bool:
    return finding != CountFinding.FOUND and resolution == CountResolution.NONE


@dataclass(frozen=True)
class ReportLine:
    """One line of a count as printed (and shown on screen), in plain values."""

    line_id: int
    finding: CountFinding
    resolution: CountResolution
    tag: str | None
    model: str | None
    serial: str | None
    scanned_code: str | None
    recorded_at: str | None  # where the records place the device now, when that is news
    reason: str | None
    resolved_by: str | None
    resolved_at: dt.datetime | None

    @property
    def open(self) -> bool:
        return needs_resolution(self.finding, self.resolution)


@dataclass(frozen=True)
class CountReport:
    """A closed count as the report prints it."""

    location_code: str
    site: str
    place: str
    description: str | None
    counted_by: str
    closed_by: str
    started_at: dt.datetime
    closed_at: dt.datetime
    lines: tuple[ReportLine, ...]
    manager: str | None = None  # the manager who resolved the lines, named on the signature block
    replaces: str | None = None  # the report issued at closing, when this is the final one

    @property
    def open_lines(self) -> int:
        return sum(1 for line in self.lines if line.open)

    def tally(self) -> Counter:
        return Counter(line.finding for line in self.lines)


def sorted_lines(lines) -> list:
    rank = {finding: i for i, finding in enumerate(FINDING_ORDER)}
    return sorted(lines, key=lambda line: (rank[line.finding], line.tag or line.scanned_code or "",
                                           line.line_id))


def render_count_report(number: str, report: CountReport, language: str | None = None,
                        organisation: Identity | None = None, issued_at: dt.datetime | None = None) -> bytes:
    lang = language or current_language()
    org = organisation or Identity()

    def plain(text: str, **params) -> str:
        return translate(text, lang, **params)

    def t(text: str, **params) -> str:
        return escape(plain(text, **params))

    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=REGULAR, fontSize=9.5,
                          leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    cell = ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9)
    title = ParagraphStyle("title", parent=base["Title"], fontName=BOLD, fontSize=17, alignment=0,
                           spaceAfter=2)
    heading = ParagraphStyle("heading", parent=body, fontName=BOLD, spaceBefore=2)

    # --- head: number, location, people and times; the QR code on the right -----------------
    where = f"<b>{escape(report.location_code)}</b> — {escape(report.site)} · {escape(report.place)}"
    if report.description:
        where += f"<br/>{escape(report.description)}"
    status = (t(N_("All lines are resolved.")) if report.open_lines == 0 else
              t(N_("{n} lines are still to be resolved by the warehouse manager."),
                n=report.open_lines))
    fields = [
        (N_("Report number"), f"<b>{escape(number)}</b>"),
        (N_("Location"), where),
        (N_("Counted by"), escape(report.counted_by)),
        (N_("Count started"), escape(format_local(report.started_at))),
        (N_("Count closed"), f"{escape(format_local(report.closed_at))} · {escape(report.closed_by)}"),
        (N_("Date of issue"), escape(format_local(issued_at or utcnow()))),
        (N_("Status"), status),
    ]
    if report.replaces:
        fields.insert(1, (N_("Replaces report"), escape(report.replaces)))
    qr_width = 34 * mm
    fields_table = Table([[Paragraph(t(label), small), Paragraph(value, body)] for label, value in fields],
                         colWidths=[32 * mm, WIDTH - qr_width - 32 * mm])
    fields_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                      ("LEFTPADDING", (0, 0), (0, -1), 0),
                                      ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    head = Table([[fields_table, _qr(qr_payload(number), 32 * mm)]], colWidths=[WIDTH - qr_width, qr_width])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))

    # --- tally per finding -------------------------------------------------------------------
    tally = report.tally()
    tally_table = Table([[Paragraph(f"<b>{t(FINDING_NAMES[f]).capitalize()}</b>", small)
                          for f in FINDING_ORDER],
                         [Paragraph(f"<font size=14><b>{tally.get(f, 0)}</b></font>", body)
                          for f in FINDING_ORDER]],
                        colWidths=[WIDTH / len(FINDING_ORDER)] * len(FINDING_ORDER))
    tally_table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.4, colors.grey),
                                     ("INNERGRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                     ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                                     ("BOTTOMPADDING", (0, 1), (-1, 1), 6)]))

    # --- the lines -----------------------------------------------------------------------------
    def p(markup: str) -> Paragraph:
        return Paragraph(markup, cell)

    rows: list[list] = [[p(f"<b>{t(h)}</b>") for h in (
        N_("No."), N_("Tag"), N_("Manufacturer and model"), N_("Serial number"), N_("Finding"),
        N_("Resolution"), N_("Reason"))]]
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for i, line in enumerate(sorted_lines(report.lines), 1):
        finding = t(FINDING_NAMES[line.finding])
        if line.finding == CountFinding.UNEXPECTED:
            finding = f"<b>{finding}</b>"
            if line.recorded_at:
                finding += f"<br/><i>{t(N_('recorded at {code}'), code=line.recorded_at)}</i>"
            elif line.resolution == CountResolution.NONE:
                finding += f"<br/><i>{t(N_('no location recorded'))}</i>"
        elif line.finding != CountFinding.FOUND:
            finding = f"<b>{finding}</b>"
            if line.recorded_at:  # a missing device scanned somewhere else since
                finding += f"<br/><i>{t(N_('now at {code}'), code=line.recorded_at)}</i>"
        if line.finding == CountFinding.FOUND and line.resolution == CountResolution.NONE:
            resolution = "—"
        else:
            resolution = t(RESOLUTION_NAMES[line.resolution])
            if line.resolved_by:
                resolution += f"<br/><i>{escape(line.resolved_by)}"
                if line.resolved_at:
                    resolution += f", {escape(format_local(line.resolved_at))}"
                resolution += "</i>"
        rows.append([p(str(i)), p(escape(line.tag or "—")), p(escape(line.model or "—")),
                     p(escape(line.serial or line.scanned_code or "—")), p(finding), p(resolution),
                     p(escape(line.reason or ""))])
        if line.open:
            commands.append(("BACKGROUND", (0, i), (-1, i), ATTENTION_FILL))
    if len(rows) == 1:
        rows.append([p(f"<i>{t(N_('Nothing was scanned and nothing is recorded here.'))}</i>")]
                    + [""] * (len(LINE_COLUMNS) - 1))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    lines_table = Table(rows, colWidths=LINE_COLUMNS, repeatRows=1)
    lines_table.setStyle(TableStyle(commands))

    # --- signatures ----------------------------------------------------------------------------
    box_width = (WIDTH - 6 * mm) / 2

    def signature(role: str, name: str) -> Table:
        lines = [f"<b>{t(role)}</b>", f"{t(N_('Name'))}: {escape(name)}", f"{t(N_('Date'))}:",
                 f"{t(N_('Signature'))}:"]
        box = Table([[Paragraph(text, small)] for text in lines] + [[Spacer(1, 12 * mm)]],
                    colWidths=[box_width])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                                 ("TOPPADDING", (0, 0), (-1, -1), 1),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                 ("TOPPADDING", (0, 0), (0, 0), 4)]))
        return box

    signatures = Table([[signature(N_("Counted by"), report.counted_by),
                         signature(N_("Warehouse manager"), report.manager or "")]],
                       colWidths=[box_width + 6 * mm, box_width])
    signatures.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))

    story = [
        letterhead(org, lang),
        Paragraph(t(TITLE), title),
        Spacer(1, 3 * mm), head, Spacer(1, 4 * mm),
        tally_table, Spacer(1, 4 * mm),
        Paragraph(t(N_("Missing: recorded at this location but not scanned. Unexpected: scanned "
                       "here but recorded elsewhere. Unknown code: a scanned code that matches no "
                       "device.")), small),
        Spacer(1, 3 * mm), lines_table, Spacer(1, 6 * mm),
        KeepTogether([Paragraph(t(N_("Signatures")), heading), Spacer(1, 2 * mm), signatures]),
    ]

    return build_a4(story, title=f"{plain(TITLE)} {number}", author=org.name,
                    footer_left=f"{plain(TITLE)} {number} · {report.location_code} · {org.short}",
                    page_label=lambda n: plain(N_("page {page}"), page=n))
