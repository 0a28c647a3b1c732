"""Stages 2-3 of the shipped track: common-mistake sections, ungraded practice cells, classes taught before use."""
import re

import nbformat
import pytest
import yaml

from tic_academy.config import BASE_DIR
from tic_academy.grading import make_trainee_version
from tic_academy.grading.notebook import find_problems, is_practice

TRACK = BASE_DIR / "curricula" / "programmer-pemerintahan.yaml"
STAGES = ("data-dan-berkas", "basis-data-sql")
OOP_LESSON = "kelas-dan-objek"
#: A heading "Kesalahan umum" (any level).
COMMON_MISTAKES = re.compile(r"^#{1,6}\s+Kesalahan umum\b", re.MULTILINE)
#: A class statement, as a trainee would read or write it.
CLASS_STATEMENT = re.compile(r"^\s*class\s+\w+\s*[(:]", re.MULTILINE)


def track_entries():
    """Every notebook exercise of the track as (stage id, entry), in week order (track order within a week)."""
    track = yaml.safe_load(TRACK.read_text(encoding="utf-8"))
    entries = [(stage["id"], entry) for stage in track["stages"] for entry in stage["exercises"] if entry.get("notebook")]
    return sorted(entries, key=lambda pair: pair[1]["week"])


def read_notebook(entry):
    """The source notebook of a track entry."""
    return nbformat.read(BASE_DIR / "notebooks" / entry["notebook"], as_version=4)


def trainee_text(entry) -> str:
    """What a trainee reads and writes in an exercise: its markdown and the trainee version's code."""
    trainee = make_trainee_version(read_notebook(entry))
    return "\n".join(cell.source for cell in trainee.cells)


STAGE_ENTRIES = [entry for stage, entry in track_entries() if stage in STAGES]


@pytest.mark.parametrize("entry", STAGE_ENTRIES, ids=[e["id"] for e in STAGE_ENTRIES])
def test_notebook_has_common_mistakes_and_practice(entry):
    """Does every notebook of stages 2-3 have a "Kesalahan umum" section and a usable ungraded practice cell?"""
    nb = read_notebook(entry)
    markdown = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    assert COMMON_MISTAKES.search(markdown), f"{entry['notebook']}: no 'Kesalahan umum' heading"
    practice = [cell for cell in nb.cells if cell.cell_type == "code" and is_practice(cell)]
    assert practice, f"{entry['notebook']}: no ungraded practice cell (tic.practice)"
    assert find_problems(nbformat.writes(nb)) == []


def test_stages_cover_every_notebook_of_their_folders():
    """Does the test above see all 23 notebooks of stages 2-3 (a renamed stage would silently check nothing)?"""
    assert len(STAGE_ENTRIES) == 23
    assert OOP_LESSON in [entry["id"] for entry in STAGE_ENTRIES]


def test_no_notebook_uses_class_before_the_oop_lesson():
    """Walking the track in week order, does any notebook before the OOP lesson show a trainee a class statement?"""
    ids = [entry["id"] for _, entry in track_entries()]
    assert OOP_LESSON in ids, "the OOP lesson is not in the track"
    before = [entry for _, entry in track_entries()][: ids.index(OOP_LESSON)]
    early = [entry["notebook"] for entry in before if CLASS_STATEMENT.search(trainee_text(entry))]
    assert early == [], f"class used before the OOP lesson: {early}"


def test_class_check_sees_a_class_in_trainee_text():
    """Would the class check notice a class statement in markdown or visible code (it can fail)?"""
    assert CLASS_STATEMENT.search("```python\nclass KesalahanPajak(Exception):\n    pass\n```")
    assert CLASS_STATEMENT.search("class Aduan:\n    pass")
    assert not CLASS_STATEMENT.search("Setiap kelas (class) punya method.")
