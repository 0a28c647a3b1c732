"""The workspace's JSON endpoints: drafts, run, check, submit, upload, submission status."""
import io
import json

import nbformat
import pytest
from sqlalchemy import func, select

from tic_academy.extensions import db
from tic_academy.grading import SandboxUnavailable
from tic_academy.models import Exercise, Submission
from tic_academy.models.work import Draft
from tic_academy.services.submissions import grading_job

from .conftest import SECRET

BASE = "/peserta/api/latihan/tambah"
ANSWER = "def tambah(a, b):\n    return a + b"


def exercise(slug="tambah") -> Exercise:
    return db.session.scalar(select(Exercise).where(Exercise.slug == slug))


def draft_of(user) -> Draft | None:
    return db.session.scalar(select(Draft).where(Draft.trainee_id == user.id))


# --- drafts -------------------------------------------------------------------


def test_autosave_then_read_back(client, trainee):
    """Does a saved draft come back with a higher revision (as after a reload)?"""
    response = client.post(f"{BASE}/draf", json={"answers": {"jawaban": ANSWER}, "revision": 0})
    assert response.status_code == 200 and response.json["revision"] == 1
    response = client.post(f"{BASE}/draf", json={"answers": {"jawaban": ANSWER + "  # lagi"}, "revision": 1})
    assert response.json["revision"] == 2
    data = client.get(f"{BASE}/draf").json
    assert data["revision"] == 2 and data["answers"]["jawaban"].endswith("# lagi")
    assert data["answers"]["jawaban-dua"].startswith("# TULIS JAWABAN")


def test_save_from_an_older_tab_is_refused_with_the_newer_draft(client, trainee):
    """If two tabs edit, is the older one told (409 with the newer answers) instead of overwriting?"""
    client.post(f"{BASE}/draf", json={"answers": {"jawaban": "tab A"}, "revision": 0})
    client.post(f"{BASE}/draf", json={"answers": {"jawaban": "tab A lagi"}, "revision": 1})
    stale = client.post(f"{BASE}/draf", json={"answers": {"jawaban": "tab B"}, "revision": 1})
    assert stale.status_code == 409
    assert stale.json["draft"]["answers"]["jawaban"] == "tab A lagi"
    assert stale.json["draft"]["revision"] == 2
    db.session.expire_all()
    assert draft_of(trainee).answers["jawaban"] == "tab A lagi"
    # Choosing "keep mine" saves against the newer revision.
    assert client.post(f"{BASE}/draf", json={"answers": {"jawaban": "tab B"}, "revision": 2}).status_code == 200


def test_first_save_racing_another_tab_conflicts(client, trainee):
    """Does a first save (revision 0) conflict when another tab already created the draft?"""
    client.post(f"{BASE}/draf", json={"answers": {"jawaban": "tab A"}, "revision": 0})
    response = client.post(f"{BASE}/draf", json={"answers": {"jawaban": "tab B"}, "revision": 0})
    assert response.status_code == 409


def test_drafts_belong_to_their_trainee(app, client, auth, trainee, make_trainee):
    """Can a trainee read or overwrite another trainee's draft? (No: each sees only their own.)"""
    client.post(f"{BASE}/draf", json={"answers": {"jawaban": "milik peserta A"}, "revision": 0})
    other = make_trainee()
    other_client = app.test_client()
    other_client.post("/masuk", data={"email": other.email, "password": "rahasia-sekali-123"})
    seen = other_client.get(f"{BASE}/draf").json
    assert seen["revision"] == 0 and "milik peserta A" not in json.dumps(seen)
    assert other_client.post(f"{BASE}/draf", json={"answers": {"jawaban": "milik B"}, "revision": 0}).status_code == 200
    db.session.expire_all()
    assert draft_of(trainee).answers == {"jawaban": "milik peserta A"}
    assert draft_of(other).answers == {"jawaban": "milik B"}


