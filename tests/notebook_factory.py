"""Build exercise notebooks and curriculum trees in memory for tests."""
from pathlib import Path

import nbformat
import yaml


def nbgrader(grade_id: str, **flags) -> dict:
    """nbgrader metadata for a cell."""
    meta = {"grade_id": grade_id, "solution": False, "grade": False, "locked": False, "schema_version": 3}
    meta.update(flags)
    return {"nbgrader": meta}


def exercise_notebook(
    solution: str = "    return a + b",
    public: str = "assert tambah(1, 2) == 3, 'tambah(1, 2) harus 3'",
    hidden: str = "assert tambah(-5, 5) == 0, 'bilangan negatif'",
    points: int = 2,
):
    """A small valid exercise: explanation, answer cell, one test cell with a hidden part."""
    hidden_block = f"\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS" if hidden else ""
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Penjumlahan\nTulis fungsi `tambah`.", metadata=nbgrader("intro", locked=True)),
            nbformat.v4.new_code_cell(
                f"def tambah(a, b):\n    ### BEGIN SOLUTION\n{solution}\n    ### END SOLUTION",
                metadata=nbgrader("jawaban", solution=True),
            ),
            nbformat.v4.new_code_cell(
                public + hidden_block,
                metadata=nbgrader("tes-tambah", grade=True, locked=True, points=points),
            ),
        ]
    )


def track_data(exercises: list[dict], threshold: float = 0.7) -> dict:
    """A one-stage track holding ``exercises`` (entries as in a track file)."""
    return {
        "id": "jalur-uji",
        "title": {"id": "Jalur Uji"},
        "description": {"id": "Untuk pengujian."},
        "weeks": 2,
        "stages": [
            {
                "id": "tahap-satu",
                "title": {"id": "Tahap Satu"},
                "weeks": [1, 2],
                "pass_threshold": threshold,
                "exercises": exercises,
            }
        ],
    }


def exercise_entry(slug: str, notebook: str, week: int = 1) -> dict:
    """One exercise entry of a track file."""
    return {"id": slug, "notebook": notebook, "title": {"id": slug.title()}, "week": week, "minutes": 30}


def write_tree(root: Path, track: dict, notebooks: dict[str, object]) -> Path:
    """Write ``curricula/<id>.yaml`` and ``notebooks/<path>`` under ``root``."""
    (root / "curricula").mkdir(parents=True, exist_ok=True)
    (root / "curricula" / f"{track['id']}.yaml").write_text(yaml.safe_dump(track, allow_unicode=True))
    for path, nb in notebooks.items():
        target = root / "notebooks" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(nb if isinstance(nb, str) else nbformat.writes(nb))
    return root


def valid_tree(root: Path, **notebook_overrides) -> Path:
    """A valid one-exercise curriculum tree."""
    nb = exercise_notebook(**notebook_overrides)
    return write_tree(root, track_data([exercise_entry("tambah", "uji/tambah.ipynb")]), {"uji/tambah.ipynb": nb})
