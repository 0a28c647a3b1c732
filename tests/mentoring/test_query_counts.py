"""The mentor queue, "Peserta saya" and the OPD dashboard cost a flat number of SQL statements, however many trainees."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests.mentoring import factories
from tic_academy.extensions import db
from tic_academy.services import review_queue


@contextmanager
def counted_statements():
    """Count the SQL statements sent to the database inside the block."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def build(make_user, make_opd, trainees: int):
    """A mentor and an OPD head with ``trainees`` trainees of one OPD: each submitted twice and asked for help."""
    track = factories.make_track(manual=True)
    opd = make_opd()
    mentor = make_user(role="mentor")
    head = make_user(role="opd_head", opd=opd)
    cohort = None
    for n in range(trainees):
        trainee = make_user(role="trainee", opd=opd)
        cohort = factories.enroll(trainee, mentor, track, cohort=cohort).cohort
        for exercise in (track.stages[0].exercises[0], track.stages[1].exercises[0]):
            submission = factories.make_submission(trainee, exercise, score=2.0)
            review_queue.on_submission_graded(submission)
        review_queue.request_help(trainee, track.stages[0].exercises[0], "Bagaimana caranya?")
    db.session.commit()
    return mentor, head


PAGES = [("mentor", "/mentor/"), ("mentor", "/mentor/peserta"), ("head", "/opd/")]


@pytest.mark.parametrize("who, path", PAGES)
def test_page_statements_do_not_grow_with_trainees(app, client, auth, make_user, make_opd, who, path):
    """Does the page send as many SQL statements for 30 trainees as for 3 (no query per trainee or item)?"""
    counts = []
    for trainees in (3, 30):
        users = dict(zip(("mentor", "head"), build(make_user, make_opd, trainees)))
        auth.login(users[who])
        assert client.get(path).status_code == 200  # warm: first-request work is not the page's
        db.session.expire_all()
        with counted_statements() as statements:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(len(statements))
        auth.logout()
    assert counts[0] == counts[1], f"{path}: {counts[0]} statements for 3 trainees, {counts[1]} for 30"


def test_the_current_enrollment_comes_with_its_cohort_and_track_in_one_statement(app, make_user):
    """Every trainee page and autosave starts from the current enrollment, its cohort and its track:
    one statement for the three."""
    from tic_academy.models import Enrollment

    mentor = make_user(role="mentor")
    trainee = make_user(role="trainee")
    factories.enroll(trainee, mentor, factories.make_track(manual=True))
    db.session.commit()
    trainee_id = trainee.id
    db.session.expunge_all()
    with counted_statements() as statements:
        enrollment = Enrollment.current_for(trainee_id)
        assert enrollment.cohort.track.slug and enrollment.trainee_id == trainee_id
    assert len(statements) == 1


def test_a_tracks_stages_exercises_and_scores_come_in_one_statement(app):
    """Progress (every trainee page, autosave and dashboard) loads the stages, their exercises in order and
    each current version's score in one statement, leaving the notebook sources unloaded."""
    from sqlalchemy import inspect

    from tic_academy.services import progress

    track = factories.make_track(manual=True)
    track_id = track.id
    db.session.expunge_all()
    from tic_academy.models import Track

    track = db.session.get(Track, track_id)
    with counted_statements() as statements:
        stages = progress.active_stages(track)
        scores = [(e.slug, e.current_version.max_score) for stage in stages for e in stage.exercises]
    assert len(statements) == 1
    assert [s.position for s in stages] == sorted(s.position for s in stages) and len(scores) >= 2
    for stage in stages:
        assert [e.position for e in stage.exercises] == sorted(e.position for e in stage.exercises)
    version = stages[0].exercises[0].current_version
    assert "source" in inspect(version).unloaded and "template_archive" in inspect(version).unloaded
