"""Words the screens show for values the services store as codes (roles, for now).

The codes stay English in the database; these are the marked English labels,
translated when shown.
"""

from __future__ import annotations

from ..i18n import N_, _
from ..models import Role

ROLE_LABELS: dict[Role, str] = {
    Role.TECHNICIAN: N_("Technician"),
    Role.MANAGER: N_("Manager"),
    Role.AUDITOR: N_("Auditor"),
    Role.ADMIN: N_("Administrator"),
}

DATABASE_KINDS: dict[str, str] = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def role_label(role: Role | str) -> str:
    return _(ROLE_LABELS[Role(role)])


def database_kind_label(kind: str) -> str:
    return DATABASE_KINDS.get(kind, kind)
