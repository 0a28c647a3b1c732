"""Views for git's smart HTTP protocol: clone and pull (upload-pack) and push (receive-pack).

A client authenticates with HTTP Basic: any user name, a personal access token as the password.
Session cookies are ignored here, so a web page cannot make a browser push. Repositories the token's
user may not reach answer 404, exactly like repositories that do not exist. Answers for people are
plain text, which git prints as ``remote: ...`` lines.
"""
from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, request
from flask_babel import gettext as _
from werkzeug.wsgi import get_input_stream

from .. import links
from ..extensions import limiter
from ..models import User
from ..services import git_access, projects, repositories, tokens
from . import backend, pktline
from .blueprint import bp

REPOSITORY_URL = "/git/<int:user_id>/<int:exercise_id>.git"
UPLOAD, RECEIVE = "git-upload-pack", "git-receive-pack"
#: How much of a refused body the server still reads (and drops), as a multiple of the push limit.
DRAIN_FACTOR = 4


def _address() -> str:
    """The client's address (rate limits and the audit log)."""
    return request.remote_addr or "-"


def _token_key() -> str:
    """Rate-limit key: the token sent (hashed), else the client's address."""
    credentials = request.authorization
    if credentials is not None and credentials.password:
        return "token:" + tokens.token_hash(credentials.password)
    return "address:" + _address()


token_limit = limiter.shared_limit(
    lambda: current_app.config["GIT_TOKEN_RATE_LIMIT"], scope="git-token", key_func=_token_key)
address_limit = limiter.shared_limit(
    lambda: current_app.config["GIT_ADDRESS_RATE_LIMIT"], scope="git-address", key_func=_address)


def _plain(status: int, text: str, headers: dict | None = None) -> Response:
    """A plain-text answer; git shows each of its lines to the user as "remote: ..."."""
    return Response(text.rstrip("\n") + "\n", status=status, content_type="text/plain; charset=utf-8",
                    headers=headers or {})


def _not_found() -> Response:
    """The same answer for a repository that does not exist and one the user may not see."""
    return _plain(404, _("Repository not found."))


def _unauthorized() -> Response:
    """Ask git for credentials (no, unknown, revoked or expired token)."""
    text = _("Log in with a personal access token as the password (the user name may be anything). "
             "Create a token on your profile: %(url)s", url=links.url("auth.tokens"))
    return _plain(401, text, {"WWW-Authenticate": 'Basic realm="TIC Academy", charset="UTF-8"'})


@bp.errorhandler(429)
def _too_many_requests(error):
    """git requests over the rate limit get a plain-text answer git can show."""
    return _plain(429, _("Too many git requests. Wait a minute, then try again."))


def _token_user() -> User | None:
    """The user whose token came as the Basic password, or None (a failed token is audited)."""
    credentials = request.authorization
    if credentials is None or credentials.type != "basic" or not credentials.password:
        return None
    try:
        return tokens.authenticate(credentials.password, _address())
    except tokens.TokenRefused:
        return None


def _access(user_id: int, exercise_id: int, service: str):
    """The caller's access to the repository, or the error answer to send instead."""
    user = _token_user()
    if user is None:
        return _unauthorized()
    root = Path(current_app.config["REPO_ROOT"])
    access = git_access.repository_access(user, user_id, exercise_id, root)
    if access is None:
        return _not_found()
    if service == RECEIVE and not access.writable:
        return _plain(403, _("You may clone and pull this repository, but not push to it."))
    if service == RECEIVE:
        repositories.install_hooks(access.repo)  # repositories made before the push rules get them now
    return access


def _environment(access: git_access.RepositoryAccess, path_tail: str) -> dict[str, str]:
    """The CGI environment for git http-backend."""
    config = current_app.config
    return backend.backend_environment(
        access.repo, path_tail, request.method, request.query_string.decode("latin-1"),
        request.headers.get("Content-Type", ""), _address(), request.headers.get("Git-Protocol", ""),
        access.writable, config["GIT_PUSH_MAX_BYTES"], config["GIT_FILE_MAX_BYTES"],
    )


def _request_body() -> backend.RequestBody:
    """The request body, streamed: chunked bodies too, gzip undone, counted against the push limit."""
    raw = get_input_stream(request.environ, max_content_length=None)
    gzipped = request.headers.get("Content-Encoding", "").strip().lower() in ("gzip", "x-gzip")
    return backend.RequestBody(raw, gzipped, current_app.config["GIT_PUSH_MAX_BYTES"])


