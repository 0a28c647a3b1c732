# The reference history: one commit per task, as the README asks (run by validate in a fresh clone).
cp "$SOLUSI/siaduan/auth.py" siaduan/auth.py
git commit -q -am "Lindungi rute petugas dengan token dan peran"
cp "$SOLUSI/siaduan/warga.py" siaduan/warga.py
git commit -q -am "Rute warga: kirim aduan, papan publik, cek status dengan tiket"
cp "$SOLUSI/siaduan/aturan.py" siaduan/aturan.py
cp "$SOLUSI/siaduan/petugas.py" siaduan/petugas.py
git commit -q -am "Alur status aduan dengan 409 untuk perpindahan terlarang"
cp "$SOLUSI/siaduan/penyimpanan.py" siaduan/penyimpanan.py
git commit -q -am "Rekap aduan per kecamatan dan per status"
cp -R "$SOLUSI/." .
git add -A
git commit -q -m "Uji sendiri dan laporan proyek akhir"
