"""The project editor's JSON routes: files, web commits, stale base, log and diffs, access, CSRF, Jalankan uji."""
import base64
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_PASSWORD, csrf_token_from
from tests.projects.helpers import push_files
from tests.trainee.conftest import enroll
from tic_academy.grading import ProjectSpec, read_files
from tic_academy.services import repositories

API = "/peserta/api/latihan/pengaduan/proyek"


@pytest.fixture
def trainee_client(client, auth, world):
    auth.login(world["trainee"])
    return client


def repo_of(app, user, exercise) -> Path:
    """The repository path of a trainee's project."""
    return repositories.repository_path(Path(app.config["REPO_ROOT"]), user.id, exercise.id)


def test_files_at_head(trainee_client):
    data = trainee_client.get(API + "/berkas").get_json()
    paths = {f["path"]: f for f in data["files"]}
    assert "README.md" in paths and "tests/test_publik.py" in paths
    assert paths["README.md"]["text"].startswith("#")
    assert len(data["head"]) == 40 and data["commits"][0]["sha"] == data["head"]
    assert not any("test_buat" in path for path in paths)  # hidden tests never reach the editor


def test_commit_then_log_and_diff(trainee_client, app, world):
    head = trainee_client.get(API + "/berkas").get_json()["head"]
    response = trainee_client.post(API + "/commit", json={
        "base": head, "message": "Tambah catatan",
        "changes": [{"op": "write", "path": "catatan.md", "content": "# Catatan\n"}]})
    assert response.status_code == 200, response.get_json()
    sha = response.get_json()["sha"]
    repo = repo_of(app, world["trainee"], world["exercise"])
    assert repositories.head(repo) == sha
    author = repositories.git(repo, "log", "-1", "--format=%an <%ae>", sha).decode().strip()
    assert author == f"{world['trainee'].full_name} <{world['trainee'].email}>"
    log = trainee_client.get(API + "/log").get_json()
    assert [c["subject"] for c in log["commits"]][:1] == ["Tambah catatan"]
    diff = trainee_client.get(f"{API}/diff/{sha}").get_json()
    assert "+# Catatan" in diff["diff"] and diff["cut"] is False


def test_web_commit_is_not_a_submission(trainee_client, runner_log):
    head = trainee_client.get(API + "/berkas").get_json()["head"]
    trainee_client.post(API + "/commit", json={
        "base": head, "message": "x", "changes": [{"op": "write", "path": "a.py", "content": "1\n"}]})
    assert runner_log == []


def test_stale_base_answers_409_with_the_current_head(trainee_client, app, world):
    head = trainee_client.get(API + "/berkas").get_json()["head"]
    pushed = push_files(repo_of(app, world["trainee"], world["exercise"]), {"README.md": b"# Dari laptop\n"})
    response = trainee_client.post(API + "/commit", json={
        "base": head, "message": "Ubah", "changes": [{"op": "write", "path": "a.py", "content": "1\n"}]},
        headers={"Accept-Language": "id"})
    assert response.status_code == 409
    body = response.get_json()
    assert body["current"] == pushed and pushed[:8] in body["error"]
    assert repositories.head(repo_of(app, world["trainee"], world["exercise"])) == pushed


def test_bad_change_answers_400(trainee_client):
    head = trainee_client.get(API + "/berkas").get_json()["head"]
    response = trainee_client.post(API + "/commit", json={
        "base": head, "message": "x", "changes": [{"op": "write", "path": "../x.py", "content": "1"}]})
    assert response.status_code == 400 and response.get_json()["error"]


def test_another_trainees_commit_is_404(client, auth, app, world, make_user):
    auth.login(world["trainee"])
    head = client.get(API + "/berkas").get_json()["head"]
    sha = client.post(API + "/commit", json={"base": head, "message": "Rahasia", "changes": [
        {"op": "write", "path": "rahasia.py", "content": "KUNCI = 1\n"}]}).get_json()["sha"]
    auth.logout()
    other = make_user(role="trainee")
    enroll(other, world["track"], mentor=world["mentor"])
    auth.login(other)
    assert client.get(f"{API}/diff/{sha}").status_code == 404
    files = client.get(API + "/berkas").get_json()["files"]
    assert "rahasia.py" not in {f["path"] for f in files}


def test_mentor_cannot_use_the_editor(client, auth, world):
    auth.login(world["mentor"])
    assert client.get(API + "/berkas").status_code in (403, 404)
    response = client.post(API + "/commit", json={"base": "0" * 40, "message": "x", "changes": []})
    assert response.status_code in (403, 404)


