"""Model basis data: pengguna (warga dan petugas) dan aduan."""
from datetime import datetime, timezone

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

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
        # TODO (tugas 1): simpan hash password di self.password_hash dengan generate_password_hash.
        raise NotImplementedError("TODO: atur_password")

    def cek_password(self, password):
        """True bila ``password`` cocok dengan hash yang tersimpan."""
        # TODO (tugas 1): bandingkan dengan check_password_hash (jangan membuat hash baru lalu membandingkan).
        raise NotImplementedError("TODO: cek_password")


class Aduan(db.Model):
    """Sebuah aduan warga."""

    __tablename__ = "aduan"

    id = db.Column(db.Integer, primary_key=True)
    judul = db.Column(db.String(100), nullable=False)
    isi = db.Column(db.Text, nullable=False)
    kategori = db.Column(db.String(20), nullable=False)
    # TODO (tugas 6): kolom lokasi (teks, paling panjang 200, boleh kosong) + migrasinya.
    status = db.Column(db.String(20), nullable=False, default="baru")
    dibuat = db.Column(db.DateTime, nullable=False, default=sekarang)
    pelapor_id = db.Column(db.Integer, db.ForeignKey("pengguna.id"), nullable=False)

    pelapor = db.relationship("Pengguna")


@login_manager.user_loader
def muat_pengguna(id_pengguna):
    """Mengambil pengguna yang sedang masuk dari id yang tersimpan di sesi."""
    return db.session.get(Pengguna, int(id_pengguna))
