"""Certificate views: public verification, the trainee's download, graduation confirmation, revocation."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.policy import role_required
from ..extensions import db, limiter
from ..i18n import current_locale
from ..models.program import Certificate, Enrollment
from ..services import ServiceError, certificates
from ..web import client_ip
from .blueprint import bp
from .forms import RevokeForm
from ..enums import Role


@bp.route("/")
@limiter.limit("60 per minute")
def lookup():
    """Public: type a verification code to check a certificate."""
    code = request.args.get("kode", "").strip()
    if code:
        return redirect(url_for("certificates.verify", code=certificates.normalise_code(code)))
    return render_template("certificates/lookup.html")


@bp.route("/cek/<code>")
@limiter.limit("60 per minute")
def verify(code: str):
    """Public: what a certificate states, or that the code is unknown (404) or revoked."""
    certificate = certificates.find_by_code(code)
    status = 200 if certificate is not None else 404
    return render_template("certificates/verify.html", certificate=certificate, code=code), status


@bp.route("/<int:certificate_id>/unduh")
@role_required(Role.TRAINEE, Role.ADMIN)
def download(certificate_id: int):
    """The certificate as a PDF: for its trainee and for admins."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if not certificate.can(current_user, "download"):
        abort(404)
    name = f"sertifikat-{certificate.code.lower()}.pdf"
    return Response(
        certificates.render_pdf(certificate),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/saya")
@role_required(Role.TRAINEE)
def mine():
    """The trainee's own certificates."""
    rows = db.session.scalars(
        select(Certificate).where(Certificate.trainee_id == current_user.id).order_by(Certificate.issued_at.desc())
    ).all()
    return render_template("certificates/mine.html", certificates=rows)


@bp.route("/kelulusan")
@role_required(Role.MENTOR, Role.ADMIN)
def graduation():
    """Trainees who passed every stage and wait for their graduation to be confirmed."""
    return render_template(
        "certificates/graduation.html", rows=certificates.ready_to_graduate(current_user), locale=current_locale()
    )


@bp.route("/kelulusan/<int:enrollment_id>", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def graduate(enrollment_id: int):
    """Confirm a graduation and issue the certificate (admins, or the trainee's mentor)."""
    enrollment = db.get_or_404(Enrollment, enrollment_id)
    if not certificates.may_confirm(enrollment, current_user):
        abort(404)
    try:
        certificate = certificates.graduate(enrollment, current_user, client_ip())
    except ServiceError as exc:
        flash(str(exc), "danger")
    else:
        flash(
            _("Graduation of %(name)s confirmed; certificate %(code)s issued.",
              name=certificate.trainee_name, code=certificate.code),
            "success",
        )
    if current_user.role == Role.ADMIN:
        return redirect(url_for("admin.cohort_detail", cohort_id=enrollment.cohort_id))
    return redirect(url_for("certificates.graduation"))


@bp.route("/<int:certificate_id>/cabut", methods=["POST"])
@role_required(Role.ADMIN)
def revoke(certificate_id: int):
    """Revoke a certificate, with a reason."""
    certificate = db.get_or_404(Certificate, certificate_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            certificates.revoke(certificate, form.reason.data, current_user, client_ip())
        except ServiceError as exc:
            flash(str(exc), "danger")
        else:
            flash(_("Certificate %(code)s revoked.", code=certificate.code), "success")
    else:
        flash(_("Give a reason for revoking the certificate."), "danger")
    return redirect(url_for("admin.cohort_detail", cohort_id=certificate.enrollment.cohort_id))
