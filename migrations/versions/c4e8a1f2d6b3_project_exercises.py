"""project exercises: exercise kind and project, version template, submission commit and snapshot

Revision ID: c4e8a1f2d6b3
Revises: d3f1a7c9e520
Create Date: 2026-12-01 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8a1f2d6b3'
down_revision = 'd3f1a7c9e520'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exercise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='notebook'))
        batch_op.add_column(sa.Column('project', sa.String(length=64), nullable=True))

    with op.batch_alter_table('exercise_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template_archive', sa.LargeBinary(), nullable=True))

    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commit_sha', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('via', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('snapshot', sa.LargeBinary(), nullable=True))
        batch_op.create_unique_constraint('uq_submission_commit', ['trainee_id', 'exercise_id', 'commit_sha'])


def downgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_constraint('uq_submission_commit', type_='unique')
        batch_op.drop_column('snapshot')
        batch_op.drop_column('via')
        batch_op.drop_column('commit_sha')

    with op.batch_alter_table('exercise_version', schema=None) as batch_op:
        batch_op.drop_column('template_archive')

    with op.batch_alter_table('exercise', schema=None) as batch_op:
        batch_op.drop_column('project')
        batch_op.drop_column('kind')
