"""The command line: `python -m app` starts the GUI, `python -m app COMMAND` runs an admin command.

Commands call the same services as the GUI, acting as the system actor (whoever
runs them has the database file or URL already). Every error ends as one line on
standard error, the details in the log file (app.failures). Exit codes: 0 done;
1 not done (an error or a refusal); 2 a check found a problem (a broken audit
chain, an altered certificate…) or the command line is wrong; 130 interrupted.
A SQLite file that does not exist yet is only created with `--create` (the
default database in the data folder is created without asking).
"""

from __future__ import annotations

import argparse
import sys
from getpass import getpass

from . import __version__
from .commands import Groups, register_all, write_issued
from .config import resolve_database_url, resolve_language
from .i18n import _, set_language
from .models import Role
from .services.errors import ValidationError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m app",
        description=_("CircuIT Depot: the central ICT warehouse. Without a command, the window opens."),
    )
    parser.add_argument("--database", metavar="URL",
                        help=_("database URL (default: DEPOT_DATABASE_URL, the settings, or the "
                               "SQLite file in your data folder); e.g. postgresql+psycopg://user@host/depot"))
    parser.add_argument("--create", action="store_true",
                        help=_("create a new, empty database when the SQLite file given does not "
                               "exist yet (the default database is always created)"))
    parser.add_argument("--version", action="version", version=f"CircuIT Depot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    groups = Groups(sub)

    demo = sub.add_parser("demo", help=_("fill the database with realistic demo data"))
    demo.add_argument("--assets", type=int, default=1000, metavar="N", help=_("number of devices"))
    demo.add_argument("--seed", type=int, default=1, metavar="S", help=_("random seed (same seed, same data)"))
    demo.add_argument("--devices-only", action="store_true",
                      help=_("only intake and the bench: no requests, sale rounds or disposal batches"))

    user_sub = groups.group("user", _("manage users"))
    add = user_sub.add_parser("add", help=_("add a user; the password is read from standard input"))
    add.add_argument("name", help=_("user name (used to sign in)"))
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--display-name", help=_("full name as shown on screens and documents"))

    audit = sub.add_parser("audit", help=_("check the audit trail"))
    audit_sub = audit.add_subparsers(dest="audit_command", metavar=_("ACTION"), required=True)
    audit_sub.add_parser("verify", help=_("walk the hash chain and report the first broken event"))

    label = sub.add_parser("label", help=_("print asset labels as PDF or ZPL"))
    label.add_argument("tags", nargs="+", metavar="TAG", help=_("asset tags"))
    label.add_argument("--layout", default="57x32", help=_("label layout: {choices}",
                                                           choices=", ".join(_layout_names())))
    out = label.add_mutually_exclusive_group(required=True)
    out.add_argument("--out", metavar="FILE.pdf", help=_("write the labels to a PDF file"))
    out.add_argument("--zpl", metavar="FILE.zpl", help=_("write ZPL II for a Zebra printer to a file"))
    out.add_argument("--printer", metavar="HOST:PORT", help=_("send ZPL II to a Zebra printer (port 9100)"))
    label.add_argument("--org", default=None,
                       help=_("organisation name on the label (default: the short name set in "
                              "Settings → Organisation)"))

    sheet = sub.add_parser("command-sheet", help=_("print the sheet of scanner command barcodes"))
    sheet.add_argument("--out", metavar="FILE.pdf", required=True)

    imp = sub.add_parser("import", help=_("import files into the database"))
    imp_sub = imp.add_subparsers(dest="import_command", metavar=_("WHAT"), required=True)
    wipe = imp_sub.add_parser("wipe-report", help=_("record disk wipes from nwipe JSON or CSV reports"))
    wipe.add_argument("files", nargs="+", metavar="FILE")
    wipe.add_argument("--operator", metavar="USER", required=True,
                      help=_("user name of the technician who ran the wipes"))

    assets_imp = imp_sub.add_parser("assets", help=_("import the central asset register from CSV or XLSX"))
    assets_imp.add_argument("file", metavar="FILE")
    assets_imp.add_argument("--format", choices=["depot", "snipeit"])
    assets_imp.add_argument("--dry-run", action="store_true", help=_("check every row and write nothing"))
    assets_imp.add_argument("--actor", metavar="USER", required=True,
                            help=_("user name of who imports (the actor in the audit trail)"))
    exp = sub.add_parser("export", help=_("export data to a file"))
    exp_sub = exp.add_subparsers(dest="export_command", metavar=_("WHAT"), required=True)
    assets_exp = exp_sub.add_parser("assets", help=_("export the asset register to CSV or XLSX"))
    assets_exp.add_argument("file", metavar="FILE")
    assets_exp.add_argument("--format", choices=["csv", "xlsx"])

    cert_sub = groups.group("certificate", _("issue, verify and reprint certificates"))
    san = cert_sub.add_parser("sanitisation", help=_("data sanitisation certificate for one or more devices"))
    san.add_argument("tags", nargs="+", metavar="TAG")
    san.add_argument("--out", metavar="FILE.pdf", required=True)
    san.add_argument("--issuer", metavar="USER", required=True, help=_("user name of who issues it"))
    san.add_argument("--language", choices=["nl", "en"])

    db = sub.add_parser("db", help=_("database maintenance"))
    db_sub = db.add_subparsers(dest="db_command", metavar=_("ACTION"), required=True)
    db_sub.add_parser("upgrade", help=_("migrate the database to the newest version"))
    db_sub.add_parser("info", help=_("show which database is used and its version"))
    register_all(groups)  # the workflows' own commands (app/commands/)
    return parser


def _layout_names() -> list[str]:
    from .services.documents.labels import LAYOUTS

    return list(LAYOUTS)


def _printer_address(text: str) -> tuple[str, int]:
    """HOST or HOST:PORT of a Zebra printer; a port that is no number (1–65535) is refused."""
    host, sep, port = text.rpartition(":")
    if not sep or not host:
        return text, 9100
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValidationError(_("“{printer}”: the port must be a number from 1 to 65535 "
                                "(a Zebra printer listens on 9100).", printer=text))
    return host.strip("[]"), int(port)


def _labels(session, args) -> int:
    from .services import assets, files, organisation
    from .services.documents import labels

    if args.layout not in labels.LAYOUTS:
        print(_("Unknown layout {layout}; choose one of: {choices}.", layout=args.layout,
                choices=", ".join(labels.LAYOUTS)), file=sys.stderr)
        return 1
    printer = _printer_address(args.printer) if args.printer else None
    org = args.org or organisation.label_name(session)
    data = [labels.LabelData.from_asset(assets.get_by_tag(session, tag), org) for tag in args.tags]
    if args.out:
        labels.render_pdf(data, args.layout, args.out)  # written whole or not at all
        print(_("{n} labels written to {path}.", n=len(data), path=args.out))
        return 0
    layout = args.layout if not labels.LAYOUTS[args.layout].is_sheet else "102x51"
    zpl = labels.render_zpl(data, layout)
    if args.zpl:
        files.write_text(args.zpl, zpl)
        print(_("{n} labels written to {path}.", n=len(data), path=args.zpl))
        return 0
    labels.send_zpl(zpl, *printer)
    print(_("{n} labels sent to {printer}.", n=len(data), printer=args.printer))
    return 0


def _print_accounts(users, password: str) -> None:
    """The closing message of `demo`: every account it made, to sign in with."""
    from .services.permissions import role_label

    rows = [(_("user name"), _("role"), _("password"), "")]
    rows += [(u.username, role_label(u.role), password,
              "" if u.active else _("disabled: cannot sign in")) for u in users]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    print(_("Demo accounts:"))
    for row in rows:
        line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False))
        print(("  " + line + (f"  ({row[3]})" if row[3] else "")).rstrip())


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass(_("Password: "))
        if first != getpass(_("Repeat the password: ")):
            raise SystemExit(_("The passwords do not match."))
        return first
    return sys.stdin.readline().rstrip("\r\n")


