"""The project editor's comments route: the mentor's line comments placed on the trainee's own file text."""
from pathlib import Path

from tests.projects.helpers import push_files
from tests.projects.test_review import graded
from tests.trainee.conftest import enroll
from tic_academy.services import project_review, projects, repositories

API = "/peserta/api/latihan/pengaduan/proyek"


def submit(app, world, files: dict) -> tuple:
    """Push ``files`` and submit that commit (graded); (submission, repository)."""
    root = Path(app.config["REPO_ROOT"])
    repo = projects.repository_for(world["trainee"], world["exercise"].id, root)
    sha = push_files(repo, files, "Kerjakan")
    return graded(projects.submit_commit(world["trainee"].id, world["exercise"].id, sha, "push", root)), repo


def test_comments_are_placed_on_the_text_at_head(client, auth, app, world, runner_log):
    """Does a comment follow its line to the head's text, and is a gone line's comment listed as earlier?"""
    submission, repo = submit(app, world, {"catatan.md": b"satu\ndua\ntiga\n"})
    project_review.add_file_comment(submission, world["mentor"], "catatan.md", 3, "Tentang **tiga**")
    project_review.add_file_comment(submission, world["mentor"], "catatan.md", 2, "Tentang dua")
    old_sha = repositories.head(repo)
    push_files(repo, {"catatan.md": b"nol\nsatu\ntiga\n"}, "Ubah")
    auth.login(world["trainee"])
    data = client.get(API + "/komentar?path=catatan.md").get_json()
    placed = {line: [c["body"] for c in comments] for line, comments in data["lines"].items()}
    assert placed == {"3": ["Tentang **tiga**"]}
    assert data["lines"]["3"][0]["html"].count("<strong>tiga</strong>") == 1
    assert [c["body"] for c in data["earlier"]] == ["Tentang dua"]
    # at the submitted commit both comments sit on their own lines
    data = client.get(f"{API}/komentar?path=catatan.md&sha={old_sha}").get_json()
    assert sorted(data["lines"]) == ["2", "3"] and data["earlier"] == []


def test_comment_html_is_sanitised(client, auth, app, world, runner_log):
    """Is a script in a comment body never sent as HTML?"""
    submission, _repo = submit(app, world, {"catatan.md": b"satu\n"})
    project_review.add_file_comment(submission, world["mentor"], "catatan.md", 1, "<script>alert(1)</script> ok")
    auth.login(world["trainee"])
    html = client.get(API + "/komentar?path=catatan.md").get_json()["lines"]["1"][0]["html"]
    assert "<script" not in html


def test_bad_path_or_commit_is_404(client, auth, world):
    auth.login(world["trainee"])
    assert client.get(API + "/komentar?path=tidak-ada.md").status_code == 404
    assert client.get(API + "/komentar?path=../x").status_code == 404
    assert client.get(f"{API}/komentar?path=README.md&sha={'0' * 40}").status_code == 404


def test_another_trainee_sees_neither_the_file_nor_the_comments(client, auth, app, world, make_user, runner_log):
    """Does another trainee get only their own (empty) comments, and a 404 for a commit of someone else?"""
    submission, repo = submit(app, world, {"catatan.md": b"satu\n"})
    project_review.add_file_comment(submission, world["mentor"], "catatan.md", 1, "Rahasia")
    sha = repositories.head(repo)
    other = make_user(role="trainee")
    enroll(other, world["track"], mentor=world["mentor"])
    auth.login(other)
    assert client.get(f"{API}/komentar?path=catatan.md&sha={sha}").status_code == 404
    response = client.get(API + "/komentar?path=README.md")
    assert response.status_code == 200 and response.get_json()["lines"] == {} and response.get_json()["earlier"] == []
    assert client.get(API + "/komentar?path=catatan.md").status_code == 404
    auth.logout()
    auth.login(world["mentor"])
    assert client.get(API + "/komentar?path=catatan.md").status_code in (403, 404)
