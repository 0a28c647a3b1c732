"""Mentor review of a project submission: the diff, comments on file lines that follow their line, decisions."""
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.projects.conftest import PROJECT_DIR
from tests.projects.helpers import push_files
from tic_academy.clock import now_utc
from tic_academy.enums import SubmissionStatus
from tic_academy.extensions import db
from tic_academy.models import Submission
from tic_academy.models.mentoring import LineComment, Review
from tic_academy.models.notices import Notification
from tic_academy.services import ServiceError, project_review, projects, reviews

RUTE = "pengaduan/rute.py"
TEMPLATE_RUTE = (PROJECT_DIR / "template" / RUTE).read_text(encoding="utf-8")


def graded(submission: Submission, score: float = 5.0) -> Submission:
    """Mark a recorded project submission graded (what the runner would do), without running it."""
    submission.status, submission.auto_score, submission.max_score = SubmissionStatus.GRADED, score, 13.0
    submission.graded_at = now_utc()
    db.session.commit()
    return submission


def submit(app, world, files: dict, message: str = "Kerjakan") -> Submission:
    """Push ``files`` to the trainee's repository and submit that commit (graded)."""
    root = Path(app.config["REPO_ROOT"])
    repo = projects.repository_for(world["trainee"], world["exercise"].id, root)
    sha = push_files(repo, files, message)
    return graded(projects.submit_commit(world["trainee"].id, world["exercise"].id, sha, "push", root))


def by_path(diff):
    return {file.path: file for file in diff.files}


def test_first_submission_is_diffed_against_the_template(app, world, runner_log):
    """With no earlier graded submission, is the diff taken from the template (added, changed, unchanged)?"""
    changed = TEMPLATE_RUTE.replace('"""Rute API pengaduan."""', '"""Rute API pengaduan warga."""')
    submission = submit(app, world, {RUTE: changed.encode(), "catatan.md": b"# Catatan\n"})
    diff = project_review.submission_diff(submission)
    files = by_path(diff)
    assert diff.from_template and diff.base is None
    assert files["catatan.md"].status == "added" and files["catatan.md"].added == 1
    assert files[RUTE].status == "changed" and (files[RUTE].added, files[RUTE].removed) == (1, 1)
    assert [(line.kind, line.text) for line in files[RUTE].lines if line.kind != "same"] == [
        ("del", '"""Rute API pengaduan."""'), ("add", '"""Rute API pengaduan warga."""')]
    assert files["pengaduan/validasi.py"].status == "same" and files["pengaduan/validasi.py"].lines


def test_later_submission_is_diffed_against_the_previous_graded_one(app, world, runner_log):
    """Is a second submission compared with the first graded one (not the template; removed files shown)?"""
    first = submit(app, world, {"catatan.md": b"satu\ndua\n"})
    second = submit(app, world, {"catatan.md": b"satu\ntiga\n", "pengaduan/penyimpanan.py": None})
    diff = project_review.submission_diff(second)
    files = by_path(diff)
    assert diff.base.id == first.id and not diff.from_template
    assert files["catatan.md"].status == "changed"
    assert [(line.kind, line.old, line.new, line.text) for line in files["catatan.md"].lines] == [
        ("same", 1, 1, "satu"), ("del", 2, None, "dua"), ("add", None, 2, "tiga")]
    assert files["pengaduan/penyimpanan.py"].status == "removed"
    assert files[RUTE].status == "same"


def test_a_binary_file_is_listed_not_shown(app, world, runner_log):
    """Is a binary file listed in the diff without its bytes?"""
    submission = submit(app, world, {"logo.png": b"\x89PNG\0\0\0binary"})
    file = by_path(project_review.submission_diff(submission))["logo.png"]
    assert file.status == "added" and file.hidden and file.lines == []


def test_size_caps(app, world, runner_log, monkeypatch):
    """Is an over-long file listed without its lines, and are files past the page's row cap listed only?"""
    monkeypatch.setattr(project_review, "MAX_DIFF_LINES", 5)
    submission = submit(app, world, {"panjang.py": b"x = 1\n" * 6, "pendek.py": b"y = 2\n"})
    files = by_path(project_review.submission_diff(submission))
    assert files["panjang.py"].hidden and files["panjang.py"].lines == []
    assert not files["pendek.py"].hidden
    monkeypatch.setattr(project_review, "MAX_PAGE_LINES", 3)
    files = by_path(project_review.submission_diff(submission))
    assert all(file.hidden for path, file in files.items() if path != ".gitignore"), files