def main(argv: list[str] | None = None) -> int:
    """The command line; never a traceback: any error is one line (details in the log file)."""
    from .failures import EXIT_ERROR, EXIT_INTERRUPTED, describe
    from .logs import setup_logging

    setup_logging()
    where = {"database": ""}
    try:
        return _main(argv, where)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        print(_("Interrupted. What was not finished was not saved."), file=sys.stderr)
        return EXIT_INTERRUPTED
    except SystemExit:
        raise  # argparse: --help (0) and a wrong command line (2)
    except Exception as err:  # noqa: BLE001 - the one place where any error becomes one line
        print(describe(err, where["database"]), file=sys.stderr)
        return EXIT_ERROR


def _main(argv: list[str] | None, where: dict[str, str]) -> int:
    set_language(resolve_language())
    parser = build_parser()
    args = parser.parse_args(argv)
    url = resolve_database_url(args.database)
    if args.command is None:
        from .ui.app import run_gui  # Qt is imported only when the window is wanted

        return run_gui(url)
    from .db import shown_url

    where["database"] = shown_url(url)
    precheck = getattr(args, "precheck", None)
    if precheck is not None:
        precheck(args)  # e.g. restore: the backup is checked before the target is touched
    return _run(args, url)


def _may_create(args, url: str) -> bool:
    """A new SQLite file only at the default place, with --create, or for a command that makes one."""
    from .config import default_database_url

    return bool(args.create or getattr(args, "creates_database", False)
                or url == default_database_url())


