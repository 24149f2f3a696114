"""Who may do what: one table of service actions and the roles allowed to run them.

Checked by every service function through `unit_of_work`, so a refused role
is refused whether it comes through the GUI, the CLI or a script. The GUI
uses the same table to hide what a user may not do.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def allowed(actor, permission: str) -> bool:
    if isinstance(actor, SystemActor):
        return True
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return bool(actor and actor.active and actor.role in PERMISSIONS[permission])


def require(actor, permission: str) -> None:
    if not allowed(actor, permission):
        raise PermissionDenied()
