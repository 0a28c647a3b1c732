"""Duplicate grading: a submission is claimed atomically, graded once, and stored only by its claim holder.

Runs on SQLite (a database file, so threads get their own connections) and, in CI's second pass, on
PostgreSQL (TIC_TEST_DATABASE_URL).
"""
import threading
from datetime import timedelta

import nbformat
import pytest
from sqlalchemy import update

from tic_academy.extensions import db
from tic_academy.grading import GradingResult
from tic_academy.models import Submission
from tic_academy.clock import now_utc
from tic_academy.services.submissions import claim_submission, create_submission, grade_submission

CORRECT = {"jawaban": "def tambah(a, b):\n    return a + b"}


@pytest.fixture
def app_config(app_config, tmp_path):
    """A database file instead of in-memory SQLite, so each thread has its own connection."""
    if app_config["SQLALCHEMY_DATABASE_URI"] == "sqlite://":
        return {**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'claims.sqlite'}"}
    return app_config


@pytest.fixture
def submission_id(make_user, make_track):
    """A queued submission of the standard `tambah` exercise."""
    exercise = make_track([{"exercises": [{"points": 2}]}]).stages[0].exercises[0]
    return create_submission(make_user(), exercise, CORRECT).id


def _result(score: float) -> GradingResult:
    """A grading result with the given score (no kernel needed)."""
    return GradingResult(mode="submit", score=score, max_score=2, tests=[], flags=[], notes=[], duration_s=0.1,
                         cells=[], notebook=nbformat.v4.new_notebook())


class FakeEngine:
    """Counts gradings; optionally waits for `release` before answering with `score`."""

    def __init__(self, score: float, wait: bool = False):
        self.score, self.wait = score, wait
        self.calls = 0
        self.started, self.release = threading.Event(), threading.Event()

    def grade(self, *args, **kwargs):
        self.calls += 1
        self.started.set()
        if self.wait:
            assert self.release.wait(30)
        return _result(self.score)


def _in_thread(app, function, *args) -> threading.Thread:
    """Run function(*args) in a thread with its own app context (as a second worker would)."""
    def run():
        with app.app_context():
            function(*args)
            db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_only_one_of_many_racing_claims_wins(app, submission_id):
    """When eight workers claim one queued submission at the same moment, does exactly one get it?"""
    start = threading.Barrier(8)
    tokens = []

    def claim():
        start.wait()
        tokens.append(claim_submission(submission_id, lease_s=60))

    threads = [_in_thread(app, claim) for _ in range(8)]
    for thread in threads:
        thread.join(30)
    assert len(tokens) == 8
    assert len([token for token in tokens if token]) == 1
    db.session.expire_all()
    stored = db.session.get(Submission, submission_id)
    assert (stored.status, stored.attempts) == ("running", 1)
    assert stored.claim_token in tokens and stored.lease_until > now_utc()


def test_second_delivery_during_a_long_grading_does_nothing(app, submission_id):
    """A job delivered again while its first grading still runs: is the submission graded once?"""
    first, second = FakeEngine(score=2, wait=True), FakeEngine(score=0)
    worker = _in_thread(app, grade_submission, submission_id, first)
    assert first.started.wait(30)
    again = grade_submission(submission_id, second)  # the redelivered copy, on another worker
    assert again.status == "running"
    assert second.calls == 0
    first.release.set()
    worker.join(30)
    db.session.expire_all()
    stored = db.session.get(Submission, submission_id)
    assert (stored.status, stored.auto_score, stored.attempts) == ("graded", 2, 1)
    assert first.calls == 1


def test_only_the_claim_holder_stores_a_result(app, submission_id):
    """A worker whose lease lapsed (another took the job over) finishes late: is its result dropped?"""
    slow, takeover = FakeEngine(score=0, wait=True), FakeEngine(score=2)
    worker = _in_thread(app, grade_submission, submission_id, slow)
    assert slow.started.wait(30)
    db.session.execute(update(Submission).where(Submission.id == submission_id)
                       .values(lease_until=now_utc() - timedelta(seconds=1)))  # the slow worker stalled
    db.session.commit()
    graded = grade_submission(submission_id, takeover)
    assert (graded.status, graded.auto_score, graded.attempts) == ("graded", 2, 2)
    slow.release.set()
    worker.join(30)
    db.session.expire_all()
    stored = db.session.get(Submission, submission_id)
    assert (stored.status, stored.auto_score) == ("graded", 2)


def test_a_graded_submission_is_not_claimed_again(app, submission_id):
    """Does a late copy of a finished job leave the graded submission alone?"""
    grade_submission(submission_id, FakeEngine(score=2))
    late = FakeEngine(score=0)
    assert grade_submission(submission_id, late).auto_score == 2
    assert late.calls == 0
    assert claim_submission(submission_id, lease_s=60) is None
