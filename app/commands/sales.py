"""`sales rounds|lottery|expire|catalogue`: staff resale from the command line.

`sales lottery ROUND` re-runs a round's draw with the seed recorded at closing
(or `--seed`) and compares it with the recorded buyers: exit 0 when they agree,
2 when they do not.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import select

from ..i18n import _
from ..models import Party, StaffMember
from ..services import files, organisation, sales
from ..services.documents.sale_catalogue import catalogue_xlsx, render_catalogue_pdf
from ..services.permissions import SYSTEM
from . import user_named


def round_number(text: str) -> int:
    """A round as `sales rounds` lists it: R2, r2 or 2."""
    digits = text.strip().upper().removeprefix("R")
    if not digits.isdigit() or len(digits) > 9:
        raise argparse.ArgumentTypeError(_("“{text}” is not a sale round (e.g. R2, as “sales rounds” "
                                           "lists them).", text=text))
    return int(digits)


def register(groups) -> None:
    group = groups.group("sales", _("staff sale rounds: the draw, expiry, the catalogue"))
    rounds = group.add_parser("rounds", help=_("list the sale rounds"))
    rounds.set_defaults(handler=_rounds)
    lottery = group.add_parser("lottery", help=_("re-run a round's draw with its recorded seed and "
                                                 "compare it with the recorded buyers"))
    lottery.add_argument("round", type=round_number, metavar="ROUND")
    lottery.add_argument("--seed", metavar="HEX", help=_("another seed instead of the recorded one"))
    lottery.set_defaults(handler=_lottery)
    expire = group.add_parser("expire", help=_("let unpaid sales past their deadline lapse; their "
                                               "devices go back to ready"))
    expire.add_argument("--actor", metavar="USER", required=True)
    expire.set_defaults(handler=_expire)
    cat = group.add_parser("catalogue", help=_("write a round's catalogue (PDF or XLSX)"))
    cat.add_argument("round", type=round_number, metavar="ROUND")
    cat.add_argument("--out", metavar="FILE.pdf|FILE.xlsx", required=True)
    cat.set_defaults(handler=_catalogue)


def _rounds(session, args) -> int:
    for r in sales.rounds(session):
        print(f"R{r.id:<4} {r.status.value:7} {r.opens_on:%d/%m/%Y}–{r.closes_on:%d/%m/%Y}  "
              f"{len(r.items):3}  {r.title}")
    return 0


def _lottery(session, args) -> int:
    result = sales.rerun_lottery(session, args.round, seed=args.seed)
    print(_("Seed: {seed}", seed=result.seed))
    # pseudonyms, not names: the re-run is for anyone checking the draw
    names = dict(session.execute(select(StaffMember.id, Party.name)
                                 .join(Party, Party.id == StaffMember.party_id)).all())
    for tag, winner in sorted(result.winners.items()):
        mark = "  ≠" if tag in result.differences else ""
        print(f"  {tag}  {names.get(winner, winner) if winner else '—'}{mark}")
    if result.same:
        print(_("The draw gives the same buyers as recorded."))
        return 0
    print(_("The draw differs from the recorded buyers for {count} devices.",
            count=len(result.differences)))
    return 2


def _expire(session, args) -> int:
    items = sales.expire_unpaid(session, user_named(session, args.actor))
    for item in items:
        print(f"  {item.asset.tag}")
    print(_("{count} unpaid sales expired; their devices are ready again.", count=len(items)))
    return 0


def _catalogue(session, args) -> int:
    round_ = sales.get_round(session, args.round)
    rows = sales.item_rows(session, SYSTEM, round_.id)
    path = Path(args.out)
    data = (catalogue_xlsx(round_, rows) if path.suffix.lower() == ".xlsx"
            else render_catalogue_pdf(round_, rows, organisation=organisation.get(session)))
    files.write_bytes(path, data)
    print(_("{number} written to {path}.", number=round_.title, path=path))
    return 0
