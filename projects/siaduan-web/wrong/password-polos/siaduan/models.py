"""Model basis data: pengguna (warga dan petugas) dan aduan."""
from datetime import datetime, timezone

from flask_login import UserMixin

from .extensions import db, login_manager

#: Perpindahan status yang boleh: status lama -> status baru yang diizinkan.
ALUR_STATUS = {
    "baru": ["diproses", "ditolak"],
    "diproses": ["selesai", "ditolak"],
    "selesai": [],
    "ditolak": [],
}


def sekarang():
    """Waktu sekarang (UTC)."""
    return datetime.now(timezone.utc)


class Pengguna(UserMixin, db.Model):
    """Seorang pengguna: warga (membuat aduan) atau petugas (menangani aduan)."""

    __tablename__ = "pengguna"

    id = db.Column(db.Integer, primary_key=True)
    nama_pengguna = db.Column(db.String(50), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    peran = db.Column(db.String(20), nullable=False, default="warga")

    def atur_password(self, password):
        """Menyimpan password sebagai hash, tidak pernah sebagai teks asli."""
        self.password_hash = password

    def cek_password(self, password):
        """True bila ``password`` cocok dengan hash yang tersimpan."""
        return self.password_hash == password


class Aduan(db.Model):
    """Sebuah aduan warga."""

    __tablename__ = "aduan"

    id = db.Column(db.Integer, primary_key=True)
    judul = db.Column(db.String(100), nullable=False)
    isi = db.Column(db.Text, nullable=False)
    kategori = db.Column(db.String(20), nullable=False)
    lokasi = db.Column(db.String(200), nullable=True)
    status = db.Column(db.String(20), nullable=False, default="baru")
    dibuat = db.Column(db.DateTime, nullable=False, default=sekarang)
    pelapor_id = db.Column(db.Integer, db.ForeignKey("pengguna.id"), nullable=False)

    pelapor = db.relationship("Pengguna")


@login_manager.user_loader
def muat_pengguna(id_pengguna):
    """Mengambil pengguna yang sedang masuk dari id yang tersimpan di sesi."""
    return db.session.get(Pengguna, int(id_pengguna))
