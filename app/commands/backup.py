"""`backup --out FILE` and `restore FILE`: the whole database to one file and back.

`restore` goes only into an empty database (give `--database` a new SQLite file or
a new PostgreSQL database) and checks the result itself: row counts and the audit
chain. Exit 0 when the check passed, 2 when it found a difference.
"""

from __future__ import annotations

import sys

from ..i18n import _
from ..services import backup


def register(groups) -> None:
    cmd = groups.command("backup", _("back up the whole database into one file"))
    cmd.add_argument("--out", metavar="FILE", required=True)
    cmd.add_argument("--portable", action="store_true",
                     help=_("write the portable format (every table as JSON lines), which restores "
                            "into SQLite or PostgreSQL alike"))
    cmd.set_defaults(handler=_backup)
    cmd = groups.command("restore", _("restore a backup into an empty database, then check it"))
    cmd.add_argument("file", metavar="FILE")
    # The backup is checked before the target is opened (a refusal leaves it untouched, not
    # even created); the target may be a new SQLite file, which restore creates.
    cmd.set_defaults(handler=_restore, precheck=lambda args: backup.check_backup(args.file),
                     creates_database=True)


def _engine(session):
    engine = session.get_bind()
    session.close()
    return engine


def _backup(session, args) -> int:
    result = backup.backup(_engine(session), args.out, portable=args.portable)
    print(result.message())
    return 0


def _restore(session, args) -> int:
    engine = _engine(session)
    def progress(table: str, rows: int) -> None:
        print(f"\r{table}: +{rows}", end="        ", file=sys.stderr, flush=True)

    result = backup.restore(engine, args.file, progress=progress if sys.stderr.isatty() else None)
    print(result.message())
    return 0 if result.ok else 2
