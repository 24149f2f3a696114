"""`report weee --year YYYY --out FILE` and `report waste-register --from DATE --to DATE --out FILE`.

Both write CSV or XLSX (by the file's suffix, or `--format`), summed from the closed disposal
batches; `--actor` names the user the report is made for (a manager or auditor), otherwise the
command acts as the system actor like every other administration command.
"""

from __future__ import annotations

import argparse
import datetime as dt

from ..i18n import _
from ..services import weee_reports
from ..services.errors import ValidationError
from ..services.permissions import SYSTEM
from . import user_named


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("“{text}” is not a date (YYYY-MM-DD).", text=text)) from None


def register(groups) -> None:
    report = groups.group("report", _("write reports to a file"))
    cmd = report.add_parser("weee", help=_("the yearly WEEE report: items and kg per EEE category, "
                                           "household-like and professional"))
    cmd.add_argument("--year", type=int, required=True, metavar="YYYY")
    _common(cmd)
    cmd.set_defaults(handler=_weee)
    cmd = report.add_parser("waste-register", help=_("the waste-register extract: every pick-up with "
                                                     "EURAL code, carrier, processor and treatment"))
    cmd.add_argument("--from", dest="first", type=_date, required=True, metavar="YYYY-MM-DD")
    cmd.add_argument("--to", dest="last", type=_date, required=True, metavar="YYYY-MM-DD")
    _common(cmd)
    cmd.set_defaults(handler=_register)


def _common(cmd) -> None:
    cmd.add_argument("--out", metavar="FILE", required=True, help=_("a .csv or .xlsx file"))
    cmd.add_argument("--format", choices=("csv", "xlsx"))
    cmd.add_argument("--actor", metavar="USER", help=_("user name the report is made for"))


def _actor(session, args):
    return user_named(session, args.actor) if args.actor else SYSTEM


def _weee(session, args) -> int:
    report = weee_reports.export_weee_report(session, _actor(session, args), args.year, args.out,
                                             args.format)
    total = report.total
    print(_("WEEE report {year}: {items} items, {kg} kg from {batches} pick-ups, written to {path}.",
            year=report.year, items=total.total_items, kg=total.total_kg, batches=report.batches,
            path=args.out))
    return 0


def _register(session, args) -> int:
    if args.last < args.first:
        raise ValidationError(_("The end date {to} lies before the start date {start}.",
                                to=args.last.isoformat(), start=args.first.isoformat()))
    lines = weee_reports.export_waste_register(session, _actor(session, args), args.first, args.last,
                                               args.out, args.format)
    print(_("Waste register {start} to {to}: {rows} lines written to {path}.",
            start=args.first.isoformat(), to=args.last.isoformat(), rows=len(lines), path=args.out))
    return 0