def test_comment_on_a_changed_and_an_unchanged_line_notifies_the_trainee(app, world, runner_log):
    """Can a mentor comment on a changed line and on an unchanged one; is the trainee told; are both shown?"""
    submission = submit(app, world, {"catatan.md": b"satu\ndua\n"})
    rute_lines = project_review.file_lines(TEMPLATE_RUTE)
    project_review.add_file_comment(submission, world["mentor"], "catatan.md", 2, "Baris baru ini?")
    project_review.add_file_comment(submission, world["mentor"], RUTE, 1, "Docstring modul **baik**.")
    stored = db.session.scalars(select(LineComment).order_by(LineComment.id)).all()
    assert [(c.path, c.line, c.line_text) for c in stored] == [("catatan.md", 2, "dua"), (RUTE, 1, rute_lines[0])]
    notes = db.session.scalars(select(Notification).where(Notification.user_id == world["trainee"].id)).all()
    assert [note.kind for note in notes] == ["review.line_comment", "review.line_comment"]
    assert "catatan.md" in notes[0].text and notes[0].link == f"/peserta/pengumpulan/{submission.id}"
    files = by_path(project_review.submission_diff(submission))
    assert [c.body for c in files["catatan.md"].lines[1].comments] == ["Baris baru ini?"]
    assert files[RUTE].status == "same" and [c.line for c in files[RUTE].lines[0].comments] == [1]


@pytest.mark.parametrize("path, line, body", [
    ("tidak-ada.py", 1, "x"), ("catatan.md", 3, "x"), ("catatan.md", 0, "x"), ("catatan.md", 1, "  "),
    ("catatan.md", 1, "x" * 5001), ("logo.png", 1, "x"),
])
def test_a_bad_comment_is_refused_and_nothing_is_stored(app, world, runner_log, path, line, body):
    """Are a missing file, a line out of range, an empty or over-long body and a binary file refused?"""
    submission = submit(app, world, {"catatan.md": b"satu\ndua\n", "logo.png": b"\0\1\2"})
    with pytest.raises(ServiceError):
        project_review.add_file_comment(submission, world["mentor"], path, line, body)
    assert db.session.scalar(select(LineComment.id)) is None
    assert db.session.scalar(select(Notification.id).where(Notification.user_id == world["trainee"].id)) is None


def test_a_comment_follows_its_line_into_a_later_submission(app, world, runner_log):
    """Does a comment move with its line text when lines are added above it, and stay on its own submission?"""
    first = submit(app, world, {"catatan.md": b"satu\ndua\ntiga\n"})
    project_review.add_file_comment(first, world["mentor"], "catatan.md", 3, "Tentang tiga")
    second = submit(app, world, {"catatan.md": b"nol\nsatu\ndua\ntiga\n"})
    placed = project_review.comments_for_file(world["trainee"].id, world["exercise"].id, "catatan.md",
                                              "nol\nsatu\ndua\ntiga\n", upto_submission_id=second.id)
    assert {number: [c.body for c in comments] for number, comments in placed.by_line.items()} == {4: ["Tentang tiga"]}
    assert placed.earlier == []
    diff = by_path(project_review.submission_diff(second))["catatan.md"]
    assert [line.new for line in diff.lines if line.comments] == [4]
    # the first submission still shows it on line 3
    assert [line.new for line in by_path(project_review.submission_diff(first))["catatan.md"].lines if line.comments] == [3]


def test_a_comment_whose_line_is_gone_is_on_an_earlier_version(app, world, runner_log):
    """When the commented line's text no longer exists, is the comment listed as on an earlier version?"""
    first = submit(app, world, {"catatan.md": b"satu\ndua\n"})
    project_review.add_file_comment(first, world["mentor"], "catatan.md", 2, "Tentang dua")
    second = submit(app, world, {"catatan.md": b"satu\nDUA diganti\n"})
    files = project_review.commented_files(second)
    assert [file.path for file in files] == ["catatan.md"]
    assert [c.body for c in files[0].earlier] == ["Tentang dua"]
    assert all(not line.comments for line in files[0].lines)


def test_the_nearest_same_line_wins_and_blank_lines_stay_put():
    """With the same text on several lines, is the one nearest the old number chosen; a blank only where it was?"""
    lines = ["return x", "a", "b", "return x", "c", ""]
    assert project_review._nearest(lines, "return x", 5) == 4
    assert project_review._nearest(lines, "return x", 2) == 1
    assert project_review._nearest(lines, "", 6) == 6
    assert project_review._nearest(lines, "", 2) is None
    assert project_review._nearest(lines, "hilang", 2) is None


def test_decisions_on_a_project_submission(app, world, runner_log):
    """Can a mentor request changes and approve a project submission like a notebook (trainee told)?"""
    submission = submit(app, world, {"catatan.md": b"satu\n"})
    reviews.decide(submission, world["mentor"], "changes_requested", summary="Perbaiki validasi.")
    reviews.decide(submission, world["mentor"], "approved")
    assert [r.decision for r in db.session.scalars(select(Review))] == ["changes_requested", "approved"]
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == world["trainee"].id)).all()
    assert kinds == ["review.changes_requested", "review.approved"]


# --- the pages ---------------------------------------------------------------------------


