"""stock counts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

Stock counts per location with their findings and resolutions, and the
"missing since" mark a count can put on a device.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('stock_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('report_document_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_stock_counts_closed_by_id_users')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_stock_counts_location_id_locations')),
    sa.ForeignKeyConstraint(['report_document_id'], ['documents.id'], name=op.f('fk_stock_counts_report_document_id_documents')),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_stock_counts_started_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_counts'))
    )
    with op.batch_alter_table('stock_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_counts_location_id'), ['location_id'], unique=False)

    op.create_table('stock_count_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('count_id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=True),
    sa.Column('scanned_code', sa.String(length=80), nullable=True),
    sa.Column('finding', sa.Enum('found', 'missing', 'unexpected', 'unknown', name='count_finding', native_enum=False, create_constraint=True, length=18), nullable=False),
    sa.Column('resolution', sa.Enum('none', 'moved_here', 'marked_missing', 'found_elsewhere', 'ignored', name='count_resolution', native_enum=False, create_constraint=True, length=23), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['asset_id'], ['assets.id'], name=op.f('fk_stock_count_lines_asset_id_assets')),
    sa.ForeignKeyConstraint(['count_id'], ['stock_counts.id'], name=op.f('fk_stock_count_lines_count_id_stock_counts')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_stock_count_lines_resolved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_count_lines')),
    sa.UniqueConstraint('count_id', 'scanned_code', name=op.f('uq_stock_count_lines_count_id_scanned_code'))
    )
    with op.batch_alter_table('stock_count_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_count_lines_count_id'), ['count_id'], unique=False)

    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('missing_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('missing_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.drop_column('missing_reason')
        batch_op.drop_column('missing_since')

    with op.batch_alter_table('stock_count_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_count_lines_count_id'))

    op.drop_table('stock_count_lines')
    with op.batch_alter_table('stock_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_counts_location_id'))

    op.drop_table('stock_counts')
