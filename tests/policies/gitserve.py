"""Access policy of the git access tokens (profile) and of git's smart HTTP routes."""
TOKEN_HOLDERS = {"trainee", "mentor", "admin"}

POLICY = {
    "auth.tokens": TOKEN_HOLDERS,
    "auth.token_revoke": TOKEN_HOLDERS,
    # git routes: no session role gets in; only a personal access token does (tests/gitserve).
    "git.info_refs": set(),
    "git.upload_pack": set(),
    "git.receive_pack": set(),
}

#: Routes that ignore the session and ask every caller for a token: 401 with a Basic challenge.
TOKEN_ONLY = {"git.info_refs", "git.upload_pack", "git.receive_pack"}


def url_values(users) -> dict:
    """A token of the matrix's trainee, and an exercise id for the repository URLs."""
    from tic_academy.services import tokens

    row, _token = tokens.create_token(users["trainee"], "matriks", None, None, max_active=5)
    return {"token_id": row.id, "exercise_id": 1}
