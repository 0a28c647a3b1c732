"""Who may enter where: the login manager, ``role_required`` and role homes."""
from functools import wraps

from flask import Flask, abort, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..enums import Role
from ..extensions import db, login_manager
from ..models import User

HOME_ENDPOINTS = {
    Role.TRAINEE: "trainee.home",
    Role.MENTOR: "mentor.home",
    Role.OPD_HEAD: "opd.home",
    Role.ADMIN: "admin.home",
}


def role_required(*roles: str):
    """Let only logged-in users with one of ``roles`` through; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # read by the access-matrix test
        return wrapped

    return decorator


def home_url(user: User) -> str:
    """The page a user lands on after logging in."""
    return url_for(HOME_ENDPOINTS.get(user.role, "auth.pending"))


def init_login(app: Flask) -> None:
    """Configure Flask-Login."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "basic"

    login_manager.user_loader(load_user)


def load_user(session_key: str):
    """The user of a session or remember-me cookie, unless their password changed since it was made.

    The key is ``User.get_id()``: "<id>:<session version>" ("<id>" alone for sessions
    made before versions existed, which count as version 0).
    """
    user_id, _, version = session_key.partition(":")
    try:
        user = db.session.get(User, int(user_id))
        version_number = int(version or 0)
    except ValueError:
        return None
    if user is None or (user.session_version or 0) != version_number:
        return None
    return user
