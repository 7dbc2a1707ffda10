"""Contracts sorted by status: the (broker, status, sparte) index ends with the id.

The list orders by status, sparte and then id (every order is total), so the
index needs the id too for PostgreSQL to read a page straight off it instead
of sorting each (status, sparte) group of a large broker (SQLite keeps the
rowid in every index anyway).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 12:00:00
"""

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index('ix_contracts_broker_status_sparte')
        batch_op.create_index('ix_contracts_broker_status_sparte', ['broker_id', 'status', 'sparte', 'id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index('ix_contracts_broker_status_sparte')
        batch_op.create_index('ix_contracts_broker_status_sparte', ['broker_id', 'status', 'sparte'],
                              unique=False)
