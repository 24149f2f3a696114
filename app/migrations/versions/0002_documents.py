"""documents and lot closing

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

Issued documents (PDF bytes + SHA-256) with the devices they mention, and who closed a lot.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.Enum('intake_receipt', 'handover_certificate', 'sanitisation_certificate', 'eol_certificate', 'sale_receipt', 'report', name='document_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_documents_issued_by_id_users')),
    sa.ForeignKeyConstraint(['lot_id'], ['intake_lots.id'], name=op.f('fk_documents_lot_id_intake_lots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('number', name=op.f('uq_documents_number'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_lot_id'), ['lot_id'], unique=False)

    op.create_table('document_assets',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['assets.id'], name=op.f('fk_document_assets_asset_id_assets')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_assets_document_id_documents')),
    sa.PrimaryKeyConstraint('document_id', 'asset_id', name=op.f('pk_document_assets'))
    )
    with op.batch_alter_table('document_assets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_assets_asset_id'), ['asset_id'], unique=False)

    with op.batch_alter_table('intake_lots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_intake_lots_closed_by_id_users'), 'users', ['closed_by_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('intake_lots', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_intake_lots_closed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('closed_by_id')

    with op.batch_alter_table('document_assets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_assets_asset_id'))

    op.drop_table('document_assets')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_lot_id'))

    op.drop_table('documents')
