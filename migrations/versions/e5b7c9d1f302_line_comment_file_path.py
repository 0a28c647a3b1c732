"""line_comment: path and line_text, so a mentor can comment on a line of a project file

Revision ID: e5b7c9d1f302
Revises: d3a7c9e1f204
Create Date: 2026-12-01 11:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b7c9d1f302'
down_revision = 'd3a7c9e1f204'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('line_comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('path', sa.String(length=512), nullable=True))
        batch_op.add_column(sa.Column('line_text', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('line_comment', schema=None) as batch_op:
        batch_op.drop_column('line_text')
        batch_op.drop_column('path')
