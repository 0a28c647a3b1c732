"""Hidden test: what a warga writes is shown as text, never run as HTML (XSS)."""

SKRIP = '<script>alert("xss")</script>'
GAMBAR = "<img src=x onerror=alert(1)>"


def test_judul_dan_isi_di_escape(situs):
    client = situs.warga_masuk()
    jawaban = situs.kirim_aduan(client, judul=f"Awas {SKRIP}", isi=f"Baris pertama\n{GAMBAR} dan {SKRIP}")
    assert jawaban.status_code == 302, "aduan berisi tanda < dan > tetap aduan yang sah"
    petugas = situs.petugas_masuk()
    for nama, html in (("halaman aduan", situs.halaman(client.get("/aduan/1"))),
                       ("daftar aduan saya", situs.halaman(client.get("/aduan/"))),
                       ("halaman aduan (petugas)", situs.halaman(petugas.get("/aduan/1"))),
                       ("daftar petugas", situs.halaman(petugas.get("/petugas/")))):
        assert "<script>alert" not in html and "<img src=x" not in html, \
            f"{nama}: tulisan warga tampil sebagai HTML (XSS); jangan pakai |safe untuk data pengguna"
        assert "&lt;script&gt;" in html, f"{nama}: judul aduan harus tampil sebagai teks yang di-escape"
