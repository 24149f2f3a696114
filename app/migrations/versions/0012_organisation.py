"""organisation

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

The identity of the organisation on every document (name, short name, address,
enterprise number, logo), one row shared by every desk instead of a name in each
desk's settings file.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'organisation',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('short_name', sa.String(length=60), nullable=True),
        sa.Column('street', sa.String(length=200), nullable=True),
        sa.Column('postcode', sa.String(length=12), nullable=True),
        sa.Column('city', sa.String(length=100), nullable=True),
        sa.Column('enterprise_number', sa.String(length=20), nullable=True),
        sa.Column('logo', sa.LargeBinary(), nullable=True),
        sa.Column('logo_type', sa.String(length=20), nullable=True),
        sa.Column('logo_sha256', sa.String(length=64), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_organisation_single_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    )


def downgrade() -> None:
    op.drop_table('organisation')
