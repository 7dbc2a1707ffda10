"""Large documents are stored in slices (document_parts); documents.content may be empty.

A GDV file of a large portfolio is hundreds of megabytes: one BLOB/bytea
value would have to be built in memory and written in one statement.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 12:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'document_parts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                                name=op.f('fk_document_parts_document_id_documents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_parts')),
        sa.UniqueConstraint('document_id', 'seq', name=op.f('uq_document_parts_document_id_seq')),
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.alter_column('content', existing_type=sa.LargeBinary(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.alter_column('content', existing_type=sa.LargeBinary(), nullable=False)
    op.drop_table('document_parts')
