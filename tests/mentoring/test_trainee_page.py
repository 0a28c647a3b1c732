"""The mentor's page about one trainee: progress, submissions, help requests, drafts on request (audited)."""
from sqlalchemy import select

from tests.mentoring.factories import make_submission
from tic_academy.extensions import db
from tic_academy.models import AuditEvent, Draft
from tic_academy.services import review_queue, reviews

SECRET_DRAFT = "def tambah(a, b):\n    return rahasia_setengah_jadi"


def _add_draft(world):
    """A draft of the trainee's second exercise that nobody has submitted."""
    exercise = world.track.stages[1].exercises[0]
    db.session.add(Draft(trainee_id=world.trainee.id, exercise_id=exercise.id, answers={"jawaban": SECRET_DRAFT}))
    db.session.commit()


def test_my_trainees_links_to_each_trainees_page(world, client, auth):
    """Does "Peserta saya" link each trainee's name to their page?"""
    auth.login(world.mentor_a)
    html = client.get("/mentor/peserta").get_data(as_text=True)
    assert f'href="/mentor/peserta/{world.trainee.id}"' in html and f'href="/mentor/peserta/{world.mate.id}"' in html


def test_trainee_page_shows_progress_submissions_and_help(world, client, auth):
    """Does the page show the stages and exercises, every submission with its review link and decision, and help threads?"""
    first = make_submission(world.trainee, world.exercise, score=1.0)
    second = make_submission(world.trainee, world.exercise, score=2.0)
    reviews.decide(second, world.mentor_a, "changes_requested", summary="Rapikan namanya.")
    help_item = review_queue.request_help(world.trainee, world.exercise, "Kenapa tesnya gagal?")
    _add_draft(world)
    auth.login(world.mentor_a)
    response = client.get(f"/mentor/peserta/{world.trainee.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tahap 1" in html and "Tahap 2" in html and 'data-exercise="latihan-1"' in html
    assert '<details class="mt-3 trainee-stage" data-stage-state="open" open>' in html  # the current stage unfolded
    assert '<details class="mt-3 trainee-stage" data-stage-state="passed">' in html  # a passed one folded
    assert f"/mentor/pengumpulan/{first.id}" in html and f"/mentor/pengumpulan/{second.id}" in html
    assert "Perlu perbaikan" in html  # the decision on the second submission
    assert f'href="/diskusi/bantuan/{help_item.id}"' in html
    assert "Kenapa tesnya gagal?" in html
    assert "rahasia_setengah_jadi" not in html  # drafts only on request
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "trainee.drafts_viewed")).all() == []


def test_drafts_load_on_request_and_the_look_is_audited(world, client, auth):
    """Does the button show the trainee's drafts read only, and record who looked in the audit log?"""
    _add_draft(world)
    auth.login(world.mentor_a)
    response = client.post(f"/mentor/peserta/{world.trainee.id}/draf")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "rahasia_setengah_jadi" in html
    assert "<textarea" not in html.split('id="drafts"')[1]  # read only
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "trainee.drafts_viewed")).all()
    assert (event.actor_id, event.object_id) == (world.mentor_a.id, world.trainee.id)


def test_another_mentor_may_not_see_the_trainee_or_their_drafts(world, client, auth):
    """Is a mentor who is not the trainee's refused the page and the drafts (403), with nothing audited?"""
    _add_draft(world)
    auth.login(world.mentor_b)
    assert client.get(f"/mentor/peserta/{world.trainee.id}").status_code == 403
    assert client.post(f"/mentor/peserta/{world.trainee.id}/draf").status_code == 403
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "trainee.drafts_viewed")).all() == []


def test_an_admin_may_see_any_trainee_but_a_mentor_page_is_not_a_trainee(world, client, auth):
    """Does an admin get the page, and is a non-trainee id a 404?"""
    auth.login(world.admin)
    assert client.get(f"/mentor/peserta/{world.trainee.id}").status_code == 200
    assert client.get(f"/mentor/peserta/{world.mentor_b.id}").status_code == 404


def test_review_page_links_to_the_trainee_page_for_their_mentor_only(world, client, auth):
    """Does the trainee's name on the review page lead to their page, but not for a mentor the item was reassigned to?"""
    submission = make_submission(world.trainee, world.exercise, flags=[
        {"code": "c", "grade_id": "jawaban", "line": 1, "message": "m"}])
    [item] = review_queue.on_submission_graded(submission)
    auth.login(world.mentor_a)
    link = f'href="/mentor/peserta/{world.trainee.id}"'
    assert link in client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    review_queue.reassign(item, world.mentor_b, world.admin)
    auth.logout()
    auth.login(world.mentor_b)
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert "Peserta Satu" in html and link not in html


def test_trainee_page_queries_do_not_grow_with_submissions(world, client, auth):
    """Does the trainee page run the same number of SQL statements for 2 and for 12 submissions?"""
    from tests.mentoring.test_trainees_page import _statements_for

    for _ in range(2):
        make_submission(world.trainee, world.exercise)
    auth.login(world.mentor_a)
    path = f"/mentor/peserta/{world.trainee.id}"
    client.get(path)  # warm up
    few = _statements_for(client, path)
    for _ in range(10):
        make_submission(world.trainee, world.exercise)
    assert _statements_for(client, path) == few
