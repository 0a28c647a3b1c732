"""The `git` blueprint object: git's smart HTTP protocol, authenticated by personal access tokens."""
from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("git", __name__)
# git clients send no CSRF token; these routes ignore cookies and accept only a token in HTTP Basic auth.
csrf.exempt(bp)
