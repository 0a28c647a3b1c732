"""best-score table per trainee and exercise, filled from the existing submissions

Revision ID: b5c0e1d2f3a4
Revises: a7c3e9b1d2f4
Create Date: 2026-12-01 17:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import tic_academy.models.types
from tic_academy.models.best_scores import recompute


# revision identifiers, used by Alembic.
revision = 'b5c0e1d2f3a4'
down_revision = 'a7c3e9b1d2f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('best_score',
    sa.Column('trainee_id', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sa.Integer(), nullable=False),
    sa.Column('best_share', sa.Double(), nullable=True),
    sa.Column('first_pass_at', tic_academy.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submissions', sa.Integer(), nullable=False),
    sa.Column('last_submitted_at', tic_academy.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', tic_academy.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercise.id'], ),
    sa.ForeignKeyConstraint(['trainee_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('trainee_id', 'exercise_id')
    )
    with op.batch_alter_table('best_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_best_score_exercise_id'), ['exercise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_best_score_updated_at'), ['updated_at'], unique=False)
    # Fill it from the submissions already there, with the same query the app keeps it with.
    recompute(op.get_bind())


def downgrade():
    with op.batch_alter_table('best_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_best_score_updated_at'))
        batch_op.drop_index(batch_op.f('ix_best_score_exercise_id'))
    op.drop_table('best_score')
