"""/metrics: who may read it, and that the series move when things happen."""
import os
import subprocess
import sys
import textwrap
from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from tic_academy.extensions import db
from tic_academy.clock import now_utc as utcnow


def scrape(client) -> dict:
    """{(sample name, sorted labels): value} of one /metrics scrape from loopback."""
    response = client.get("/metrics")
    assert response.status_code == 200
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict, name: str, **labels) -> float:
    """One sample's value (0 when the series does not exist yet)."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_only_for_allowed_networks(app, client):
    """Loopback may read /metrics by default; any other address gets 404, as if there were nothing."""
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code == 404
    app.config["METRICS_ALLOW"] = "203.0.113.0/24"
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code == 200
    assert client.get("/metrics").status_code == 404


def test_request_latency_by_endpoint_not_path(client, make_user, auth):
    """Requests are counted under the route's name, so ids in paths do not make new series."""
    before = scrape(client)
    client.get("/healthz")
    client.get("/sertifikat/cek/ABC-1")
    client.get("/sertifikat/cek/XYZ-2")
    after = scrape(client)
    name = "tic_http_request_duration_seconds_count"
    assert value(after, name, endpoint="ops.healthz", method="GET") == value(before, name, endpoint="ops.healthz", method="GET") + 1
    checks = [key for key in after if key[0] == name and ("endpoint", "certificates.verify") in key[1]]
    assert len(checks) == 1, checks
    assert not any("ABC-1" in str(key) for key in after)


def test_logins_and_lockouts_are_counted(app, client, make_user, auth):
    """Successful and failed log-ins and log-in pauses move their counters."""
    app.config["LOGIN_MAX_FAILURES"] = 2
    user = make_user()
    before = scrape(client)
    auth.login(user)
    auth.logout()
    auth.login(user, password="salah-sekali")
    auth.login(user, password="salah-sekali")  # the second failure pauses this address
    after = scrape(client)
    for name, labels, step in [("tic_logins_total", {"outcome": "success"}, 1),
                               ("tic_logins_total", {"outcome": "failure"}, 2),
                               ("tic_login_lockouts_total", {"scope": "address"}, 1)]:
        assert value(after, name, **labels) == value(before, name, **labels) + step, (name, labels)


def test_grading_series_follow_committed_submissions(client, make_user, make_track, make_submission):
    """Queue depth, wait, duration by mode, failures and retries follow the submissions' rows."""
    exercise = make_track([{"exercises": [{}]}]).stages[0].exercises[0]
    trainee = make_user()
    before = scrape(client)
    first = make_submission(trainee, exercise, status="queued", created_at=utcnow() - timedelta(seconds=40))
    second = make_submission(trainee, exercise, status="queued", mode="check")
    queued = scrape(client)
    assert value(queued, "tic_grading_queue_depth", status="queued") == 2
    assert value(queued, "tic_grading_oldest_queued_seconds") >= 40

    first.status, first.started_at, first.attempts = "running", utcnow(), 1
    db.session.commit()
    first.status, first.duration_s = "graded", 2.5
    db.session.commit()
    second.status, second.started_at, second.attempts = "running", utcnow(), 1
    db.session.commit()
    second.status = "queued"  # e.g. no kernel could start: back in the queue
    db.session.commit()
    second.status, second.attempts = "running", 2
    db.session.commit()
    second.status = "failed"
    db.session.commit()
    second.status = "graded"  # changed but rolled back: not counted, not even at the next commit
    db.session.flush()
    db.session.rollback()
    trainee.full_name = "Nama Baru"
    db.session.commit()
    after = scrape(client)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("tic_grading_wait_seconds_count") == 2
    assert moved("tic_grading_wait_seconds_sum") >= 40
    assert moved("tic_grading_duration_seconds_count", mode="submit") == 1
    assert moved("tic_grading_duration_seconds_sum", mode="submit") == 2.5
    assert moved("tic_gradings_total", mode="submit", outcome="graded") == 1
    assert moved("tic_gradings_total", mode="check", outcome="graded") == 0
    assert moved("tic_gradings_total", mode="check", outcome="requeued") == 1
    assert moved("tic_gradings_total", mode="check", outcome="failed") == 1
    assert moved("tic_grading_retries_total") == 1
    assert value(after, "tic_grading_queue_depth", status="queued") == 0


def test_kernel_pool_state_of_this_process(app, client):
    """The grading engine of the process reports its kernels by state."""

    class Engine:
        def state(self):
            return {"ready": 2, "live": 3, "starting": 1, "waiting": 0}

    app.extensions["tic_engine"] = Engine()
    try:
        samples = scrape(client)
    finally:
        app.extensions.pop("tic_engine")
    assert value(samples, "tic_kernel_pool_kernels", state="ready") == 2
    assert value(samples, "tic_kernel_pool_kernels", state="live") == 3


def test_real_engine_reports_its_pool(engine):
    """GradingEngine.state() counts the warm pool's kernels."""
    state = engine.state()
    assert set(state) == {"ready", "live", "starting", "waiting"}
    assert state["live"] >= state["ready"]


SCRIPT = textwrap.dedent("""
    import sys
    from tic_academy import create_app
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    client = app.test_client()
    if sys.argv[1] == "request":
        client.get("/healthz")
    else:
        sys.stdout.write(client.get("/metrics").get_data(as_text=True))
""")


def test_multiprocess_mode_adds_up_every_worker(tmp_path):
    """Under gunicorn (PROMETHEUS_MULTIPROC_DIR), one scrape shows the requests of every worker process."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for _ in range(2):
        subprocess.run([sys.executable, "-c", SCRIPT, "request"], env=env, cwd=root, check=True)
    scraped = subprocess.run([sys.executable, "-c", SCRIPT, "scrape"], env=env, cwd=root, check=True,
                             capture_output=True, text=True).stdout
    line = next(line for line in scraped.splitlines()
                if line.startswith('tic_http_request_duration_seconds_count{endpoint="ops.healthz"'))
    assert float(line.split()[-1]) == 2
