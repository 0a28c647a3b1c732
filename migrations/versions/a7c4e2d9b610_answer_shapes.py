"""answer shapes: the shape of each submission's answer, and mentors' comments saved for a shape

Revision ID: a7c4e2d9b610
Revises: f1a2b3c4d5e6
Create Date: 2026-12-01 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import tic_academy.models.types


# revision identifiers, used by Alembic.
revision = 'a7c4e2d9b610'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shape', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_submission_exercise_shape', ['exercise_id', 'shape'], unique=False)
    op.create_table(
        'shape_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('exercise_id', sa.Integer(), nullable=False),
        sa.Column('shape', sa.String(length=64), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('created_at', tic_academy.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', tic_academy.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_shape_feedback_author_id_user')),
        sa.ForeignKeyConstraint(['exercise_id'], ['exercise.id'], name=op.f('fk_shape_feedback_exercise_id_exercise')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shape_feedback')),
        sa.UniqueConstraint('exercise_id', 'shape', 'author_id', name='uq_shape_feedback_author'),
    )
    with op.batch_alter_table('shape_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shape_feedback_exercise_id'), ['exercise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shape_feedback_shape'), ['shape'], unique=False)


def downgrade():
    with op.batch_alter_table('shape_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shape_feedback_shape'))
        batch_op.drop_index(batch_op.f('ix_shape_feedback_exercise_id'))
    op.drop_table('shape_feedback')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index('ix_submission_exercise_shape')
        batch_op.drop_column('shape')
