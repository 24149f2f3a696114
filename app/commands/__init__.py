"""Command-line commands, one module per workflow, found here by `app.cli`.

Each module in this package defines `register(groups)`; it adds its commands
with `groups.command(...)` or under a shared group (`certificate`, `report`…)
with `groups.group(...)`, and gives each command a handler through
`set_defaults(handler=fn)`. A handler is `fn(session, args) -> exit code`;
domain errors it raises are printed by `app.cli` as messages (exit 1).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import N_, _
from ..models import User
from ..services.errors import DomainError

Handler = Callable[[Session, argparse.Namespace], int]


class UnknownUser(DomainError):
    message = N_("Unknown user: {name}.")


def user_named(session: Session, name: str) -> User:
    """The user a command acts as (`--actor`, `--issuer`…), by user name."""
    user = session.scalar(select(User).where(User.username == name.strip().lower()))
    if user is None:
        raise UnknownUser(name=name)
    return user


def write_issued(document, out: str) -> bool:
    """Write an issued document after its commit; on failure say it is issued and how to write it again.

    The stored document is the truth once committed: a full disk loses only the copy on disk.
    """
    from ..services import files

    try:
        files.write_bytes(out, document.pdf)
    except files.OutputFailed as err:
        print(str(err), file=sys.stderr)
        print(_("{number} was issued and is stored in the database. Write it again with: "
                "python -m app certificate pdf {number} --out FILE.pdf", number=document.number),
              file=sys.stderr)
        return False
    return True


class Groups:
    """The top-level subcommands, so that two modules can share a group (`certificate verify`…)."""

    def __init__(self, sub: argparse._SubParsersAction) -> None:
        self._sub = sub
        self._groups: dict[str, argparse._SubParsersAction] = {}

    def command(self, name: str, help: str) -> argparse.ArgumentParser:
        return self._sub.add_parser(name, help=help)

    def group(self, name: str, help: str) -> argparse._SubParsersAction:
        if name not in self._groups:
            parser = self._sub.add_parser(name, help=help)
            self._groups[name] = parser.add_subparsers(dest=f"{name.replace('-', '_')}_command",
                                                       metavar=_("ACTION"), required=True)
        return self._groups[name]


def register_all(groups: Groups) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(groups)
