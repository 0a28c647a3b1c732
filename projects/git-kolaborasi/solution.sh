# The solution's history, as the README walks a trainee through it (run by validate in a clone; see
# docs/contributing.md "Repository checks"). $SOLUSI is this project's solution/ folder.
git switch -q -c label-status
cp "$SOLUSI/aduan/status.py" aduan/status.py
git commit -q -am "Tambah label status aduan untuk petugas"
git switch -q main
git merge -q label-status
git merge -q --no-edit origin/fitur-kategori
git merge -q --no-edit origin/fitur-prioritas || true   # the prepared conflict in aduan/format.py
cp "$SOLUSI/aduan/format.py" aduan/format.py            # resolved: both features together
git add aduan/format.py
git commit -q -m "Gabungkan fitur prioritas dengan fitur kategori pada format aduan"
