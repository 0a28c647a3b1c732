"""Graduation and certificates: confirm a graduate, issue a PDF with a verification code, revoke.

A certificate states a snapshot taken when it was issued (name, OPD, track,
cohort, dates, stages passed); the public verification page shows exactly that
and nothing else about the person.
"""
from __future__ import annotations

import io
import secrets
from datetime import date
from typing import Optional

from flask_babel import force_locale, gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from sqlalchemy import select

from ..enums import CohortStatus, EnrollmentStatus, Role
from ..extensions import db
from ..models import User
from ..models.program import Certificate, Cohort, Enrollment
from ..clock import now_utc, today_wib
from . import ServiceError, audit, dashboards, progress
from .. import links
from .mail import send_email

#: No 0/O or 1/I, so a code read aloud or typed from paper is not misread.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_code() -> str:
    """A random verification code such as "TIC-7KQ2-M9XD-4HPA" (60 bits)."""
    groups = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "TIC-" + "-".join(groups)


def normalise_code(value: str) -> str:
    """Upper-case, without spaces, so a hand-typed code still matches."""
    return "".join((value or "").split()).upper()


def find_by_code(code: str) -> Optional[Certificate]:
    """The certificate with this verification code, or None."""
    code = normalise_code(code)
    if not code:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def may_confirm(enrollment: Enrollment, actor: User) -> bool:
    """Admins confirm any graduation; a mentor only their own trainees'."""
    return actor.role == Role.ADMIN or (actor.role == Role.MENTOR and enrollment.mentor_id == actor.id)


def graduate(enrollment: Enrollment, actor: User, ip: Optional[str] = None) -> Certificate:
    """Confirm that a trainee who passed every stage graduates, and issue the certificate."""
    if not may_confirm(enrollment, actor):
        raise ServiceError(_("You may not confirm this graduation."))
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise ServiceError(_("Only an active trainee can graduate."))
    cohort = enrollment.cohort
    stages = progress.track_progress(enrollment.trainee_id, cohort.track)
    if not stages or any(s.state != progress.PASSED for s in stages):
        raise ServiceError(_("The trainee has not passed every stage yet."))
    trainee = enrollment.trainee
    certificate = Certificate(
        enrollment=enrollment,
        trainee_id=trainee.id,
        code=_unused_code(),
        trainee_name=trainee.full_name,
        opd_name=trainee.opd.name if trainee.opd else "",
        track_title=cohort.track.title_id,
        cohort_name=cohort.name,
        start_date=cohort.start_date,
        graduation_date=today_wib(),
        stages=[s.stage.title_id for s in stages],
        issued_by_id=actor.id,
    )
    db.session.add(certificate)
    enrollment.status = EnrollmentStatus.GRADUATED
    db.session.flush()
    audit.record("enrollment.graduated", actor=actor, obj=enrollment, ip=ip, trainee_id=trainee.id)
    audit.record("certificate.issued", actor=actor, obj=certificate, ip=ip, code=certificate.code)
    _send_certificate_email(trainee, certificate)
    db.session.commit()
    return certificate


def _unused_code() -> str:
    while True:
        code = new_code()
        if find_by_code(code) is None:
            return code


def _send_certificate_email(trainee: User, certificate: Certificate) -> None:
    with force_locale(trainee.locale or "id"):
        subject = _("Congratulations: you graduated from TIC Academy")
        body = _(
            "Hello %(name)s,\n\nYour graduation from %(cohort)s has been confirmed."
            " Download your certificate here (after logging in):\n\n%(download)s\n\n"
            "Anyone can check it with the code %(code)s at:\n\n%(verify)s\n",
            name=trainee.full_name,
            cohort=certificate.cohort_name,
            download=links.url("certificates.download", certificate_id=certificate.id),
            code=certificate.code,
            verify=links.url("certificates.verify", code=certificate.code),
        )
    send_email(trainee.email, subject, body)


