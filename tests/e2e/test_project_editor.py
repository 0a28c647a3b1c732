"""Browser: a trainee works on a project exercise in the in-browser editor.

The project exercise sits in a small track of its own (the synced track has it in a later, locked
stage); the repositories live under this test's folder. Selectors use ids and data attributes.
"""
import re
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_PASSWORD
from tests.e2e.conftest import log_in, screenshot
from tests.projects.conftest import add_project_exercise, read_project
from tests.projects.helpers import push_files
from tests.trainee.conftest import enroll
from tic_academy.clock import now_utc
from tic_academy.extensions import db
from tic_academy.grading.project_tree import pack_files
from tic_academy.models import Exercise, Stage, Submission, Track, User
from tic_academy.services import project_review, repositories
from tic_academy.services.accounts import hash_password
from tic_academy.services.settings import ServiceSettings

pytestmark = [pytest.mark.e2e, pytest.mark.kernel]


@pytest.fixture
def project_world(live_app, tmp_path):
    """A trainee with an open project exercise; repositories under tmp_path."""
    old_root = live_app.config.get("REPO_ROOT")
    live_app.config["REPO_ROOT"] = str(tmp_path / "repos")
    with live_app.app_context():
        number = db.session.query(Track).count()
        track = Track(slug=f"jalur-editor-{number}", title_id="Jalur Editor", weeks=4)
        stage = Stage(track=track, slug="tahap-editor", position=1, title_id="Tahap Editor", week_start=1, week_end=4,
                      pass_threshold=0.7)
        db.session.add_all([track, stage])
        db.session.flush()
        exercise = add_project_exercise(stage, read_project(), slug=f"editor-pengaduan-{number}")
        trainee = User(email=f"editor{number}@contoh.test", full_name="Dewi Editor", role="trainee",
                       password_hash=hash_password(DEFAULT_PASSWORD, ServiceSettings.from_config(live_app.config)))
        db.session.add(trainee)
        db.session.commit()
        enroll(trainee, track)
        info = {"email": trainee.email, "slug": exercise.slug,
                "repo": repositories.repository_path(tmp_path / "repos", trainee.id, exercise.id)}
    yield info
    live_app.config["REPO_ROOT"] = old_root


def open_editor(page, world) -> None:
    """Log in and open the project page; wait for the files to load."""
    log_in(page, world["email"])
    page.goto(f"/peserta/latihan/{world['slug']}")
    page.wait_for_selector('#file-tree button[data-path="README.md"]')


