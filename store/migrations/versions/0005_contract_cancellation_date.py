"""Contracts keep the date they were cancelled (Abgangsdatum), for BiPRO and the contract view.

A cancelled contract that exists already gets its end date: until now the
end date was the only date a cancellation left behind.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 02:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

STATUS_CANCELLED = 4


def upgrade() -> None:
    # A plain ADD COLUMN: a batch operation would make SQLite copy the table
    # and drop the search index's triggers with it.
    op.add_column('contracts', sa.Column('cancelled_on', sa.Date(), nullable=True))
    op.execute(sa.text("UPDATE contracts SET cancelled_on = end_date WHERE status = :cancelled")
               .bindparams(cancelled=STATUS_CANCELLED))


def downgrade() -> None:
    op.drop_column('contracts', 'cancelled_on')
