"""Who may do what: one table of service actions and the roles allowed to run them.

Checked by every service function through `unit_of_work`, so a refused role
is refused whether it comes through the GUI, the CLI or a script. The GUI
uses the same table to hide what a user may not do.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_, _
from ..models import Role
from .errors import PermissionDenied

T, M, AU, AD = Role.TECHNICIAN, Role.MANAGER, Role.AUDITOR, Role.ADMIN

PERMISSIONS: dict[str, frozenset[Role]] = {
    # assets and their lifecycle
    "asset.register": frozenset({T, M}),
    "asset.edit": frozenset({T, M}),
    "asset.move": frozenset({T, M}),
    "asset.add_medium": frozenset({T, M}),
    "lifecycle.announce": frozenset({T, M}),
    "lifecycle.receive": frozenset({T, M}),
    "lifecycle.start_checks": frozenset({T, M}),
    "lifecycle.pass_checks": frozenset({T, M}),
    "lifecycle.fail_checks": frozenset({T, M}),
    "lifecycle.retire": frozenset({T, M}),
    "lifecycle.reserve": frozenset({M}),
    "lifecycle.release": frozenset({M}),
    "lifecycle.transfer": frozenset({M}),
    "lifecycle.sell": frozenset({M}),
    "lifecycle.return_after_second_life": frozenset({T, M}),
    "lifecycle.dispose": frozenset({M}),
    # the refurbishment bench
    "bench.record": frozenset({T, M}),
    "sanitisation.record": frozenset({T, M}),
    "sanitisation.verify": frozenset({M}),
    "sanitisation.certificate": frozenset({T, M}),
    "parts.manage": frozenset({T, M}),
    # stock counts: technicians count, managers resolve what does not match
    "count.manage": frozenset({T, M}),
    "count.resolve": frozenset({M}),
    # second life: managers take requests and accept proposals; technicians scan at the desk
    "handover.request": frozenset({M}),
    "handover.reserve": frozenset({M}),
    "handover.cancel": frozenset({M}),
    "handover.scan": frozenset({T, M}),
    "handover.complete": frozenset({T, M}),
    "lifecycle.return_for_checks": frozenset({T, M}),
    # end of life: managers open and close disposal batches, technicians scan devices into them
    "disposal.open": frozenset({M}),
    "disposal.scan": frozenset({T, M}),
    "disposal.close": frozenset({M}),
    "disposal.attach": frozenset({M}),
    "report.weee": frozenset({M, AU}),
    # staff resale: managers run rounds, prices and payments; the desk registers interest and
    # hands paid devices over; personal data of staff only for those who need it
    "sales.read": frozenset({T, M, AU}),
    "sales.manage": frozenset({M}),
    "sales.price_override": frozenset({M}),  # and a second manager confirms (four eyes)
    "sales.interest": frozenset({T, M}),
    "sales.payment": frozenset({M}),
    "sales.hand_over": frozenset({T, M}),
    "staff.manage": frozenset({M}),
    "staff.read": frozenset({M, AU}),
    "privacy.purge": frozenset({M, AD}),
    # reference data
    "party.manage": frozenset({M, AD}),
    "location.manage": frozenset({M, AD}),
    "lot.manage": frozenset({T, M}),
    # reading and checking
    "inventory.read": frozenset({T, M, AU, AD}),
    "audit.verify": frozenset({M, AU, AD}),
    # administration
    "user.manage": frozenset({AD}),
    "organisation.manage": frozenset({AD}),  # the identity every document carries
    "account.password": frozenset({T, M, AU, AD}),  # one's own password, the current one asked first
    "demo.fill": frozenset({AD}),
}


@dataclass(frozen=True)
class SystemActor:
    """The actor of command-line administration and first-run set-up (not a person)."""

    id: None = None
    username: str = "system"
    display_name: str = "system"
    role: Role = Role.ADMIN
    active: bool = True


SYSTEM = SystemActor()


# The roles' names on screen and in refusals (the codes stay English in the database).
ROLE_LABELS: dict[Role, str] = {
    Role.TECHNICIAN: N_("Technician"),
    Role.MANAGER: N_("Manager"),
    Role.AUDITOR: N_("Auditor"),
    Role.ADMIN: N_("Administrator"),
}


def role_label(role: Role | str) -> str:
    return _(ROLE_LABELS[Role(role)])


def who_may(permission: str) -> str:
    """The roles that may, as the refusal and a disabled button's tooltip name them."""
    return ", ".join(role_label(r) for r in Role if r in PERMISSIONS[permission])


def refusal(actor, permission: str) -> PermissionDenied:
    """Why `actor` may not: the roles that may, and the role the actor is signed in with."""
    role = getattr(actor, "role", None)
    if role is None:
        return PermissionDenied()
    return PermissionDenied(allowed_roles=tuple(ROLE_LABELS[r] for r in Role
                                                if r in PERMISSIONS[permission]),
                            role=ROLE_LABELS[Role(role)])


def allowed(actor, permission: str) -> bool:
    if isinstance(actor, SystemActor):
        return True
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return bool(actor and actor.active and actor.role in PERMISSIONS[permission])


def require(actor, permission: str) -> None:
    if not allowed(actor, permission):
        raise refusal(actor, permission)
