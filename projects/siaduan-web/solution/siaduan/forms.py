"""Formulir HTML (Flask-WTF): kolom, aturan validasi dan pesan galatnya."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from .extensions import db
from .models import Pengguna

#: Kategori aduan yang dikenal.
KATEGORI = ["jalan", "sampah", "lampu", "drainase"]

#: Status yang bisa dipilih petugas (status awal selalu "baru").
PILIHAN_STATUS = ["diproses", "selesai", "ditolak"]


class DaftarForm(FlaskForm):
    """Pendaftaran akun warga."""

    nama_pengguna = StringField("Nama pengguna", validators=[
        DataRequired(message="Nama pengguna wajib diisi."),
        Length(min=3, max=50, message="Nama pengguna harus 3 sampai 50 karakter."),
        Regexp(r"^[a-z0-9_]+$", message="Nama pengguna hanya boleh huruf kecil, angka dan garis bawah."),
    ])
    password = PasswordField("Password", validators=[
        DataRequired(message="Password wajib diisi."),
        Length(min=8, message="Password minimal 8 karakter."),
    ])
    ulangi_password = PasswordField("Ulangi password", validators=[
        EqualTo("password", message="Kedua password harus sama."),
    ])

    def validate_nama_pengguna(self, kolom):
        """Nama pengguna tidak boleh sudah dipakai orang lain."""
        if db.session.scalar(db.select(Pengguna).filter_by(nama_pengguna=kolom.data)) is not None:
            raise ValidationError("Nama pengguna sudah dipakai.")


class MasukForm(FlaskForm):
    """Masuk (login)."""

    nama_pengguna = StringField("Nama pengguna", validators=[DataRequired(message="Nama pengguna wajib diisi.")])
    password = PasswordField("Password", validators=[DataRequired(message="Password wajib diisi.")])


class AduanForm(FlaskForm):
    """Aduan baru dari warga."""

    judul = StringField("Judul", validators=[
        DataRequired(message="Judul wajib diisi."),
        Length(min=5, max=100, message="Judul harus 5 sampai 100 karakter."),
    ])
    isi = TextAreaField("Isi aduan", validators=[
        DataRequired(message="Isi aduan wajib diisi."),
        Length(min=10, message="Isi aduan minimal 10 karakter."),
    ])
    kategori = SelectField("Kategori", choices=KATEGORI, validate_choice=False, validators=[
        AnyOf(KATEGORI, message="Pilih kategori dari daftar."),
    ])
    lokasi = StringField("Lokasi", validators=[
        Optional(),
        Length(max=200, message="Lokasi paling panjang 200 karakter."),
    ])


class StatusForm(FlaskForm):
    """Petugas mengubah status sebuah aduan."""

    status = SelectField("Status baru", choices=PILIHAN_STATUS, validate_choice=False, validators=[
        AnyOf(PILIHAN_STATUS, message="Status tidak dikenal."),
    ])