def revoke(certificate: Certificate, reason: str, actor: User, ip: Optional[str] = None) -> None:
    """Revoke a certificate (it then shows as revoked on the verification page)."""
    if not certificate.can(actor, "revoke"):
        raise ServiceError(_("You may not revoke this certificate."))
    if certificate.revoked:
        raise ServiceError(_("This certificate is already revoked."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give a reason for revoking the certificate."))
    certificate.revoked_at = now_utc()
    certificate.revoked_by_id = actor.id
    certificate.revoke_reason = reason
    audit.record("certificate.revoked", actor=actor, obj=certificate, ip=ip, reason=reason)
    db.session.commit()


def ready_to_graduate(actor: User) -> list[tuple[Cohort, dashboards.TraineeRow]]:
    """Active trainees who passed every stage, that ``actor`` may confirm (running/finished cohorts).

    Only the trainees who may have passed everything (``dashboards.graduation_candidates``)
    go through the progress rules, not every trainee of every cohort.
    """
    if actor.role not in (Role.ADMIN, Role.MENTOR):
        return []
    cohorts = db.session.scalars(
        select(Cohort).where(Cohort.status.in_((CohortStatus.RUNNING, CohortStatus.FINISHED))).order_by(Cohort.start_date)
    ).all()
    candidates = dashboards.graduation_candidates(cohorts, actor.id if actor.role == Role.MENTOR else None)
    result = []
    for cohort in cohorts:
        if not candidates.get(cohort.id):
            continue
        for row in dashboards.load_cohort(cohort, only=candidates[cohort.id]).trainees:
            if row.status == EnrollmentStatus.ACTIVE and row.all_passed:
                result.append((cohort, row))
    return result


# --- The PDF ----------------------------------------------------------------

MONTHS_ID = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]


def indonesian_date(day: date) -> str:
    """E.g. "5 Maret 2026"; the certificate is an Indonesian document."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def render_pdf(certificate: Certificate) -> bytes:
    """The certificate as a one-page landscape A4 PDF (reportlab, built-in Helvetica)."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Sertifikat {certificate.trainee_name}")
    pdf.setAuthor("TIC Academy · Pemerintah Kota Tangerang Selatan")
    pdf.setStrokeColor(colors.HexColor("#0d3b66"))
    pdf.setLineWidth(3)
    pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    centre = width / 2
    y = height - 3.5 * cm
    for text, font, size, gap in [
        ("TIC ACADEMY", "Helvetica-Bold", 16, 1.2),
        ("Pemerintah Kota Tangerang Selatan", "Helvetica", 12, 1.8),
        ("SERTIFIKAT KELULUSAN", "Helvetica-Bold", 28, 1.6),
        ("diberikan kepada", "Helvetica", 12, 1.3),
        (certificate.trainee_name, "Helvetica-Bold", 24, 1.1),
        (certificate.opd_name, "Helvetica", 13, 1.5),
        (f"telah menyelesaikan jalur {certificate.track_title}", "Helvetica", 13, 0.7),
        (
            f"{certificate.cohort_name}, {indonesian_date(certificate.start_date)} – "
            f"{indonesian_date(certificate.graduation_date)}",
            "Helvetica", 12, 1.2,
        ),
        ("Tahap yang lulus: " + ", ".join(certificate.stages), "Helvetica", 10, 2.0),
    ]:
        pdf.setFont(font, size)
        pdf.drawCentredString(centre, y, _fit(pdf, text, font, size, width - 5 * cm))
        y -= gap * cm
    pdf.setFont("Helvetica", 10)
    pdf.drawString(2.2 * cm, 2.2 * cm, f"Kode verifikasi: {certificate.code}")
    pdf.drawRightString(
        width - 2.2 * cm, 2.2 * cm, links.url("certificates.verify", code=certificate.code)
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _fit(pdf: canvas.Canvas, text: str, font: str, size: float, max_width: float) -> str:
    """Shorten text that would run off the page."""
    while pdf.stringWidth(text, font, size) > max_width and len(text) > 4:
        text = text[:-4] + "…"
    return text
