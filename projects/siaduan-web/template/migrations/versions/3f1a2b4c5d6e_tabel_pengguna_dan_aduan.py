"""tabel pengguna dan aduan

Revision ID: 3f1a2b4c5d6e
Revises:
Create Date: 2026-11-20 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f1a2b4c5d6e'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pengguna',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('nama_pengguna', sa.String(length=50), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=False),
        sa.Column('peran', sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('nama_pengguna'),
    )
    op.create_table(
        'aduan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('judul', sa.String(length=100), nullable=False),
        sa.Column('isi', sa.Text(), nullable=False),
        sa.Column('kategori', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('dibuat', sa.DateTime(), nullable=False),
        sa.Column('pelapor_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['pelapor_id'], ['pengguna.id']),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade():
    op.drop_table('aduan')
    op.drop_table('pengguna')
