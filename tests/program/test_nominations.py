"""Nominations: lifecycle, approval side effects, quotas, capacity, duplicates, withdrawal."""
import pytest
from sqlalchemy import func, select

from tests.program.conftest import nomination_data
from tic_academy.extensions import db
from tic_academy.models import AuditEvent, OutboxMessage, User
from tic_academy.models.program import Enrollment, Nomination
from tic_academy.services import ServiceError, cohorts, nominations



@pytest.fixture
def admin(make_user):
    """An admin."""
    return make_user(role="admin")


def draft(head, cohort, **overrides):
    """Save a draft through the service."""
    return nominations.save_draft(None, head=head, cohort_id=cohort.id, data=nomination_data(**overrides))


def test_full_lifecycle_creates_account_invites_and_enrolls(head, admin, make_cohort, make_user):
    """Does approving a submitted nomination create the trainee, send the invitation, enroll and audit?"""
    mentor = make_user(role="mentor")
    cohort = make_cohort()
    cohort.mentors = [mentor]
    db.session.commit()
    nomination = draft(head, cohort)
    assert nomination.status == "draft"
    nominations.submit(nomination, head)
    assert nomination.status == "submitted"
    nominations.decide(nomination, "approved", "", admin)
    trainee = db.session.scalar(select(User).where(User.email == "rudi.hartono@contoh.test"))
    assert trainee.role == "trainee" and trainee.opd_id == head.opd_id and trainee.password_hash is None
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.trainee_id == trainee.id))
    assert enrollment.cohort_id == cohort.id and enrollment.mentor_id == mentor.id
    assert nomination.status == "approved" and nomination.user_id == trainee.id
    invite = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == trainee.email))
    assert invite is not None and "/atur-kata-sandi/" in invite.body
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "Nomination")))
    assert {"nomination.created", "nomination.submitted", "nomination.approved"} <= actions


def test_starting_the_cohort_marks_approved_nominations_enrolled(head, admin, make_cohort, make_nomination):
    """Does starting a cohort turn its approved nominations into enrolled ones?"""
    cohort = make_cohort()
    nomination = make_nomination(cohort, head)
    nominations.decide(nomination, "approved", "", admin)
    cohorts.change_status(cohort, "running", admin)
    assert nomination.status == "enrolled"
    with pytest.raises(ServiceError):
        cohorts.change_status(cohort, "planned", admin)


def test_approval_reuses_an_account_without_password(head, admin, make_cohort, make_nomination, make_user):
    """Is an existing trainee account without a password re-used and sent a fresh invitation?"""
    existing = make_user(role="trainee", opd=head.opd, password=None, email="lama@contoh.test")
    nomination = make_nomination(make_cohort(), head, email="lama@contoh.test")
    nominations.decide(nomination, "approved", "", admin)
    assert nomination.user_id == existing.id
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "lama@contoh.test")) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.recipient == "lama@contoh.test")) == 1


def test_approval_of_an_active_account_sends_an_acceptance(head, admin, make_cohort, make_nomination, make_user):
    """Does a trainee who already has a password get an acceptance email instead of an invitation?"""
    make_user(role="trainee", opd=head.opd, email="aktif@contoh.test")
    nomination = make_nomination(make_cohort(name="Angkatan Tiga"), head, email="aktif@contoh.test")
    nominations.decide(nomination, "approved", "", admin)
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "aktif@contoh.test"))
    assert "Angkatan Tiga" in message.subject


@pytest.mark.parametrize("decision", ["waitlisted", "rejected"])
def test_waitlist_and_reject_need_a_reason(head, admin, make_cohort, make_nomination, decision):
    """Is a reason required to waitlist or reject, and kept for the OPD head?"""
    nomination = make_nomination(make_cohort(), head)
    with pytest.raises(ServiceError, match="Berikan alasan"):
        nominations.decide(nomination, decision, "  ", admin)
    nominations.decide(nomination, decision, "Kuota penuh", admin)
    assert nomination.status == decision and nomination.decision_reason == "Kuota penuh"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == f"nomination.{decision}")) is not None


def test_waitlisted_nomination_can_be_approved_later(head, admin, make_cohort, make_nomination):
    """Can a waitlisted nomination still be approved?"""
    nomination = make_nomination(make_cohort(), head, status="waitlisted")
    nominations.decide(nomination, "approved", "", admin)
    assert nomination.status == "approved"


def test_rejected_nomination_cannot_be_approved(head, admin, make_cohort, make_nomination):
    """Is a rejected nomination final?"""
    nomination = make_nomination(make_cohort(), head, status="rejected")
    with pytest.raises(ServiceError):
        nominations.decide(nomination, "approved", "", admin)


def test_quota_is_enforced_on_submission(head, make_cohort, make_nomination):
    """Does an OPD at its quota get a clear message when submitting one more?"""
    cohort = make_cohort(quotas={head.opd_id: 1})
    make_nomination(cohort, head, status="submitted")
    nomination = draft(head, cohort)
    with pytest.raises(ServiceError, match="[Kk]uota") as error:
        nominations.submit(nomination, head)
    assert "1" in str(error.value)
    assert nomination.status == "draft"


