# The conflict "resolved" by committing the file as git left it, markers and all.
git switch -q -c label-status
cp "$SOLUSI/aduan/status.py" aduan/status.py
git commit -q -am "Tambah label status aduan untuk petugas"
git switch -q main
git merge -q label-status
git merge -q --no-edit origin/fitur-kategori
git merge -q --no-edit origin/fitur-prioritas || true
git add -A
git commit -q -m "Gabungkan fitur prioritas ke main"
