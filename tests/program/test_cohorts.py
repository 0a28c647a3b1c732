"""Cohorts: admins create and edit them with quotas and mentors, and move their status on."""
from datetime import timedelta

from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models.program import Cohort
from tic_academy.clock import today_wib


def test_admin_creates_a_cohort_with_quotas_and_mentors(client, auth, make_user, make_track, make_opd):
    """Can an admin create a cohort with a per-OPD quota and mentors?"""
    admin, mentor = make_user(role="admin"), make_user(role="mentor")
    track, opd = make_track(), make_opd()
    auth.login(admin)
    start = (today_wib() + timedelta(days=30)).isoformat()
    response = client.post("/admin/angkatan/baru", data={
        "name": "Angkatan Baru", "track_id": track.id, "start_date": start, "capacity": 12,
        "mentor_ids": [mentor.id], f"quota-{opd.id}": "4",
    })
    assert response.status_code == 302
    cohort = db.session.scalar(select(Cohort))
    assert cohort.status == "planned" and cohort.capacity == 12
    assert cohort.quota_for(opd.id) == 4 and [m.id for m in cohort.mentors] == [mentor.id]
    html = client.get(f"/admin/angkatan/{cohort.id}").get_data(as_text=True)
    assert "Angkatan Baru" in html and opd.short_name in html


def test_bad_quota_is_refused(client, auth, make_user, make_track, make_opd):
    """Is a quota that is not a number refused with a message?"""
    auth.login(make_user(role="admin"))
    track, opd = make_track(), make_opd()
    response = client.post("/admin/angkatan/baru", data={
        "name": "X", "track_id": track.id, "start_date": today_wib().isoformat(), "capacity": 5, f"quota-{opd.id}": "lima",
    })
    assert response.status_code == 200 and db.session.scalar(select(Cohort)) is None


def test_capacity_cannot_drop_below_enrolled(client, auth, make_user, make_cohort, enroll):
    """Can the capacity be set below the number of trainees already enrolled?"""
    cohort = make_cohort(status="running")
    enroll(cohort, make_user(role="trainee"))
    enroll(cohort, make_user(role="trainee"))
    auth.login(make_user(role="admin"))
    client.post(f"/admin/angkatan/{cohort.id}/ubah", data={
        "name": cohort.name, "track_id": cohort.track_id, "start_date": cohort.start_date.isoformat(), "capacity": 1,
    })
    db.session.refresh(cohort)
    assert cohort.capacity == 30


def test_start_and_finish(client, auth, make_user, make_cohort):
    """Does the status move planned → running → finished, with the current week shown while running?"""
    cohort = make_cohort(start_date=today_wib() - timedelta(days=8))
    auth.login(make_user(role="admin"))
    client.post(f"/admin/angkatan/{cohort.id}/status", data={"status": "running"})
    db.session.refresh(cohort)
    assert cohort.status == "running" and cohort.current_week() == 2
    html = client.get("/admin/angkatan").get_data(as_text=True)
    assert "Minggu 2 dari 4" in html
    client.post(f"/admin/angkatan/{cohort.id}/status", data={"status": "finished"})
    db.session.refresh(cohort)
    assert cohort.status == "finished" and cohort.current_week() is None


def test_admin_decides_through_the_page(client, auth, make_user, make_cohort, make_nomination):
    """Can an admin reject a nomination with a reason through the decision form?"""
    head = make_user(role="opd_head")
    nomination = make_nomination(make_cohort(), head)
    auth.login(make_user(role="admin"))
    assert nomination.full_name in client.get("/admin/usulan").get_data(as_text=True)
    client.post(f"/admin/usulan/{nomination.id}", data={"decision": "rejected", "reason": "Belum memenuhi syarat"})
    db.session.refresh(nomination)
    assert nomination.status == "rejected" and nomination.decision_reason == "Belum memenuhi syarat"


def test_draft_is_invisible_to_the_admin(client, auth, make_user, make_cohort, make_nomination):
    """Is an OPD's unsent draft hidden from the admin?"""
    nomination = make_nomination(make_cohort(), make_user(role="opd_head"), status="draft")
    auth.login(make_user(role="admin"))
    assert client.get(f"/admin/usulan/{nomination.id}").status_code == 404


def test_demo_program_is_idempotent(app, make_track):
    """Does running the demo twice leave one set of demo nominations and quotas?"""
    from sqlalchemy import func

    from tic_academy.demo import create_demo_data
    from tic_academy.models import Track
    from tic_academy.models.program import CohortQuota, Nomination

    track = make_track()
    track.slug = "programmer-pemerintahan"
    db.session.commit()
    create_demo_data()
    counts = (db.session.scalar(select(func.count()).select_from(Nomination)),
              db.session.scalar(select(func.count()).select_from(CohortQuota)))
    create_demo_data()
    assert counts == (10, 4)
    assert (db.session.scalar(select(func.count()).select_from(Nomination)),
            db.session.scalar(select(func.count()).select_from(CohortQuota))) == counts
    assert db.session.scalar(select(Track).where(Track.slug == "programmer-pemerintahan")) is not None


def test_quota_typo_keeps_the_other_quotas(client, auth, make_user, make_cohort, make_opd):
    """Does a typo in one OPD's quota leave the other OPDs' quotas (and what was typed) on the form, unsaved?"""
    first, second = make_opd(), make_opd()
    cohort = make_cohort(quotas={first.id: 5, second.id: 3})
    auth.login(make_user(role="admin"))
    response = client.post(f"/admin/angkatan/{cohort.id}/ubah", data={
        "name": cohort.name, "track_id": cohort.track_id, "start_date": cohort.start_date.isoformat(), "capacity": 30,
        f"quota-{first.id}": "lima", f"quota-{second.id}": "3",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="quota-{first.id}" value="lima"' in html and f'name="quota-{second.id}" value="3"' in html
    db.session.refresh(cohort)
    assert {q.opd_id: q.places for q in cohort.quotas} == {first.id: 5, second.id: 3}
