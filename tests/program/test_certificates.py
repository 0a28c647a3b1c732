"""Graduation and certificates: confirmation rules, PDF, public verification, revocation."""
import re

import pytest
from sqlalchemy import select

from tests.program.conftest import pass_everything
from tic_academy.extensions import db
from tic_academy.models import OutboxMessage
from tic_academy.models.program import Certificate
from tic_academy.services import ServiceError, certificates


def verdict(html: str) -> str:
    """The class list of the verification result box."""
    return re.search(r'<div class="([^"]+)" role="status" id="verification-result">', html).group(1)


@pytest.fixture
def graduate_ready(make_cohort, make_user, enroll):
    """A trainee who passed every stage, their mentor and their enrollment."""
    cohort = make_cohort(status="running", name="Angkatan Lulus")
    mentor = make_user(role="mentor")
    trainee = make_user(role="trainee", full_name="Siti Lulus", email="siti.lulus@contoh.test")
    enrollment = enroll(cohort, trainee, mentor=mentor)
    pass_everything(trainee, cohort.track)
    return enrollment, mentor


def test_mentor_confirms_and_a_certificate_is_issued(client, auth, graduate_ready):
    """Does the mentor's confirmation graduate the trainee, issue a certificate and email it?"""
    enrollment, mentor = graduate_ready
    auth.login(mentor)
    assert "Siti Lulus" in client.get("/sertifikat/kelulusan").get_data(as_text=True)
    client.post(f"/sertifikat/kelulusan/{enrollment.id}")
    db.session.refresh(enrollment)
    certificate = db.session.scalar(select(Certificate))
    assert enrollment.status == "graduated" and certificate.stages == ["Tahap 1", "Tahap 2"]
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "siti.lulus@contoh.test"))
    assert certificate.code in mail.body


def test_trainee_who_has_not_passed_cannot_graduate(make_cohort, make_user, enroll):
    """Is a graduation refused while a stage is not passed?"""
    admin = make_user(role="admin")
    enrollment = enroll(make_cohort(status="running"), make_user(role="trainee"))
    with pytest.raises(ServiceError, match="semua tahap"):
        certificates.graduate(enrollment, admin)


def test_another_mentor_cannot_confirm(client, auth, graduate_ready, make_user):
    """Can a mentor confirm the graduation of someone else's trainee?"""
    enrollment, _mentor = graduate_ready
    auth.login(make_user(role="mentor"))
    assert client.post(f"/sertifikat/kelulusan/{enrollment.id}").status_code == 404
    assert "Siti Lulus" not in client.get("/sertifikat/kelulusan").get_data(as_text=True)
    assert db.session.scalar(select(Certificate)) is None


