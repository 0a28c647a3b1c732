"""personal_access_token: tokens for git over HTTPS, stored as SHA-256 hashes

Revision ID: d3f1a7c9e520
Revises: 7c3d9e1f2a64
Create Date: 2026-12-01 10:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import tic_academy.models.types


# revision identifiers, used by Alembic.
revision = 'd3f1a7c9e520'
down_revision = '7c3d9e1f2a64'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'personal_access_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('hint', sa.String(length=16), nullable=False),
        sa.Column('created_at', tic_academy.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', tic_academy.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('expires_at', tic_academy.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', tic_academy.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_personal_access_token_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_access_token')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_personal_access_token_token_hash')),
    )
    with op.batch_alter_table('personal_access_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_access_token_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('personal_access_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_access_token_user_id'))

    op.drop_table('personal_access_token')
