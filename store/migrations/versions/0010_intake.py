"""Document intake over HTTP: intake keys (hashed) and idempotency records.

Revision ID: 0010
Revises: 0012
Create Date: 2026-11-29 03:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'intake_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_keys')),
        sa.UniqueConstraint('name', name=op.f('uq_intake_keys_name')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_intake_keys_key_hash')),
    )
    op.create_table(
        'intake_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key_id', sa.Integer(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=200), nullable=False),
        sa.Column('body_hash', sa.String(length=64), nullable=False),
        sa.Column('shipment_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['key_id'], ['intake_keys.id'],
                                name=op.f('fk_intake_requests_key_id_intake_keys')),
        sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'],
                                name=op.f('fk_intake_requests_shipment_id_shipments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_requests')),
        sa.UniqueConstraint('key_id', 'idempotency_key', name='uq_intake_requests_key'),
    )
    op.create_index(op.f('ix_intake_requests_shipment_id'), 'intake_requests', ['shipment_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_intake_requests_shipment_id'), table_name='intake_requests')
    op.drop_table('intake_requests')
    op.drop_table('intake_keys')
