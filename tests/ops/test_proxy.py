"""Forwarded headers count only from the configured proxy (TIC_TRUSTED_PROXIES)."""
import pytest
from flask import request
from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models.accounts import AuditEvent
from tests.conftest import DEFAULT_PASSWORD

PROXY = "10.0.0.5"


@pytest.fixture
def app_config(app_config):
    """Trust one proxy; allow only two log-in posts a minute per address."""
    return {**app_config, "TRUSTED_PROXIES": f"{PROXY}, 192.168.50.0/24", "LOGIN_RATE_LIMIT": "2 per minute"}


def post_login(client, peer, forwarded=None):
    """Post a wrong password from ``peer``, optionally with an X-Forwarded-For header."""
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post("/masuk", data={"email": "siapa@contoh.test", "password": "salah"},
                       headers=headers, environ_base={"REMOTE_ADDR": peer})


def audit_ips():
    """The addresses recorded by the failed log-ins, oldest first."""
    return list(db.session.scalars(select(AuditEvent.ip).where(AuditEvent.action == "login.failure")
                                   .order_by(AuditEvent.id)))


def test_the_proxy_passes_on_the_client_address(client):
    """Behind the trusted proxy, the audit log records the client's address, not the proxy's."""
    post_login(client, PROXY, "203.0.113.9")
    post_login(client, "192.168.50.7", "198.51.100.1, 203.0.113.10")  # a network entry; the last hop counts
    assert audit_ips() == ["203.0.113.9", "203.0.113.10"]


def test_a_direct_client_cannot_choose_its_address(client):
    """A client talking to the app directly keeps its own address whatever X-Forwarded-For it sends."""
    post_login(client, "198.51.100.7", "203.0.113.99")
    assert audit_ips() == ["198.51.100.7"]


def test_rate_limit_counts_real_clients_behind_the_proxy(client):
    """Through the proxy, each client has its own rate limit; the proxy's address is not one big bucket."""
    statuses = [post_login(client, PROXY, f"203.0.113.{n}").status_code for n in range(1, 5)]
    assert 429 not in statuses


def test_spoofed_forwarded_for_does_not_escape_the_rate_limit(client):
    """Changing X-Forwarded-For on every request does not give a direct client a fresh limit."""
    statuses = [post_login(client, "198.51.100.7", f"203.0.113.{n}").status_code for n in range(1, 5)]
    assert statuses[-1] == 429


def test_forwarded_proto_from_the_proxy_makes_links_https(client, app):
    """X-Forwarded-Proto from the proxy is believed (secure cookies, external links); from others it is not."""
    seen = {}

    @app.route("/_skema")
    def scheme():
        seen["scheme"] = request.scheme
        return "ok"

    client.get("/_skema", headers={"X-Forwarded-Proto": "https"}, environ_base={"REMOTE_ADDR": PROXY})
    assert seen["scheme"] == "https"
    client.get("/_skema", headers={"X-Forwarded-Proto": "https"}, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert seen["scheme"] == "http"


def test_no_trusted_proxy_means_no_forwarded_headers(app_config):
    """Without TIC_TRUSTED_PROXIES the app is not wrapped at all."""
    from tic_academy import create_app
    from tic_academy.ops.proxy import TrustedProxyFix

    app = create_app({**app_config, "TRUSTED_PROXIES": ""})
    assert not isinstance(app.wsgi_app, TrustedProxyFix)


def test_login_pause_hits_the_real_client_not_everyone_behind_the_proxy(app, client, make_user):
    """Failures of one client behind nginx pause that client only; another client logs in fine."""
    app.config.update(LOGIN_MAX_FAILURES=2, LOGIN_RATE_LIMIT="100 per minute")
    user = make_user()

    def login(address, password):
        return client.post("/masuk", data={"email": user.email, "password": password},
                           headers={"X-Forwarded-For": address}, environ_base={"REMOTE_ADDR": PROXY})

    login("203.0.113.1", "salah-1")
    login("203.0.113.1", "salah-2")
    assert login("203.0.113.1", DEFAULT_PASSWORD).status_code == 200  # paused: the form again
    response = login("203.0.113.2", DEFAULT_PASSWORD)
    assert response.status_code == 302 and "/masuk" not in response.headers["Location"]
