"""Repository checks on the platform side: prepared branches in new repositories, checks in a submission's grading."""
import json
import subprocess
from pathlib import Path

import pytest

from tests.projects.helpers import ENV, push_files
from tic_academy.extensions import db
from tic_academy.grading import ProjectResult, ProjectSpec, TestResult
from tic_academy.models import ExerciseVersion
from tic_academy.services import projects, repositories
from tic_academy.services.settings import DEFAULT_SETTINGS
from tic_academy.services.submissions import grade_submission

TASK = {"id": "Riwayat git rapi", "en": "A tidy git history"}
CHECKS = {
    "tanpa-konflik": {"check": "no_conflict_markers", "points": 1, "task": {"id": "Tanpa penanda konflik"}},
    "penggabungan": {"check": "merge_commit", "branches": ["fitur-kategori"], "points": 2, "task": TASK},
}
BRANCHES = {"fitur-kategori": {"message": "Tambah kategori pada README", "files": {"README.md": "# Kategori\n"}}}


@pytest.fixture
def root(app) -> Path:
    return Path(app.config["REPO_ROOT"])


def with_checks_version(exercise, checks=CHECKS, branches=BRANCHES) -> ProjectSpec:
    """Give the exercise a new current version whose spec has checks and prepared branches."""
    old = exercise.current_version
    data = json.loads(old.source)
    spec = ProjectSpec(points=data["points"], hidden=data["hidden"], checks=checks, branches=branches)
    version = ExerciseVersion(exercise=exercise, checksum="dengan-cek", source=spec.to_json(), max_score=spec.max_score,
                              template_archive=old.template_archive)
    db.session.add(version)
    db.session.flush()
    exercise.current_version = version
    db.session.commit()
    return spec


class FakeEngine:
    """Stands in for the sandbox: every points-map entry passes (the checks are what these tests look at)."""

    def __init__(self):
        self.graded = 0

    def grade_project(self, spec, snapshot, limits=None, mode="submit"):
        self.graded += 1
        tests = [TestResult(key, "passed", float(entry["points"]), float(entry["points"]), None, entry["task"]["id"])
                 for key, entry in spec.points.items()]
        return ProjectResult(mode, sum(t.points for t in tests), sum(t.max_points for t in tests), tests, [], [], 0.1)


def test_spec_keeps_checks_and_branches_and_counts_their_points(world):
    """Are checks and branches stored in the version's spec, and do the checks count in the maximum score?"""
    spec = with_checks_version(world["exercise"])
    stored = ProjectSpec.from_json(world["exercise"].current_version.source)
    assert (stored.checks, stored.branches) == (CHECKS, BRANCHES)
    assert stored.max_score == sum(float(e["points"]) for e in spec.points.values()) + 3
    assert "checks" not in json.loads(ProjectSpec(points=spec.points, hidden={}).to_json())


def test_a_new_repository_gets_the_prepared_branches(world, root):
    """Does a trainee's new repository hold main (the template) and each prepared branch one commit over it?"""
    with_checks_version(world["exercise"])
    repo = projects.repository_for(world["trainee"], world["exercise"].id, root)
    template = repositories.head(repo)
    prepared = repositories.prepared_commits(repo)
    assert set(prepared) == {"fitur-kategori"} and repositories.template_commit(repo) == template
    assert repositories.head(repo, "fitur-kategori") == prepared["fitur-kategori"]
    assert repositories.git(repo, "show", "fitur-kategori:README.md").decode() == "# Kategori\n"
    assert repositories.git(repo, "log", "-1", "--format=%s", "fitur-kategori").decode().strip() == "Tambah kategori pada README"
    assert len(repositories.commit_log(repo)) == 1  # main is the template alone


def test_an_existing_repository_is_not_touched(world, root):
    """A repository made before the project had branches keeps its branches as they are."""
    repo = projects.repository_for(world["trainee"], world["exercise"].id, root)
    with_checks_version(world["exercise"])
    assert projects.repository_for(world["trainee"], world["exercise"].id, root) == repo
    assert repositories.prepared_commits(repo) == {} and repositories.head(repo, "fitur-kategori") is None
    assert repositories.template_commit(repo) == repositories.head(repo)  # main's first commit, for old repositories


def merge_prepared_branch(repo: Path, tmp_path: Path) -> str:
    """Clone, merge the prepared branch with a merge commit, push main; main's sha."""
    work = tmp_path / "kerja"
    for args in (["clone", "-q", str(repo), str(work)], ["-C", str(work), "merge", "-q", "--no-ff", "--no-edit",
                                                          "origin/fitur-kategori"], ["-C", str(work), "push", "-q", "origin", "main"]):
        subprocess.run(["git", *args], check=True, env=ENV, capture_output=True)
    return repositories.head(repo)


