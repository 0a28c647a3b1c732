"""The route × role access matrix: every route, every role.

Each area adds its routes in ``tests/policies/<area>.py``: a ``POLICY`` dict
(endpoint -> roles) and optionally ``url_values(users) -> dict`` creating the
objects its routes take ids of.
"""
import importlib
import pkgutil

import pytest

from tests import policies

from tic_academy.extensions import db
from tic_academy.models import OutboxMessage

ROLES = ["anonymous", "trainee", "mentor", "opd_head", "admin"]
PUBLIC = set(ROLES)
LOGGED_IN = {"trainee", "mentor", "opd_head", "admin"}

#: endpoint -> roles that may use it. A route missing here fails the test,
#: so every new route must state its policy.
EXPECTED = {
    "static": PUBLIC,
    "auth.index": PUBLIC,
    "auth.login": PUBLIC,
    "auth.forgot_password": PUBLIC,
    "auth.set_password": PUBLIC,
    "auth.set_language": PUBLIC,
    "auth.logout": LOGGED_IN,
    "auth.change_password": LOGGED_IN,
    "trainee.home": {"trainee"},
    "mentor.home": {"mentor"},
    "opd.home": {"opd_head"},
    "admin.home": {"admin"},
    "admin.opds": {"admin"},
    "admin.opd_create": {"admin"},
    "admin.opd_edit": {"admin"},
    "admin.opd_toggle": {"admin"},
    "admin.users": {"admin"},
    "admin.user_create": {"admin"},
    "admin.user_detail": {"admin"},
    "admin.user_toggle": {"admin"},
    "admin.user_reinvite": {"admin"},
    "admin.outbox": {"admin"},
    "admin.outbox_message": {"admin"},
    "admin.audit_log": {"admin"},
}


AREA_MODULES = [
    importlib.import_module(f"tests.policies.{info.name}") for info in pkgutil.iter_modules(policies.__path__)
]
#: Endpoints that authenticate by personal access token only: every caller gets 401 and a Basic challenge.
TOKEN_ONLY: set[str] = set()
for _module in AREA_MODULES:
    EXPECTED.update(_module.POLICY)
    TOKEN_ONLY.update(getattr(_module, "TOKEN_ONLY", ()))


@pytest.fixture
def world(make_user, make_opd):
    """One user per role plus the objects routes take ids of."""
    users = {role: make_user(role=role) for role in ROLES[1:]}
    message = OutboxMessage(recipient="x@contoh.test", subject="s", body="b")
    db.session.add(message)
    db.session.commit()
    values = {
        "opd_id": users["trainee"].opd_id,
        "user_id": users["trainee"].id,
        "message_id": message.id,
        "token": "bukan-token",
        "filename": "dist/style.css",
    }
    for module in AREA_MODULES:
        if hasattr(module, "url_values"):
            values.update(module.url_values(users))
    return users, values


def routes(app):
    """(endpoint, rule, method) for every route of the app; logging out comes last."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint == "auth.logout"):
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        yield rule.endpoint, rule, ("GET" if "GET" in methods else methods[0])


def test_every_route_has_a_policy(app):
    """Does every route appear in the access matrix?"""
    missing = sorted({endpoint for endpoint, _, _ in routes(app)} - set(EXPECTED))
    assert missing == [], f"routes without an access policy: {missing}"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, client, auth, world, role):
    """Does each route let in exactly the roles it should, for every role?"""
    users, values = world
    if role != "anonymous":
        auth.login(users[role])
    problems = []
    for endpoint, rule, method in routes(app):
        args = {name: values[name] for name in rule.arguments}
        with app.test_request_context():
            from flask import url_for

            url = url_for(endpoint, **args)
        response = client.open(url, method=method)
        response.close()
        allowed = role in EXPECTED[endpoint]
        status = response.status_code
        if endpoint in TOKEN_ONLY:
            if status != 401 or not response.headers.get("WWW-Authenticate", "").startswith("Basic "):
                problems.append(f"{method} {url}: {role} got {status}, expected 401 asking for a token")
        elif allowed:
            sent_to_login = status == 302 and response.headers["Location"].startswith("/masuk")
            if status in (401, 403) or (sent_to_login and role != "anonymous" and endpoint != "auth.logout"):
                problems.append(f"{method} {url}: {role} refused ({status})")
        elif role == "anonymous":
            if not (status == 302 and "/masuk" in response.headers["Location"]):
                problems.append(f"{method} {url}: anonymous got {status}, expected a redirect to log in")
        elif status != 403:
            problems.append(f"{method} {url}: {role} got {status}, expected 403")
    assert problems == []
