"""Dashboard figures: the progress rules applied in bulk, and a fixed number of SQL queries."""
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from tests.program.conftest import grade
from tic_academy.extensions import db
from tic_academy.models.program import Cohort
from tic_academy.clock import now_utc
from tic_academy.services import dashboards, progress


def test_figures_match_the_progress_rules(make_cohort, make_user, enroll):
    """Do the bulk figures agree with progress.track_progress for a trainee?"""
    cohort = make_cohort(status="running")
    trainee = make_user(role="trainee")
    enroll(cohort, trainee)
    first, second = cohort.track.stages[0].exercises
    grade(trainee, first, 4.0)
    grade(trainee, first, 10.0)
    grade(trainee, second, 6.0)
    db.session.commit()
    row = dashboards.load_cohort(cohort).trainees[0]
    expected = progress.track_progress(trainee.id, cohort.track)
    assert [s.state for s in row.stages] == [s.state for s in expected]
    assert [round(s.share, 3) for s in row.stages] == [round(s.share, 3) for s in expected]
    assert row.passed_stages == 1 and row.points == 16.0
    assert row.progress == pytest.approx(16 / 40)


def test_pace_and_first_pass(make_cohort, make_user, enroll):
    """Is a trainee behind when exercises of ended weeks are not passed, and is the first pass time kept?"""
    cohort = make_cohort(status="running")  # week 3
    ahead, behind = make_user(role="trainee"), make_user(role="trainee")
    enroll(cohort, ahead)
    enroll(cohort, behind)
    early = now_utc() - timedelta(days=10)
    for exercise in cohort.track.stages[0].exercises:
        grade(ahead, exercise, 9.0, when=early)
    db.session.commit()
    rows = {r.trainee_id: r for r in dashboards.load_cohort(cohort).trainees}
    assert rows[ahead.id].on_track and not rows[behind.id].on_track
    assert rows[ahead.id].first_pass_week[cohort.track.stages[0].exercises[0].id] == 1
    series = dashboards.weekly_series(dashboards.load_cohort(cohort), list(rows.values()))
    assert series["weeks"] == [1, 2, 3] and series["actual"][-1] == 25.0


def test_late_sunday_utc_submission_counts_in_the_wib_monday_week(make_cohort, make_user, enroll):
    """Does a pass at 18:00 UTC on the first Sunday (01:00 WIB Monday) count in week 2, as WIB says?"""
    from datetime import datetime, time, timezone

    from tic_academy.clock import today_wib, week_start_wib

    monday = week_start_wib(today_wib()) - timedelta(days=14)
    cohort = make_cohort(status="running", start_date=monday)
    trainee = make_user(role="trainee")
    enroll(cohort, trainee)
    exercise = cohort.track.stages[0].exercises[0]
    sunday_evening_utc = datetime.combine(monday + timedelta(days=6), time(18, 0), tzinfo=timezone.utc)
    grade(trainee, exercise, 10.0, when=sunday_evening_utc)
    db.session.commit()
    row = dashboards.load_cohort(cohort).trainees[0]
    assert row.first_pass_week[exercise.id] == 2


def test_signoff_stage_needs_the_mentor(make_track, make_cohort, make_user, enroll):
    """Does a stage that needs a sign-off stay open until a mentor approves it?"""
    from tic_academy.models import SignOff

    track = make_track(signoff=True)
    cohort = make_cohort(status="running", track=track)
    trainee = make_user(role="trainee")
    enroll(cohort, trainee)
    for exercise in track.stages[0].exercises:
        grade(trainee, exercise, 10.0)
    db.session.commit()
    assert dashboards.load_cohort(cohort).trainees[0].passed_stages == 0
    db.session.add(SignOff(trainee_id=trainee.id, stage_id=track.stages[0].id, status="approved"))
    db.session.commit()
    assert dashboards.load_cohort(cohort).trainees[0].passed_stages == 1