def test_grading_adds_the_checks_as_points_entries(world, root, runner_log, tmp_path):
    """Does the worker put each check next to the hidden tests, with its task name, in the score and the maximum?"""
    trainee, exercise = world["trainee"], world["exercise"]
    spec = with_checks_version(exercise)
    repo = projects.repository_for(trainee, exercise.id, root)
    tests_max = sum(float(e["points"]) for e in spec.points.values())
    sha = merge_prepared_branch(repo, tmp_path)
    submission = projects.submit_commit(trainee.id, exercise.id, sha, "push", root)
    graded = grade_submission(submission.id, FakeEngine(), DEFAULT_SETTINGS, root)
    assert (graded.status, graded.auto_score, graded.max_score) == ("graded", tests_max + 3, tests_max + 3)
    rows = {r.grade_id: r for r in graded.test_results}
    assert (rows["penggabungan"].status, rows["penggabungan"].points, rows["penggabungan"].title) == ("passed", 2.0, TASK["id"])
    assert rows["penggabungan"].title_en == TASK["en"]
    assert [r.grade_id for r in graded.test_results][-2:] == ["tanpa-konflik", "penggabungan"]


def test_a_failing_check_loses_its_points_with_a_reason(world, root, runner_log):
    """A commit without the merge gets 0 for the merge check and a coded reason, the tests' points stay."""
    trainee, exercise = world["trainee"], world["exercise"]
    spec = with_checks_version(exercise)
    repo = projects.repository_for(trainee, exercise.id, root)
    sha = push_files(repo, {"catatan.md": b"<<<<<<< HEAD\n"}, "Tambah catatan kerja")
    graded = grade_submission(projects.submit_commit(trainee.id, exercise.id, sha, "push", root).id, FakeEngine(),
                              DEFAULT_SETTINGS, root)
    rows = {r.grade_id: r for r in graded.test_results}
    assert rows["penggabungan"].message["code"] == "check_no_merge" and rows["penggabungan"].points == 0
    assert rows["tanpa-konflik"].message == {"code": "check_conflict_marker", "params": {"path": "catatan.md", "line": 1}}
    assert graded.auto_score == sum(float(e["points"]) for e in spec.points.values())


def test_the_checks_show_on_the_trainees_and_the_mentors_pages(world, root, runner_log, client, auth):
    """Are a failed check's task name and Indonesian reason on the result page and the mentor's review page?"""
    trainee, exercise = world["trainee"], world["exercise"]
    with_checks_version(exercise)
    repo = projects.repository_for(trainee, exercise.id, root)
    sha = push_files(repo, {"catatan.md": b"isi\n"}, "Tambah catatan kerja")
    graded = grade_submission(projects.submit_commit(trainee.id, exercise.id, sha, "push", root).id, FakeEngine(),
                              DEFAULT_SETTINGS, root)
    reason = "main belum memuat commit penggabungan (merge) buatan Anda"
    auth.login(trainee)
    page = client.get(f"/peserta/pengumpulan/{graded.id}").get_data(as_text=True)
    assert TASK["id"] in page and reason in page
    auth.logout()
    auth.login(world["mentor"])
    page = client.get(f"/mentor/pengumpulan/{graded.id}").get_data(as_text=True)
    assert TASK["id"] in page and reason in page


def test_a_missing_repository_fails_the_grading_clearly(world, root, runner_log, tmp_path):
    """No silent zero: without the repository the submission fails with a reason and the sandbox never runs."""
    trainee, exercise = world["trainee"], world["exercise"]
    with_checks_version(exercise)
    repo = projects.repository_for(trainee, exercise.id, root)
    sha = merge_prepared_branch(repo, tmp_path)
    submission = projects.submit_commit(trainee.id, exercise.id, sha, "push", root)
    engine = FakeEngine()
    moved = grade_submission(submission.id, engine, DEFAULT_SETTINGS, tmp_path / "lain")
    assert (moved.status, moved.error["code"], moved.auto_score, engine.graded) == ("failed", "check_repository_missing", None, 0)
    moved.status = "queued"
    db.session.commit()
    unknown = grade_submission(submission.id, engine, DEFAULT_SETTINGS)  # a worker without REPO_ROOT
    assert (unknown.status, unknown.error["code"], engine.graded) == ("failed", "check_repository_missing", 0)


def test_without_checks_the_worker_needs_no_repository(world, root, runner_log):
    """A project without checks is still graded from the database alone (no repository root needed)."""
    trainee, exercise = world["trainee"], world["exercise"]
    repo = projects.repository_for(trainee, exercise.id, root)
    sha = push_files(repo, {"catatan.md": b"isi\n"})
    graded = grade_submission(projects.submit_commit(trainee.id, exercise.id, sha, "push", root).id, FakeEngine())
    assert graded.status == "graded" and not any(r.grade_id == "penggabungan" for r in graded.test_results)
