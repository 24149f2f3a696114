"""disposal

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

processors' certifications and disposal batches.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True,
                   length=max(len(v) for v in values) + 8)


def upgrade() -> None:
    op.create_table(
        'processor_certifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('party_id', sa.Integer(), nullable=False),
        sa.Column('scheme', _enum('certification_scheme', 'r2', 'e_stewards', 'weeelabex', 'other'),
                  nullable=False),
        sa.Column('scheme_name', sa.String(length=80), nullable=True),
        sa.Column('certificate_number', sa.String(length=80), nullable=True),
        sa.Column('valid_until', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['party_id'], ['parties.id'],
                                name=op.f('fk_processor_certifications_party_id_parties')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_processor_certifications')),
    )
    with op.batch_alter_table('processor_certifications') as batch_op:
        batch_op.create_index(batch_op.f('ix_processor_certifications_party_id'), ['party_id'])

    op.create_table(
        'disposal_batches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=24), nullable=False),
        sa.Column('status', _enum('disposal_status', 'open', 'closed'), nullable=False),
        sa.Column('processor_id', sa.Integer(), nullable=False),
        sa.Column('carrier_id', sa.Integer(), nullable=True),
        sa.Column('treatment', sa.String(length=8), nullable=False),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('opened_by_id', sa.Integer(), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('countersigned_by_id', sa.Integer(), nullable=True),
        sa.Column('certificate_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('countersigned_by_id IS NULL OR countersigned_by_id <> closed_by_id',
                           name=op.f('ck_disposal_batches_four_eyes')),
        sa.ForeignKeyConstraint(['processor_id'], ['parties.id'],
                                name=op.f('fk_disposal_batches_processor_id_parties')),
        sa.ForeignKeyConstraint(['carrier_id'], ['parties.id'],
                                name=op.f('fk_disposal_batches_carrier_id_parties')),
        sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'],
                                name=op.f('fk_disposal_batches_opened_by_id_users')),
        sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'],
                                name=op.f('fk_disposal_batches_closed_by_id_users')),
        sa.ForeignKeyConstraint(['countersigned_by_id'], ['users.id'],
                                name=op.f('fk_disposal_batches_countersigned_by_id_users')),
        sa.ForeignKeyConstraint(['certificate_id'], ['documents.id'],
                                name=op.f('fk_disposal_batches_certificate_id_documents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_disposal_batches')),
        sa.UniqueConstraint('number', name=op.f('uq_disposal_batches_number')),
    )
    with op.batch_alter_table('disposal_batches') as batch_op:
        batch_op.create_index(batch_op.f('ix_disposal_batches_status'), ['status'])
        batch_op.create_index(batch_op.f('ix_disposal_batches_processor_id'), ['processor_id'])
        batch_op.create_index(batch_op.f('ix_disposal_batches_closed_at'), ['closed_at'])

    op.create_table(
        'disposal_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('asset_id', sa.Integer(), nullable=False),
        sa.Column('weee_category', sa.Integer(), nullable=False),
        sa.Column('stream', _enum('waste_stream', 'household', 'professional'), nullable=False),
        sa.Column('hazardous', sa.Boolean(), nullable=False),
        sa.Column('eural_code', sa.String(length=12), nullable=False),
        sa.Column('weight_kg', sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('weee_category BETWEEN 1 AND 6',
                           name=op.f('ck_disposal_items_weee_category')),
        sa.CheckConstraint('weight_kg > 0', name=op.f('ck_disposal_items_weight_positive')),
        sa.ForeignKeyConstraint(['batch_id'], ['disposal_batches.id'],
                                name=op.f('fk_disposal_items_batch_id_disposal_batches')),
        sa.ForeignKeyConstraint(['asset_id'], ['assets.id'],
                                name=op.f('fk_disposal_items_asset_id_assets')),
        sa.ForeignKeyConstraint(['added_by_id'], ['users.id'],
                                name=op.f('fk_disposal_items_added_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_disposal_items')),
        sa.UniqueConstraint('asset_id', name=op.f('uq_disposal_items_asset_id')),
    )
    with op.batch_alter_table('disposal_items') as batch_op:
        batch_op.create_index(batch_op.f('ix_disposal_items_batch_id'), ['batch_id'])

    op.create_table(
        'disposal_weighings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('weee_category', sa.Integer(), nullable=False),
        sa.Column('weighed_kg', sa.Numeric(precision=9, scale=2), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('weee_category BETWEEN 1 AND 6',
                           name=op.f('ck_disposal_weighings_weee_category')),
        sa.CheckConstraint('weighed_kg > 0', name=op.f('ck_disposal_weighings_weighed_positive')),
        sa.ForeignKeyConstraint(['batch_id'], ['disposal_batches.id'],
                                name=op.f('fk_disposal_weighings_batch_id_disposal_batches')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                                name=op.f('fk_disposal_weighings_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_disposal_weighings')),
        sa.UniqueConstraint('batch_id', 'weee_category',
                            name=op.f('uq_disposal_weighings_batch_id_weee_category')),
    )
    with op.batch_alter_table('disposal_weighings') as batch_op:
        batch_op.create_index(batch_op.f('ix_disposal_weighings_batch_id'), ['batch_id'])

    op.create_table(
        'processor_certificates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('reference', sa.String(length=80), nullable=True),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('attached_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('attached_by_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['disposal_batches.id'],
                                name=op.f('fk_processor_certificates_batch_id_disposal_batches')),
        sa.ForeignKeyConstraint(['attached_by_id'], ['users.id'],
                                name=op.f('fk_processor_certificates_attached_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_processor_certificates')),
        sa.UniqueConstraint('batch_id', name=op.f('uq_processor_certificates_batch_id')),
    )


def downgrade() -> None:
    op.drop_table('processor_certificates')
    with op.batch_alter_table('disposal_weighings') as batch_op:
        batch_op.drop_index(batch_op.f('ix_disposal_weighings_batch_id'))
    op.drop_table('disposal_weighings')
    with op.batch_alter_table('disposal_items') as batch_op:
        batch_op.drop_index(batch_op.f('ix_disposal_items_batch_id'))
    op.drop_table('disposal_items')
    with op.batch_alter_table('disposal_batches') as batch_op:
        batch_op.drop_index(batch_op.f('ix_disposal_batches_closed_at'))
        batch_op.drop_index(batch_op.f('ix_disposal_batches_processor_id'))
        batch_op.drop_index(batch_op.f('ix_disposal_batches_status'))
    op.drop_table('disposal_batches')
    with op.batch_alter_table('processor_certifications') as batch_op:
        batch_op.drop_index(batch_op.f('ix_processor_certifications_party_id'))
    op.drop_table('processor_certifications')
