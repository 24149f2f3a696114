"""inventory_indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

indexes for the inventory's filters and sorts, and the dashboard.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


INDEXES = (
    ("ix_assets_grade", "assets", ["grade", "id"]),
    ("ix_assets_purchase_date", "assets", ["purchase_date", "id"]),
    ("ix_assets_status_category", "assets", ["status", "category"]),
    ("ix_audit_events_action_time", "audit_events", ["action", "occurred_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
