"""The allocation report of a sale round (PDF): every device, its candidates, the seed, the winner.

Candidates are printed by their pseudonym and initials (STAFF-00017 J.M.): the
report is shown to staff so anyone can check the draw, and it is archived as
issued, so it carries no full names. The seed and the rule are printed so the
draw can be re-run (`python -m app sales lottery ROUND`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from ...i18n import N_, current_language
from ...models import SaleItem, SaleRound, StaffMember, User, utcnow
from ...timefmt import format_local
from ..organisation import Identity
from .a4 import WIDTH, build_a4, letterhead, qr_drawing
from .fonts import MONO, Paragraph
from .issued import qr_payload
from .sale_common import SalePage, esc, euros, fields_table, grid

TITLE = N_("Allocation report")
RULE = N_("How the draw works: devices in tag order; a device with one candidate goes to that "
          "person if the per-person limit allows it; the other devices are shuffled with Python's "
          "random.Random(int(seed, 16)) and each goes, by rng.choice, to one of its candidates "
          "(in staff-member order) that the limit still allows. Re-run it with: "
          "python -m app sales lottery {round}.")


@dataclass(frozen=True)
class AllocationLine:
    item: SaleItem
    candidates: list[StaffMember]
    winner: StaffMember | None
    by_lottery: bool


def initials(name: str) -> str:
    return "".join(f"{part[0]}." for part in name.replace("-", " ").split() if part[:1].isalpha())


def who(member: StaffMember) -> str:
    return f"{member.party.name} {initials(member.full_name)}"


def render_allocation_report(number: str, round_: SaleRound, lines: list[AllocationLine],
                             issued_by: User, language: str | None = None,
                             organisation: Identity | None = None, issued_at: dt.datetime | None = None,
                             digest: str | None = None) -> bytes:
    from ..sales import describe_limits, limits_of

    page = SalePage(language or current_language())
    t, p = page.t, page.p
    org = organisation or Identity()
    people = {m.id for ln in lines for m in ln.candidates}
    fields = [
        (N_("Report number"), f"<b>{esc(number)}</b>"),
        (N_("Sale round"), f"{esc(round_.title)} (R{round_.id})"),
        (N_("Interest registered"), esc(f"{round_.opens_on:%d/%m/%Y} – {round_.closes_on:%d/%m/%Y}")),
        (N_("Per-person limit"), esc(describe_limits(limits_of(round_)))),
        (N_("Drawn on"), esc(format_local(issued_at or utcnow()))),
        (N_("Drawn by"), esc(issued_by.display_name)),
        (N_("Devices / candidates"), f"{len(lines)} / {len(people)}"),
        (N_("Seed"), f"<font name='{MONO}'>{esc(round_.seed)}</font>"),
    ]
    qr = 34 * mm
    head = Table([[fields_table(page, fields, WIDTH - qr, 38 * mm),
                   qr_drawing(qr_payload(number, digest), 32 * mm)]], colWidths=[WIDTH - qr, qr])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    rows = [[p(f"<b>{t(h)}</b>") for h in (N_("Tag"), N_("Device"), N_("Grade"), N_("Price"),
                                           N_("Candidates"), N_("Allocated to"))]]
    for ln in lines:
        a = ln.item.asset
        if ln.winner is None:
            outcome = f"<i>{t(N_('nobody: back in stock'))}</i>"
        else:
            how = N_("by lottery") if ln.by_lottery else N_("only candidate")
            outcome = f"<b>{esc(who(ln.winner))}</b><br/><i>{t(how)}</i>"
        rows.append([p(esc(a.tag)), p(f"{esc(a.manufacturer)} {esc(a.model)}"),
                     p(esc(a.grade.value if a.grade else "—")), p(esc(euros(ln.item.price))),
                     p(", ".join(esc(who(m)).replace(" ", "&nbsp;") for m in ln.candidates) or "—"), p(outcome)])
    table = grid(rows, [WIDTH * s for s in (0.13, 0.21, 0.08, 0.10, 0.28, 0.20)])
    story = [
        letterhead(org, page.language),
        Paragraph(t(TITLE), page.title), Spacer(1, 3 * mm), head, Spacer(1, 4 * mm), table,
        Spacer(1, 4 * mm), Paragraph(t(RULE, round=round_.id), page.small),
    ]
    return build_a4(story, title=f"{page.plain(TITLE)} {number}", author=org.name,
                    footer_left=f"{page.plain(TITLE)} {number} · {round_.title}",
                    page_label=lambda n: page.plain(N_("page {page}"), page=n))
