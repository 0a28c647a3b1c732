"""login_failure: failed log-ins counted per (email, address) and per email; user lock columns go

Revision ID: b2d4f6a8c031
Revises: a1c3e5f70b21
Create Date: 2026-12-01 08:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import tic_academy.models.types


# revision identifiers, used by Alembic.
revision = 'b2d4f6a8c031'
down_revision = 'a1c3e5f70b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'login_failure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', tic_academy.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('locked_until', tic_academy.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure')),
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index('ix_login_failure_email_address', ['email', 'address'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_last_failure_at'), ['last_failure_at'], unique=False)

    # Locks now live in login_failure; a running lock is simply forgotten.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('locked_until')


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', tic_academy.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_last_failure_at'))
        batch_op.drop_index('ix_login_failure_email_address')

    op.drop_table('login_failure')
