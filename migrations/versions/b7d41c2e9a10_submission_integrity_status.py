"""submission integrity status: a flagged submission's score is held for a mentor

Revision ID: b7d41c2e9a10
Revises: 09e6cf003aee
Create Date: 2026-12-01 07:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

import tic_academy.models.types


# revision identifiers, used by Alembic.
revision = 'b7d41c2e9a10'
down_revision = '09e6cf003aee'
branch_labels = None
depends_on = None


def upgrade():
    # Existing submissions stay "clear": they were graded and counted before holding existed.
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('integrity_status', sa.String(length=12), server_default='clear', nullable=False))
        batch_op.add_column(sa.Column('integrity_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('integrity_decided_at', tic_academy.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_submission_integrity_decided_at'), ['integrity_decided_at'], unique=False)


def downgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_integrity_decided_at'))
        batch_op.drop_column('integrity_decided_at')
        batch_op.drop_column('integrity_reason')
        batch_op.drop_column('integrity_status')
