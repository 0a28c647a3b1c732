"""Access policy of the program pages: cohorts, nominations, dashboards, exports, certificates."""
from datetime import timedelta

from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models import Track
from tic_academy.models.program import Certificate, Cohort, Enrollment, Nomination
from tic_academy.clock import today_wib

PUBLIC = {"anonymous", "trainee", "mentor", "opd_head", "admin"}

POLICY = {
    "opd.nominations_list": {"opd_head"},
    "opd.nomination_new": {"opd_head"},
    "opd.nomination": {"opd_head"},
    "opd.nomination_submit": {"opd_head"},
    "opd.nomination_withdraw": {"opd_head"},
    "opd.export": {"opd_head"},
    "admin.cohorts_list": {"admin"},
    "admin.cohort_new": {"admin"},
    "admin.cohort_edit": {"admin"},
    "admin.cohort_detail": {"admin"},
    "admin.cohort_status": {"admin"},
    "admin.cohort_export": {"admin"},
    "admin.nominations_list": {"admin"},
    "admin.nomination_detail": {"admin"},
    "admin.dashboard": {"admin"},
    "certificates.revoke": {"admin"},
    # The old address redirects (308) to certificates.revoke, which checks access.
    "admin.certificate_revoke_moved": PUBLIC,
    "certificates.lookup": PUBLIC,
    "certificates.verify": PUBLIC,
    "certificates.download": {"trainee", "admin"},
    "certificates.mine": {"trainee"},
    "certificates.graduation": {"mentor", "admin"},
    "certificates.graduate": {"mentor", "admin"},
}


def url_values(users) -> dict:
    """A cohort with the world's trainee enrolled (mentored by the world's mentor), a
    submitted nomination of the world's OPD head, and a certificate of the trainee."""
    track = db.session.scalar(select(Track).where(Track.slug == "policy-track"))
    if track is None:
        track = Track(slug="policy-track", title_id="Jalur Uji", weeks=4)
        db.session.add(track)
    cohort = Cohort(name="Angkatan Uji Akses", track=track, start_date=today_wib() - timedelta(days=7), status="running")
    enrollment = Enrollment(cohort=cohort, trainee=users["trainee"], mentor=users["mentor"])
    planned = Cohort(name="Angkatan Uji Usulan", track=track, start_date=today_wib() + timedelta(days=30))
    nomination = Nomination(
        cohort=planned, opd_id=users["opd_head"].opd_id, nominated_by_id=users["opd_head"].id,
        full_name="Calon Uji", email="calon.uji@contoh.test", phone="081200000000", position="Staf",
        unit="Umum", employment_status="honorary", education="s1", motivation="Ingin belajar.",
        hours_per_week=15, supervisor_agrees=True, status="submitted",
    )
    # The OPD head's OPD has a trainee in the running cohort, so its export is allowed.
    head_trainee_enrollment = Enrollment(cohort=cohort, trainee=_trainee_of(users["opd_head"]))
    certificate = Certificate(
        enrollment=enrollment, trainee_id=users["trainee"].id, code="TIC-AKSE-SUJI-2345",
        trainee_name=users["trainee"].full_name, opd_name="Dinas Uji", track_title="Jalur Uji",
        cohort_name=cohort.name, start_date=cohort.start_date, graduation_date=today_wib(), stages=["Tahap 1"],
    )
    db.session.add_all([cohort, planned, enrollment, nomination, head_trainee_enrollment, certificate])
    db.session.commit()
    return {
        "cohort_id": cohort.id,
        "nomination_id": nomination.id,
        "enrollment_id": enrollment.id,
        "certificate_id": certificate.id,
        "code": certificate.code,
        "kind": "peserta",
        "fmt": "csv",
    }


def _trainee_of(head):
    from tic_academy.models import User

    user = User(email="peserta.opd.kepala@contoh.test", full_name="Peserta OPD Kepala", role="trainee", opd_id=head.opd_id)
    db.session.add(user)
    return user
