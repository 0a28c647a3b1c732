"""A trainee's journey over HTTP against a running stack (used by scripts/prod-check.sh).

Usage: python scripts/prod_journey.py BASE_URL [LOG_FILE]

Logs in with the form's CSRF token, opens the first exercise of the track, submits the model answer,
polls until a Celery worker has graded it and checks the full score; then checks /readyz, /metrics
(the grading and the requests of several gunicorn workers are counted) and, with LOG_FILE, that the
JSON log holds the submit request's id. Exits non-zero with a message on the first failure.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
import uuid
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
EMAIL = "peserta1@tic.test"
GRADING_TIMEOUT_S = 90


class LoopbackSession(requests.Session):
    """Sends the app's Secure cookies back over plain HTTP: we play the TLS proxy (X-Forwarded-Proto: https)."""

    def request(self, *args, **kwargs):
        """Send the request; then mark the cookies as sendable over HTTP (loopback only)."""
        response = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def fail(message: str) -> None:
    """Stop the journey with a message."""
    print(f"JOURNEY FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def first_exercise() -> tuple[str, dict[str, str]]:
    """The first exercise's slug and its model answers {grade_id: code} from the source notebook."""
    track = yaml.safe_load(next((ROOT / "curricula").glob("*.yaml")).read_text(encoding="utf-8"))
    exercise = track["stages"][0]["exercises"][0]
    notebook = json.loads((ROOT / "notebooks" / exercise["notebook"]).read_text(encoding="utf-8"))
    answers = {}
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "code" and meta.get("solution"):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            lines = [line for line in source.splitlines() if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
            answers[meta["grade_id"]] = "\n".join(lines)
    return exercise["id"], answers


def csrf_from(html: str, pattern: str) -> str:
    """The CSRF token of a page (form field or meta tag)."""
    match = re.search(pattern, html)
    if not match:
        fail("no CSRF token on the page")
    return match.group(1)


def main(base: str, log_file: str | None) -> None:
    """Run the journey and print one line per step."""
    started = time.monotonic()
    session = LoopbackSession()
    session.headers["X-Forwarded-Proto"] = "https"
    # Over HTTPS, Flask-WTF also wants a same-origin Referer, as a browser sends it.
    session.headers["Referer"] = base.replace("http://", "https://", 1) + "/"

    page = session.get(f"{base}/masuk", timeout=10)
    token = csrf_from(page.text, r'name="csrf_token"[^>]*value="([^"]+)"')
    password = os.environ.get("TIC_DEMO_PASSWORD", "tic-demo-2026")
    response = session.post(f"{base}/masuk", data={"csrf_token": token, "email": EMAIL, "password": password},
                            allow_redirects=False, timeout=10)
    if response.status_code != 302 or "/masuk" in response.headers.get("Location", ""):
        fail(f"log-in refused ({response.status_code})")
    print(f"ok  logged in as {EMAIL}")

    slug, answers = first_exercise()
    page = session.get(f"{base}/peserta/latihan/{slug}", timeout=10)
    if page.status_code != 200:
        fail(f"exercise page {slug}: {page.status_code}")
    token = csrf_from(page.text, r'<meta name="csrf-token" content="([^"]+)"')
    print(f"ok  opened exercise {slug} ({len(answers)} answer cells)")

    request_id = f"prod-check-{uuid.uuid4().hex[:12]}"
    response = session.post(f"{base}/peserta/api/latihan/{slug}/kumpulkan", json={"answers": answers},
                            headers={"X-CSRFToken": token, "X-Request-ID": request_id}, timeout=10)
    if response.status_code != 202:
        fail(f"submit: {response.status_code} {response.text[:300]}")
    if response.headers.get("X-Request-ID") != request_id:
        fail("the response did not return our X-Request-ID")
    submission_id = response.json()["submission"]["id"]
    status_url = base + response.json()["status_url"]
    print(f"ok  submitted ({status_url})")

    deadline = time.monotonic() + GRADING_TIMEOUT_S
    while True:
        data = session.get(status_url, timeout=10).json()
        if data["status"] in ("graded", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if data["status"] != "graded":
        fail(f"submission not graded: {data['status']} {data.get('error')}")
    if data["score"] != data["max_score"] or not data["max_score"]:
        failed = [t for t in data["tests"] if t.get("status") != "passed"]
        fail(f"score {data['score']} / {data['max_score']}; tests not passed: {failed}")
    print(f"ok  graded through Celery: {data['score']:g} / {data['max_score']:g}")

    ready = requests.get(f"{base}/readyz", timeout=30)
    if ready.status_code != 200:
        fail(f"/readyz {ready.status_code}: {ready.text}")
    print(f"ok  /readyz: {', '.join(ready.json()['checks'])}")

    for _ in range(12):  # spread requests over the gunicorn workers
        requests.get(f"{base}/healthz", timeout=5)
    metrics = requests.get(f"{base}/metrics", timeout=10).text
    graded = re.search(r'^tic_gradings_total\{mode="submit",outcome="graded"\} (\S+)', metrics, re.MULTILINE)
    if not graded or float(graded.group(1)) < 1:
        fail("/metrics does not count the grading (the Celery worker's series are missing)")
    healthz = re.search(r'^tic_http_request_duration_seconds_count\{endpoint="ops.healthz",method="GET"\} (\S+)',
                        metrics, re.MULTILINE)
    if not healthz or float(healthz.group(1)) < 12:
        fail("/metrics does not add up the requests of every gunicorn worker")
    print("ok  /metrics counts the grading and every worker's requests")

    if log_file:
        time.sleep(0.5)  # let the log writers flush
        lines = [line for line in Path(log_file).read_text(encoding="utf-8", errors="replace").splitlines()
                 if request_id in line]
        entries = [json.loads(line) for line in lines if line.startswith("{")]
        if not any(entry.get("request_id") == request_id and entry.get("user_id") for entry in entries):
            fail(f"no JSON log line with request id {request_id} and a user id in {log_file}")
        worker_lines = [json.loads(line) for line in Path(log_file).read_text(encoding="utf-8", errors="replace")
                        .splitlines() if line.startswith("{") and '"celery' in line]
        if not any(entry.get("submission_id") == submission_id for entry in worker_lines):
            fail(f"no JSON log line of the Celery worker names submission {submission_id}")
        print("ok  JSON log lines: the request id and user id (web), the submission id (worker)")
    print(f"journey passed in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1].rstrip("/"), sys.argv[2] if len(sys.argv) > 2 else None)
