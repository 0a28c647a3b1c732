"""The best-score table equals a full recomputation from the submissions after every kind of write."""
from datetime import timedelta
from pathlib import Path

import nbformat
import pytest
from alembic.script import ScriptDirectory
from flask_migrate import stamp, upgrade
from sqlalchemy import update

from tests.mentoring import factories
from tic_academy.clock import now_utc
from tic_academy.extensions import db
from tic_academy.grading.pipeline import GradingResult
from tic_academy.grading.scoring import TestResult as GradedTest
from tic_academy.models import BestScore, ScoreOverride, Submission
from tic_academy.models.best_scores import computed_figures, recompute, stored_figures
from tic_academy.services import reviews, submissions

#: The revision the best-score table's migration (b5c0e1d2f3a4) follows.
BEST_SCORE_REVISION_BEFORE = (
    ScriptDirectory(str(Path(__file__).resolve().parents[2] / "migrations")).get_revision("b5c0e1d2f3a4").down_revision
)


def assert_table_matches():
    """The table holds exactly what a full recomputation from the submissions gives."""
    connection = db.session.connection()
    assert stored_figures(connection) == computed_figures(connection)


def row(trainee, exercise):
    """The trainee's best-score row on the exercise (None when there is none)."""
    db.session.expire_all()
    return db.session.get(BestScore, (trainee.id, exercise.id))


class FakeEngine:
    """Stands in for the sandbox: gives the score it is told."""

    def __init__(self, score: float):
        self.score = score

    def grade(self, source, answers, mode="submit", **options):
        test = GradedTest("tes", "passed" if self.score else "failed", self.score, 2.0, None)
        return GradingResult(mode, self.score, 2.0, [test], [], [], 0.1, [], nbformat.v4.new_notebook())


def test_a_new_submission_and_its_grading_update_the_row(world):
    """Recording a submission (queued) and then storing its grading rewrite the row in the same commit."""
    submission = submissions.create_submission(world.trainee, world.exercise, {"jawaban": factories.ANSWER})
    figures = row(world.trainee, world.exercise)
    assert (figures.submissions, figures.best_share, figures.first_pass_at) == (1, None, None)
    assert_table_matches()
    submissions.grade_submission(submission.id, FakeEngine(2.0))
    figures = row(world.trainee, world.exercise)
    assert figures.best_share == 1.0 and figures.first_pass_at == submission.created_at
    assert_table_matches()


def test_a_lower_resubmission_keeps_the_best(world):
    """A lower score later never lowers the best share; the count and the last time follow."""
    factories.make_submission(world.trainee, world.exercise, score=2.0, created_at=now_utc() - timedelta(days=1))
    later = factories.make_submission(world.trainee, world.exercise, score=0.5)
    figures = row(world.trainee, world.exercise)
    assert (figures.best_share, figures.submissions, figures.last_submitted_at) == (1.0, 2, later.created_at)
    assert_table_matches()


def test_a_regrading_updates_the_row(world):
    """Grading the same submission again (a re-queued job) replaces its score in the row."""
    submission = submissions.create_submission(world.trainee, world.exercise, {"jawaban": factories.ANSWER})
    submissions.grade_submission(submission.id, FakeEngine(2.0))
    db.session.execute(update(Submission).where(Submission.id == submission.id).values(status="queued"))
    db.session.commit()
    submissions.grade_submission(submission.id, FakeEngine(0.5))
    assert row(world.trainee, world.exercise).best_share == 0.25
    assert_table_matches()


def test_an_override_updates_the_row(world):
    """A mentor's score override (in a review decision) rewrites the row."""
    submission = factories.make_submission(world.trainee, world.exercise, score=0.5)
    reviews.decide(submission, world.mentor_a, "approved", override_score=2.0, override_reason="Tes keliru")
    figures = row(world.trainee, world.exercise)
    assert figures.best_share == 1.0 and figures.first_pass_at is not None
    assert_table_matches()
    reviews.decide(submission, world.mentor_a, "approved", override_score=1.0, override_reason="Dikoreksi")
    assert row(world.trainee, world.exercise).best_share == 0.5
    assert_table_matches()


