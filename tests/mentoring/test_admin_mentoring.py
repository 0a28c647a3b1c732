"""Admin screens of mentoring: assignment per trainee, per OPD, per cohort, balancing, reassigning."""
from sqlalchemy import select

from tests.mentoring.factories import enroll
from tic_academy.extensions import db
from tic_academy.models import AuditEvent, Enrollment
from tic_academy.services import review_queue


def mentors_of(cohort):
    """trainee name -> mentor id in the cohort, as the database has it now."""
    db.session.expire_all()
    return {e.trainee.full_name: e.mentor_id for e in db.session.scalars(select(Enrollment).where(Enrollment.cohort_id == cohort.id))}


def test_assign_per_trainee_opd_and_cohort(world, client, auth):
    """Can an admin set the mentor of one trainee, of one OPD's trainees, and of the whole cohort?"""
    auth.login(world.admin)
    page = client.get(f"/admin/mentor?cohort={world.cohort.id}").get_data(as_text=True)
    assert "Peserta Satu" in page and "Mentor B" in page
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.trainee_id == world.trainee.id))
    client.post("/admin/mentor/tetapkan", data={"cohort_id": world.cohort.id, "scope": "trainee",
                                                 "enrollment_id": enrollment.id, "mentor_id": world.mentor_b.id})
    assert mentors_of(world.cohort) == {"Peserta Satu": world.mentor_b.id, "Peserta Dua": world.mentor_a.id}
    client.post("/admin/mentor/tetapkan", data={"cohort_id": world.cohort.id, "scope": "opd",
                                                 "opd_id": world.mate.opd_id, "mentor_id": world.mentor_b.id})
    assert mentors_of(world.cohort) == {"Peserta Satu": world.mentor_b.id, "Peserta Dua": world.mentor_b.id}
    client.post("/admin/mentor/tetapkan", data={"cohort_id": world.cohort.id, "scope": "cohort", "mentor_id": 0})
    assert set(mentors_of(world.cohort).values()) == {None}
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrollment.mentor_assigned")) is not None


def test_assigning_a_non_mentor_is_refused(world, client, auth):
    """Is a trainee refused as someone's mentor?"""
    auth.login(world.admin)
    client.post("/admin/mentor/tetapkan", data={"cohort_id": world.cohort.id, "scope": "cohort", "mentor_id": world.mate.id})
    assert set(mentors_of(world.cohort).values()) == {world.mentor_a.id}


def test_balance_button(world, client, auth, make_user):
    """Does "balance the load" give every unassigned trainee one of the chosen mentors?"""
    for _ in range(2):
        enroll(make_user(role="trainee"), None, world.track, cohort=world.cohort)
    auth.login(world.admin)
    client.post("/admin/mentor/seimbangkan", data={"cohort_id": world.cohort.id,
                                                    "mentor_ids": [world.mentor_a.id, world.mentor_b.id]})
    assert sorted(mentors_of(world.cohort).values()) == sorted([world.mentor_a.id] * 2 + [world.mentor_b.id] * 2)


def test_admin_queue_and_reassign(world, client, auth):
    """Does the admin see every open item and move one to another mentor?"""
    item = review_queue.request_help(world.trainee, world.exercise, "Tolong")
    auth.login(world.admin)
    assert f'data-item="{item.id}"' in client.get("/admin/mentor/antrean").get_data(as_text=True)
    client.post(f"/admin/mentor/antrean/{item.id}/alihkan", data={"mentor_id": world.mentor_b.id})
    db.session.refresh(item)
    assert (item.mentor_id, item.reassigned) == (world.mentor_b.id, True)