def _world(make_cohort, make_user, enroll, make_nomination, trainees: int):
    """A running cohort with ``trainees`` trainees over two OPDs, each with graded work."""
    cohort = make_cohort(status="running")
    heads = [make_user(role="opd_head"), make_user(role="opd_head")]
    mentor = make_user(role="mentor")
    exercises = [e for s in cohort.track.stages for e in s.exercises]
    for n in range(trainees):
        head = heads[n % 2]
        trainee = make_user(role="trainee", opd=head.opd, password=None)
        enroll(cohort, trainee, mentor=mentor)
        for exercise in exercises:
            grade(trainee, exercise, float(n % 11))
        make_nomination(cohort, head, status="enrolled", email=f"t{n}@contoh.test", user_id=trainee.id)
    db.session.commit()
    return heads[0]


def _count_queries(client, path: str) -> int:
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/admin/dasbor", "/opd/", "/admin/angkatan/{cohort}", "/admin/angkatan/{cohort}/ekspor/peserta.csv"])
def test_query_count_does_not_grow_with_trainees(app, make_cohort, make_user, enroll, make_nomination, auth, client, path):
    """Does a dashboard run the same number of SQL queries for 5 and for 50 trainees?"""
    counts = []
    admin = make_user(role="admin")
    for size in (5, 50):
        head = _world(make_cohort, make_user, enroll, make_nomination, size)
        viewer = head if path.startswith("/opd") else admin
        auth.login(viewer)
        cohort_id = db.session.scalar(select(func.max(Cohort.id)))
        counts.append(_count_queries(client, path.format(cohort=cohort_id)))
        auth.logout()
    assert counts[0] == counts[1], f"queries for 5 vs 50 trainees: {counts}"


def test_mentor_response_time_comes_from_the_review_queue(app, make_user):
    """Is a mentor's median response time measured in working days over the items they handled?"""
    from datetime import datetime, timezone

    from tic_academy.models import ReviewItem
    from tic_academy.clock import now_utc
    from tic_academy.services.dashboards import mentor_lines

    mentor, trainee = make_user(role="mentor", full_name="Mentor Cepat"), make_user()
    friday = now_utc() - timedelta(days=(now_utc().weekday() - 4) % 7 + 7)  # a Friday, 1-2 weeks ago
    friday = datetime(friday.year, friday.month, friday.day, 2, tzinfo=timezone.utc)  # 09:00 in Jakarta
    for handled_after in (timedelta(days=3), timedelta(days=3, hours=12), timedelta(days=4)):  # over the weekend
        db.session.add(ReviewItem(kind="help", trainee_id=trainee.id, mentor_id=mentor.id, status="done",
                                  created_at=friday, resolved_at=friday + handled_after, resolved_by_id=mentor.id))
    db.session.commit()
    [line] = [m for m in mentor_lines() if m.name == "Mentor Cepat"]
    assert line.handled == 3
    assert line.median_workdays == 1.5  # Friday 09:00 to Monday 21:00: the weekend does not count


def test_cached_figures_follow_every_change(make_cohort, make_user, enroll, monkeypatch):
    """Are cohort figures reused while nothing changed, and recomputed after a grade, an override or a new trainee?"""
    from tic_academy.models import ScoreOverride

    cohort = make_cohort(status="running")
    trainee, mentor = make_user(role="trainee"), make_user(role="mentor")
    enroll(cohort, trainee)
    first = cohort.track.stages[0].exercises[0]
    submission = grade(trainee, first, 4.0)
    db.session.commit()
    computed = []
    original = dashboards._scores
    monkeypatch.setattr(dashboards, "_scores", lambda *args: computed.append(1) or original(*args))

    def points() -> list[float]:
        return [row.points for row in dashboards.load_cohort(cohort).trainees]

    assert points() == [4.0] and points() == [4.0]
    assert len(computed) == 1  # the second dashboard reused the figures
    grade(trainee, first, 7.0)
    db.session.commit()
    assert points() == [7.0]
    db.session.add(ScoreOverride(submission_id=submission.id, score=9.0, auto_score=4.0, reason="tes keliru", by_id=mentor.id))
    db.session.commit()
    assert points() == [9.0]
    enroll(cohort, make_user(role="trainee"))
    assert sorted(points()) == [0.0, 9.0]
    assert len(computed) == 4


