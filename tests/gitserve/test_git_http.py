"""git clone, pull and push against the running app, with a real git client and personal access tokens."""
import os

import pytest

from tic_academy.extensions import db
from tic_academy.models import AuditEvent
from tic_academy.services import repositories

from .conftest import clone_url, make_token, repository_state

EXERCISE = 5


@pytest.fixture
def trainee(make_user, project):
    """A trainee with project exercise EXERCISE open."""
    user = make_user(role="trainee")
    project.open.add((user.id, EXERCISE))
    return user


def test_clone_and_push_submits_the_new_commit(server, trainee, project, git_client):
    """Can a trainee clone with a token and push a commit, which is then submitted for grading?"""
    token = make_token(trainee)
    git_client.run("clone", "-q", clone_url(server, trainee.id, EXERCISE, token), "kerja")
    work = git_client.home / "kerja"
    assert (work / "kalkulator" / "__init__.py").is_file()
    sha = git_client.commit_file(work, "kalkulator/__init__.py", b"def tambah(a, b):\n    return a + b\n", "Tambah")
    git_client.run("push", "-q", "origin", "main", cwd=work)
    repo = repositories.repository_path(project.root, trainee.id, EXERCISE)
    assert repositories.head(repo) == sha
    assert project.submitted == [(trainee.id, EXERCISE, sha, "push")]
    # pulling again works and brings nothing new
    assert "up to date" in git_client.run("pull", cwd=work).stdout.lower()


@pytest.fixture
def pushed(server, trainee, project, git_client):
    """A clone of the trainee's repository with one commit pushed; returns (work folder, repo, token)."""
    token = make_token(trainee)
    git_client.run("clone", "-q", clone_url(server, trainee.id, EXERCISE, token), "kerja")
    work = git_client.home / "kerja"
    git_client.commit_file(work, "catatan.txt", b"langkah pertama\n", "Pertama")
    git_client.run("push", "-q", "origin", "main", cwd=work)
    repo = repositories.repository_path(project.root, trainee.id, EXERCISE)
    project.submitted.clear()
    return work, repo, token


def test_another_trainees_repository_is_not_found_like_a_missing_one(app, client, server, trainee, make_user, project,
                                                                    git_client):
    """Is another trainee's repository answered exactly like one that does not exist (404)?"""
    other = make_user(role="trainee")
    project.open.add((other.id, EXERCISE))
    token = make_token(trainee)
    git_client.run("clone", "-q", clone_url(server, trainee.id, EXERCISE, token), "punyaku")  # own: fine
    repositories.create_from_template(repositories.repository_path(project.root, other.id, EXERCISE),
                                      project.template, "Mulai")
    done = git_client.run("clone", clone_url(server, other.id, EXERCISE, token), "punya-orang", check=False)
    assert done.returncode != 0 and "not found" in done.stderr
    headers = _basic(token)
    someone_else = client.get(f"/git/{other.id}/{EXERCISE}.git/info/refs?service=git-upload-pack", headers=headers)
    missing = client.get(f"/git/{trainee.id}/999.git/info/refs?service=git-upload-pack", headers=headers)
    nobody = client.get(f"/git/987654/{EXERCISE}.git/info/refs?service=git-upload-pack", headers=headers)
    assert someone_else.status_code == missing.status_code == nobody.status_code == 404
    assert someone_else.data == missing.data == nobody.data
    assert "tidak ditemukan" in someone_else.get_data(as_text=True)
    for path in ("git-upload-pack", "git-receive-pack"):
        assert client.post(f"/git/{other.id}/{EXERCISE}.git/{path}", headers=headers, data=b"0000").status_code == 404


def _basic(token: str, user: str = "siapa-saja") -> dict:
    """An HTTP Basic Authorization header with the token as the password."""
    import base64

    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()}


def test_no_token_asks_for_credentials(app, client, auth, server, trainee, git_client):
    """Does a request without a token (even from a logged-in browser) get 401 with a Basic challenge?"""
    url = f"/git/{trainee.id}/{EXERCISE}.git/info/refs?service=git-upload-pack"
    response = client.get(url)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic ")
    assert "/profil/token" in response.get_data(as_text=True)
    auth.login(trainee)
    assert client.get(url).status_code == 401  # a session cookie is not a token
    assert client.get(url, headers=_basic("rahasia-sekali-123", trainee.email)).status_code == 401  # nor a password
    done = git_client.run("clone", f"{server}/git/{trainee.id}/{EXERCISE}.git", "tanpa-token", check=False)
    assert done.returncode != 0 and not (git_client.home / "tanpa-token" / ".git" / "HEAD").exists()