def test_malformed_draft_is_refused(client, trainee):
    """Are non-text answers or a missing revision refused with 400?"""
    assert client.post(f"{BASE}/draf", json={"answers": {"jawaban": 5}, "revision": 0}).status_code == 400
    assert client.post(f"{BASE}/draf", json={"answers": {"jawaban": "x"}}).status_code == 400
    assert client.post(f"{BASE}/draf", json={"answers": "x", "revision": 0}).status_code == 400
    assert draft_of(trainee) is None


def test_answers_for_unknown_or_test_cells_are_dropped(client, trainee):
    """Are answers for cells that are not answer cells (e.g. a test cell) left out of the draft?"""
    client.post(f"{BASE}/draf", json={"answers": {"jawaban": ANSWER, "tes-tambah": "pass", "siapa": "x"}, "revision": 0})
    assert draft_of(trainee).answers == {"jawaban": ANSWER}


def test_draft_of_locked_stage_is_refused(client, trainee):
    """Can a trainee save a draft for an exercise of a locked stage? (No: 403.)"""
    response = client.post("/peserta/api/latihan/kurang/draf", json={"answers": {}, "revision": 0})
    assert response.status_code == 403
    assert "Tahap Satu" in response.json["error"]  # the page shows why, not just "Access denied"
    assert client.get("/peserta/api/latihan/kurang/draf").status_code == 403


# --- run and check -------------------------------------------------------------


def test_check_sends_job_to_runner_and_renders_outputs(client, trainee, fake_runner):
    """Does Check hand a check job (source and answers) to the runner and return rendered outputs and tests?"""
    response = client.post(f"{BASE}/periksa", json={"answers": {"jawaban": ANSWER}})
    assert response.status_code == 200
    job = fake_runner.jobs[0]
    assert job["mode"] == "check" and job["answers"] == {"jawaban": ANSWER}
    assert job["source"] == exercise().current_version.source
    assert response.json["tests"][0]["status"] == "passed"
    assert response.json["cells"][0]["html"] == '<pre class="nb-stream">contoh\n</pre>'


def test_the_job_is_built_by_the_submissions_service(client, trainee, fake_runner):
    """Is the job Run hands to the runner exactly the service's grading_job, with the exercise's limits and rules?"""
    client.post(f"{BASE}/jalankan", json={"answers": {"jawaban": ANSWER}, "run_until": 2})
    expected = grading_job(exercise(), {"jawaban": ANSWER}, "run", 2)
    assert fake_runner.jobs == [expected]
    assert {"limits", "allowed_imports", "rules"} <= set(expected)


def test_run_passes_the_cell_to_run_until(client, trainee, fake_runner):
    """Does Run (Shift+Enter) run in run mode up to the given cell, and refuse a cell that does not exist?"""
    assert client.post(f"{BASE}/jalankan", json={"answers": {}, "run_until": 2}).status_code == 200
    assert fake_runner.jobs[-1]["mode"] == "run" and fake_runner.jobs[-1]["run_until"] == 2
    assert client.post(f"{BASE}/jalankan", json={"answers": {}, "run_until": 99}).status_code == 400
    assert client.post(f"{BASE}/jalankan", json={"answers": {}, "run_until": "2"}).status_code == 400
    assert len(fake_runner.jobs) == 1


def test_script_in_an_output_is_never_sent_as_markup(client, trainee, fake_runner):
    """Is a <script> printed or displayed by notebook code escaped or removed before it reaches the page?"""
    fake_runner.result["cells"] = [{
        "index": 1, "grade_id": "contoh", "kind": "locked", "execution_count": 1,
        "outputs": [
            {"output_type": "stream", "name": "stdout", "text": "<script>alert('stream')</script>"},
            {"output_type": "display_data", "metadata": {},
             "data": {"text/html": "<table><tr><td>1</td></tr></table><script>alert('html')</script>", "text/plain": "x"}},
        ],
    }]
    html = client.post(f"{BASE}/periksa", json={"answers": {}}).json["cells"][0]["html"]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;stream&#x27;)" in html or "&lt;script&gt;alert('stream')" in html
    assert "<table>" in html and "alert('html')" not in html


