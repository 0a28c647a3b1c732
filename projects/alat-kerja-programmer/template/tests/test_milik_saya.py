"""Uji milik Anda (README langkah 8): tulis minimal dua fungsi uji di berkas ini."""
# Setiap uji adalah fungsi biasa tanpa parameter, namanya diawali test_, dan berisi assert.
# Contoh bentuknya (hapus tanda # di depan baris-baris di bawah ini untuk memakainya):
#
# from rekap_aduan.hitung import persen_selesai
#
#
# def test_persen_selesai_setengah():
#     daftar = [{"status": "selesai"}, {"status": "baru"}]
#     assert persen_selesai(daftar) == 50.0
