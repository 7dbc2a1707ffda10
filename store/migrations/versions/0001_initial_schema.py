"""Initial schema: portfolio, credentials, transfer, activity, search indexes.

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 10:54:27.725471
"""

import sqlalchemy as sa
from alembic import op

from store.search_index import create_search_indexes, drop_search_indexes

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('brokers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('street', sa.String(length=80), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('town', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brokers')),
    sa.UniqueConstraint('number', name=op.f('uq_brokers_number'))
    )
    op.create_table('news',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news'))
    )
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('sparte', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('on_offer', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('code', name=op.f('uq_products_code'))
    )
    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('partner_number', sa.String(length=20), nullable=False),
    sa.Column('salutation', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=40), nullable=False),
    sa.Column('first_name', sa.String(length=60), nullable=False),
    sa.Column('last_name', sa.String(length=60), nullable=False),
    sa.Column('street', sa.String(length=80), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('town', sa.String(length=60), nullable=False),
    sa.Column('country', sa.String(length=3), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('birthday_mmdd', sa.String(length=4), nullable=True),
    sa.Column('email', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_customers_broker_id_brokers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('partner_number', name=op.f('uq_customers_partner_number'))
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index('ix_customers_broker_birth_date', ['broker_id', 'birth_date', 'id'], unique=False)
        batch_op.create_index('ix_customers_broker_birthday', ['broker_id', 'birthday_mmdd'], unique=False)
        batch_op.create_index('ix_customers_broker_first_name', ['broker_id', 'first_name', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_broker_id'), ['broker_id'], unique=False)
        batch_op.create_index('ix_customers_broker_last_name', ['broker_id', 'last_name', 'id'], unique=False)
        batch_op.create_index('ix_customers_broker_postcode', ['broker_id', 'postcode', 'id'], unique=False)
        batch_op.create_index('ix_customers_broker_street', ['broker_id', 'street', 'id'], unique=False)
        batch_op.create_index('ix_customers_broker_town', ['broker_id', 'town', 'id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('login', sa.String(length=60), nullable=False),
    sa.Column('password_hash', sa.String(length=100), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=120), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('password_changed_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_users_broker_id_brokers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('login', name=op.f('uq_users_login'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_broker_id'), ['broker_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('login', sa.String(length=60), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('broker_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_audit_events_broker_id_brokers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_broker_id'), ['broker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_event'), ['event'], unique=False)

    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('policy_number', sa.String(length=30), nullable=False),
    sa.Column('sparte', sa.String(length=3), nullable=False),
    sa.Column('product_code', sa.String(length=40), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('main_due_date', sa.Date(), nullable=True),
    sa.Column('payment_frequency', sa.Integer(), nullable=False),
    sa.Column('net_premium', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('gross_premium', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('stand', sa.Date(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_contracts_broker_id_brokers')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_contracts_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('policy_number', name=op.f('uq_contracts_policy_number'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index('ix_contracts_broker_gross', ['broker_id', 'gross_premium', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_broker_id'), ['broker_id'], unique=False)
        batch_op.create_index('ix_contracts_broker_net', ['broker_id', 'net_premium', 'id'], unique=False)
        batch_op.create_index('ix_contracts_broker_policy', ['broker_id', 'policy_number'], unique=False)
        batch_op.create_index('ix_contracts_broker_sparte', ['broker_id', 'sparte', 'id'], unique=False)
        batch_op.create_index('ix_contracts_broker_stand', ['broker_id', 'stand', 'id'], unique=False)
        batch_op.create_index('ix_contracts_broker_status_sparte', ['broker_id', 'status', 'sparte'], unique=False)
        batch_op.create_index('ix_contracts_broker_updated', ['broker_id', 'updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_customer_id'), ['customer_id'], unique=False)

    op.create_table('customer_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=False),
    sa.Column('new_value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_customer_changes_broker_id_brokers')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_changes_customer_id_customers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_customer_changes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_changes'))
    )
    with op.batch_alter_table('customer_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_changes_customer_id'), ['customer_id'], unique=False)

    op.create_table('enumeration_contexts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('context_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('max_items', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_enumeration_contexts_broker_id_brokers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_enumeration_contexts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enumeration_contexts')),
    sa.UniqueConstraint('context_hash', name=op.f('uq_enumeration_contexts_context_hash'))
    )
    with op.batch_alter_table('enumeration_contexts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enumeration_contexts_expires_at'), ['expires_at'], unique=False)

    op.create_table('password_reset_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_reset_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_tokens_token_hash'))
    )
    with op.batch_alter_table('password_reset_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('portal_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_portal_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_sessions')),
    sa.UniqueConstraint('session_hash', name=op.f('uq_portal_sessions_session_hash'))
    )
    with op.batch_alter_table('portal_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('security_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_security_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_security_tokens_token_hash'))
    )
    with op.batch_alter_table('security_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_security_tokens_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_claims_broker_id_brokers')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_claims_contract_id_contracts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims')),
    sa.UniqueConstraint('number', name=op.f('uq_claims_number'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claims_broker_id'), ['broker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_contract_id'), ['contract_id'], unique=False)

    op.create_table('shipments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=25), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=9), nullable=False),
    sa.Column('kind', sa.Integer(), nullable=False),
    sa.Column('data_only', sa.Boolean(), nullable=False),
    sa.Column('periodic', sa.Boolean(), nullable=False),
    sa.Column('sparte', sa.String(length=3), nullable=True),
    sa.Column('event_number', sa.String(length=40), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('available_until', sa.DateTime(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_shipments_broker_id_brokers')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_shipments_contract_id_contracts')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_shipments_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipments')),
    sa.UniqueConstraint('public_id', name=op.f('uq_shipments_public_id'))
    )
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipments_broker_id'), ['broker_id'], unique=False)
        batch_op.create_index('ix_shipments_broker_listing', ['broker_id', 'acknowledged_at', 'available_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_shipments_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shipments_customer_id'), ['customer_id'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('file_type', sa.String(length=20), nullable=False),
    sa.Column('document_type', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha1', sa.String(length=40), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_documents_broker_id_brokers')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_documents_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_broker_unread', ['broker_id', 'read_at', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_shipment_id'), ['shipment_id'], unique=False)

    op.create_table('gdv_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('broker_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=9), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('contract_count', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['broker_id'], ['brokers.id'], name=op.f('fk_gdv_exports_broker_id_brokers')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_gdv_exports_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gdv_exports'))
    )
    with op.batch_alter_table('gdv_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gdv_exports_broker_id'), ['broker_id'], unique=False)

    create_search_indexes(op.get_bind())


def downgrade() -> None:
    drop_search_indexes(op.get_bind())
    with op.batch_alter_table('gdv_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gdv_exports_broker_id'))

    op.drop_table('gdv_exports')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_shipment_id'))
        batch_op.drop_index('ix_documents_broker_unread')

    op.drop_table('documents')
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipments_customer_id'))
        batch_op.drop_index(batch_op.f('ix_shipments_contract_id'))
        batch_op.drop_index('ix_shipments_broker_listing')
        batch_op.drop_index(batch_op.f('ix_shipments_broker_id'))

    op.drop_table('shipments')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_contract_id'))
        batch_op.drop_index(batch_op.f('ix_claims_broker_id'))

    op.drop_table('claims')
    with op.batch_alter_table('security_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_security_tokens_user_id'))
        batch_op.drop_index(batch_op.f('ix_security_tokens_expires_at'))

    op.drop_table('security_tokens')
    with op.batch_alter_table('portal_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_sessions_user_id'))

    op.drop_table('portal_sessions')
    with op.batch_alter_table('password_reset_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_tokens_user_id'))

    op.drop_table('password_reset_tokens')
    with op.batch_alter_table('enumeration_contexts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enumeration_contexts_expires_at'))

    op.drop_table('enumeration_contexts')
    with op.batch_alter_table('customer_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_changes_customer_id'))

    op.drop_table('customer_changes')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contracts_customer_id'))
        batch_op.drop_index('ix_contracts_broker_updated')
        batch_op.drop_index('ix_contracts_broker_status_sparte')
        batch_op.drop_index('ix_contracts_broker_stand')
        batch_op.drop_index('ix_contracts_broker_sparte')
        batch_op.drop_index('ix_contracts_broker_policy')
        batch_op.drop_index('ix_contracts_broker_net')
        batch_op.drop_index(batch_op.f('ix_contracts_broker_id'))
        batch_op.drop_index('ix_contracts_broker_gross')

    op.drop_table('contracts')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_event'))
        batch_op.drop_index(batch_op.f('ix_audit_events_broker_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))

    op.drop_table('audit_events')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_broker_id'))

    op.drop_table('users')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index('ix_customers_broker_town')
        batch_op.drop_index('ix_customers_broker_street')
        batch_op.drop_index('ix_customers_broker_postcode')
        batch_op.drop_index('ix_customers_broker_last_name')
        batch_op.drop_index(batch_op.f('ix_customers_broker_id'))
        batch_op.drop_index('ix_customers_broker_first_name')
        batch_op.drop_index('ix_customers_broker_birthday')
        batch_op.drop_index('ix_customers_broker_birth_date')

    op.drop_table('customers')
    op.drop_table('products')
    op.drop_table('news')
    op.drop_table('brokers')
