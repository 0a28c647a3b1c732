# Only fitur-kategori merged; fitur-prioritas forgotten.
git switch -q -c label-status
cp "$SOLUSI/aduan/status.py" aduan/status.py
git commit -q -am "Tambah label status aduan untuk petugas"
git switch -q main
git merge -q label-status
git merge -q --no-edit origin/fitur-kategori