@bp.route(REPOSITORY_URL + "/info/refs")
@address_limit
@token_limit
def info_refs(user_id: int, exercise_id: int):
    """The refs advertisement that starts every clone, pull and push."""
    service = request.args.get("service", "")
    access = _access(user_id, exercise_id, service)
    if isinstance(access, Response):
        return access
    if service not in (UPLOAD, RECEIVE):
        return _not_found()  # the old "dumb" protocol is not served
    run = backend.BackendRun(_environment(access, "info/refs"))
    run.feed(None)
    status, headers = run.headers()
    return Response(run.stream(), status=status, headers=headers)


@bp.route(REPOSITORY_URL + "/git-upload-pack", methods=["POST"])
@address_limit
@token_limit
def upload_pack(user_id: int, exercise_id: int):
    """Clone, fetch and pull: the client says what it has, git streams back a pack."""
    access = _access(user_id, exercise_id, UPLOAD)
    if isinstance(access, Response):
        return access
    run = backend.BackendRun(_environment(access, UPLOAD))
    run.feed(_request_body())
    status, headers = run.headers()
    if run.too_large or run.broken:
        run.finish(stop=True)
        return _plain(400, _("The request could not be read."))
    return Response(run.stream(), status=status, headers=headers)


@bp.route(REPOSITORY_URL + "/git-receive-pack", methods=["POST"])
@address_limit
@token_limit
def receive_pack(user_id: int, exercise_id: int):
    """Push: the size limit is checked here, the other rules by the repository's pre-receive hook."""
    access = _access(user_id, exercise_id, RECEIVE)
    if isinstance(access, Response):
        return access
    limit = current_app.config["GIT_PUSH_MAX_BYTES"]
    body = _request_body()
    try:
        commands = pktline.read_push_commands(body)
    except (pktline.ProtocolError, backend.BadBody, backend.BodyTooLarge):
        return _plain(400, _("The request could not be read."))
    if (request.content_length or 0) > limit:
        body.drain(DRAIN_FACTOR * limit)
        return _push_too_large(commands, limit)
    with repositories.push_lock(access.repo):
        before = repositories.head(access.repo)
        run = backend.BackendRun(_environment(access, RECEIVE))
        run.feed(body, prefix=commands.raw)
        status, headers = run.headers()
        output = run.output_spooled()
        if run.too_large or run.broken:
            repositories.remove_quarantine(access.repo)
        after = repositories.head(access.repo)
    if after is not None and after != before:
        _submit(access, after)
    if run.too_large:
        output.close()
        body.drain(DRAIN_FACTOR * limit)
        return _push_too_large(commands, limit)
    if run.broken:
        output.close()
        return _plain(400, _("The request could not be read."))
    return Response(_chunks_of(output), status=status, headers=headers)


def _submit(access: git_access.RepositoryAccess, sha: str) -> None:
    """main moved to ``sha`` (read from the repository, not from the client's report): submit that commit."""
    try:
        projects.submit_commit(access.owner_id, access.exercise_id, sha, via="push",
                               root=Path(current_app.config["REPO_ROOT"]))
    except Exception:  # noqa: BLE001 - the push itself succeeded; the trainee can still submit by button
        current_app.logger.exception("recording the push of %s to %s failed", sha, access.repo)


def _push_too_large(commands: pktline.PushCommands, limit: int) -> Response:
    """Refuse a push over the size limit, in git's protocol, before git has processed its pack."""
    messages = [
        _("REFUSED: this push is larger than the limit of %(size)s.", size=size_text(limit)),
        _("Large files (data, virtual environments, build output) do not belong in the repository: "
          "take them out of the commits not yet pushed, list them in .gitignore, then push again."),
    ]
    return Response(pktline.refusal(commands, messages, _("push too large")),
                    content_type="application/x-git-receive-pack-result", headers={"Cache-Control": "no-cache"})


def size_text(size: int) -> str:
    """A size for people: "20 MiB", "1.5 MiB", or "100 KiB" under one MiB (as the pre-receive hook writes it)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    return f"{size // 1024} KiB"


def _chunks_of(spool):
    """Yield a spooled file a chunk at a time, then close it."""
    try:
        while True:
            data = spool.read(backend.CHUNK)
            if not data:
                break
            yield data
    finally:
        spool.close()
