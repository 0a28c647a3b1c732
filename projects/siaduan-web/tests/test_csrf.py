"""Hidden test: forms refuse a post without the CSRF token and accept one with it."""


def test_formulir_aduan_butuh_token_csrf(situs_csrf):
    client = situs_csrf.client()
    token = situs_csrf.token_csrf(situs_csrf.halaman(client.get("/auth/daftar")))
    assert token, "formulir daftar harus memuat token CSRF ({{ form.hidden_tag() }})"
    situs_csrf.daftar(client, token=token)
    token = situs_csrf.token_csrf(situs_csrf.halaman(client.get("/auth/masuk")))
    assert token, "formulir masuk harus memuat token CSRF"
    jawaban = situs_csrf.masuk(client, token=token)
    assert jawaban.status_code == 302, "masuk dengan token CSRF yang benar harus berhasil"

    tanpa_token = situs_csrf.kirim_aduan(client)
    assert tanpa_token.status_code == 400, "formulir yang dikirim tanpa token CSRF harus ditolak (400)"
    token = situs_csrf.token_csrf(situs_csrf.halaman(client.get("/aduan/baru")))
    assert token, "formulir aduan harus memuat token CSRF ({{ form.hidden_tag() }})"
    dengan_token = situs_csrf.kirim_aduan(client, csrf_token=token)
    assert dengan_token.status_code == 302, "formulir aduan dengan token CSRF yang benar harus diterima"
    assert situs_csrf.sql("SELECT COUNT(*) FROM aduan") == [(1,)], "hanya aduan yang membawa token yang tersimpan"
