"""Real grading through the workspace endpoints: sandboxed kernels, no fakes."""
import pytest

from tests.conftest import require_or_skip
from tic_academy.extensions import db
from tic_academy.jobs.runners import get_engine, get_runner
from tic_academy.models import Submission
from tic_academy.services.submissions import grade_submission

from .conftest import SECRET

pytestmark = pytest.mark.kernel

BASE = "/peserta/api/latihan/tambah"
RIGHT = {"jawaban": "def tambah(a, b):\n    return a + b", "jawaban-dua": "kali = 6 * 7\nprint('<b>kali</b>', kali)"}
#: Passes the visible test (1 + 2 == 3) but not the hidden one with negatives.
WRONG = {"jawaban": "def tambah(a, b):\n    return abs(a) + abs(b)"}


@pytest.fixture
def real_runner(app):
    """The app's local runner with its sandboxed engine; submissions graded synchronously for the test."""
    engine = get_engine(app)
    require_or_skip(engine.unavailable is None, f"grading sandbox unavailable: {engine.unavailable}")
    runner = get_runner(app)
    runner.enqueue = lambda submission_id: grade_submission(submission_id, engine)
    return runner  # the app fixture's close_runner() stops the threads and kernels


def test_run_shows_outputs_up_to_the_cell(client, trainee, real_runner):
    """Does Run execute the example and answers up to the chosen cell and show their outputs, escaped?"""
    response = client.post(f"{BASE}/jalankan", json={"answers": RIGHT, "run_until": 4})
    assert response.status_code == 200, response.json
    html = {cell["grade_id"]: cell["html"] for cell in response.json["cells"]}
    assert "contoh" in html["contoh"]
    assert "&lt;b&gt;kali&lt;/b&gt; 42" in html["jawaban-dua"]
    assert response.json["tests"] == []


def test_check_then_submit_a_correct_solution_scores_full_marks(client, trainee, real_runner):
    """Does a correct solution pass Check and score full marks when submitted?"""
    check = client.post(f"{BASE}/periksa", json={"answers": RIGHT}).json
    assert [t["status"] for t in check["tests"]] == ["passed"]
    submitted = client.post(f"{BASE}/kumpulkan", json={"answers": RIGHT})
    assert submitted.status_code == 202
    status = client.get(submitted.json["status_url"]).json
    assert status["status"] == "graded" and status["score"] == status["max_score"] == 2.0


def test_wrong_solution_says_which_test_failed_without_hidden_source(client, trainee, real_runner):
    """Does a wrong submission name the failed test and its message, but never the hidden test's code?"""
    submitted = client.post(f"{BASE}/kumpulkan", json={"answers": WRONG})
    status = client.get(submitted.json["status_url"]).json
    assert status["score"] == 0.0
    test = status["tests"][0]
    assert test["grade_id"] == "tes-tambah" and test["status"] == "failed" and test["message"] == "bilangan negatif"
    assert SECRET not in str(status) and SECRET not in client.get(submitted.json["page_url"]).get_data(as_text=True)
    assert db.session.get(Submission, status["id"]).status == "graded"