def test_locked_project_is_refused(trainee_client):
    assert trainee_client.get("/peserta/api/latihan/pengaduan-terkunci/proyek/berkas").status_code == 403


def test_notebook_exercise_is_404(trainee_client, world):
    slug = world["track"].stages[0].exercises[0].slug
    assert trainee_client.get(f"/peserta/api/latihan/{slug}/proyek/berkas").status_code == 404


class RecordingJobs:
    """Stands in for the runner of "Jalankan uji": remembers each job, answers one passed test."""

    def __init__(self):
        self.jobs = []

    def grade_now(self, job):
        self.jobs.append(job)
        return {"score": 1, "max_score": 1, "notes": [], "error": None, "duration_s": 0.1,
                "tests": [{"grade_id": "test_publik.py::test_a", "status": "passed", "points": 1, "max_points": 1,
                           "message": "", "title": "a"}]}


class TestJalankanUji:
    @pytest.fixture
    def app_config(self, app_config):
        """A low limit so the test can reach it."""
        return {**app_config, "WORKSPACE_CHECK_LIMIT": "2 per minute"}

    @pytest.fixture
    def jobs(self, monkeypatch):
        recording = RecordingJobs()
        monkeypatch.setattr("tic_academy.trainee.project_editor.get_runner", lambda app=None: recording)
        return recording

    def test_job_holds_the_template_public_tests_and_the_unsaved_edit(self, trainee_client, jobs):
        head = trainee_client.get(API + "/berkas").get_json()["head"]
        change = [{"op": "write", "path": "tests/test_publik.py", "content": "def test_curang():\n    pass\n"},
                  {"op": "write", "path": "baru.py", "content": "X = 1\n"}]
        response = trainee_client.post(API + "/uji", json={"base": head, "changes": change})
        assert response.status_code == 200 and response.get_json()["tests"][0]["status"] == "passed"
        job = jobs.jobs[0]
        spec = ProjectSpec.from_json(job["spec"])
        assert "test_publik.py::test_membuat_pengaduan" in spec.points
        assert "test_curang" not in spec.hidden_text()  # the template's tests, not the trainee's copy
        files = read_files(base64.b64decode(job["snapshot"]))
        assert files["baru.py"] == b"X = 1\n"

    def test_is_rate_limited(self, trainee_client, jobs):
        head = trainee_client.get(API + "/berkas").get_json()["head"]
        for _attempt in range(2):
            assert trainee_client.post(API + "/uji", json={"base": head}).status_code == 200
        response = trainee_client.post(API + "/uji", json={"base": head})
        assert response.status_code == 429 and response.get_json()["error"]
        assert len(jobs.jobs) == 2

    def test_unknown_base_is_400(self, trainee_client, jobs):
        assert trainee_client.post(API + "/uji", json={"base": "1" * 40}).status_code == 400
        assert jobs.jobs == []


class TestCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        """CSRF protection on, as in production."""
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_commit_without_csrf_token_is_refused(self, client, app, world):
        token = csrf_token_from(client.get("/masuk").get_data(as_text=True))
        client.post("/masuk", data={"email": world["trainee"].email, "password": DEFAULT_PASSWORD,
                                    "csrf_token": token})
        head = client.get(API + "/berkas").get_json()["head"]
        change = {"base": head, "message": "x", "changes": [{"op": "write", "path": "a.py", "content": "1\n"}]}
        assert client.post(API + "/commit", json=change).status_code == 400
        assert repositories.head(repo_of(app, world["trainee"], world["exercise"])) == head
        page = client.get("/peserta/latihan/pengaduan").get_data(as_text=True)
        response = client.post(API + "/commit", json=change, headers={"X-CSRFToken": csrf_token_from(page)})
        assert response.status_code == 200


@pytest.mark.kernel
def test_jalankan_uji_runs_the_public_tests_on_the_working_copy(trainee_client, app, world, shipped, project_engine):
    app.extensions["tic_engine"] = project_engine
    try:
        head = trainee_client.get(API + "/berkas").get_json()["head"]
        before = trainee_client.post(API + "/uji", json={"base": head, "changes": []}).get_json()
        assert before["tests"] and any(t["status"] != "passed" for t in before["tests"]), before
        solved = [{"op": "write", "path": path, "content": data.decode()} for path, data in shipped.solution.items()
                  if path.endswith(".py")]
        after = trainee_client.post(API + "/uji", json={"base": head, "changes": solved}).get_json()
        assert after["tests"] and all(t["status"] == "passed" for t in after["tests"]), after
        assert repositories.head(repo_of(app, world["trainee"], world["exercise"])) == head  # nothing committed
    finally:
        app.extensions.pop("tic_engine", None)
