"""tambah kolom lokasi

Revision ID: 8c9d0e1f2a3b
Revises: 3f1a2b4c5d6e
Create Date: 2026-11-27 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c9d0e1f2a3b'
down_revision = '3f1a2b4c5d6e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('aduan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lokasi', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('aduan', schema=None) as batch_op:
        batch_op.drop_column('lokasi')
