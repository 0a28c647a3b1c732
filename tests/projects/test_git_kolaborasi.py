"""The week-9 git project (projects/git-kolaborasi): its proof through the real engine, its prepared conflict,
and a trainee's whole journey with the real git client over HTTP (clone, branch, merge both prepared
branches, resolve the conflict, push), graded with the hidden tests and the repository checks."""
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.gitserve.conftest import GitClient, clone_url, make_token, server  # noqa: F401 - server is a fixture
from tests.projects.conftest import ROOT, read_project
from tests.projects.helpers import served_app_config
from tests.projects.test_authoring import make_tree, problems_of
from tests.runners.test_local_runner import wait_for
from tests.trainee.conftest import build_curriculum, enroll
from tic_academy.curriculum.projects import write_files
from tic_academy.curriculum.validate import validate
from tic_academy.extensions import db
from tic_academy.models import Exercise, ExerciseVersion
from tic_academy.services import projects, repositories

PROJECT = ROOT / "projects" / "git-kolaborasi"
SLUG = "proyek-git-kolaborasi"
FULL = 9.0


@pytest.fixture(scope="module")
def kolaborasi():
    """The project folder read and checked as validate does."""
    return read_project(PROJECT)


def test_the_track_entry_and_the_spec(kolaborasi):
    """Is the project in the track, its points 5 for hidden tests and 4 for the checks, its branches prepared?"""
    track = (ROOT / "curricula" / "programmer-pemerintahan.yaml").read_text(encoding="utf-8")
    assert f"id: {SLUG}" in track and "project: git-kolaborasi" in track
    spec = kolaborasi.spec
    assert sum(e["points"] for e in spec.points.values()) == 5 and spec.max_score == FULL
    assert set(spec.checks) == {"gabung-kedua-fitur", "tanpa-penanda-konflik", "pesan-commit-jelas"}
    assert set(spec.branches) == {"fitur-kategori", "fitur-prioritas"}


def test_the_second_prepared_branch_conflicts(kolaborasi, tmp_path):
    """Merging fitur-kategori then fitur-prioritas into main stops on a conflict in aduan/format.py."""
    write_files(kolaborasi.template, tmp_path / "templat")
    bare = tmp_path / "repo.git"
    repositories.create_from_template(bare, tmp_path / "templat", "Templat", kolaborasi.spec.branches)
    git = GitClient(tmp_path / "peserta")
    git.run("clone", "-q", str(bare), "kerja")
    work = git.home / "kerja"
    git.run("merge", "-q", "--no-edit", "origin/fitur-kategori", cwd=work)
    done = git.run("merge", "--no-edit", "origin/fitur-prioritas", cwd=work, check=False)
    assert done.returncode != 0 and "CONFLICT (content): Merge conflict in aduan/format.py" in done.stdout
    assert "<<<<<<< HEAD" in (work / "aduan" / "format.py").read_text()


@pytest.mark.kernel
def test_validate_proves_the_git_project(tmp_path, project_engine):
    """The scripted solution history scores full marks, the template zero, each wrong history is caught."""
    report = validate(make_tree(tmp_path, {"git-kolaborasi": PROJECT}), project_engine, require_wrong_answers=True)
    assert problems_of(report) == []
    assert (report.wrong_answers, report.not_caught) == (4, 0)


# --- end to end: a real git client against the app, the local runner grading ---------------------


@pytest.fixture
def app_config(app_config, tmp_path):
    """A database file the server's and the runner's threads share, the local runner, no warm kernels."""
    return served_app_config(app_config, tmp_path)


@pytest.fixture
def journey(app, client, auth, make_user, kolaborasi, server):  # noqa: F811 - the fixture imported above
    """The git project in an open stage, an enrolled trainee who opened its page and holds a token."""
    track = build_curriculum()
    exercise = Exercise(stage=track.stages[0], slug=SLUG, position=9, title_id="Git Sungguhan", notebook_path="",
                        kind="project", project="git-kolaborasi", week=1, minutes=240, required=True)
    version = ExerciseVersion(exercise=exercise, checksum=kolaborasi.checksum, source=kolaborasi.spec.to_json(),
                              max_score=kolaborasi.spec.max_score, template_archive=kolaborasi.template_archive())
    db.session.add_all([exercise, version])
    db.session.flush()
    exercise.current_version = version
    db.session.commit()
    trainee = make_user(role="trainee")
    enroll(trainee, track, mentor=make_user(role="mentor"))
    auth.login(trainee)
    assert client.get(f"/peserta/latihan/{SLUG}").status_code == 200
    return {"trainee": trainee, "exercise": exercise, "url": clone_url(server, trainee.id, exercise.id, make_token(trainee))}


