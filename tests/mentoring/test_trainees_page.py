"""The mentor's "my trainees" page: every trainee's standing from a fixed number of SQL queries."""
from sqlalchemy import event

from tests.mentoring import factories
from tic_academy.extensions import db
from tic_academy.models import Draft


def _add_trainees(make_user, mentor, track, cohort, count: int) -> None:
    """``count`` more trainees of ``mentor`` in ``cohort``, each with a draft and a graded submission."""
    for _ in range(count):
        trainee = make_user(role="trainee")
        factories.enroll(trainee, mentor, track, cohort=cohort)
        factories.make_submission(trainee, factories.first_exercise(track))
        db.session.add(Draft(trainee_id=trainee.id, exercise_id=track.stages[1].exercises[0].id, answers={}))
    db.session.commit()


def _statements_for(client, path: str) -> int:
    """How many SQL statements a GET of ``path`` runs."""
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


def test_trainees_page_queries_do_not_grow_with_trainees(app, client, auth, make_user):
    """Does "my trainees" run the same number of SQL statements for 2 and for 12 trainees?"""
    track = factories.make_track()
    mentor = make_user(role="mentor")
    first = make_user(role="trainee")
    cohort = factories.enroll(first, mentor, track).cohort
    _add_trainees(make_user, mentor, track, cohort, 1)
    auth.login(mentor)
    client.get("/mentor/peserta")  # warm up: the first request loads what every request loads once
    few = _statements_for(client, "/mentor/peserta")
    _add_trainees(make_user, mentor, track, cohort, 10)
    many = _statements_for(client, "/mentor/peserta")
    assert few == many, f"SQL statements for 2 vs 12 trainees: {few} vs {many}"


def test_trainees_page_shows_each_trainees_standing(app, client, auth, make_user):
    """Does each row show the trainee's current stage (the first stage passed, the second open)?"""
    track = factories.make_track()
    mentor = make_user(role="mentor")
    ahead, starting = make_user(role="trainee", full_name="Peserta Maju"), make_user(role="trainee", full_name="Peserta Baru")
    cohort = factories.enroll(ahead, mentor, track).cohort
    factories.enroll(starting, mentor, track, cohort=cohort)
    factories.make_submission(ahead, factories.first_exercise(track))
    auth.login(mentor)
    html = client.get("/mentor/peserta").get_data(as_text=True)
    rows = {name: html.split(name, 1)[1].split("</tr>", 1)[0] for name in ("Peserta Maju", "Peserta Baru")}
    assert "Tahap 2" in rows["Peserta Maju"] and "Tahap 1" in rows["Peserta Baru"]
