"""Locust users of the load bench (run by bench/load.py, which starts the stack and reads the timings).

50 trainees work in the workspace (open the exercise, autosave every few seconds, Run, Check, Submit),
5 mentors read their pages, 2 OPD heads read their dashboards. Every request's time goes to the file
named by BENCH_TIMINGS (one "unix time,name,milliseconds,ok" line each), so load.py computes exact percentiles.
The accounts come from the JSON file named by BENCH_PEOPLE (written by load.py's bench-only setup).

Arrivals: Locust starts its users in batches, all of one second's users at the same instant (at
``-r 10``, ten log-ins in the same millisecond, every second). With BENCH_ARRIVAL=spread (load.py's
default) each user first waits a random moment within its second, so ten people a second arrive as
people do, one after another; BENCH_ARRIVAL=together keeps Locust's batches.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

import gevent
from locust import HttpUser, between, events, task

PEOPLE = json.loads(open(os.environ["BENCH_PEOPLE"], encoding="utf-8").read())
TIMINGS = open(os.environ["BENCH_TIMINGS"], "a", encoding="utf-8", buffering=1)
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_trainees = itertools.cycle(PEOPLE["trainees"])
_mentors = itertools.cycle(PEOPLE["mentors"])
_heads = itertools.cycle(PEOPLE["heads"])
SPREAD = os.environ.get("BENCH_ARRIVAL", "spread") == "spread"


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    """Write every request's time, so the percentiles are exact (Locust's own are rounded)."""
    TIMINGS.write(f"{time.time():.3f},{name},{response_time:.2f},{0 if exception else 1}\n")


class Person(HttpUser):
    """Someone who logs in first; subclasses say who and what they do."""

    abstract = True

    def log_in(self, email: str) -> None:
        """Log in through the real form (CSRF token included), at a random moment of this user's second
        of arrival (see the module's text)."""
        if SPREAD:
            gevent.sleep(random.uniform(0, 1))
        page = self.client.get("/masuk", name="login page")
        token = CSRF_INPUT.search(page.text).group(1)
        with self.client.post("/masuk", data={"email": email, "password": PEOPLE["password"], "csrf_token": token},
                              name="login", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"login of {email} answered {response.status_code}")

    def page(self, path: str, name: str) -> None:
        """View a page; anything but 200 is an error."""
        self.client.get(path, name=f"page: {name}")


class Trainee(Person):
    """A trainee working on one exercise."""

    fixed_count = PEOPLE["counts"]["trainees"]
    wait_time = between(3, 5)  # "autosave every few seconds"

    def on_start(self):
        self.email = next(_trainees)
        self.slug = PEOPLE["slug"]
        self.api = f"/peserta/api/latihan/{self.slug}"
        self.log_in(self.email)
        self.page("/peserta/", "trainee home")
        self.open_exercise()
        draft = self.client.get(f"{self.api}/draf", name="draft load").json()
        self.answers, self.revision, self.edits = dict(draft["answers"]), draft["revision"], 0

    def open_exercise(self):
        """Open the workspace page and keep its CSRF token for the JSON calls."""
        response = self.client.get(f"/peserta/latihan/{self.slug}", name="page: workspace")
        match = CSRF_META.search(response.text)
        if match:
            self.headers = {"X-CSRFToken": match.group(1), "Accept": "application/json"}

    def post(self, path: str, name: str, body: dict, expect: int = 200):
        """POST JSON; a status other than `expect` is an error."""
        with self.client.post(f"{self.api}/{path}", json=body, headers=self.headers, name=name,
                              catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"{name}: {response.status_code} {response.error or response.text[:200]}")
            return response

    def edit(self) -> None:
        """Change the first answer a little, as typing would."""
        self.edits += 1
        key = sorted(self.answers)[0]
        lines = self.answers[key].rstrip("\n").split("\n")
        if lines and lines[-1].startswith("# ketikan "):
            lines.pop()
        self.answers[key] = "\n".join(lines + [f"# ketikan {self.edits}"])

    @task(40)
    def autosave(self):
        self.edit()
        response = self.post("draf", "autosave", {"answers": self.answers, "revision": self.revision})
        if response.status_code == 200:
            self.revision = response.json()["revision"]

    @task(2)
    def reopen(self):
        self.open_exercise()

    @task(2)
    def run_code(self):
        self.post("jalankan", "run", {"answers": self.answers})

    @task(1)
    def check(self):
        self.post("periksa", "check", {"answers": self.answers})

    @task(1)
    def submit(self):
        self.post("kumpulkan", "submit accepted", {"answers": self.answers}, expect=202)


class Mentor(Person):
    """A mentor looking at the queue and the trainees."""

    fixed_count = PEOPLE["counts"]["mentors"]
    wait_time = between(5, 10)

    def on_start(self):
        self.log_in(next(_mentors))

    @task(2)
    def queue(self):
        self.page("/mentor/", "mentor queue")

    @task(1)
    def trainees(self):
        self.page("/mentor/peserta", "mentor trainees")


class OpdHead(Person):
    """An OPD head following their staff."""

    fixed_count = PEOPLE["counts"]["heads"]
    wait_time = between(10, 20)

    def on_start(self):
        self.log_in(next(_heads))

    @task(2)
    def dashboard(self):
        self.page("/opd/", "opd dashboard")

    @task(1)
    def nominations(self):
        self.page("/opd/usulan", "opd nominations")