def pushed(trainee_id: int, exercise_id: int, sha: str):
    """The graded submission the push recorded for this sha."""
    submission = projects.submission_for_commit(trainee_id, exercise_id, sha)
    assert submission is not None and submission.via == "push"
    return wait_for(submission.id, timeout=120)


@pytest.mark.kernel
def test_a_trainee_merges_resolves_and_pushes_over_http(app, client, journey, kolaborasi, tmp_path):
    """Clone over HTTP, do the README's steps with git, push: full marks, the checks shown by their task names."""
    trainee, exercise = journey["trainee"], journey["exercise"]
    git = GitClient(tmp_path / "peserta")
    git.run("clone", "-q", journey["url"], "siaduan-git")
    work = git.home / "siaduan-git"
    remote = git.run("branch", "-r", cwd=work).stdout
    assert "origin/fitur-kategori" in remote and "origin/fitur-prioritas" in remote
    git.run("switch", "-q", "-c", "label-status", cwd=work)
    (work / "aduan" / "status.py").write_bytes(kolaborasi.solution["aduan/status.py"])
    git.run("commit", "-q", "-am", "Tambah label status aduan untuk petugas", cwd=work)
    git.run("switch", "-q", "main", cwd=work)
    git.run("merge", "-q", "label-status", cwd=work)
    git.run("merge", "-q", "--no-edit", "origin/fitur-kategori", cwd=work)
    assert git.run("merge", "-q", "--no-edit", "origin/fitur-prioritas", cwd=work, check=False).returncode != 0
    (work / "aduan" / "format.py").write_bytes(kolaborasi.solution["aduan/format.py"])
    git.run("add", "aduan/format.py", cwd=work)
    git.run("commit", "-q", "-m", "Gabungkan fitur prioritas dengan fitur kategori", cwd=work)
    refused = git.run("push", "origin", "label-status", cwd=work, check=False)
    assert refused.returncode != 0 and "hanya cabang main" in refused.stderr
    git.run("push", "-q", "origin", "main", cwd=work)
    sha = git.run("rev-parse", "HEAD", cwd=work).stdout.strip()

    graded = pushed(trainee.id, exercise.id, sha)
    assert (graded.status, graded.auto_score, graded.max_score) == ("graded", FULL, FULL), graded.error
    checks = {r.grade_id: r for r in graded.test_results if r.grade_id in kolaborasi.spec.checks}
    assert {gid: r.status for gid, r in checks.items()} == dict.fromkeys(kolaborasi.spec.checks, "passed")
    history = client.get(f"/peserta/latihan/{SLUG}/riwayat").get_data(as_text=True)
    assert "Cabang fitur-kategori dan fitur-prioritas digabungkan ke main" in history


@pytest.mark.kernel
def test_a_push_with_conflict_markers_loses_the_check_with_a_reason(app, client, journey, kolaborasi, tmp_path):
    """Committing the conflict as git left it: the marker check fails, saying where, in Indonesian."""
    trainee, exercise = journey["trainee"], journey["exercise"]
    git = GitClient(tmp_path / "tergesa")
    git.run("clone", "-q", journey["url"], "kerja")
    work = git.home / "kerja"
    git.run("merge", "-q", "--no-edit", "origin/fitur-kategori", cwd=work)
    git.run("merge", "-q", "--no-edit", "origin/fitur-prioritas", cwd=work, check=False)
    git.run("commit", "-q", "-am", "Gabungkan fitur prioritas ke main", cwd=work)
    git.run("push", "-q", "origin", "main", cwd=work)
    graded = pushed(trainee.id, exercise.id, git.run("rev-parse", "HEAD", cwd=work).stdout.strip())
    rows = {r.grade_id: r for r in graded.test_results}
    assert rows["tanpa-penanda-konflik"].message["code"] == "check_conflict_marker"
    assert rows["tanpa-penanda-konflik"].message["params"]["path"] == "aduan/format.py"
    assert rows["pesan-commit-jelas"].message["code"] == "check_too_few_commits"
    page = client.get(f"/peserta/pengumpulan/{graded.id}").get_data(as_text=True)
    assert "masih memuat penanda konflik di baris" in page and "aduan/format.py" in page
