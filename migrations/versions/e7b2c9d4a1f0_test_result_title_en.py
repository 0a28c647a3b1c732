"""test result: the task's English name (project tasks have id/en names)

Revision ID: e7b2c9d4a1f0
Revises: e5b7c9d1f302
Create Date: 2026-12-01 11:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7b2c9d4a1f0'
down_revision = 'e5b7c9d1f302'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('test_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_en', sa.String(length=200), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('test_result', schema=None) as batch_op:
        batch_op.drop_column('title_en')