def test_verification_of_a_valid_code_shows_only_the_certificate(client, graduate_ready):
    """Does the public page confirm a valid code and show only what the certificate states?"""
    enrollment, mentor = graduate_ready
    certificate = certificates.graduate(enrollment, mentor)
    response = client.get(f"/sertifikat/cek/{certificate.code.lower()}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Siti Lulus" in html and "Angkatan Lulus" in html and "Tahap 2" in html
    assert "siti.lulus@contoh.test" not in html and mentor.full_name not in html
    assert "alert-success" in verdict(html)


def test_lookup_form_redirects_to_the_code(client):
    """Does the lookup form lead to the verification page of the typed code?"""
    response = client.get("/sertifikat/?kode=tic-abcd-efgh-jkmn ")
    assert response.headers["Location"].endswith("/sertifikat/cek/TIC-ABCD-EFGH-JKMN")


def test_unknown_code_is_not_found(client):
    """Does an unknown code answer 404 with a clear message?"""
    response = client.get("/sertifikat/cek/TIC-ZZZZ-ZZZZ-ZZZZ")
    assert response.status_code == 404
    assert "TIC-ZZZZ-ZZZZ-ZZZZ" in response.get_data(as_text=True)


def test_revoked_code_is_shown_as_revoked(client, auth, graduate_ready, make_user):
    """After an admin revokes a certificate, does the public page say it is no longer valid?"""
    enrollment, mentor = graduate_ready
    certificate = certificates.graduate(enrollment, mentor)
    admin = make_user(role="admin")
    auth.login(admin)
    client.post(f"/sertifikat/{certificate.id}/cabut", data={"reason": "Data tidak benar"})
    db.session.refresh(certificate)
    assert certificate.revoked and certificate.revoke_reason == "Data tidak benar"
    html = client.get(f"/sertifikat/cek/{certificate.code}").get_data(as_text=True)
    assert "alert-danger" in verdict(html)
    assert "Data tidak benar" not in html  # the reason is internal


def test_revocation_needs_a_reason(graduate_ready, make_user):
    """Is a revocation without a reason refused?"""
    enrollment, mentor = graduate_ready
    certificate = certificates.graduate(enrollment, mentor)
    with pytest.raises(ServiceError):
        certificates.revoke(certificate, " ", make_user(role="admin"))


def test_trainee_downloads_own_pdf_but_not_others(client, auth, graduate_ready, make_user):
    """Can the trainee download their PDF while another trainee gets 404?"""
    enrollment, mentor = graduate_ready
    certificate = certificates.graduate(enrollment, mentor)
    auth.login(enrollment.trainee)
    response = client.get(f"/sertifikat/{certificate.id}/unduh")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert certificate.code in client.get("/sertifikat/saya").get_data(as_text=True)
    auth.logout()
    auth.login(make_user(role="trainee"))
    assert client.get(f"/sertifikat/{certificate.id}/unduh").status_code == 404


def test_pdf_states_the_certificate(graduate_ready):
    """Does the PDF carry the name and the verification code?"""
    enrollment, mentor = graduate_ready
    certificate = certificates.graduate(enrollment, mentor)
    pdf = certificates.render_pdf(certificate)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_revoked_certificate_cannot_be_downloaded_by_the_trainee(client, auth, graduate_ready, make_user):
    """Once revoked, is the PDF refused to the trainee (while the admin can still open it)?"""
    enrollment, mentor = graduate_ready
    certificate = certificates.graduate(enrollment, mentor)
    certificates.revoke(certificate, "Data tidak benar", make_user(role="admin"))
    auth.login(enrollment.trainee)
    assert client.get(f"/sertifikat/{certificate.id}/unduh").status_code == 404
    auth.logout()
    auth.login(make_user(role="admin"))
    assert client.get(f"/sertifikat/{certificate.id}/unduh").status_code == 200


def test_old_revoke_address_redirects_permanently(client, auth, graduate_ready, make_user):
    """Does a revocation posted to the old /admin/... address answer 308 to the certificates blueprint's page?"""
    enrollment, mentor = graduate_ready
    certificate = certificates.graduate(enrollment, mentor)
    auth.login(make_user(role="admin"))
    response = client.post(f"/admin/sertifikat/{certificate.id}/cabut", data={"reason": "Data tidak benar"})
    assert (response.status_code, response.headers["Location"]) == (308, f"/sertifikat/{certificate.id}/cabut")
    client.post(response.headers["Location"], data={"reason": "Data tidak benar"})
    db.session.refresh(certificate)
    assert certificate.revoked


def test_graduation_page_runs_the_rules_only_for_trainees_who_may_have_passed(make_cohort, make_user, enroll, monkeypatch):
    """Are only the trainees whose best points can pass every stage evaluated, with the same result as
    evaluating everyone, and does a mentor see only their own?"""
    from tests.program.conftest import grade
    from tic_academy.services import progress

    cohort = make_cohort(status="running")
    other_cohort = make_cohort(status="running", name="Angkatan Lain")
    mentor, other_mentor, admin = make_user(role="mentor"), make_user(role="mentor"), make_user(role="admin")
    done, halfway, idle, elsewhere = (make_user(role="trainee") for _ in range(4))
    enroll(cohort, done, mentor=mentor)
    enroll(cohort, halfway, mentor=mentor)
    enroll(cohort, idle, mentor=other_mentor)
    enroll(other_cohort, elsewhere, mentor=other_mentor)
    pass_everything(done, cohort.track)
    pass_everything(elsewhere, other_cohort.track)
    grade(halfway, cohort.track.stages[0].exercises[0], 10.0)
    db.session.commit()
    evaluated = []
    original = progress.evaluate_stages
    monkeypatch.setattr(progress, "evaluate_stages", lambda *args: evaluated.append(1) or original(*args))
    assert {row.trainee_id for _, row in certificates.ready_to_graduate(admin)} == {done.id, elsewhere.id}
    assert len(evaluated) == 2  # not the four trainees of both cohorts
    assert [row.trainee_id for _, row in certificates.ready_to_graduate(mentor)] == [done.id]
    assert certificates.ready_to_graduate(other_mentor)[0][1].trainee_id == elsewhere.id
