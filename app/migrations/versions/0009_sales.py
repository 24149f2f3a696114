"""sales

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

Staff resale: staff members (personal data kept apart from parties), sale
rounds, the devices offered with their prices, staff interest, allocation,
payment and handover.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True,
                   length=max(len(v) for v in values) + 8)


def upgrade() -> None:
    op.create_table(
        'staff_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('party_id', sa.Integer(), nullable=False),
        sa.Column('full_name', sa.String(length=120), nullable=False),
        sa.Column('staff_number', sa.String(length=40), nullable=True),
        sa.Column('service_name', sa.String(length=200), nullable=True),
        sa.Column('email', sa.String(length=200), nullable=True),
        sa.Column('pseudonymised_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['party_id'], ['parties.id'],
                                name=op.f('fk_staff_members_party_id_parties')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_members')),
        sa.UniqueConstraint('party_id', name=op.f('uq_staff_members_party_id')),
        sa.UniqueConstraint('staff_number', name=op.f('uq_staff_members_staff_number')),
    )
    op.create_table(
        'sale_rounds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('opens_on', sa.Date(), nullable=False),
        sa.Column('closes_on', sa.Date(), nullable=False),
        sa.Column('limits', sa.Text(), nullable=False),
        sa.Column('eligibility', sa.Text(), nullable=True),
        sa.Column('payment_days', sa.Integer(), nullable=False),
        sa.Column('status', _enum('round_status', 'open', 'closed'), nullable=False),
        sa.Column('seed', sa.String(length=64), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('report_document_id', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_sale_rounds_created_by_id_users')),
        sa.ForeignKeyConstraint(['report_document_id'], ['documents.id'],
                                name=op.f('fk_sale_rounds_report_document_id_documents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_rounds')),
    )
    op.create_table(
        'sale_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('asset_id', sa.Integer(), nullable=False),
        sa.Column('proposed_price', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('price_rule', sa.Text(), nullable=False),
        sa.Column('override_reason', sa.Text(), nullable=True),
        sa.Column('override_by_id', sa.Integer(), nullable=True),
        sa.Column('override_verifier_id', sa.Integer(), nullable=True),
        sa.Column('status', _enum('sale_item_status', 'offered', 'unsold', 'allocated', 'paid',
                                  'sold', 'expired'), nullable=False),
        sa.Column('buyer_id', sa.Integer(), nullable=True),
        sa.Column('allocated_by_lottery', sa.Boolean(), nullable=True),
        sa.Column('ogm', sa.String(length=12), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('payment_method', _enum('payment_method', 'transfer', 'card'), nullable=True),
        sa.Column('paid_registered_by_id', sa.Integer(), nullable=True),
        sa.Column('sold_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('receipt_document_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['asset_id'], ['assets.id'], name=op.f('fk_sale_items_asset_id_assets')),
        sa.ForeignKeyConstraint(['buyer_id'], ['staff_members.id'],
                                name=op.f('fk_sale_items_buyer_id_staff_members')),
        sa.ForeignKeyConstraint(['override_by_id'], ['users.id'],
                                name=op.f('fk_sale_items_override_by_id_users')),
        sa.ForeignKeyConstraint(['override_verifier_id'], ['users.id'],
                                name=op.f('fk_sale_items_override_verifier_id_users')),
        sa.ForeignKeyConstraint(['paid_registered_by_id'], ['users.id'],
                                name=op.f('fk_sale_items_paid_registered_by_id_users')),
        sa.ForeignKeyConstraint(['receipt_document_id'], ['documents.id'],
                                name=op.f('fk_sale_items_receipt_document_id_documents')),
        sa.ForeignKeyConstraint(['round_id'], ['sale_rounds.id'],
                                name=op.f('fk_sale_items_round_id_sale_rounds')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_items')),
        sa.UniqueConstraint('ogm', name=op.f('uq_sale_items_ogm')),
        sa.UniqueConstraint('round_id', 'asset_id', name=op.f('uq_sale_items_round_id_asset_id')),
    )
    with op.batch_alter_table('sale_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_items_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_items_asset_id'), ['asset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_items_buyer_id'), ['buyer_id'], unique=False)
    op.create_table(
        'sale_interests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('staff_member_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['sale_items.id'],
                                name=op.f('fk_sale_interests_item_id_sale_items')),
        sa.ForeignKeyConstraint(['staff_member_id'], ['staff_members.id'],
                                name=op.f('fk_sale_interests_staff_member_id_staff_members')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_interests')),
        sa.UniqueConstraint('item_id', 'staff_member_id',
                            name=op.f('uq_sale_interests_item_id_staff_member_id')),
    )
    with op.batch_alter_table('sale_interests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_interests_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_interests_staff_member_id'), ['staff_member_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sale_interests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_interests_staff_member_id'))
        batch_op.drop_index(batch_op.f('ix_sale_interests_item_id'))
    op.drop_table('sale_interests')
    with op.batch_alter_table('sale_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_items_buyer_id'))
        batch_op.drop_index(batch_op.f('ix_sale_items_asset_id'))
        batch_op.drop_index(batch_op.f('ix_sale_items_round_id'))
    op.drop_table('sale_items')
    op.drop_table('sale_rounds')
    op.drop_table('staff_members')