def test_cached_figures_catch_up_from_the_rows_written_since(make_cohort, make_user, enroll, monkeypatch):
    """After a grade, a deletion, a late commit or a rebuild only the best-score rows written since are read
    again, and the figures equal a fresh read."""
    from sqlalchemy import update

    from tic_academy.models import BestScore
    from tic_academy.models.best_scores import recompute

    cohort = make_cohort(status="running")
    first_trainee, second_trainee = make_user(role="trainee"), make_user(role="trainee")
    enroll(cohort, first_trainee)
    enroll(cohort, second_trainee)
    first = cohort.track.stages[0].exercises[0]
    grade(first_trainee, first, 4.0)
    grade(second_trainee, first, 5.0)
    db.session.commit()
    reads = []
    original = dashboards._scores
    monkeypatch.setattr(dashboards, "_scores", lambda cohort, thresholds, since=None:
                        reads.append(since) or original(cohort, thresholds, since))

    def points() -> dict[int, float]:
        return {row.trainee_id: row.points for row in dashboards.load_cohort(cohort).trainees}

    assert points() == {first_trainee.id: 4.0, second_trainee.id: 5.0} and reads == [None]
    best = grade(first_trainee, first, 9.0)
    db.session.commit()
    assert points() == {first_trainee.id: 9.0, second_trainee.id: 5.0}
    assert reads[-1] is not None  # caught up, not read whole
    db.session.delete(best)
    db.session.commit()
    assert points() == {first_trainee.id: 4.0, second_trainee.id: 5.0} and reads[-1] is not None
    # A transaction that stamped its row 10 seconds before the newest one read, but committed after it.
    newest = db.session.scalar(select(func.max(BestScore.updated_at)))
    grade(second_trainee, first, 8.0)
    db.session.commit()
    points()
    db.session.execute(update(BestScore).where(BestScore.trainee_id == first_trainee.id)
                       .values(best_share=0.6, updated_at=newest - timedelta(seconds=10)))
    db.session.commit()
    grade(second_trainee, first, 1.0)  # a later change, so the cache looks again
    db.session.commit()
    assert points() == {first_trainee.id: 6.0, second_trainee.id: 8.0}
    recompute(db.session.connection())
    db.session.commit()
    assert points() == {first_trainee.id: 4.0, second_trainee.id: 8.0} and reads[-1] is not None
    dashboards.clear_figures_cache()
    assert points() == {first_trainee.id: 4.0, second_trainee.id: 8.0} and reads[-1] is None


def test_cohort_figures_are_not_kept_in_app_state(app, make_cohort, make_user, enroll):
    """Is the figures cache a module-level cache of the service, not an entry in the app's extensions?"""
    cohort = make_cohort(status="running")
    enroll(cohort, make_user(role="trainee"))
    before = set(app.extensions)
    dashboards.load_cohort(cohort)
    assert set(app.extensions) == before
    assert len(dashboards._figures_cache) == 1


def test_city_dashboard_counts_waiting_nominations_of_every_cohort(client, auth, make_cohort, make_user, make_nomination):
    """Does the city dashboard, opened on the running cohort, count the 3 nominations waiting for a planned one?"""
    running, planned = make_cohort(status="running"), make_cohort(status="planned")
    head = make_user(role="opd_head")
    for n in range(3):
        make_nomination(planned, head, email=f"calon{n}@contoh.test")
    db.session.commit()
    auth.login(make_user(role="admin"))
    html = client.get("/admin/dasbor").get_data(as_text=True)
    card = html[html.index('id="pending-card"'):]
    card = card[:card.index("</div></div></div>")]
    assert ">3</a>" in card and "semua angkatan" in card
    assert f"angkatan={running.id}" in card and ">0 di antaranya" in card