def _run(args, url: str) -> int:
    from .db import current_revision, head_revision, open_database
    from .services import audit, auth, demo
    from .services.permissions import SYSTEM

    database = open_database(url, create=_may_create(args, url))
    try:
        with database.session() as session:
            handler = getattr(args, "handler", None)
            if handler is not None:
                return handler(session, args)
            if args.command == "demo":
                def progress(done: int, total: int) -> None:
                    if done % 100 == 0 or done == total:
                        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

                counts = demo.fill(session, SYSTEM, args.assets, seed=args.seed, progress=progress,
                                   second_life=not args.devices_only)
                print(file=sys.stderr)
                if not args.devices_only:
                    counts = demo.workflows(session, SYSTEM, seed=args.seed)
                for status, n in sorted(counts.items()):
                    print(f"{status:20} {n:7}")
                _print_accounts(demo.accounts(session), demo.DEMO_PASSWORD)
                return 0
            if args.command == "user":
                password = _read_password()
                user = auth.add_user(session, SYSTEM, args.name, args.display_name or args.name,
                                     args.role, password)
                print(_("User {name} added with role {role}.", name=user.username, role=user.role.value))
                return 0
            if args.command == "label":
                return _labels(session, args)
            if args.command == "command-sheet":
                from .services.documents.command_sheet import render_command_sheet

                render_command_sheet(args.out)  # written whole or not at all
                print(args.out)
                return 0
            if args.command == "import" and args.import_command == "wipe-report":
                from sqlalchemy import select

                from .models import User
                from .services import wipe_reports

                actor = session.scalar(select(User).where(User.username == args.operator.lower()))
                if actor is None:
                    print(_("Unknown user: {name}.", name=args.operator), file=sys.stderr)
                    return 1
                return wipe_reports.cli_import(session, actor, args.files)
            if args.command == "import" and args.import_command == "assets":
                from sqlalchemy import select

                from .models import User
                from .services.asset_import import cli_import_assets

                actor = session.scalar(select(User).where(User.username == args.actor.lower()))
                if actor is None:
                    print(_("Unknown user: {name}.", name=args.actor), file=sys.stderr)
                    return 1
                return cli_import_assets(session, actor, args.file, args.format, args.dry_run)
            if args.command == "export":
                from .services.asset_export import cli_export_assets

                return cli_export_assets(session, args.file, args.format)
            if args.command == "certificate" and args.certificate_command == "sanitisation":
                from sqlalchemy import select

                from .models import User
                from .services import assets, certificates

                issuer = session.scalar(select(User).where(User.username == args.issuer.lower()))
                if issuer is None:
                    print(_("Unknown user: {name}.", name=args.issuer), file=sys.stderr)
                    return 1
                from .services import files

                ids = [assets.get_by_tag(session, tag).id for tag in args.tags]
                files.check_writable(args.out)  # refused before the certificate takes a number
                document = certificates.issue_sanitisation_certificate(session, issuer, ids,
                                                                      language=args.language)
                if not write_issued(document, args.out):  # after the commit: the stored one is the truth
                    return 1
                print(_("Certificate {number} written to {path}.", number=document.number, path=args.out))
                return 0
            if args.command == "audit":
                report = audit.verify_chain(session)
                print(report.message())
                return 0 if report.ok else 2
            if args.command == "db":
                if args.db_command == "info":
                    print(database.display_name)
                print(_("Schema version {current} (newest: {head}).",
                        current=current_revision(database.engine), head=head_revision()))
                return 0
    finally:
        database.dispose()
    return 1
