"""OPD head pages: nominating through the form, and never seeing or touching another OPD's data."""
import pytest
from sqlalchemy import func, select

from tests.program.conftest import nomination_data
from tic_academy.extensions import db
from tic_academy.models.program import Nomination


def test_nomination_form_says_what_the_data_is_for(client, auth, head, make_cohort):
    """Does the nomination form state what the data is used for?"""
    make_cohort()
    auth.login(head)
    html = client.get("/opd/usulan/baru").get_data(as_text=True)
    assert 'id="data-use"' in html
    assert "Untuk apa data ini" in html


def test_nominate_through_the_form(client, auth, head, make_cohort):
    """Can an OPD head submit a nomination through the form, and see it in their list?"""
    cohort = make_cohort()
    auth.login(head)
    data = {**nomination_data(), "cohort_id": cohort.id, "submit": "1"}
    response = client.post("/opd/usulan/baru", data=data)
    assert response.status_code == 302
    nomination = db.session.scalar(select(Nomination))
    assert nomination.status == "submitted" and nomination.opd_id == head.opd_id
    assert "Rudi Hartono" in client.get("/opd/usulan").get_data(as_text=True)


def test_save_draft_then_submit(client, auth, head, make_cohort):
    """Can a draft be saved, edited and submitted later?"""
    cohort = make_cohort()
    auth.login(head)
    client.post("/opd/usulan/baru", data={**nomination_data(), "cohort_id": cohort.id, "save": "1"})
    nomination = db.session.scalar(select(Nomination))
    assert nomination.status == "draft"
    client.post(f"/opd/usulan/{nomination.id}", data={**nomination_data(unit="Bidang Baru"), "cohort_id": cohort.id, "save": "1"})
    client.post(f"/opd/usulan/{nomination.id}/ajukan")
    db.session.refresh(nomination)
    assert nomination.unit == "Bidang Baru" and nomination.status == "submitted"


def test_form_error_is_shown(client, auth, head, make_cohort, make_nomination):
    """Does a duplicate nomination show a clear message instead of saving?"""
    cohort = make_cohort()
    make_nomination(cohort, head, email="rudi.hartono@contoh.test")
    auth.login(head)
    response = client.post("/opd/usulan/baru", data={**nomination_data(), "cohort_id": cohort.id, "submit": "1"})
    assert response.status_code == 200
    assert "sudah diusulkan" in response.get_data(as_text=True)
    assert db.session.scalar(select(Nomination).where(Nomination.opd_id == head.opd_id, Nomination.status == "draft")) is None


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/opd/usulan/{id}"),
        ("POST", "/opd/usulan/{id}"),
        ("POST", "/opd/usulan/{id}/ajukan"),
        ("POST", "/opd/usulan/{id}/tarik"),
    ],
)
def test_another_opds_nomination_is_not_found(client, auth, head, other_head, make_cohort, make_nomination, method, path):
    """Does every nomination route answer 404 to the head of another OPD, and leave it untouched?"""
    nomination = make_nomination(make_cohort(), head, status="draft")
    auth.login(other_head)
    response = client.open(path.format(id=nomination.id), method=method, data={**nomination_data(), "cohort_id": nomination.cohort_id})
    assert response.status_code == 404
    db.session.refresh(nomination)
    assert nomination.status == "draft" and nomination.full_name.startswith("Calon")


def test_nomination_list_shows_only_own_opd(client, auth, head, other_head, make_cohort, make_nomination):
    """Does the nomination list leave out another OPD's nominations?"""
    cohort = make_cohort()
    make_nomination(cohort, head, full_name="Milik Sendiri")
    make_nomination(cohort, other_head, full_name="Milik Orang Lain")
    auth.login(head)
    html = client.get("/opd/usulan").get_data(as_text=True)
    assert "Milik Sendiri" in html and "Milik Orang Lain" not in html


