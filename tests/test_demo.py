"""`flask demo`: three weeks of history, so every dashboard and queue has something to show."""
from sqlalchemy import func, select

from tic_academy.extensions import db
from tic_academy.models import AuditEvent, Message, Notification, Review, ReviewItem, SignOff, Submission, User
from tic_academy.models.program import Cohort

DEMO_PASSWORD = "demo-sandi-2026"


def _demo_track(make_track):
    """A synced-like track: a first stage of weeks 1-3 that asks for a mentor's sign-off, then a second."""
    track = make_track([
        {"weeks": (1, 3), "signoff": True,
         "exercises": [{"week": 1 + n // 4, "points": 2} for n in range(12)]},
        {"weeks": (4, 6), "exercises": [{"week": 4}, {"week": 5}]},
    ])
    track.slug = "programmer-pemerintahan"
    db.session.commit()
    return track


def _counts() -> tuple[int, ...]:
    tables = (Submission, ReviewItem, Review, Message, SignOff, Notification, AuditEvent, User, Cohort)
    return tuple(db.session.scalar(select(func.count()).select_from(table)) for table in tables)


def test_demo_gives_the_cohort_three_weeks_of_history(app, runner, make_track, client, auth):
    """Graded submissions (some failing first), a help thread, a review asking for changes, a signed-off
    stage; the mentors' queues, the OPD dashboard and a trainee's home show them."""
    app.config["DEMO_PASSWORD"] = DEMO_PASSWORD
    _demo_track(make_track)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output

    graded = db.session.scalars(select(Submission).where(Submission.status == "graded")).all()
    assert len(graded) > 30
    failed = [s for s in graded if s.auto_score == 0]
    assert failed and all(s.test_results and s.test_results[0].status == "failed" for s in failed)
    assert any(s.auto_score and s.auto_score == s.max_score for s in graded)
    assert db.session.scalar(select(Review).where(Review.decision == "changes_requested")) is not None
    help_items = db.session.scalars(select(ReviewItem).where(ReviewItem.kind == "help")).all()
    assert len(help_items) == 2
    assert db.session.scalar(select(func.count()).select_from(Message).where(Message.help_item_id.is_not(None))) == 1
    signoff = db.session.scalar(select(SignOff).where(SignOff.status == "approved"))
    assert signoff is not None and signoff.trainee.email == "peserta2@tic.test"

    for mentor in ("mentor1@tic.test", "mentor2@tic.test"):
        auth.login(mentor, DEMO_PASSWORD)
        queue = client.get("/mentor/").get_data(as_text=True)
        assert "Permintaan bantuan" in queue, mentor
        auth.logout()
    auth.login("kepala.diskominfo@tic.test", DEMO_PASSWORD)
    dashboard = client.get("/opd/").get_data(as_text=True)
    assert "tertinggal" in dashboard and "Budi Santoso" in dashboard
    auth.logout()
    auth.login("peserta3@tic.test", DEMO_PASSWORD)
    assert "Tertinggal" in client.get("/peserta/").get_data(as_text=True)


def test_demo_twice_changes_nothing(app, runner, make_track):
    """A second `flask demo` adds no submissions, items, messages, notifications or audit events."""
    _demo_track(make_track)
    assert runner.invoke(args=["demo"]).exit_code == 0
    counts = _counts()
    assert counts[0] > 0
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert _counts() == counts
