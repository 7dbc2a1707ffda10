"""Each login chooses how getShipment delivers files: MTOM parts or inline base64.

Clients without MTOM support (suds, many PHP clients) need base64, others
read files only from MTOM parts; one server-wide switch cannot serve both.
NULL keeps the server default (BIPRO_MTOM).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transfer_format', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('transfer_format')
