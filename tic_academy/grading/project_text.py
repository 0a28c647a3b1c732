"""Every sentence project grading shows to people, in one place (the grading-message codes come at merge).

Trainees read the first group with their results; mentors read the flag messages on the review page.
"""

MESSAGES = {
    "missing_test": "Uji tidak ditemukan saat grading.",
    "not_run": "Uji tidak berjalan: proses pytest berhenti sebelum uji ini selesai.",
    "timeout_total": "Batas waktu total terlampaui; proses pytest dihentikan.",
    "incomplete": "Laporan pytest tidak lengkap: proses berhenti sebelum semua uji selesai.",
    "skipped": "Uji dilewati.",
    "collect_error": "Berkas uji tidak dapat dimuat: {message}",
    "bad_snapshot": "Isi commit tidak dapat dibaca: {error}",
    "too_large": "Isi commit terlalu besar untuk dinilai (lebih dari {mib} MiB, atau lebih dari 2000 berkas).",
    "flag_config": "berkas konfigurasi pytest/Python ditanam di repositori ({name}); platform mengabaikannya",
    "flag_pytest": "kode aplikasi menyentuh pytest ({name})",
    "flag_hook": "kode aplikasi mendefinisikan hook pytest ({name})",
    "flag_modules": "kode aplikasi mengubah atau membaca sys.modules",
    "flag_exit": "kode aplikasi memanggil os._exit",
    "flag_builtins": "kode aplikasi menyentuh builtins",
    "flag_report": "laporan pytest memuat uji yang tidak ada: {name}",
    "flag_report_twice": "laporan pytest memuat hasil ganda untuk uji {name}",
    "flag_unreadable": "berkas Python tidak dapat diperiksa ({error}); skor ditahan untuk mentor",
}
