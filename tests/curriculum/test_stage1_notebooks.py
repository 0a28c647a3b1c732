"""Stage 1 notebooks (Dasar Python): common mistakes, ungraded practice cells, and tools explained before use."""
import ast
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from tic_academy.grading.notebook import cell_kind, is_practice, is_test, nbgrader_meta, points
from tic_academy.grading.trainee import make_trainee_version

ROOT = Path(__file__).resolve().parents[2]
TRACK = ROOT / "curricula" / "programmer-pemerintahan.yaml"
#: The stages whose notebooks this file checks (nb-b's twin test covers stages 2 and 3).
STAGES = ["dasar-python"]

KESALAHAN = re.compile(r"^#+\s*Kesalahan umum\b", re.MULTILINE)
LATIHAN = re.compile(r"^#+\s*Latihan bebas \(tidak dinilai\)", re.MULTILINE)


def track_notebooks(stages=None):
    """(exercise id, notebook path) of the track's notebook exercises, in track order."""
    data = yaml.safe_load(TRACK.read_text(encoding="utf-8"))
    found = []
    for stage in data["stages"]:
        if stages is not None and stage["id"] not in stages:
            continue
        for entry in stage["exercises"]:
            if entry.get("notebook"):
                found.append((entry["id"], ROOT / "notebooks" / entry["notebook"]))
    return found


def read(path):
    """The source notebook."""
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("exercise, path", track_notebooks(STAGES), ids=lambda v: v if isinstance(v, str) else "")
def test_notebook_has_common_mistakes(exercise, path):
    """A markdown "Kesalahan umum" section with at least three mistakes, each with its wrong code."""
    sections = [c.source for c in read(path).cells if c.cell_type == "markdown" and KESALAHAN.search(c.source)]
    assert sections, f"{exercise}: no '## Kesalahan umum' section"
    mistakes = re.findall(r"^\*\*\d+\.", sections[0], re.MULTILINE)
    assert 3 <= len(mistakes) <= 5, f"{exercise}: 'Kesalahan umum' should list 3-5 numbered mistakes, found {len(mistakes)}"
    assert sections[0].count("```python") >= len(mistakes), f"{exercise}: every mistake shows its wrong code"


@pytest.mark.parametrize("exercise, path", track_notebooks(STAGES), ids=lambda v: v if isinstance(v, str) else "")
def test_notebook_has_ungraded_practice_cells(exercise, path):
    """After a "Latihan bebas (tidak dinilai)" heading: editable answer cells, worth nothing, with no test after them."""
    nb = read(path)
    start = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and LATIHAN.search(c.source)), None)
    assert start is not None, f"{exercise}: no '## Latihan bebas (tidak dinilai)' section"
    after = nb.cells[start + 1:]
    practice = [c for c in after if c.cell_type == "code" and cell_kind(c) == "answer"]
    assert practice, f"{exercise}: no practice cell after 'Latihan bebas'"
    assert all(is_practice(c) for c in practice), f"{exercise}: practice cells need the metadata tic.practice"
    assert not any(is_test(c) for c in after), f"{exercise}: a test cell after 'Latihan bebas' could grade practice code"
    for cell in practice:
        meta = nbgrader_meta(cell)
        assert not meta.get("grade") and points(cell) == 0, f"{exercise}: practice cell {meta.get('grade_id')} is graded"
    # What the trainee receives: the starter as written (the example answer stays folded in the prompt).
    trainee = make_trainee_version(nb).cells[start + 1:]
    for source_cell, trainee_cell in zip(after, trainee):
        if source_cell in practice:
            assert trainee_cell.source == source_cell.source
            assert "BEGIN SOLUTION" not in trainee_cell.source


def first_use(tool, tree):
    """Does this parsed code use the tool (isinstance, zip, or * / ** unpacking)?"""
    for node in ast.walk(tree):
        if tool in ("isinstance", "zip") and isinstance(node, ast.Call) and getattr(node.func, "id", None) == tool:
            return True
        if tool == "unpacking" and (
            isinstance(node, ast.Starred)
            or (isinstance(node, ast.keyword) and node.arg is None)
            or (isinstance(node, ast.Dict) and None in node.keys)
            or (isinstance(node, ast.arguments) and (node.vararg or node.kwarg))
        ):
            return True
    return False


def code_tree(source):
    """The cell's code as a syntax tree (IPython %/! lines dropped); None when it does not parse."""
    kept = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        return ast.parse(kept)
    except SyntaxError:
        return None


#: What an explanation of the tool contains, in a markdown cell.
EXPLAINED = {"isinstance": "isinstance(", "zip": "zip(", "unpacking": "**kwargs"}


@pytest.mark.parametrize("tool", sorted(EXPLAINED))
def test_tool_is_explained_in_stage1_before_its_first_use(tool):
    """The first code in track order that uses the tool comes after a stage-1 markdown cell explaining it."""
    stage1 = {path for _, path in track_notebooks(STAGES)}
    explained_in = None
    for exercise, path in track_notebooks():
        for cell in read(path).cells:
            if cell.cell_type == "markdown" and EXPLAINED[tool] in cell.source and explained_in is None:
                explained_in = (exercise, path)
            tree = code_tree(cell.source) if cell.cell_type == "code" else None
            if tree is not None and first_use(tool, tree):
                assert explained_in is not None, f"{tool} is used in {exercise} before any notebook explains it"
                assert explained_in[1] in stage1, f"{tool} is first explained in {explained_in[0]}, not in stage 1"
                return
    pytest.fail(f"{tool} is never used in the track")
