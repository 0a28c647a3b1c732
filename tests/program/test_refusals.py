"""A refused cohort or nomination change leaves every row as it was, and the person sees why, input kept."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.program.conftest import nomination_data
from tic_academy.extensions import db
from tic_academy.models import AuditEvent
from tic_academy.models.program import Cohort, CohortQuota, Nomination
from tic_academy.services import ServiceError, cohorts, nominations

TOO_BIG = "Kuota OPD tidak boleh melebihi kapasitas angkatan."
TWICE = "Orang ini sudah diusulkan untuk angkatan ini."


def rows():
    """What the database holds: cohorts (name, capacity), quotas, nominations (name, unit), audit events."""
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return (
        db.session.execute(select(Cohort.id, Cohort.name, Cohort.capacity).order_by(Cohort.id)).all(),
        count(CohortQuota),
        db.session.execute(select(Nomination.id, Nomination.full_name, Nomination.unit).order_by(Nomination.id)).all(),
        count(AuditEvent),
    )


def test_refused_cohort_create_changes_nothing(client, auth, make_user, make_track, make_opd):
    """Is a new cohort whose quota exceeds its capacity refused in Indonesian, no row written, the input kept?"""
    auth.login(make_user(role="admin"))
    track, opd = make_track(), make_opd()
    before = rows()
    response = client.post("/admin/angkatan/baru", data={
        "name": "Angkatan Ditolak", "track_id": track.id, "start_date": (date.today() + timedelta(days=9)).isoformat(),
        "capacity": 5, f"quota-{opd.id}": "9",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and TOO_BIG in html and 'value="Angkatan Ditolak"' in html
    assert rows() == before


def test_refused_cohort_edit_changes_nothing(client, auth, make_user, make_cohort, make_opd):
    """Is an edit with a quota above the capacity refused, the cohort's name and capacity unchanged?"""
    cohort, opd = make_cohort(), make_opd()
    auth.login(make_user(role="admin"))
    before = rows()
    response = client.post(f"/admin/angkatan/{cohort.id}/ubah", data={
        "name": "Nama Baru", "track_id": cohort.track_id, "start_date": cohort.start_date.isoformat(),
        "capacity": 10, f"quota-{opd.id}": "11",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and TOO_BIG in html and 'value="Nama Baru"' in html
    assert rows() == before


def test_cohort_service_validates_before_changing(make_user, make_cohort, make_opd):
    """Does a refused save_cohort leave nothing pending, so a later commit in the same session saves nothing?"""
    cohort, opd, admin = make_cohort(), make_opd(), make_user(role="admin")
    before = rows()
    with pytest.raises(ServiceError, match=TOO_BIG):
        cohorts.save_cohort(cohort, name="Nama Baru", track_id=cohort.track_id, start_date=cohort.start_date,
                            capacity=10, mentor_ids=[], quotas={opd.id: 11}, actor=admin)
    db.session.commit()
    assert rows() == before


def test_refused_nomination_changes_nothing(client, auth, head, make_cohort):
    """Is the same person nominated twice refused through the form, in Indonesian, no row written, the input kept?"""
    cohort = make_cohort()
    nominations.save_draft(None, head=head, cohort_id=cohort.id, data=nomination_data())
    auth.login(head)
    before = rows()
    response = client.post("/opd/usulan/baru", data={
        **nomination_data(unit="Bidang Kedua"), "cohort_id": cohort.id, "save": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and TWICE in html and 'value="Bidang Kedua"' in html
    assert rows() == before


def test_nomination_service_validates_before_changing(head, make_cohort):
    """Does a refused save_draft add no nomination a later commit in the same session would save?"""
    cohort = make_cohort()
    nominations.save_draft(None, head=head, cohort_id=cohort.id, data=nomination_data())
    before = rows()
    with pytest.raises(ServiceError, match=TWICE):
        nominations.save_draft(None, head=head, cohort_id=cohort.id, data=nomination_data(unit="Bidang Kedua"))
    db.session.commit()
    assert rows() == before