def test_mentor_page_shows_the_diff_and_comments_a_line(client, auth, app, world, runner_log):
    """Does the review page show statuses and old/new rows; does the form comment a line and show it?"""
    submission = submit(app, world, {"catatan.md": b"satu\ndua\n"})
    auth.login(world["mentor"])
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert 'data-file-status="added"' in html and 'data-file-status="same"' in html
    assert 'data-comment-line="2"' in html and 'name="path" value="catatan.md"' in html
    response = client.post(f"/mentor/pengumpulan/{submission.id}/komentar-berkas",
                           data={"path": "catatan.md", "line": 2, "body": "Kenapa *dua*?"})
    assert response.status_code == 302
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert "Kenapa <em>dua</em>?" in html
    response = client.post(f"/mentor/pengumpulan/{submission.id}/komentar-berkas",
                           data={"path": "catatan.md", "line": 9, "body": "x"}, follow_redirects=True)
    assert db.session.scalar(select(LineComment.id).where(LineComment.line == 9)) is None


def test_trainee_sees_comments_beside_lines_and_as_json(client, auth, app, world, runner_log):
    """Does the trainee's submission page show the comment beside its line; does the JSON place it?"""
    first = submit(app, world, {"catatan.md": b"satu\ndua\n"})
    project_review.add_file_comment(first, world["mentor"], "catatan.md", 2, "Tentang dua")
    project_review.add_file_comment(first, world["mentor"], "catatan.md", 1, "Tentang satu")
    second = submit(app, world, {"catatan.md": b"nol\ndua\n"})
    auth.login(world["trainee"])
    html = client.get(f"/peserta/pengumpulan/{second.id}").get_data(as_text=True)
    assert 'id="project-comments"' in html and "Tentang dua" in html and "Tentang satu" in html
    assert "earlier-comment" in html
    data = client.get(f"/peserta/pengumpulan/{second.id}/komentar-berkas?path=catatan.md").get_json()
    assert [c["body"] for c in data["lines"]["2"]] == ["Tentang dua"]
    assert [c["body"] for c in data["earlier"]] == ["Tentang satu"] and data["commit"] == second.commit_sha
    assert client.get(f"/peserta/pengumpulan/{second.id}/komentar-berkas?path=tidak-ada").status_code == 404


def test_access_to_another_trainees_project_review(client, auth, app, make_user, world, runner_log):
    """Another trainee gets 403 on the submission and its comments; another mentor 403 on review and comment."""
    submission = submit(app, world, {"catatan.md": b"satu\n"})
    auth.login(make_user(role="trainee"))
    assert client.get(f"/peserta/pengumpulan/{submission.id}").status_code == 403
    assert client.get(f"/peserta/pengumpulan/{submission.id}/komentar-berkas?path=catatan.md").status_code == 403
    auth.logout()
    auth.login(make_user(role="mentor"))
    assert client.get(f"/mentor/pengumpulan/{submission.id}").status_code == 403
    response = client.post(f"/mentor/pengumpulan/{submission.id}/komentar-berkas",
                           data={"path": "catatan.md", "line": 1, "body": "x"})
    assert response.status_code == 403
    assert db.session.scalar(select(LineComment.id)) is None


def test_stage_signoff_from_the_project_review_page(client, auth, app, world, runner_log):
    """Does the review page of a project offer the stage's waiting sign-off, and does approving it there work?"""
    from tic_academy.models import SignOff

    submission = submit(app, world, {"catatan.md": b"satu\n"})
    auth.login(world["mentor"])
    assert 'id="stage-signoff"' not in client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    signoff = SignOff(trainee_id=world["trainee"].id, stage_id=world["exercise"].stage_id)
    db.session.add(signoff)
    db.session.commit()
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert 'id="stage-signoff"' in html and f"/mentor/tahap/{signoff.id}/keputusan" in html
    assert client.post(f"/mentor/tahap/{signoff.id}/keputusan", data={"approve": "1"}).status_code == 302
    db.session.refresh(signoff)
    assert signoff.status == "approved"
    assert 'id="stage-signoff"' not in client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)


def test_the_feedback_page_of_a_project_shows_file_comments(client, auth, app, world, runner_log):
    """Does the feedback page (where a decision's notification leads) show the file comments beside their lines?"""
    submission = submit(app, world, {"catatan.md": b"satu\ndua\n"})
    project_review.add_file_comment(submission, world["mentor"], "catatan.md", 2, "Tentang *dua*")
    auth.login(world["trainee"])
    html = client.get(f"/diskusi/umpan-balik/{submission.id}").get_data(as_text=True)
    assert 'id="project-comments"' in html and "Tentang <em>dua</em>" in html
    assert 'id="line-comments"' not in html  # no empty notebook answers section


def test_the_chosen_file_line_stays_after_a_comment(client, auth, app, world, runner_log):
    """After a comment on line 2 of a file, is line 2 still chosen in that file's form (it used to reset to 1)?"""
    submission = submit(app, world, {"catatan.md": b"satu\ndua\ntiga\n"})
    auth.login(world["mentor"])
    html = client.post(f"/mentor/pengumpulan/{submission.id}/komentar-berkas",
                       data={"path": "catatan.md", "line": 2, "body": "Kenapa dua?"},
                       follow_redirects=True).get_data(as_text=True)
    form = html[html.index('name="path" value="catatan.md"'):]
    form = form[:form.index("</form>")]
    assert re.search(r'<input[^>]*name="line"[^>]*value="2"', form, re.S)
