# Everything right, but the trainee's own commit says nothing: "update".
git switch -q -c label-status
cp "$SOLUSI/aduan/status.py" aduan/status.py
git commit -q -am "update"
git switch -q main
git merge -q label-status
git merge -q --no-edit origin/fitur-kategori
git merge -q --no-edit origin/fitur-prioritas || true
cp "$SOLUSI/aduan/format.py" aduan/format.py
git add aduan/format.py
git commit -q -m "Gabungkan fitur prioritas dengan fitur kategori pada format aduan"