def test_revoked_or_expired_token_fails_and_is_audited(app, client, server, trainee, git_client):
    """Does git fail with a revoked or an expired token, each failed use written to the audit log?"""
    from datetime import timedelta

    from tic_academy.models import PersonalAccessToken
    from tic_academy.clock import now_utc
    from tic_academy.services import tokens

    token = make_token(trainee)
    git_client.run("ls-remote", clone_url(server, trainee.id, EXERCISE, token))
    row = db.session.scalar(db.select(PersonalAccessToken))
    tokens.revoke_token(row, trainee, "127.0.0.1")
    done = git_client.run("ls-remote", clone_url(server, trainee.id, EXERCISE, token), check=False)
    assert done.returncode != 0 and "Authentication failed" in done.stderr
    expired = make_token(trainee, days=1)
    row = db.session.scalar(db.select(PersonalAccessToken).where(PersonalAccessToken.revoked_at.is_(None)))
    row.expires_at = now_utc() - timedelta(minutes=1)
    db.session.commit()
    url = f"/git/{trainee.id}/{EXERCISE}.git/info/refs?service=git-upload-pack"
    assert client.get(url, headers=_basic(expired)).status_code == 401
    assert client.get(url, headers=_basic("tic_pat_dikarang-saja")).status_code == 401
    db.session.expire_all()
    failures = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "token.failed")).all()
    reasons = sorted(event.detail["reason"] for event in failures)
    assert reasons == ["expired", "revoked", "unknown"]
    assert all(token not in str(event.detail) for event in failures)


def test_oversized_push_is_refused_and_changes_nothing(app, pushed, git_client, project):
    """Is a push over the size limit refused in Indonesian, before git keeps anything (Content-Length body)?"""
    work, repo, _token = pushed
    app.config["GIT_PUSH_MAX_BYTES"] = 100 * 1024
    before = repository_state(repo)
    git_client.commit_file(work, "data.bin", os.urandom(300 * 1024), "Data besar")
    done = git_client.run("push", "origin", "main", cwd=work, check=False)
    assert done.returncode != 0
    assert "remote: DITOLAK: kiriman ini lebih besar dari batas 100 KiB." in done.stderr
    assert "[remote rejected] main -> main (kiriman terlalu besar)" in done.stderr
    assert repository_state(repo) == before
    assert project.submitted == []


def test_oversized_chunked_push_is_refused_and_changes_nothing(app, pushed, git_client, project):
    """Is an oversized push sent with Transfer-Encoding: chunked refused while it streams, leaving no trace?"""
    work, repo, _token = pushed
    app.config["GIT_PUSH_MAX_BYTES"] = 200 * 1024
    before = repository_state(repo)
    # 150 files: git then streams the pack to index-pack, which writes it into quarantine as it arrives
    for number in range(150):
        (work / "data" / f"{number}.bin").parent.mkdir(exist_ok=True)
        (work / "data" / f"{number}.bin").write_bytes(os.urandom(4096))
    git_client.run("add", "data", cwd=work)
    git_client.run("commit", "-q", "-m", "Banyak data", cwd=work)
    done = git_client.run("-c", "http.postBuffer=65536", "push", "origin", "main", cwd=work, check=False)
    assert done.returncode != 0
    assert "DITOLAK: kiriman ini lebih besar dari batas" in done.stderr, done.stderr
    assert repository_state(repo) == before
    assert project.submitted == []


def test_large_chunked_push_under_the_limit_is_accepted(app, pushed, git_client, project):
    """Does a push larger than git's post buffer (sent chunked) go through when it is within the limit?"""
    work, repo, _token = pushed
    app.config["GIT_FILE_MAX_BYTES"] = 1024 * 1024
    sha = git_client.commit_file(work, "data.bin", os.urandom(800 * 1024), "Data sedang")
    git_client.run("-c", "http.postBuffer=65536", "push", "origin", "main", cwd=work)
    assert repositories.head(repo) == sha
    assert project.submitted[-1][2] == sha


def test_force_push_is_refused_and_changes_nothing(pushed, git_client, project):
    """Is rewriting main's history (force push) refused with an Indonesian message, the repository unchanged?"""
    work, repo, _token = pushed
    before = repository_state(repo)
    git_client.run("commit", "-q", "--amend", "-m", "Ditulis ulang", cwd=work)
    done = git_client.run("push", "--force", "origin", "main", cwd=work, check=False)
    assert done.returncode != 0
    assert "remote: DITOLAK: riwayat cabang main tidak boleh ditulis ulang (force push)" in done.stderr
    assert repository_state(repo) == before
    assert project.submitted == []


