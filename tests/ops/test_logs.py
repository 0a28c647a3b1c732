"""Structured logs: JSON lines carrying the request id, the user id and the submission id."""
import io
import json
import logging

import pytest

from tic_academy.ops import logs


@pytest.fixture
def json_lines(app):
    """Log as JSON into a buffer (as TIC_LOG_FORMAT=json does to stderr); yields a reader of the lines."""
    buffer = io.StringIO()
    # Alembic's fileConfig (tests/test_migrations.py) disables loggers that existed before it ran.
    for name in ("tic_academy.requests", "tic_academy.services.submissions"):
        logging.getLogger(name).disabled = False
    logs.configure_logging("json", "INFO", stream=buffer)
    app.after_request(logs._access_line)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    logs.configure_logging("text")


def test_access_lines_carry_request_and_user_ids(client, auth, make_user, json_lines):
    """Each request writes one JSON line with its id (the one returned to the client) and the user's id."""
    user = make_user()
    auth.login(user)
    response = client.get("/healthz", headers={"X-Request-ID": "req-42"})
    assert response.headers["X-Request-ID"] == "req-42"
    line = [entry for entry in json_lines() if entry.get("path") == "/healthz"][-1]
    assert line["request_id"] == "req-42"
    assert line["status"] == 200 and line["endpoint"] == "ops.healthz" and line["method"] == "GET"
    assert line["user_id"] == user.id
    assert line["level"] == "INFO" and "duration_ms" in line


def test_a_job_names_its_submission(json_lines):
    """A log line written while a job grades a submission names that submission."""
    token = logs.current_submission.set(17)
    try:
        logging.getLogger("tic_academy.services.submissions").warning("kernel tidak mau mulai")
    finally:
        logs.current_submission.reset(token)
    (line,) = [entry for entry in json_lines() if entry["message"] == "kernel tidak mau mulai"]
    assert line["submission_id"] == 17 and line["request_id"] is None


def test_production_logs_json_by_default(monkeypatch):
    """The production configuration logs JSON lines unless TIC_LOG_FORMAT says otherwise."""
    from tic_academy.config import Config, ProductionConfig

    assert ProductionConfig.LOG_FORMAT == "json"
    assert Config.LOG_FORMAT == "text"
