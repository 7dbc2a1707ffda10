"""Per-broker row counts of customers and contracts, kept by triggers.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 16:00:00
"""

import sqlalchemy as sa
from alembic import op

from store import row_counts

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'customer_counts',
        sa.Column('broker_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('row_count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('broker_id', name=op.f('pk_customer_counts')),
    )
    op.create_table(
        'contract_counts',
        sa.Column('broker_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('status', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('sparte', sa.String(length=3), nullable=False),
        sa.Column('row_count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('broker_id', 'status', 'sparte', name=op.f('pk_contract_counts')),
    )
    bind = op.get_bind()
    row_counts.create_sync(bind)
    row_counts.recount(bind)  # the rows already stored


def downgrade() -> None:
    row_counts.drop_sync(op.get_bind())
    op.drop_table('contract_counts')
    op.drop_table('customer_counts')
