"""Submissions graded through the local runner: recorded first, results stored once."""
import time

import pytest
from sqlalchemy import func, select

from tic_academy.extensions import db
from tic_academy.jobs.runners import get_engine, get_runner
from tic_academy.models import Submission, TestResult
from tic_academy.services import ServiceError
from tic_academy.services.submissions import create_submission, grade_submission, requeue_stale

CORRECT = {"jawaban": "def tambah(a, b):\n    return a + b"}
WRONG = {"jawaban": "def tambah(a, b):\n    return a * b"}


def wait_for(submission_id, statuses=("graded", "failed"), timeout=60):
    """Poll the database until the submission reaches one of ``statuses``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        submission = db.session.get(Submission, submission_id)
        if submission.status in statuses:
            return submission
        time.sleep(0.1)
    raise AssertionError(f"submission {submission_id} stuck in {submission.status}")


@pytest.fixture
def app_config(app_config, tmp_path):
    """A database file instead of in-memory SQLite: grading threads then get their own connections
    and transactions, as in production (a shared in-memory connection shows half-written results)."""
    if app_config["SQLALCHEMY_DATABASE_URI"] == "sqlite://":
        return {**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'runner.sqlite'}"}
    return app_config


@pytest.fixture
def exercise(make_track):
    """One exercise whose source is the standard `tambah` notebook (2 points)."""
    return make_track([{"exercises": [{"points": 2}]}]).stages[0].exercises[0]


def test_submission_is_recorded_before_grading(app, make_user, exercise):
    """Is a submission stored as queued, against the exact exercise version, before any grading?"""
    submission = create_submission(make_user(), exercise, CORRECT)
    stored = db.session.get(Submission, submission.id)
    assert stored.status == "queued"
    assert stored.exercise_version_id == exercise.current_version_id
    assert stored.answers == CORRECT


def test_bad_answers_are_refused(app, make_user, exercise):
    """Are answers that are not a grade_id -> text map refused?"""
    with pytest.raises(ServiceError):
        create_submission(make_user(), exercise, {"jawaban": 42})


def test_retired_exercise_cannot_be_submitted(app, make_user, exercise):
    """Is a retired exercise refused?"""
    exercise.retired = True
    db.session.commit()
    with pytest.raises(ServiceError):
        create_submission(make_user(), exercise, CORRECT)


@pytest.mark.kernel
def test_local_runner_grades_correct_and_wrong(app, make_user, exercise):
    """Does the local runner grade a correct answer at full marks and a wrong one at zero?"""
    runner = get_runner(app)
    assert runner.name == "local"
    good = create_submission(make_user(), exercise, CORRECT)
    bad = create_submission(make_user(), exercise, WRONG)
    runner.enqueue(good.id)
    runner.enqueue(bad.id)
    good, bad = wait_for(good.id), wait_for(bad.id)
    assert (good.status, good.auto_score, good.max_score) == ("graded", 2, 2)
    assert (bad.status, bad.auto_score) == ("graded", 0)
    [result] = bad.test_results
    assert result.status == "failed" and result.message["params"]["note"] == "tambah(1, 2) harus 3"
    assert "assert tambah(-5, 5)" in good.load_notebook()  # mentors get the executed notebook
    assert "assert tambah(-5, 5)" not in str(bad.feedback)  # the trainee's view hides hidden tests


@pytest.mark.kernel
def test_grading_twice_leaves_one_set_of_results(app, make_user, exercise):
    """Does grading the same submission again keep a single set of test results?"""
    submission = create_submission(make_user(), exercise, CORRECT)
    engine = get_engine(app)
    grade_submission(submission.id, engine)
    submission.status = "running"  # as if a worker died after storing, before acknowledging
    db.session.commit()
    grade_submission(submission.id, engine)
    count = db.session.scalar(select(func.count()).select_from(TestResult).where(TestResult.submission_id == submission.id))
    assert count == 1
    assert db.session.get(Submission, submission.id).attempts == 2


@pytest.mark.kernel
def test_dying_kernel_scores_zero_without_hanging(app, make_user, exercise):
    """Does an answer that kills its kernel end graded with zero and a clear reason?"""
    answers = {"jawaban": "import os\nos._exit(1)"}
    submission = create_submission(make_user(), exercise, answers)
    graded = grade_submission(submission.id, get_engine(app))
    assert graded.status == "graded" and graded.auto_score == 0
    assert graded.test_results[0].status == "not_run"
    assert any(flag["code"] for flag in graded.flags)


def test_unusable_source_marks_submission_failed(app, make_user, exercise):
    """Does a broken exercise source end the submission as failed with the reason, not stuck?"""
    submission = create_submission(make_user(), exercise, CORRECT)
    exercise.current_version.source = "{bukan notebook"
    db.session.commit()

    class NoKernels:
        def grade(self, *args, **kwargs):
            from tic_academy.grading import load_source

            load_source(args[0])

    failed = grade_submission(submission.id, NoKernels())
    assert failed.status == "failed"
    assert failed.error


def test_sweep_requeues_lost_jobs(app, make_user, exercise):
    """Are jobs left running by a dead worker (or never picked up) put back in the queue?"""
    from datetime import timedelta

    from tic_academy.clock import now_utc

    lost = create_submission(make_user(), exercise, CORRECT)
    lost.status, lost.started_at = "running", now_utc() - timedelta(hours=1)
    fresh = create_submission(make_user(), exercise, CORRECT)
    fresh.status, fresh.started_at = "running", now_utc()
    db.session.commit()
    queued_again = []
    assert requeue_stale(queued_again.append) == 1
    assert queued_again == [lost.id]
    assert db.session.get(Submission, lost.id).status == "queued"
    assert db.session.get(Submission, fresh.id).status == "running"


def test_sweep_command_requeues_lost_jobs(app, runner, make_user, exercise):
    """Does `flask grading-sweep` put a job lost by a dead worker back into the runner's queue?"""
    from datetime import timedelta

    from tic_academy.clock import now_utc

    lost = create_submission(make_user(), exercise, CORRECT)
    lost.status, lost.started_at = "running", now_utc() - timedelta(hours=1)
    db.session.commit()
    queued_again = []
    get_runner(app).enqueue = queued_again.append
    result = runner.invoke(args=["grading-sweep"])
    assert result.exit_code == 0, result.output
    assert "1 lost grading job(s) re-queued" in result.output
    assert queued_again == [lost.id]


def test_kernel_that_cannot_start_leaves_the_job_queued(app, make_user, exercise):
    """When no kernel can start, does the submission go back to the queue (for the sweep) instead of failing?"""
    from tic_academy.grading import KernelStartError

    class NoKernel:
        def grade(self, *args, **kwargs):
            raise KernelStartError("sandboxed kernel did not start")

    submission = create_submission(make_user(), exercise, CORRECT)
    result = grade_submission(submission.id, NoKernel())
    assert (result.status, result.error) == ("queued", None)
    assert result.attempts == 1