def test_unavailable_sandbox_gives_a_calm_message(client, trainee, fake_runner):
    """When the sandbox is missing, does Check answer 503 with an explanation instead of crashing?"""
    fake_runner.error = SandboxUnavailable("bwrap missing")
    response = client.post(f"{BASE}/periksa", json={"answers": {}})
    assert response.status_code == 503 and response.json["error"]


def test_check_of_locked_stage_never_reaches_the_runner(client, trainee, fake_runner):
    """Is Check on an exercise of a locked stage refused before any code is run?"""
    assert client.post("/peserta/api/latihan/kurang/periksa", json={"answers": {}}).status_code == 403
    assert fake_runner.jobs == []


# --- submit and status ------------------------------------------------------------


def test_submit_records_then_queues(client, trainee, fake_runner):
    """Does Submit record a queued submission with the answers, then hand its id to the runner?"""
    response = client.post(f"{BASE}/kumpulkan", json={"answers": {"jawaban": ANSWER}})
    assert response.status_code == 202
    submission = db.session.get(Submission, response.json["submission"]["id"])
    assert submission.trainee_id == trainee.id and submission.answers == {"jawaban": ANSWER}
    assert submission.status == "queued" and submission.mode == "submit"
    assert fake_runner.enqueued == [submission.id]
    status = client.get(response.json["status_url"]).json
    assert status["status"] == "queued" and status["comments"] == []


def test_submission_status_is_only_for_its_trainee(app, client, trainee, make_trainee, fake_runner):
    """Can a trainee poll another trainee's submission? (No: 403.)"""
    submission_id = client.post(f"{BASE}/kumpulkan", json={"answers": {"jawaban": ANSWER}}).json["submission"]["id"]
    other = make_trainee()
    other_client = app.test_client()
    other_client.post("/masuk", data={"email": other.email, "password": "rahasia-sekali-123"})
    assert other_client.get(f"/peserta/api/pengumpulan/{submission_id}").status_code == 403
    assert client.get(f"/peserta/api/pengumpulan/{submission_id}").status_code == 200


def test_graded_status_has_per_test_results_without_hidden_source(client, trainee):
    """Does a graded submission's status carry points per test and messages, but no hidden test source?"""
    from tic_academy.models import TestResult

    item = Submission(trainee_id=trainee.id, exercise=exercise(), exercise_version=exercise().current_version,
                      answers={}, status="graded", auto_score=0.0, max_score=2.0,
                      feedback={"error": None, "notes": [], "cells": []})
    item.test_results.append(TestResult(grade_id="tes-tambah", status="failed", points=0, max_points=2, message="bilangan negatif"))
    item.store_notebook(json.dumps({"cells": [{"source": SECRET}]}))  # the executed notebook holds hidden tests
    db.session.add(item)
    db.session.commit()
    data = client.get(f"/peserta/api/pengumpulan/{item.id}").json
    assert data["score"] == 0.0 and data["max_score"] == 2.0
    assert data["tests"] == [{"grade_id": "tes-tambah", "title": "tes-tambah", "is_rule": False, "status": "failed",
                              "points": 0.0, "max_points": 2.0, "message": "bilangan negatif"}]
    assert SECRET not in json.dumps(data)


