"""Words the screens show for values the services store as codes (roles, for now).

The codes stay English in the database; these are the marked English labels,
translated when shown.
"""

from __future__ import annotations

from ..services.permissions import ROLE_LABELS, role_label  # noqa: F401 (the pages import them here)

DATABASE_KINDS: dict[str, str] = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def database_kind_label(kind: str) -> str:
    return DATABASE_KINDS.get(kind, kind)
