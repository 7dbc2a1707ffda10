"""BiPRO-Zugänge (technical logins of a broker), "Nur über BiPRO-Zugänge", the second factor.

A technical login is a users row with an owner: it works only at the STS,
for a set of services, and is revoked rather than deleted so its audit
trail and tokens keep their user. TOTP secrets are stored encrypted,
recovery codes as SHA-256 hashes.

Revision ID: 0012
Revises: 0007
Create Date: 2026-11-29 03:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('bipro_services', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_token_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('bipro_only', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.create_index(batch_op.f('ix_users_owner_user_id'), ['owner_user_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_users_owner_user_id_users'), 'users',
                                    ['owner_user_id'], ['id'])
        batch_op.add_column(sa.Column('totp_secret', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('totp_pending', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_recovery_codes_code_hash'))
    )
    op.create_index(op.f('ix_recovery_codes_user_id'), 'recovery_codes', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_recovery_codes_user_id'), table_name='recovery_codes')
    op.drop_table('recovery_codes')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_pending')
        batch_op.drop_column('totp_secret')
        batch_op.drop_constraint(batch_op.f('fk_users_owner_user_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_owner_user_id'))
        batch_op.drop_column('bipro_only')
        batch_op.drop_column('last_token_at')
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('bipro_services')
        batch_op.drop_column('owner_user_id')