def test_quota_is_enforced_on_approval(head, admin, make_cohort, make_nomination):
    """Can an admin approve more nominations of an OPD than its quota? (No: waitlist instead.)"""
    cohort = make_cohort(quotas={head.opd_id: 1})
    first = make_nomination(cohort, head)
    second = make_nomination(cohort, head, status="waitlisted")
    nominations.decide(first, "approved", "", admin)
    with pytest.raises(ServiceError, match="[Kk]uota"):
        nominations.decide(second, "approved", "", admin)
    db.session.rollback()
    assert db.session.get(Nomination, second.id).status == "waitlisted"


def test_capacity_is_enforced_on_approval(head, admin, make_cohort, make_nomination):
    """Does a full cohort refuse another approval with a clear message?"""
    cohort = make_cohort(capacity=1)
    first, second = make_nomination(cohort, head), make_nomination(cohort, head)
    nominations.decide(first, "approved", "", admin)
    with pytest.raises(ServiceError, match="sudah penuh"):
        nominations.decide(second, "approved", "", admin)


def test_same_email_twice_in_a_cohort_is_refused(head, make_cohort, make_user):
    """Is the same person (same email) nominated twice by one OPD refused, and by another OPD left to the admin?"""
    cohort = make_cohort()
    draft(head, cohort)
    with pytest.raises(ServiceError, match="sudah diusulkan"):
        draft(head, cohort, full_name="Rudi H.")
    db.session.rollback()
    other_head = make_user(role="opd_head")
    # Another OPD is not told that someone else nominated this person (issue 11); the admin sees it.
    second = draft(other_head, cohort, email="RUDI.HARTONO@contoh.test ")
    assert [c.code for c in nominations.conflicts(second)] == ["nominated_elsewhere"]


def test_same_phone_in_another_format_is_refused(head, make_cohort):
    """Is the same person caught by phone number written differently (+62 vs 0)?"""
    cohort = make_cohort()
    draft(head, cohort, phone="0812-1111-2222")
    with pytest.raises(ServiceError, match="sudah diusulkan"):
        draft(head, cohort, email="lain@contoh.test", phone="+62 812 1111 2222")


def test_withdrawn_nomination_does_not_block_a_new_one(head, make_cohort):
    """After withdrawing, can the OPD nominate the same person again?"""
    cohort = make_cohort()
    nominations.withdraw(draft(head, cohort), head)
    assert draft(head, cohort).status == "draft"


def test_someone_already_enrolled_is_refused(head, make_cohort, make_user, enroll):
    """Is a person already enrolled in a running cohort refused?"""
    trainee = make_user(role="trainee", opd=head.opd, email="sudah@contoh.test")
    enroll(make_cohort(status="running", name="Angkatan Satu"), trainee)
    with pytest.raises(ServiceError, match="sudah terdaftar di Angkatan Satu"):
        draft(head, make_cohort(), email="sudah@contoh.test")


def test_staff_of_another_opd_is_refused_at_approval(head, admin, make_cohort, make_user):
    """Is a trainee registered with another OPD refused when the admin approves, with the detail for the admin?"""
    trainee = make_user(role="trainee", email="orang.lain@contoh.test")
    nomination = draft(head, make_cohort(), email="orang.lain@contoh.test")
    nominations.submit(nomination, head)
    with pytest.raises(ServiceError, match=f"terdaftar di {trainee.opd.short_name}"):
        nominations.decide(nomination, "approved", "", admin)


def test_only_planned_cohorts_take_nominations(head, make_cohort):
    """Is nominating for a running cohort refused?"""
    with pytest.raises(ServiceError, match="direncanakan"):
        draft(head, make_cohort(status="running"))


def test_submission_needs_the_supervisor_agreement(head, make_cohort):
    """Can a draft be submitted without the supervisor's agreement?"""
    nomination = draft(head, make_cohort(), supervisor_agrees=False)
    with pytest.raises(ServiceError, match="atasan pegawai"):
        nominations.submit(nomination, head)


def test_withdrawal_only_before_a_decision(head, admin, make_cohort, make_nomination):
    """Can the OPD head withdraw a submitted nomination, but not an approved one?"""
    cohort = make_cohort()
    submitted = make_nomination(cohort, head)
    nominations.withdraw(submitted, head)
    assert submitted.status == "withdrawn"
    approved = make_nomination(cohort, head)
    nominations.decide(approved, "approved", "", admin)
    with pytest.raises(ServiceError, match="sebelum ada keputusan"):
        nominations.withdraw(approved, head)


def test_another_opd_head_cannot_act(head, make_cohort, make_nomination, make_user):
    """Can an OPD head edit, submit or withdraw another OPD's nomination through the service?"""
    nomination = make_nomination(make_cohort(), head, status="draft")
    stranger = make_user(role="opd_head")
    with pytest.raises(ServiceError):
        nominations.submit(nomination, stranger)
    with pytest.raises(ServiceError):
        nominations.withdraw(nomination, stranger)
    with pytest.raises(ServiceError):
        nominations.save_draft(nomination, head=stranger, cohort_id=nomination.cohort_id, data=nomination_data())
