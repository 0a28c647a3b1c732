"""The project exercise page (trainee) and the review page of a project submission (mentor)."""
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.projects.conftest import HIDDEN_LINE
from tests.projects.helpers import push_files
from tic_academy.extensions import db
from tic_academy.models import Submission
from tic_academy.services import projects, repositories
from tic_academy.services.submissions import grade_submission

PAGE = "/peserta/latihan/pengaduan"


@pytest.fixture
def trainee_client(client, auth, world):
    auth.login(world["trainee"])
    return client


def test_exercise_page_shows_clone_url_steps_and_commits(trainee_client, world, app):
    """Does the page give the clone URL, the Indonesian steps, the token link and the commit log?"""
    html = trainee_client.get(PAGE, headers={"Accept-Language": "id"}).get_data(as_text=True)
    url = f"{app.config['EXTERNAL_URL'].rstrip('/')}/git/{world['trainee'].id}/{world['exercise'].id}.git"
    assert url in html
    for step in ("git clone", "python -m venv .venv", "pip install -r requirements.txt", "pytest", "git push",
                 "/profil/token"):
        assert step in html, step
    assert "Templat awal proyek dari TIC Academy" in html
    assert 'id="submit-commit"' in html
    assert HIDDEN_LINE not in html and "test_buat.py" not in html


def test_download_zip_holds_the_latest_commit(trainee_client, world, app, shipped):
    """Is Download ZIP the latest commit's files under the exercise's folder name?"""
    trainee_client.get(PAGE)
    repo = repositories.repository_path(Path(app.config["REPO_ROOT"]), world["trainee"].id, world["exercise"].id)
    push_files(repo, {"pengaduan/validasi.py": shipped.solution["pengaduan/validasi.py"]})
    response = trainee_client.get(PAGE + "/zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.read("pengaduan/pengaduan/validasi.py") == shipped.solution["pengaduan/validasi.py"]
    assert "pengaduan/README.md" in archive.namelist()
    assert not any("test_buat" in name for name in archive.namelist())


def test_notebook_download_is_not_offered_for_a_project(trainee_client):
    """Is the .ipynb download a 404 for a project exercise?"""
    assert trainee_client.get(PAGE + "/unduh").status_code == 404


def test_kumpulkan_submits_the_latest_commit_once(trainee_client, world, runner_log):
    """Does the Kumpulkan button record the latest commit (via button) once, however often it is pressed?"""
    trainee_client.get(PAGE)
    for _ in range(2):
        response = trainee_client.post(PAGE + "/kumpulkan-commit")
        assert response.status_code == 302
    rows = db.session.scalars(select(Submission).where(Submission.exercise_id == world["exercise"].id)).all()
    assert len(rows) == 1 and rows[0].via == "button" and len(rows[0].commit_sha) == 40
    assert runner_log == [rows[0].id]


def test_other_trainees_and_locked_projects_get_no_page(client, auth, make_user, world):
    """Is a locked project refused, and the page of a trainee without a cohort too?"""
    auth.login(world["trainee"])
    assert client.get("/peserta/latihan/pengaduan-terkunci").status_code == 403
    assert client.post("/peserta/latihan/pengaduan-terkunci/kumpulkan-commit").status_code == 403
    auth.logout()
    auth.login(make_user(role="trainee"))
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE + "/zip").status_code == 403


@pytest.mark.kernel
def test_hidden_tests_never_reach_the_trainee(trainee_client, world, app, shipped, project_engine, runner_log):
    """After grading a wrong answer, do the page, history, submission page and API hold no hidden test text?"""
    trainee_client.get(PAGE)
    repo = repositories.repository_path(Path(app.config["REPO_ROOT"]), world["trainee"].id, world["exercise"].id)
    sha = push_files(repo, shipped.wrong["kategori-tidak-diperiksa"] | {
        name: data for name, data in shipped.solution.items() if name != "pengaduan/validasi.py"})
    submission = projects.submit_commit(world["trainee"].id, world["exercise"].id, sha, "push", Path(app.config["REPO_ROOT"]))
    graded = grade_submission(submission.id, project_engine)
    assert graded.auto_score == 10
    pages = [PAGE, PAGE + "/riwayat", PAGE + "/riwayat?partial=1", f"/peserta/pengumpulan/{graded.id}",
             f"/peserta/api/pengumpulan/{graded.id}"]
    hidden_lines = [line.strip() for text in shipped.spec.hidden.values() for line in text.splitlines()
                    if len(line.strip()) > 30]
    for url in pages:
        text = trainee_client.get(url).get_data(as_text=True)
        assert "Validasi data pengaduan" in text or "validasi" in text, url
        leaked = [line for line in hidden_lines if line in text]
        assert leaked == [], (url, leaked)


def test_mentor_review_shows_the_commit_and_escaped_files(client, auth, make_user, world, app, shipped, runner_log):
    """Does the trainee's mentor see the commit, its file list and escaped contents; another mentor a 403?"""
    root = Path(app.config["REPO_ROOT"])
    repo = projects.repository_for(world["trainee"], world["exercise"].id, root)
    sha = push_files(repo, {"catatan.md": b"<script>alert('x')</script>\n"})
    submission = projects.submit_commit(world["trainee"].id, world["exercise"].id, sha, "push", root)
    auth.login(world["mentor"])
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert sha in html and "pengaduan/rute.py" in html and "catatan.md" in html
    assert "&lt;script&gt;alert(" in html and "<script>alert(" not in html
    auth.logout()
    auth.login(make_user(role="mentor"))
    assert client.get(f"/mentor/pengumpulan/{submission.id}").status_code == 403


def test_notebook_endpoints_answer_404_for_a_project(trainee_client):
    """Do the notebook workspace's JSON endpoints refuse a project exercise cleanly (404, not a crash)?"""
    assert trainee_client.get("/peserta/api/latihan/pengaduan/draf").status_code == 404
    for action in ("draf", "jalankan", "periksa", "kumpulkan"):
        assert trainee_client.post(f"/peserta/api/latihan/pengaduan/{action}", json={}).status_code == 404, action
