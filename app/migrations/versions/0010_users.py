"""users

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29

sign-in throttling and account management: users.locked_until, users.directory_dn
(directory sign-in), and sign_in_throttle for names that match no user.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('directory_dn', sa.String(length=512), nullable=True))
    op.create_table(
        'sign_in_throttle',
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('failed_attempts', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('username', name=op.f('pk_sign_in_throttle')),
    )


def downgrade() -> None:
    op.drop_table('sign_in_throttle')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('directory_dn')
        batch.drop_column('locked_until')
