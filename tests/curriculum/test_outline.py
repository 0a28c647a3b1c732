"""The README's track outline is made from the track file and must agree with it."""
import yaml

from tic_academy.config import BASE_DIR
from tic_academy.curriculum.outline import BEGIN, END, outline, replace_in

TRACK = BASE_DIR / "curricula" / "programmer-pemerintahan.yaml"


def test_readme_outline_matches_the_track_file():
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert readme == replace_in(readme, outline(TRACK)), (
        "README outline is stale: run `flask --app wsgi curriculum outline --write README.md`")


def _tree(tmp_path, exercises):
    (tmp_path / "curricula").mkdir()
    (tmp_path / "notebooks" / "t").mkdir(parents=True)
    track = {"id": "t", "title": {"id": "T"}, "weeks": 2, "hours_per_week": 1, "stages": [
        {"id": "s", "title": {"id": "S", "en": "S"}, "weeks": [1, 2], "pass_threshold": 0.7, "exercises": exercises}]}
    path = tmp_path / "curricula" / "t.yaml"
    path.write_text(yaml.safe_dump(track), encoding="utf-8")
    return path


def test_hours_count_required_exercises_only(tmp_path):
    path = _tree(tmp_path, [
        {"id": "a", "notebook": "t/a.ipynb", "title": {"id": "A"}, "week": 1, "minutes": 90},
        {"id": "b", "notebook": "t/b.ipynb", "title": {"id": "B"}, "week": 1, "minutes": 30, "required": False},
        {"id": "c", "notebook": "t/c.ipynb", "title": {"id": "C"}, "week": 2, "minutes": 60, "required": True},
    ])
    (tmp_path / "notebooks" / "t" / "a.wrong.yaml").write_text(
        "wrong_answers:\n  - id: x\n  - id: y\n", encoding="utf-8")
    text = outline(path)
    assert "| hours (required) | 1.5 | 1 |" in text
    assert "| hours (optional) | 0.5 | 0 |" in text
    assert "| S | weeks 1–2 | 2 | 0 | 1 | 2 |" in text
    assert "week 1: B (30 min, 0 wrong answers) — optional" in text
    assert "week 1: A (90 min, 2 wrong answers)" in text
    assert "2 required exercises (0 of them git projects)" in text


def test_replace_in_keeps_the_text_around_the_markers():
    text = f"before\n{BEGIN}\nold\n{END}\nafter\n"
    assert replace_in(text, "new\n") == f"before\n{BEGIN}\n\nnew\n\n{END}\nafter\n"
