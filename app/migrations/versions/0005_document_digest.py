"""document content digest

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

What a certificate covers (canonical JSON) and the short digest of it that its
QR code carries, so a scanned certificate can be verified.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('digest', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('digest')
        batch_op.drop_column('content')