def test_dashboard_shows_own_trainees_only(client, auth, head, other_head, make_cohort, make_user, enroll):
    """Does the dashboard list the OPD's trainees and no other OPD's individuals?"""
    cohort = make_cohort(status="running")
    enroll(cohort, make_user(role="trainee", opd=head.opd, full_name="Peserta Kita"))
    enroll(cohort, make_user(role="trainee", opd=other_head.opd, full_name="Peserta Tetangga"))
    auth.login(head)
    html = client.get("/opd/").get_data(as_text=True)
    assert "Peserta Kita" in html and "Peserta Tetangga" not in html
    assert 'id="weekly-data"' in html and 'id="compare-data"' in html


def test_dashboard_shows_the_current_week(client, auth, head, make_cohort, make_user, enroll):
    """Does the dashboard show the running cohort's current week?"""
    cohort = make_cohort(status="running")  # started 15 days ago: week 3
    enroll(cohort, make_user(role="trainee", opd=head.opd))
    auth.login(head)
    html = client.get("/opd/").get_data(as_text=True)
    assert "Minggu 3 dari 4" in html


def test_dashboard_of_a_cohort_without_own_staff_is_not_found(client, auth, head, other_head, make_cohort, make_user, enroll):
    """Can an OPD head open the dashboard or export of a cohort their OPD has no part in?"""
    cohort = make_cohort(status="running")
    enroll(cohort, make_user(role="trainee", opd=other_head.opd))
    auth.login(head)
    assert client.get(f"/opd/?angkatan={cohort.id}").status_code == 404
    assert client.get(f"/opd/ekspor/{cohort.id}/peserta.csv").status_code == 404


def test_empty_dashboard(client, auth, head):
    """Does a new OPD head see a helpful empty dashboard?"""
    auth.login(head)
    response = client.get("/opd/")
    assert response.status_code == 200


def test_refused_edit_of_a_draft_keeps_what_was_typed(client, auth, head, make_cohort, make_nomination):
    """When an edit of a draft is refused (a duplicate), does the form come back with the typed values?"""
    cohort = make_cohort()
    make_nomination(cohort, head, email="sudah.ada@contoh.test")
    auth.login(head)
    client.post("/opd/usulan/baru", data={**nomination_data(), "cohort_id": cohort.id, "save": "1"})
    draft = db.session.scalars(select(Nomination).where(Nomination.status == "draft")).one()
    response = client.post(f"/opd/usulan/{draft.id}", data={
        **nomination_data(email="sudah.ada@contoh.test", unit="Bidang Ketik Ulang"), "cohort_id": cohort.id, "save": "1",
    })
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "sudah diusulkan" in html and 'value="Bidang Ketik Ulang"' in html


def test_missing_supervisor_consent_is_shown_at_the_field(client, auth, head, make_cohort):
    """Does submitting without the supervisor's agreement keep a draft and say so at the checkbox, not submitted?"""
    cohort = make_cohort()
    auth.login(head)
    data = {**nomination_data(), "cohort_id": cohort.id, "submit": "1"}
    del data["supervisor_agrees"]
    response = client.post("/opd/usulan/baru", data=data)
    assert response.status_code == 200
    nomination = db.session.scalar(select(Nomination))
    assert nomination.status == "draft" and nomination.full_name == "Rudi Hartono"
    html = response.get_data(as_text=True)
    checkbox = html.index('id="supervisor_agrees"')
    assert checkbox < html.index('id="supervisor_agrees-errors"') < html.index('id="saved-not-submitted"')
    assert "persetujuan atasan" in html.lower() and "belum diajukan" in html
    # The next press of "Submit" edits this draft instead of creating a second one.
    assert f'action="/opd/usulan/{nomination.id}"' in html
    client.post(f"/opd/usulan/{nomination.id}", data={**nomination_data(), "cohort_id": cohort.id, "submit": "1"})
    db.session.refresh(nomination)
    assert nomination.status == "submitted" and db.session.scalar(select(func.count()).select_from(Nomination)) == 1
