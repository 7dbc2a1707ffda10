"""GDV imports in resumable batches: how far each file got.

Revision ID: 0013
Revises: 0010
Create Date: 2026-11-29 05:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'gdv_import_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('file_sha256', sa.String(length=64), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('contracts_done', sa.Integer(), nullable=False),
        sa.Column('line_done', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_gdv_import_runs')),
        sa.UniqueConstraint('file_sha256', name=op.f('uq_gdv_import_runs_file_sha256')),
    )


def downgrade() -> None:
    op.drop_table('gdv_import_runs')