def test_removing_an_override_updates_the_row(world):
    """Deleting an override gives the automatic score back to the row."""
    submission = factories.make_submission(world.trainee, world.exercise, score=0.5)
    db.session.add(ScoreOverride(submission_id=submission.id, score=2.0, auto_score=0.5, reason="x", by_id=world.mentor_a.id))
    db.session.commit()
    assert row(world.trainee, world.exercise).best_share == 1.0
    db.session.delete(db.session.get(ScoreOverride, submission.override.id))
    db.session.commit()
    assert row(world.trainee, world.exercise).best_share == 0.25
    assert_table_matches()


@pytest.mark.parametrize("clear, share", [(True, 1.0), (False, 0.0)])
def test_an_integrity_decision_updates_the_row(world, clear, share):
    """A held score does not count; clearing it counts it, confirming the violation counts 0."""
    flags = [{"code": "grader_access", "grade_id": "jawaban", "line": 1, "message": {"code": "x", "params": {}}}]
    submission = factories.make_submission(world.trainee, world.exercise, score=2.0, flags=flags)
    assert submission.held
    assert row(world.trainee, world.exercise).best_share is None
    reviews.decide_integrity(submission, world.mentor_a, clear=clear, reason="" if clear else "Menyalin")
    assert row(world.trainee, world.exercise).best_share == share
    assert_table_matches()


def test_manual_grades_leave_the_counted_score_alone(manual_world):
    """Manual grades are kept apart from the counted score (as nbgrader does): the row stays as it was."""
    submission = factories.make_submission(manual_world.trainee, manual_world.exercise, score=1.0)
    reviews.decide(submission, manual_world.mentor, "approved", grades={"penjelasan": 3.0})
    assert row(manual_world.trainee, manual_world.exercise).best_share == 0.5
    assert_table_matches()


def test_deleting_submissions_updates_or_empties_the_row(world):
    """Deleting the best submission lowers the row; deleting the last one leaves an empty row (never deleted)."""
    low = factories.make_submission(world.trainee, world.exercise, score=0.5)
    best = factories.make_submission(world.trainee, world.exercise, score=2.0)
    db.session.delete(best)
    db.session.commit()
    assert row(world.trainee, world.exercise).best_share == 0.25
    assert_table_matches()
    db.session.delete(low)
    db.session.commit()
    emptied = row(world.trainee, world.exercise)
    assert (emptied.submissions, emptied.best_share, emptied.last_submitted_at) == (0, None, None)
    assert_table_matches()


def test_a_new_stage_threshold_moves_the_first_pass(world):
    """Raising a stage's pass threshold (a curriculum sync) rewrites when its exercises were first passed."""
    factories.make_submission(world.trainee, world.exercise, score=1.5, created_at=now_utc() - timedelta(days=2))
    full = factories.make_submission(world.trainee, world.exercise, score=2.0)
    stage = world.exercise.stage
    stage.pass_threshold = 0.9
    db.session.commit()
    assert row(world.trainee, world.exercise).first_pass_at == full.created_at
    assert_table_matches()


def test_a_write_that_bypasses_the_session_is_caught_by_the_comparison(world):
    """The comparison can fail: a score changed by a bare UPDATE (no flush) leaves the table behind."""
    submission = factories.make_submission(world.trainee, world.exercise, score=0.5)
    db.session.execute(update(Submission).where(Submission.id == submission.id).values(auto_score=2.0))
    connection = db.session.connection()
    assert stored_figures(connection) != computed_figures(connection)
    recompute(connection)
    assert_table_matches()


def test_rebuild_command_restores_the_table(world, app):
    """`flask rebuild-best-scores` rebuilds a table that was emptied (e.g. after a manual database edit)."""
    factories.make_submission(world.trainee, world.exercise, score=1.5)
    factories.make_submission(world.mate, world.exercise, score=0.5)
    db.session.query(BestScore).delete()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["rebuild-best-scores"])
    assert result.exit_code == 0 and "2 rows" in result.output
    db.session.expire_all()
    assert db.session.query(BestScore).count() == 2
    assert_table_matches()


def test_the_migration_fills_the_table_from_existing_submissions(world, app):
    """Upgrading a database from the previous revision fills the table from the submissions already there."""
    factories.make_submission(world.trainee, world.exercise, score=1.5)
    factories.make_submission(world.mate, world.exercise, score=2.0)
    db.session.commit()
    expected = computed_figures(db.session.connection())
    db.session.close()
    BestScore.__table__.drop(db.engine)
    stamp(revision=BEST_SCORE_REVISION_BEFORE)
    upgrade()
    assert stored_figures(db.session.connection()) == expected
    assert len(expected) == 2
