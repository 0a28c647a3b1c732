"""Hidden tests: the complaint form, its validation messages and saving."""
import pytest


def jumlah_aduan(situs):
    """How many complaints the database holds."""
    return situs.sql("SELECT COUNT(*) FROM aduan")[0][0]


@pytest.mark.validasi
def test_judul_kosong_ditampilkan_di_formulir(situs):
    client = situs.warga_masuk()
    jawaban = situs.kirim_aduan(client, judul="")
    assert jawaban.status_code == 200, "formulir yang salah harus ditampilkan lagi (200), bukan diarahkan"
    assert "Judul wajib diisi." in situs.halaman(jawaban), "pesan 'Judul wajib diisi.' harus tampil di halaman"
    assert jumlah_aduan(situs) == 0, "aduan yang tidak valid tidak boleh disimpan"


@pytest.mark.validasi
def test_judul_pendek_isi_pendek_kategori_asing(situs):
    client = situs.warga_masuk()
    jawaban = situs.kirim_aduan(client, judul="Aduh", isi="rusak", kategori="banjir")
    assert jawaban.status_code == 200, "formulir yang salah harus ditampilkan lagi (200)"
    html = situs.halaman(jawaban)
    assert "Judul harus 5 sampai 100 karakter." in html, "judul 4 karakter harus ditolak dengan pesannya"
    assert "Isi aduan minimal 10 karakter." in html, "isi yang terlalu pendek harus ditolak dengan pesannya"
    assert "Pilih kategori dari daftar." in html, "kategori yang tidak dikenal harus ditolak dengan pesannya"
    assert "rusak" in html, "isian warga harus tetap ada di formulir supaya tidak perlu mengetik ulang"
    assert jumlah_aduan(situs) == 0, "aduan yang tidak valid tidak boleh disimpan"


def test_aduan_valid_tersimpan(situs):
    client = situs.warga_masuk()
    jawaban = situs.kirim_aduan(client)
    assert jawaban.status_code == 302, "aduan yang valid disimpan lalu diarahkan (302)"
    assert "/aduan/1" in jawaban.headers["Location"], "setelah dikirim, arahkan ke halaman aduan itu"
    baris = situs.sql("SELECT a.judul, a.kategori, a.lokasi, a.status, p.nama_pengguna "
                      "FROM aduan a JOIN pengguna p ON p.id = a.pelapor_id")
    aduan = situs.ADUAN
    assert baris == [(aduan["judul"], "lampu", aduan["lokasi"], "baru", situs.WARGA["nama_pengguna"])], \
        "aduan harus tersimpan dengan judul, kategori, lokasi, status 'baru' dan pelapornya"
    html = situs.halaman(client.get("/aduan/1"))
    assert aduan["judul"] in html and aduan["lokasi"] in html, "halaman aduan harus menampilkan judul dan lokasinya"
    assert aduan["judul"] in situs.halaman(client.get("/aduan/")), "aduan baru harus tampil di daftar aduan saya"
