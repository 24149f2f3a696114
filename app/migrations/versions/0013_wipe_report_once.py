"""a wipe report is recorded once per medium

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

Two desks importing the same wipe report at the same moment both passed the check
"not imported yet" and both recorded it. A unique index on (medium, report digest)
lets the database refuse the second one. Records typed in by hand have no digest
(NULL), and NULLs never collide, so they are not affected.

Duplicates recorded before this revision keep their row (a sanitisation record is
evidence and is not deleted); only the digest of the later ones is cleared, so the
index can be made, and their notes say which record they repeat.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    records = sa.table('sanitisation_records', sa.column('id', sa.Integer),
                       sa.column('medium_id', sa.Integer), sa.column('report_sha256', sa.String),
                       sa.column('notes', sa.Text))
    first: dict[tuple[int, str], int] = {}
    rows = bind.execute(sa.select(records.c.id, records.c.medium_id, records.c.report_sha256)
                        .where(records.c.report_sha256.is_not(None)).order_by(records.c.id))
    for id_, medium_id, digest in rows.all():
        original = first.setdefault((medium_id, digest), id_)
        if original != id_:
            bind.execute(records.update().where(records.c.id == id_).values(
                report_sha256=None,
                notes=sa.func.coalesce(records.c.notes + ' ', '')
                + f'(the same report as record {original}; recorded twice before 0013)'))
    op.create_index('uq_sanitisation_records_medium_report', 'sanitisation_records',
                    ['medium_id', 'report_sha256'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_sanitisation_records_medium_report', table_name='sanitisation_records')
