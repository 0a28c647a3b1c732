"""exercise rules and must_pass; test result titles and hints

Revision ID: 5a1c2e7d9b40
Revises: b2d4f6a8c031
Create Date: 2026-12-01 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a1c2e7d9b40'
down_revision = 'b2d4f6a8c031'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exercise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rules', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('must_pass', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('test_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('hint', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('test_result', schema=None) as batch_op:
        batch_op.drop_column('hint')
        batch_op.drop_column('title')

    with op.batch_alter_table('exercise', schema=None) as batch_op:
        batch_op.drop_column('must_pass')
        batch_op.drop_column('rules')
