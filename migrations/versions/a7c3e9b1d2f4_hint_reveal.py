"""hints on request: the hints each trainee revealed

Revision ID: a7c3e9b1d2f4
Revises: 8d9aa3242d36
Create Date: 2026-12-01 17:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import tic_academy.models.types


# revision identifiers, used by Alembic.
revision = 'a7c3e9b1d2f4'
down_revision = '8d9aa3242d36'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'hint_reveal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('trainee_id', sa.Integer(), nullable=False),
        sa.Column('exercise_id', sa.Integer(), nullable=False),
        sa.Column('exercise_version_id', sa.Integer(), nullable=False),
        sa.Column('task_key', sa.String(length=255), nullable=False),
        sa.Column('hint_index', sa.Integer(), nullable=False),
        sa.Column('cost_share', sa.Double(), nullable=False),
        sa.Column('revealed_at', tic_academy.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['exercise_id'], ['exercise.id'], name=op.f('fk_hint_reveal_exercise_id_exercise')),
        sa.ForeignKeyConstraint(['exercise_version_id'], ['exercise_version.id'],
                                name=op.f('fk_hint_reveal_exercise_version_id_exercise_version')),
        sa.ForeignKeyConstraint(['trainee_id'], ['user.id'], name=op.f('fk_hint_reveal_trainee_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hint_reveal')),
        sa.UniqueConstraint('trainee_id', 'exercise_id', 'task_key', 'hint_index', name='uq_hint_reveal_hint'),
    )
    with op.batch_alter_table('hint_reveal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hint_reveal_exercise_id'), ['exercise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hint_reveal_trainee_id'), ['trainee_id'], unique=False)


def downgrade():
    with op.batch_alter_table('hint_reveal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hint_reveal_trainee_id'))
        batch_op.drop_index(batch_op.f('ix_hint_reveal_exercise_id'))
    op.drop_table('hint_reveal')