def replace_text(page, text: str) -> None:
    """Replace the open file's text, as a trainee would by typing."""
    page.locator("#project-code .cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def new_file(page, path: str) -> None:
    """Create a file with the New file button (answering its prompt)."""
    page.once("dialog", lambda dialog: dialog.accept(path))
    page.click('[data-action="new-file"]')
    page.wait_for_selector(f'#file-tree button[data-path="{path}"]')


def commit(page, message: str) -> None:
    """Save the edits as a commit."""
    page.fill("#commit-message", message)
    page.click('[data-action="commit"]')


def test_create_edit_commit_test_and_submit(page, project_world):
    """Create and edit a file, commit, run the public tests, submit, and see the result."""
    open_editor(page, project_world)
    solution = read_project().solution
    new_file(page, "catatan.md")
    replace_text(page, "# Catatan\nDikerjakan di peramban.\n")
    for path, data in solution.items():
        if not path.endswith(".py"):
            continue
        button = page.locator(f'#file-tree button[data-path="{path}"]')
        if button.count() == 0:
            new_file(page, path)
        else:
            button.click()
        replace_text(page, data.decode())
    # A reload keeps the unsaved edits (local draft).
    page.reload()
    page.wait_for_selector('#file-tree button[data-path="catatan.md"]')
    page.click('#file-tree button[data-path="catatan.md"]')
    assert "Dikerjakan di peramban." in page.locator("#project-code .cm-content").inner_text()

    page.click('[data-action="test"]')
    page.wait_for_selector("#editor-results .test-row", timeout=90_000)
    rows = page.locator("#editor-results .test-row")
    assert rows.count() >= 1
    assert page.locator("#editor-results .test-row-passed").count() == rows.count()

    commit(page, "Selesaikan layanan pengaduan")
    page.wait_for_selector("#editor-alert .alert-success")
    sha = repositories.head(project_world["repo"])
    author = repositories.git(project_world["repo"], "log", "-1", "--format=%an|%s", sha).decode().strip()
    assert author == "Dewi Editor|Selesaikan layanan pengaduan"
    assert page.locator(f'#commit-log tr[data-sha="{sha}"]').count() == 1
    page.locator(f'#commit-log tr[data-sha="{sha}"] button').click()
    page.wait_for_selector(".project-diff .diff-add")
    assert page.locator('.project-diff .diff-line[data-path="catatan.md"]').count() >= 2
    screenshot(page, "project-editor-commit")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-commit button")
    for _attempt in range(60):
        page.wait_for_timeout(1500)
        page.reload()
        if page.locator("#result-title + p .text-bg-success, #result-title + p .text-bg-danger").count():
            break
    assert page.locator("#result-title + p code").inner_text() == sha[:8]
    assert page.locator("#result-title + p .text-bg-success").count() == 1
    screenshot(page, "project-editor-result")


def test_stale_commit_is_refused_and_the_edit_kept(page, project_world):
    """A push after the editor loaded: the web commit is refused, the edit kept, reload puts it back."""
    open_editor(page, project_world)
    page.click('#file-tree button[data-path="README.md"]')
    replace_text(page, "# Versi peramban\n")
    pushed = push_files(project_world["repo"], {"CATATAN.txt": b"dari laptop\n"})
    commit(page, "Ubah README")
    page.wait_for_selector('#editor-alert [data-action="reload"]')
    assert pushed[:8] in page.locator("#editor-alert").inner_text()
    assert repositories.head(project_world["repo"]) == pushed
    assert "Versi peramban" in page.locator("#project-code .cm-content").inner_text()

    page.click('#editor-alert [data-action="reload"]')
    page.wait_for_selector('#file-tree button[data-path="CATATAN.txt"]')
    assert "Versi peramban" in page.locator("#project-code .cm-content").inner_text()
    commit(page, "Ubah README")
    page.wait_for_selector("#editor-alert .alert-success")
    sha = repositories.head(project_world["repo"])
    assert sha != pushed
    readme = repositories.git(project_world["repo"], "show", f"{sha}:README.md").decode()
    assert readme == "# Versi peramban\n"
    assert re.search(r"dari laptop", repositories.git(project_world["repo"], "show", f"{sha}:CATATAN.txt").decode())
    assert Path(project_world["repo"]).exists()


def test_file_tree_collapses_on_a_phone(page, project_world):
    """On a narrow screen the file tree is hidden behind the Files button, and the button opens it."""
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, project_world["email"])
    page.goto(f"/peserta/latihan/{project_world['slug']}")
    page.wait_for_selector("#project-code .cm-content")
    tree = page.locator('#file-tree button[data-path="README.md"]')
    assert not tree.is_visible()
    page.click('[data-bs-target="#file-tree-panel"]')
    tree.wait_for(state="visible")
    tree.click()
    assert page.locator("#open-path").inner_text() == "README.md"


def test_rename_and_delete_in_the_tree(page, project_world):
    """Rename a file and delete a folder in the tree; the commit holds exactly that."""
    open_editor(page, project_world)
    page.click('#file-tree button[data-path="requirements.txt"]')
    page.once("dialog", lambda dialog: dialog.accept("docs/requirements.txt"))
    page.click('[data-action="rename"]')
    page.wait_for_selector('#file-tree button[data-path="docs/requirements.txt"]')
    page.click('#file-tree button[data-path="tests"][data-folder]')
    page.once("dialog", lambda dialog: dialog.accept())
    page.click('[data-action="delete"]')
    page.wait_for_selector('#file-tree button[data-path="tests/test_publik.py"][disabled]')
    commit(page, "Rapikan berkas")
    page.wait_for_selector("#editor-alert .alert-success")
    sha = repositories.head(project_world["repo"])
    paths = repositories.git(project_world["repo"], "ls-tree", "-r", "--name-only", sha).decode().split()
    assert "docs/requirements.txt" in paths and "requirements.txt" not in paths
    assert not any(path.startswith("tests/") for path in paths)


