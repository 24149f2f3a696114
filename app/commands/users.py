"""`user list | unlock | password | disable | enable | role`: user administration from the command line.

Like `user add` (in app/cli.py), these act as the system actor: whoever runs
them already holds the database URL or file, so they are the way back in when
the only administrator is locked out or forgot the password. Every one calls the
same service as the settings page, so the same rules hold (never leave no
active administrator; a directory user's password is managed in the directory).
"""

from __future__ import annotations

from ..i18n import _
from ..models import Role
from ..services import auth
from ..services.permissions import SYSTEM
from ..timefmt import format_local, local


def register(groups) -> None:
    user = groups.group("user", _("manage users"))  # shared with `user add` in app/cli.py
    cmd = user.add_parser("list", help=_("list the users: role, status, lock-out, last sign-in"))
    cmd.set_defaults(handler=_list)
    cmd = user.add_parser("unlock", help=_("lift a lock-out after failed sign-ins"))
    cmd.add_argument("name", help=_("user name"))
    cmd.set_defaults(handler=_unlock)
    cmd = user.add_parser("password", help=_("set a new password (read from standard input); lifts a "
                                              "lock-out too"))
    cmd.add_argument("name", help=_("user name"))
    cmd.set_defaults(handler=_password)
    for name, active in (("disable", False), ("enable", True)):
        cmd = user.add_parser(name, help=_("disable a user (they can no longer sign in)") if not active
                              else _("enable a disabled user again"))
        cmd.add_argument("name", help=_("user name"))
        cmd.set_defaults(handler=_active, active=active)
    cmd = user.add_parser("role", help=_("give a user another role"))
    cmd.add_argument("name", help=_("user name"))
    cmd.add_argument("role", choices=[r.value for r in Role])
    cmd.set_defaults(handler=_role)


def _status(row: auth.UserRow) -> str:
    if not row.active:
        return _("disabled")
    if row.locked:
        return _("locked until {time}", time=local(row.locked_until).strftime("%H:%M"))
    return _("active")


def _list(session, args) -> int:
    for row in auth.list_users(session, SYSTEM):
        print(f"{row.username:20} {row.role.value:11} {_status(row):24} "
              f"{format_local(row.last_sign_in_at) or '—':17} {row.display_name}")
    return 0


def _unlock(session, args) -> int:
    user = auth.unlock(session, SYSTEM, auth.get_user(session, args.name).id)
    print(_("{name} can sign in again.", name=user.username))
    return 0


def _password(session, args) -> int:
    from ..cli import _read_password

    target = auth.get_user(session, args.name)
    user = auth.reset_password(session, SYSTEM, target.id, _read_password())
    print(_("The password of {name} was reset.", name=user.username))
    return 0


def _active(session, args) -> int:
    user = auth.set_active(session, SYSTEM, auth.get_user(session, args.name).id, args.active)
    print(_("{name} is enabled.", name=user.username) if user.active
          else _("{name} is disabled.", name=user.username))
    return 0


def _role(session, args) -> int:
    user = auth.set_role(session, SYSTEM, auth.get_user(session, args.name).id, args.role)
    print(_("{name} is now {role}.", name=user.username, role=user.role.value))
    return 0
