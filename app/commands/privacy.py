"""`privacy purge [--apply]`: pseudonymise personal data after the retention period.

Without `--apply` it only lists what would be pseudonymised (the dry run).
"""

from __future__ import annotations

import argparse

from ..config import Settings
from ..i18n import _
from ..services import audit, privacy
from ..services.errors import ValidationError
from ..services.permissions import SYSTEM
from ..timefmt import format_local
from . import user_named


def register(groups) -> None:
    group = groups.group("privacy", _("personal data: pseudonymise it after the retention period"))
    purge = group.add_parser("purge", help=_("list (or with --apply, pseudonymise) staff buyers and "
                                             "contact persons without activity for the retention "
                                             "period"))
    purge.add_argument("--apply", action="store_true", help=_("really pseudonymise them"))
    purge.add_argument("--actor", metavar="USER", help=_("who runs the purge (the actor in the "
                                                         "audit trail); the system by default"))
    purge.add_argument("--retention-days", type=_days, metavar="DAYS",
                       help=_("instead of the setting (default 730 days); from 1 to {max}",
                              max=privacy.MAX_RETENTION_DAYS))
    purge.set_defaults(handler=_purge)


def _days(text: str) -> int:
    try:
        return privacy.check_retention(text.strip())
    except ValidationError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _purge(session, args) -> int:
    actor = user_named(session, args.actor) if args.actor else SYSTEM
    days = (args.retention_days if args.retention_days is not None
            else privacy.retention_days(Settings.load()))
    result = (privacy.purge if args.apply else privacy.plan)(session, actor, days)
    print(_("Retention: {days} days; no activity since {date}.", days=days,
            date=format_local(result.cutoff)))
    kinds = {"staff": _("staff member"), "contact": _("contact person")}
    for c in result.staff + result.contacts:
        print(f"  {kinds[c.kind]:16} {c.pseudonym:28} {format_local(c.last_activity)}")
    if not args.apply:
        print(_("{count} would be pseudonymised. Nothing was changed; to do it, run: "
                "privacy purge --retention-days {days} --apply", count=result.total, days=days))
        return 0
    print(_("{count} pseudonymised.", count=result.total))
    report = audit.verify_chain(session)
    print(report.message())
    return 0 if report.ok else 2