def commented_submission(live_app, world) -> str:
    """A graded submission of the head with a mentor comment on README.md line 3 and one on a line now gone."""
    with live_app.app_context():
        trainee = db.session.query(User).filter_by(email=world["email"]).one()
        exercise = db.session.query(Exercise).filter_by(slug=world["slug"]).one()
        mentor = User(email=f"mentor-{world['slug']}@contoh.test", full_name="Budi Mentor", role="mentor",
                      password_hash=hash_password(DEFAULT_PASSWORD, ServiceSettings.from_config(live_app.config)))
        db.session.add(mentor)
        head = repositories.head(world["repo"])
        readme = repositories.git(world["repo"], "show", f"{head}:README.md").decode()
        submission = Submission(trainee=trainee, exercise=exercise, exercise_version=exercise.current_version,
                                answers={}, mode="submit", status="graded", commit_sha=head, via="push",
                                snapshot=pack_files({"README.md": (readme + "Baris yang nanti hilang\n").encode()}),
                                auto_score=1.0, max_score=exercise.current_version.max_score, graded_at=now_utc())
        db.session.add(submission)
        db.session.commit()
        lines = readme.splitlines()
        project_review.add_file_comment(submission, mentor, "README.md", 3, "Perjelas **langkah** ini.")
        project_review.add_file_comment(submission, mentor, "README.md", len(lines) + 1, "Baris ini tidak perlu.")
        return lines[2]


def test_mentor_comment_is_beside_its_line_in_the_editor_and_the_diff(page, live_app, project_world):
    """A mentor's comment on a project line shows beside that line in the editor and in a commit's diff."""
    open_editor(page, project_world)
    line_text = commented_submission(live_app, project_world)
    page.reload()
    page.wait_for_selector('#file-tree button[data-path="README.md"]')
    page.click('#file-tree button[data-path="README.md"]')
    button = page.locator('#editor-comments [data-comment-line="3"] button')
    button.wait_for()
    assert button.get_attribute("aria-label") and button.get_attribute("aria-expanded") == "false"
    assert page.locator('#editor-comments [data-comment-line="3"] strong').inner_text() == "langkah"
    assert "tidak perlu" in page.locator("#editor-comments [data-earlier]").inner_text()
    assert page.locator("#project-code .cm-comment-marker").count() == 1
    button.click()
    beside = page.locator("#project-code .cm-content .line-comments")
    beside.wait_for()
    assert button.get_attribute("aria-expanded") == "true"
    assert "langkah" in beside.inner_text()
    above = beside.evaluate("box => box.previousElementSibling.textContent")
    assert above == line_text
    screenshot(page, "project-editor-comment")

    # a commit that adds a line on top: in its diff the comment sits beside the line's new number, 4
    page.locator("#project-code .cm-content").click()
    page.keyboard.press("ControlOrMeta+Home")
    page.keyboard.insert_text("Baris baru\n")
    commit(page, "Tambah baris")
    page.wait_for_selector("#editor-alert .alert-success")
    sha = repositories.head(project_world["repo"])
    page.locator(f'#commit-log tr[data-sha="{sha}"] button').click()
    in_diff = page.locator(".project-diff .line-comments")
    in_diff.wait_for()
    assert "langkah" in in_diff.inner_text()
    line = in_diff.evaluate("box => [box.previousElementSibling.dataset.path,"
                            " box.previousElementSibling.dataset.newLine]")
    assert line == ["README.md", "4"]
