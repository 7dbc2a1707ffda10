"""Failed logins are counted per login name, rate limits per bucket and window.

The lock moves from the users row to login_failures, keyed by the name
typed, so an unknown name locks like a real one. Failure counts and locks
in force are carried over; the users columns stay but are no longer read.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_failures',
    sa.Column('login', sa.String(length=120), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_failure_at', sa.DateTime(), nullable=False),
    sa.Column('lock_mailed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('login', name=op.f('pk_login_failures'))
    )
    op.create_index(op.f('ix_login_failures_last_failure_at'), 'login_failures',
                    ['last_failure_at'], unique=False)
    op.create_table('rate_limit_hits',
    sa.Column('bucket', sa.String(length=160), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('bucket', 'window_start', name=op.f('pk_rate_limit_hits'))
    )
    op.create_index(op.f('ix_rate_limit_hits_window_start'), 'rate_limit_hits',
                    ['window_start'], unique=False)
    op.execute(
        "INSERT INTO login_failures (login, failures, locked_until, last_failure_at) "
        "SELECT login, failed_logins, locked_until, COALESCE(last_login_at, created_at) "
        "FROM users WHERE failed_logins > 0 OR locked_until IS NOT NULL"
    )


def downgrade():
    op.drop_index(op.f('ix_rate_limit_hits_window_start'), table_name='rate_limit_hits')
    op.drop_table('rate_limit_hits')
    op.drop_index(op.f('ix_login_failures_last_failure_at'), table_name='login_failures')
    op.drop_table('login_failures')
