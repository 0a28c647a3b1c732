"""Hidden test: a password is stored as a hash, never as the plain text."""


def test_password_disimpan_sebagai_hash(situs):
    client = situs.client()
    jawaban = situs.daftar(client)
    assert jawaban.status_code == 302, "pendaftaran yang benar harus diarahkan ke halaman masuk (302)"
    baris = situs.sql("SELECT password_hash, peran FROM pengguna WHERE nama_pengguna = ?",
                      (situs.WARGA["nama_pengguna"],))
    assert len(baris) == 1, "pendaftaran harus menyimpan satu pengguna"
    tersimpan, peran = baris[0]
    password = situs.WARGA["password"]
    assert password not in tersimpan, "password tidak boleh disimpan sebagai teks asli: simpan hash-nya"
    periksa = situs.modul("werkzeug.security").check_password_hash
    assert periksa(tersimpan, password) is True, "simpan hash buatan generate_password_hash dari Werkzeug"
    assert periksa(tersimpan, "password-lain") is False
    assert peran == "warga", "akun dari halaman daftar selalu berperan warga"