def test_submit_to_locked_stage_records_nothing(client, trainee, fake_runner):
    """Is a submission to an exercise of a locked stage refused without a row?"""
    assert client.post("/peserta/api/latihan/kurang/kumpulkan", json={"answers": {}}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 0


# --- rate limits ----------------------------------------------------------------


@pytest.fixture
def app_config(app_config):
    """Low limits so a test can reach them."""
    return {**app_config, "WORKSPACE_CHECK_LIMIT": "2 per minute", "WORKSPACE_SUBMIT_LIMIT": "1 per minute"}


def test_check_is_rate_limited_per_trainee_with_a_friendly_message(app, client, trainee, make_trainee, fake_runner):
    """After too many checks, is the trainee told kindly (429 + when to retry), while others can still check?"""
    for _ in range(2):
        assert client.post(f"{BASE}/periksa", json={"answers": {}}).status_code == 200
    response = client.post(f"{BASE}/periksa", json={"answers": {}})
    assert response.status_code == 429
    assert response.json["error"] and response.json["retry_after"] >= 1
    assert int(response.headers["Retry-After"]) >= 1
    assert len(fake_runner.jobs) == 2
    other = make_trainee()
    other_client = app.test_client()
    other_client.post("/masuk", data={"email": other.email, "password": "rahasia-sekali-123"})
    assert other_client.post(f"{BASE}/periksa", json={"answers": {}}).status_code == 200


def test_submit_is_rate_limited(client, trainee, fake_runner):
    """Is a second submission within the limit refused with 429 and no extra row?"""
    assert client.post(f"{BASE}/kumpulkan", json={"answers": {}}).status_code == 202
    assert client.post(f"{BASE}/kumpulkan", json={"answers": {}}).status_code == 429
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 1


# --- upload ----------------------------------------------------------------------


def upload(client, content: bytes, revision: int = 0, name: str = "latihan.ipynb"):
    return client.post(f"{BASE}/unggah", data={"notebook": (io.BytesIO(content), name), "revision": str(revision)},
                       content_type="multipart/form-data")


def downloaded_notebook(client, answer: str) -> bytes:
    """The notebook as downloaded, with ``answer`` written into the answer cell elsewhere."""
    nb = nbformat.reads(client.get("/peserta/latihan/tambah/unduh").get_data(as_text=True), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "jawaban":
            cell.source = answer
    return nbformat.writes(nb).encode()


def test_upload_takes_answers_by_grade_id(client, trainee):
    """Does an uploaded notebook replace the answers (by grade_id) and save them as the draft?"""
    response = upload(client, downloaded_notebook(client, ANSWER))
    assert response.status_code == 200
    assert response.json["answers"]["jawaban"] == ANSWER and response.json["revision"] == 1
    assert draft_of(trainee).answers["jawaban"] == ANSWER


def test_malformed_upload_is_explained_and_loses_nothing(client, trainee):
    """Does a broken file get a clear error while the saved draft stays as it was?"""
    client.post(f"{BASE}/draf", json={"answers": {"jawaban": "kode lama"}, "revision": 0})
    for content in (b"{ini bukan json", b'{"nbformat": 3, "cells": []}', "\u0000".encode() * 3):
        response = upload(client, content, revision=1)
        assert response.status_code == 400 and response.json["error"]
    db.session.expire_all()
    assert draft_of(trainee).answers == {"jawaban": "kode lama"} and draft_of(trainee).revision == 1


def test_upload_without_matching_cells_is_refused(client, trainee):
    """Is a valid notebook without any answer cell of this exercise refused with an explanation?"""
    other = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])).encode()
    response = upload(client, other)
    assert response.status_code == 400 and "diunduh dari latihan ini" in response.json["error"]
    assert "grade_id" not in response.json["error"]  # no internal words for a trainee
    assert draft_of(trainee) is None


def test_oversized_upload_is_refused(client, trainee, monkeypatch):
    """Is a file over the size cap refused without touching the draft?"""
    monkeypatch.setattr("tic_academy.services.notebook_files.UPLOAD_CAP", 2000)
    response = upload(client, downloaded_notebook(client, ANSWER + "\n#" + "x" * 3000))
    assert response.status_code in (400, 413) and response.json["error"]
    assert draft_of(trainee) is None


def test_upload_cannot_change_a_test_cell(client, trainee):
    """Is an edited test cell in an upload ignored (only answer cells are taken)?"""
    nb = nbformat.reads(downloaded_notebook(client, ANSWER).decode(), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "tes-tambah":
            cell.source = "pass"
    response = upload(client, nbformat.writes(nb).encode())
    assert response.status_code == 200
    assert "tes-tambah" not in draft_of(trainee).answers