def test_deleting_main_and_other_branches_are_refused(pushed, git_client):
    """Are deleting main and pushing any branch but main refused, in Indonesian?"""
    work, repo, _token = pushed
    before = repository_state(repo)
    done = git_client.run("push", "origin", ":main", cwd=work, check=False)
    assert done.returncode != 0 and "cabang main tidak boleh dihapus" in done.stderr
    git_client.run("checkout", "-q", "-b", "coba", cwd=work)
    done = git_client.run("push", "origin", "coba", cwd=work, check=False)
    assert done.returncode != 0 and "hanya cabang main yang dinilai dan boleh dikirim" in done.stderr
    assert repository_state(repo) == before


def test_file_over_the_size_limit_is_refused(app, pushed, git_client, project):
    """Is a commit carrying a file over the per-file limit refused, naming the file?"""
    work, repo, _token = pushed
    app.config["GIT_FILE_MAX_BYTES"] = 50 * 1024
    before = repository_state(repo)
    git_client.commit_file(work, "data/besar sekali.csv", b"x" * (80 * 1024), "Berkas besar")
    done = git_client.run("push", "origin", "main", cwd=work, check=False)
    assert done.returncode != 0
    assert "DITOLAK: berkas berikut lebih besar dari batas 50 KiB per berkas:" in done.stderr
    assert "remote:   - data/besar sekali.csv (80 KiB)" in done.stderr
    assert repository_state(repo) == before
    assert project.submitted == []


def test_mentor_of_the_trainee_can_clone_but_not_push(server, pushed, trainee, make_user, make_track, make_enrollment,
                                                      git_client, project):
    """May the trainee's mentor clone (read-only) and is their push refused, leaving the repository as it was?"""
    _work, repo, _token = pushed
    mentor = make_user(role="mentor")
    make_enrollment(trainee, make_track([{"exercises": [{}]}]), mentor=mentor)
    token = make_token(mentor)
    git_client.run("clone", "-q", clone_url(server, trainee.id, EXERCISE, token), "tinjau")
    work = git_client.home / "tinjau"
    assert (work / "catatan.txt").read_text() == "langkah pertama\n"
    before = repository_state(repo)
    git_client.commit_file(work, "catatan.txt", b"diubah mentor\n", "Ubah")
    done = git_client.run("push", "origin", "main", cwd=work, check=False)
    assert done.returncode != 0 and "403" in done.stderr
    assert "remote: Anda boleh meng-clone" in done.stderr or "tidak boleh mengirim" in done.stderr
    assert repository_state(repo) == before
    assert project.submitted == []


def test_admin_can_clone_and_unassigned_mentor_cannot_see(client, server, pushed, trainee, make_user, make_track,
                                                          make_enrollment, git_client):
    """Can an admin clone any trainee's repository, while a mentor of someone else gets 404?"""
    assigned, other_mentor, admin = make_user(role="mentor"), make_user(role="mentor"), make_user(role="admin")
    make_enrollment(trainee, make_track([{"exercises": [{}]}]), mentor=assigned)
    git_client.run("clone", "-q", clone_url(server, trainee.id, EXERCISE, make_token(admin)), "admin")
    done = git_client.run("clone", clone_url(server, trainee.id, EXERCISE, make_token(other_mentor)), "lain",
                          check=False)
    assert done.returncode != 0 and "not found" in done.stderr
    opd_head = make_user(role="opd_head")
    from tic_academy.models import PersonalAccessToken
    from tic_academy.services import tokens

    # an OPD head cannot even create a token; a token row forced on one still reaches nothing
    row = PersonalAccessToken(user_id=opd_head.id, name="x", token_hash=tokens.token_hash("tic_pat_kepala"), hint="x")
    db.session.add(row)
    db.session.commit()
    url = f"/git/{trainee.id}/{EXERCISE}.git/info/refs?service=git-upload-pack"
    assert client.get(url, headers=_basic("tic_pat_kepala")).status_code == 404


