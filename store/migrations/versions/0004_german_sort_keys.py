"""Customers carry German sort keys; the list indexes sort by them.

Names and addresses sorted by code point put "Böhm" after "Busch". The keys
(store.sort_keys, DIN 5007 variant 1) are filled for existing rows here, in
batches, and the (broker, column, id) indexes move to the key columns.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 14:00:00
"""

import sqlalchemy as sa
from alembic import op

from store.progress import bar
from store.sort_keys import customer_sort_keys

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# (index name, text column, sort-key column)
SORTED_TEXT = (
    ('ix_customers_broker_first_name', 'first_name', 'first_name_sort'),
    ('ix_customers_broker_last_name', 'last_name', 'last_name_sort'),
    ('ix_customers_broker_street', 'street', 'street_sort'),
    ('ix_customers_broker_town', 'town', 'town_sort'),
)
BATCH = 5_000


def upgrade() -> None:
    # Plain ADD COLUMN and index statements: a batch operation would make
    # SQLite copy the table and drop the search index's triggers with it.
    for _index, _text, key in SORTED_TEXT:
        op.add_column('customers', sa.Column(key, sa.Text(), nullable=False, server_default=''))
    _fill_keys()
    for index, _text, key in SORTED_TEXT:
        op.drop_index(index, table_name='customers')
        op.create_index(index, 'customers', ['broker_id', key, 'id'], unique=False)


def _fill_keys() -> None:
    """Keys for the rows already there, a batch at a time in id order."""
    conn = op.get_bind()
    customers = sa.table('customers', sa.column('id', sa.Integer),
                         *(sa.column(name, sa.Text) for _i, text, key in SORTED_TEXT
                           for name in (text, key)))
    write = (sa.update(customers).where(customers.c.id == sa.bindparam('row_id'))
             .values({key: sa.bindparam(key) for _i, _t, key in SORTED_TEXT}))
    total = conn.scalar(sa.select(sa.func.count()).select_from(customers))
    last = 0
    with bar('Sortierschlüssel', total, 'Kunden') as counter:
        while True:
            rows = conn.execute(
                sa.select(customers.c.id, customers.c.first_name, customers.c.last_name,
                          customers.c.street, customers.c.town)
                .where(customers.c.id > last).order_by(customers.c.id).limit(BATCH)).all()
            if not rows:
                return
            conn.execute(write, [{'row_id': r.id, **customer_sort_keys(r.first_name, r.last_name, r.street, r.town)}
                                 for r in rows])
            counter.update(len(rows))
            last = rows[-1].id


def downgrade() -> None:
    for index, text, _key in SORTED_TEXT:
        op.drop_index(index, table_name='customers')
        op.create_index(index, 'customers', ['broker_id', text, 'id'], unique=False)
    with op.batch_alter_table('customers', schema=None) as batch_op:
        for _index, _text, key in SORTED_TEXT:
            batch_op.drop_column(key)
