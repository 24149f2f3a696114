"""initial schema: assets, media, lots, parties, locations, users, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-29

The foundation tables. The audit chain starts with one head row at the genesis hash.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op



revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('counters',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_counters'))
    )
    op.create_table('locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('site', sa.String(length=80), nullable=False),
    sa.Column('zone', sa.String(length=20), nullable=False),
    sa.Column('rack', sa.String(length=20), nullable=True),
    sa.Column('shelf', sa.String(length=20), nullable=True),
    sa.Column('bin', sa.String(length=20), nullable=True),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locations')),
    sa.UniqueConstraint('code', name=op.f('uq_locations_code'))
    )
    op.create_table('parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.Enum('service', 'school', 'charity', 'public_body', 'recycler', 'carrier', 'staff', name='party_type', native_enum=False, create_constraint=True, length=19), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('enterprise_number', sa.String(length=20), nullable=True),
    sa.Column('registration_number', sa.String(length=60), nullable=True),
    sa.Column('street', sa.String(length=200), nullable=True),
    sa.Column('postcode', sa.String(length=12), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('contact_name', sa.String(length=120), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('staff_number', sa.String(length=40), nullable=True),
    sa.Column('service_name', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parties'))
    )
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.create_index('ix_parties_type_name', ['type', 'name'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('technician', 'manager', 'auditor', 'admin', name='role', native_enum=False, create_constraint=True, length=18), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity_type', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('entity_ref', sa.String(length=80), nullable=True),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_events_hash')),
    sa.UniqueConstraint('seq', name=op.f('uq_audit_events_seq'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_entity', ['entity_type', 'entity_id'], unique=False)

    op.create_table('intake_lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('origin_service_id', sa.Integer(), nullable=False),
    sa.Column('delivered_by', sa.String(length=120), nullable=True),
    sa.Column('received_by_id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['origin_service_id'], ['parties.id'], name=op.f('fk_intake_lots_origin_service_id_parties')),
    sa.ForeignKeyConstraint(['received_by_id'], ['users.id'], name=op.f('fk_intake_lots_received_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_lots')),
    sa.UniqueConstraint('number', name=op.f('uq_intake_lots_number'))
    )
    with op.batch_alter_table('intake_lots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_lots_origin_service_id'), ['origin_service_id'], unique=False)

    op.create_table('assets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=16), nullable=False),
    sa.Column('category', sa.Enum('laptop', 'desktop', 'monitor', 'smartphone', 'tablet', 'printer', 'server', 'network', 'other', name='category', native_enum=False, create_constraint=True, length=18), nullable=False),
    sa.Column('manufacturer', sa.String(length=80), nullable=False),
    sa.Column('model', sa.String(length=120), nullable=False),
    sa.Column('serial', sa.String(length=80), nullable=True),
    sa.Column('serial_normalised', sa.String(length=80), nullable=True),
    sa.Column('cpu', sa.String(length=120), nullable=True),
    sa.Column('ram_gb', sa.Integer(), nullable=True),
    sa.Column('storage_gb', sa.Integer(), nullable=True),
    sa.Column('screen_inch', sa.Numeric(precision=4, scale=1), nullable=True),
    sa.Column('purchase_date', sa.Date(), nullable=True),
    sa.Column('purchase_cost', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('warranty_end', sa.Date(), nullable=True),
    sa.Column('origin_service_id', sa.Integer(), nullable=True),
    sa.Column('intake_lot_id', sa.Integer(), nullable=True),
    sa.Column('location_id', sa.Integer(), nullable=True),
    sa.Column('recipient_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('announced', 'received', 'in_refurbishment', 'ready', 'reserved', 'transferred', 'sold', 'awaiting_disposal', 'disposed', name='asset_status', native_enum=False, create_constraint=True, length=25), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('grade', sa.Enum('A', 'B', 'C', 'D', name='grade', native_enum=False, create_constraint=True, length=9), nullable=True),
    sa.Column('weight_kg', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('data_bearing', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_assets_created_by_id_users')),
    sa.ForeignKeyConstraint(['intake_lot_id'], ['intake_lots.id'], name=op.f('fk_assets_intake_lot_id_intake_lots')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_assets_location_id_locations')),
    sa.ForeignKeyConstraint(['origin_service_id'], ['parties.id'], name=op.f('fk_assets_origin_service_id_parties')),
    sa.ForeignKeyConstraint(['recipient_id'], ['parties.id'], name=op.f('fk_assets_recipient_id_parties')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_assets_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assets')),
    sa.UniqueConstraint('manufacturer', 'serial_normalised', name='uq_assets_manufacturer_serial'),
    sa.UniqueConstraint('tag', name=op.f('uq_assets_tag'))
    )
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.create_index('ix_assets_category', ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_intake_lot_id'), ['intake_lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_location_id'), ['location_id'], unique=False)
        batch_op.create_index('ix_assets_model', ['model'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_origin_service_id'), ['origin_service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assets_serial_normalised'), ['serial_normalised'], unique=False)
        batch_op.create_index('ix_assets_status_changed', ['status', 'status_changed_at'], unique=False)

    op.create_table('storage_media',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('hdd', 'ssd', 'nvme', 'emmc', 'flash', name='medium_kind', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('serial', sa.String(length=80), nullable=True),
    sa.Column('capacity_gb', sa.Integer(), nullable=True),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['assets.id'], name=op.f('fk_storage_media_asset_id_assets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storage_media'))
    )
    with op.batch_alter_table('storage_media', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storage_media_asset_id'), ['asset_id'], unique=False)


    # The chain head: every audit append locks and advances this one row.
    op.bulk_insert(
        sa.table('audit_head', sa.column('id', sa.Integer), sa.column('seq', sa.Integer),
                 sa.column('last_hash', sa.String)),
        [{'id': 1, 'seq': 0, 'last_hash': '0' * 64}],
    )


def downgrade() -> None:
    with op.batch_alter_table('storage_media', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storage_media_asset_id'))

    op.drop_table('storage_media')
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.drop_index('ix_assets_status_changed')
        batch_op.drop_index(batch_op.f('ix_assets_serial_normalised'))
        batch_op.drop_index(batch_op.f('ix_assets_origin_service_id'))
        batch_op.drop_index('ix_assets_model')
        batch_op.drop_index(batch_op.f('ix_assets_location_id'))
        batch_op.drop_index(batch_op.f('ix_assets_intake_lot_id'))
        batch_op.drop_index('ix_assets_category')

    op.drop_table('assets')
    with op.batch_alter_table('intake_lots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_lots_origin_service_id'))

    op.drop_table('intake_lots')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_entity')

    op.drop_table('audit_events')
    op.drop_table('users')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_index('ix_parties_type_name')

    op.drop_table('parties')
    op.drop_table('locations')
    op.drop_table('counters')
    op.drop_table('audit_head')