def test_gzip_request_body_is_read(client, pushed, trainee):
    """Is a gzip-compressed upload-pack request (as git sends large negotiations) understood?"""
    import gzip

    from tic_academy.gitserve.pktline import FLUSH, pkt

    _work, repo, token = pushed
    sha = repositories.head(repo)
    body = pkt(f"want {sha}\n".encode()) + FLUSH + pkt(b"done\n")
    response = client.post(f"/git/{trainee.id}/{EXERCISE}.git/git-upload-pack", data=gzip.compress(body),
                           headers={**_basic(token), "Content-Encoding": "gzip",
                                    "Content-Type": "application/x-git-upload-pack-request"})
    assert response.status_code == 200
    assert b"PACK" in response.data
    broken = client.post(f"/git/{trainee.id}/{EXERCISE}.git/git-upload-pack", data=b"bukan gzip",
                         headers={**_basic(token), "Content-Encoding": "gzip"})
    assert broken.status_code == 400


def test_git_requests_are_rate_limited_per_token(app, client, trainee):
    """Does a token over its rate limit get 429 with a message git can show?"""
    app.config["GIT_TOKEN_RATE_LIMIT"] = "3 per minute"
    token = make_token(trainee)
    url = f"/git/{trainee.id}/{EXERCISE}.git/info/refs?service=git-upload-pack"
    statuses = [client.get(url, headers=_basic(token)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(url, headers=_basic(token))
    assert response.status_code == 429 and response.content_type.startswith("text/plain")
    assert client.get(url, headers=_basic(make_token(trainee))).status_code == 200  # another token still works


def test_git_requests_are_rate_limited_per_address(app, client, trainee):
    """Does one address over its limit get 429, whatever tokens (or none) it sends?"""
    app.config["GIT_ADDRESS_RATE_LIMIT"] = "3 per minute"
    url = f"/git/{trainee.id}/{EXERCISE}.git/info/refs?service=git-upload-pack"
    statuses = [client.get(url, headers=_basic(f"tic_pat_tebakan-{n}")).status_code for n in range(3)]
    assert statuses == [401, 401, 401]
    assert client.get(url, headers=_basic(make_token(trainee))).status_code == 429


def test_repair_installs_the_hook_into_existing_repositories(app, runner, project, trainee):
    """Does `flask git repair-hooks` give an old repository (made without the hook) the read-only hook?"""
    repo = project.repository_for(trainee, EXERCISE, project.root)
    hook = repo / "hooks" / "pre-receive"
    hook.unlink()
    repositories.git(repo, "config", "--unset", "receive.denyNonFastForwards")
    assert not repositories.hooks_installed(repo)
    result = runner.invoke(args=["git", "repair-hooks"])
    assert result.exit_code == 0 and "1 of 1 repositories updated" in result.output
    assert repositories.hooks_installed(repo) and (hook.stat().st_mode & 0o777) == 0o555
    assert repositories.git(repo, "config", "receive.denyNonFastForwards").strip() == b"true"
    assert "0 of 1" in runner.invoke(args=["git", "repair-hooks"]).output


def test_push_stands_when_recording_the_submission_fails(pushed, git_client, monkeypatch):
    """If submitting the pushed commit fails, is the push still accepted (the trainee can submit by button)?"""
    from tic_academy.services import projects

    def broken(*args, **kwargs):
        raise RuntimeError("antrean penilaian mati")

    monkeypatch.setattr(projects, "submit_commit", broken)
    work, repo, _token = pushed
    sha = git_client.commit_file(work, "catatan.txt", b"langkah kedua\n", "Kedua")
    git_client.run("push", "-q", "origin", "main", cwd=work)
    assert repositories.head(repo) == sha


def _push_peak(git_client, work, size: int) -> int:
    """Commit ``size`` random bytes, push them, and return the Python memory peak of this process meanwhile."""
    import tracemalloc

    git_client.commit_file(work, "data.bin", os.urandom(size), f"Data {size}")
    tracemalloc.start()
    try:
        git_client.run("push", "-q", "origin", "main", cwd=work)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_push_is_streamed_not_held_in_memory(app, pushed, git_client, project):
    """Does the server's memory stay the same whether a push carries 1 MiB or 16 MiB (the pack is streamed)?"""
    work, repo, _token = pushed
    app.config["GIT_FILE_MAX_BYTES"] = 17 * 1024 * 1024
    small = _push_peak(git_client, work, 1024 * 1024)
    large = _push_peak(git_client, work, 16 * 1024 * 1024)
    assert repositories.head(repo) == project.submitted[-1][2]
    assert large - small < 1024 * 1024, f"peak {small / 1048576:.1f} MiB -> {large / 1048576:.1f} MiB"
