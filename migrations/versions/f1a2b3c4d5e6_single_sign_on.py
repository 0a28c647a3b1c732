"""single sign-on: the user's identity at the city's provider, and admin switches

Revision ID: f1a2b3c4d5e6
Revises: e7b2c9d4a1f0
Create Date: 2026-12-01 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import tic_academy.models.types


# revision identifiers, used by Alembic.
revision = 'f1a2b3c4d5e6'
down_revision = 'e7b2c9d4a1f0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oidc_issuer', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('oidc_subject', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint('uq_user_oidc_identity', ['oidc_issuer', 'oidc_subject'])
    op.create_table(
        'site_setting',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.String(length=255), nullable=False),
        sa.Column('updated_at', tic_academy.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_site_setting_updated_by_id_user')),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_site_setting')),
    )


def downgrade():
    op.drop_table('site_setting')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint('uq_user_oidc_identity', type_='unique')
        batch_op.drop_column('oidc_subject')
        batch_op.drop_column('oidc_issuer')
