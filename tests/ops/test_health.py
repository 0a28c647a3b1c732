"""/healthz, /readyz and request ids."""
from datetime import timedelta

import pytest

from tic_academy import create_app
from tic_academy.clock import now_utc as utcnow
from tic_academy.ops import health
from tests.conftest import require_or_skip


@pytest.fixture
def fast_kernel_check(monkeypatch):
    """Replace the (cached, one-second) kernel check by a result the test chooses."""
    result = {"error": None}
    monkeypatch.setattr(health, "check_kernel", lambda config: result["error"])
    return result


def test_healthz_answers_without_login_or_database(app_config):
    """Liveness needs no log-in and no database (a database that does not answer still gives 200)."""
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_ok_lists_each_check(client, fast_kernel_check):
    """With a database, a sandbox and an empty queue, readiness is 200 with one entry per check."""
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": {"status": "ok"}, "sandbox": {"status": "ok"}, "queue": {"status": "ok"}}


def test_readyz_fails_when_the_database_is_down(app_config, fast_kernel_check):
    """No database: 503, and the database check says why."""
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "fail"
    assert body["checks"]["database"]["status"] == "fail"
    assert "error" in body["checks"]["database"]


def test_readyz_checks_redis_when_celery_is_configured(app, client, fast_kernel_check):
    """With the Celery runner, a Redis that does not answer makes the app not ready."""
    app.config.update(RUNNER="celery", REDIS_URL="redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"]["status"] == "fail"


def test_readyz_fails_when_the_queue_is_stuck(app, client, fast_kernel_check, make_user, make_track, make_submission):
    """A submission queued longer than TIC_READY_QUEUE_MAX_AGE means the graders are not working."""
    exercise = make_track([{"exercises": [{}]}]).stages[0].exercises[0]
    trainee = make_user()
    make_submission(trainee, exercise, status="queued", created_at=utcnow() - timedelta(seconds=30))
    assert client.get("/readyz").status_code == 200
    app.config["READY_QUEUE_MAX_AGE"] = 10
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "30 s" in response.get_json()["checks"]["queue"]["error"]


def test_readyz_fails_when_no_kernel_starts(client, fast_kernel_check):
    """A sandbox that cannot start a kernel makes the app not ready."""
    fast_kernel_check["error"] = "bwrap: no permissions"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["sandbox"] == {"status": "fail", "error": "bwrap: no permissions"}


def test_kernel_check_starts_a_real_kernel_and_is_cached(app, monkeypatch):
    """The sandbox check really starts a kernel, then reuses its answer for a while (cheap to poll)."""
    monkeypatch.setattr(health, "_kernel_check", {"at": None, "error": None})
    started = []
    real_engine = health.GradingEngine

    def counting_engine(settings):
        started.append(settings)
        return real_engine(settings)

    monkeypatch.setattr(health, "GradingEngine", counting_engine)
    first = health.check_kernel(app.config)
    if first is not None and "bwrap" in first:
        require_or_skip(False, f"grading sandbox unavailable: {first}")
    assert first is None
    assert health.check_kernel(app.config) is None
    assert len(started) == 1
    assert started[0].pool_size == 0  # a probe, not a second warm pool


def test_request_id_is_returned_and_kept_from_the_proxy(client):
    """Every response carries X-Request-ID: the proxy's when it looks like an id, else a new one."""
    own = client.get("/healthz").headers["X-Request-ID"]
    assert len(own) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    for bogus in ("x" * 200, "<script>", "a b"):
        assert len(client.get("/healthz", headers={"X-Request-ID": bogus}).headers["X-Request-ID"]) == 32


def test_kernel_check_can_be_switched_off(app, client, fast_kernel_check):
    """TIC_READY_KERNEL_CHECK=false leaves the sandbox out (web hosts that never grade)."""
    fast_kernel_check["error"] = "no kernel here"
    app.config["READY_KERNEL_CHECK"] = False
    response = client.get("/readyz")
    assert response.status_code == 200
    assert "sandbox" not in response.get_json()["checks"]


def test_static_links_carry_a_content_hash(app, client):
    """Asset links change when the file does, so the proxy can cache them for a year."""
    from flask import url_for

    with app.test_request_context():
        url = url_for("static", filename="dist/style.css")
        missing = url_for("static", filename="tidak-ada.css")
    assert "?v=" in url and len(url.split("?v=")[1]) == 12
    response = client.get(url)
    response.close()
    assert response.status_code == 200
    assert "?v=" not in missing


def test_readyz_checks_the_rate_limit_storage(app, client, fast_kernel_check):
    """Rate limits kept in Redis: that Redis must answer too."""
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:1/1"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["ratelimit_storage"]["status"] == "fail"
