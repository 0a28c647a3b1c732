"""Fixtures for hints on request: the workspace test track with hints on the "tambah" exercise."""
import nbformat
import pytest

from tests.notebook_factory import nbgrader
from tests.trainee.conftest import build_curriculum, enroll, workspace_notebook
from tic_academy.extensions import db
from tic_academy.models import Exercise
from tic_academy.services import notebooks

FIRST = "Coba baca lagi pesan tesnya."
SECOND = "Operator `+` menjumlahkan dua bilangan."
THIRD = "RAHASIA-KETIGA: kembalikan hasil penjumlahan a dan b."


def hinted_notebook(cost: float = 0.0):
    """The workspace notebook: "tes-tambah" (2 points) has three hints; a second test "tes-dua" (3 points) has none."""
    nb = workspace_notebook()
    test = next(cell for cell in nb.cells if cell.metadata["nbgrader"]["grade_id"] == "tes-tambah")
    test.metadata["tic"] = {"hints": [{"text": FIRST}, {"text": SECOND, "text_en": "The `+` operator adds."},
                                      {"text": THIRD}], "hint_cost": cost}
    nb.cells.append(nbformat.v4.new_code_cell("assert kali == 42", metadata=nbgrader("tes-dua", grade=True, locked=True,
                                                                                         points=3)))
    return nb


def use_hints(exercise: Exercise, cost: float) -> None:
    """Give the exercise's current version the hinted notebook (a new checksum, so no stale cache)."""
    version = exercise.current_version
    version.source = nbformat.writes(hinted_notebook(cost))
    version.checksum = f"hinted-{cost}"
    version.max_score = 5.0
    db.session.commit()
    notebooks.clear_cache()


@pytest.fixture
def track(app):
    """The two-stage workspace test track."""
    return build_curriculum()


@pytest.fixture
def exercise(track):
    """The open "tambah" exercise with free hints (tests change the cost with ``use_hints``)."""
    found = track.stages[0].exercises[0]
    use_hints(found, 0.0)
    return found


@pytest.fixture
def mentor(make_user):
    """The trainee's mentor."""
    return make_user(role="mentor", full_name="Mentor Petunjuk")


@pytest.fixture
def trainee(make_user, track, mentor, exercise):
    """A trainee of ``mentor`` enrolled in the track (not logged in)."""
    user = make_user(role="trainee", full_name="Peserta Petunjuk")
    enroll(user, track, mentor=mentor)
    return user
