# The conflict resolved by keeping main's side only: the category stays, the priority is lost.
git switch -q -c label-status
cp "$SOLUSI/aduan/status.py" aduan/status.py
git commit -q -am "Tambah label status aduan untuk petugas"
git switch -q main
git merge -q label-status
git merge -q --no-edit origin/fitur-kategori
git merge -q --no-edit origin/fitur-prioritas || true
git checkout -q --ours aduan/format.py
git add aduan/format.py
git commit -q -m "Selesaikan konflik format aduan dengan versi main"
