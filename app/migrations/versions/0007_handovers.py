"""handovers

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

recipients' requests, reservations and handover batches.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True,
                   length=max(len(v) for v in values) + 8)


CATEGORY = ('laptop', 'desktop', 'monitor', 'smartphone', 'tablet', 'printer', 'server',
            'network', 'other')


def upgrade() -> None:
    op.create_table('handover_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('needed_by', sa.Date(), nullable=True),
    sa.Column('status', _enum('request_status', 'open', 'reserved', 'completed', 'cancelled'),
              nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_handover_requests_created_by_id_users')),
    sa.ForeignKeyConstraint(['recipient_id'], ['parties.id'], name=op.f('fk_handover_requests_recipient_id_parties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover_requests')),
    sa.UniqueConstraint('number', name=op.f('uq_handover_requests_number'))
    )
    with op.batch_alter_table('handover_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handover_requests_recipient_id'), ['recipient_id'], unique=False)

    op.create_table('handover_request_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('category', _enum('category', *CATEGORY), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('min_grade', _enum('grade', 'A', 'B', 'C', 'D'), nullable=True),
    sa.Column('min_ram_gb', sa.Integer(), nullable=True),
    sa.Column('min_storage_gb', sa.Integer(), nullable=True),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_handover_request_lines_quantity_positive')),
    sa.ForeignKeyConstraint(['request_id'], ['handover_requests.id'], name=op.f('fk_handover_request_lines_request_id_handover_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover_request_lines'))
    )
    with op.batch_alter_table('handover_request_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handover_request_lines_request_id'), ['request_id'], unique=False)

    op.create_table('handover_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('status', _enum('batch_status', 'open', 'completed', 'cancelled'), nullable=False),
    sa.Column('labels_removed', sa.Boolean(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['documents.id'], name=op.f('fk_handover_batches_certificate_id_documents')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_handover_batches_closed_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_handover_batches_created_by_id_users')),
    sa.ForeignKeyConstraint(['recipient_id'], ['parties.id'], name=op.f('fk_handover_batches_recipient_id_parties')),
    sa.ForeignKeyConstraint(['request_id'], ['handover_requests.id'], name=op.f('fk_handover_batches_request_id_handover_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover_batches')),
    sa.UniqueConstraint('number', name=op.f('uq_handover_batches_number'))
    )
    with op.batch_alter_table('handover_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handover_batches_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handover_batches_request_id'), ['request_id'], unique=False)

    op.create_table('handover_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=True),
    sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('scanned_by_id', sa.Integer(), nullable=True),
    sa.Column('released', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['assets.id'], name=op.f('fk_handover_items_asset_id_assets')),
    sa.ForeignKeyConstraint(['batch_id'], ['handover_batches.id'], name=op.f('fk_handover_items_batch_id_handover_batches')),
    sa.ForeignKeyConstraint(['line_id'], ['handover_request_lines.id'], name=op.f('fk_handover_items_line_id_handover_request_lines')),
    sa.ForeignKeyConstraint(['scanned_by_id'], ['users.id'], name=op.f('fk_handover_items_scanned_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover_items')),
    sa.UniqueConstraint('batch_id', 'asset_id', name='uq_handover_items_batch_asset')
    )
    with op.batch_alter_table('handover_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handover_items_asset_id'), ['asset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handover_items_batch_id'), ['batch_id'], unique=False)


def downgrade() -> None:
    for table, indexes in (('handover_items', ('ix_handover_items_batch_id', 'ix_handover_items_asset_id')),
                           ('handover_batches', ('ix_handover_batches_request_id',
                                                 'ix_handover_batches_recipient_id')),
                           ('handover_request_lines', ('ix_handover_request_lines_request_id',)),
                           ('handover_requests', ('ix_handover_requests_recipient_id',))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
