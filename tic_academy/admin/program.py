"""Admin views of the program: cohorts, nomination decisions, the city dashboard, exports, certificates."""
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth.policy import role_required
from ..enums import NominationStatus, Role
from ..extensions import db
from ..i18n import current_locale
from ..models import Opd, Track, User
from ..models.program import NOMINATION_STATUSES, Certificate, Cohort, Enrollment, Nomination
from ..services import ServiceError, cohorts, dashboards, exports, nominations
from ..services.settings import ServiceSettings
from ..i18n import cohort_status_label
from ..web import client_ip
from .blueprint import bp
from .forms import ConfirmForm
from ..certificates.forms import RevokeForm
from ..opd.charts import chart_spec
from .program_forms import CohortForm, DecisionForm, read_quotas

PER_PAGE = 25


# --- Cohorts ----------------------------------------------------------------


@bp.route("/angkatan")
@role_required(Role.ADMIN)
def cohorts_list():
    """Every cohort with its status, current week and number of trainees."""
    return render_template("admin/cohorts.html", rows=dashboards.cohort_overview())


def _fill_cohort_form(form: CohortForm) -> list[Opd]:
    form.track_id.choices = [
        (t.id, t.title(current_locale()))
        for t in db.session.scalars(select(Track).where(~Track.retired).order_by(Track.title_id))
    ]
    form.mentor_ids.choices = [
        (m.id, m.full_name)
        for m in db.session.scalars(select(User).where(User.role == Role.MENTOR, User.active).order_by(User.full_name))
    ]
    return list(db.session.scalars(select(Opd).where(Opd.active).order_by(Opd.name)))


@bp.route("/angkatan/baru", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def cohort_new():
    """Create a cohort."""
    return _cohort_form(None)


@bp.route("/angkatan/<int:cohort_id>/ubah", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def cohort_edit(cohort_id: int):
    """Edit a cohort: dates, capacity, mentors, per-OPD quotas."""
    return _cohort_form(db.get_or_404(Cohort, cohort_id))


def _cohort_form(cohort: Cohort | None):
    form = CohortForm(obj=cohort)
    opds = _fill_cohort_form(form)
    quotas = {q.opd_id: q.places for q in cohort.quotas} if cohort else {}
    if request.method == "GET" and cohort is not None:
        form.mentor_ids.data = [m.id for m in cohort.mentors]
    if form.validate_on_submit():
        quotas, bad = read_quotas(request.form, [o.id for o in opds])
        if bad:
            flash(_("A quota must be a whole number of places, or empty."), "danger")
            # Show every field as typed, so a typo in one does not wipe another OPD's quota.
            quotas = {o.id: request.form.get(f"quota-{o.id}", "") for o in opds}
        else:
            try:
                cohort = cohorts.save_cohort(
                    cohort,
                    name=form.name.data,
                    track_id=form.track_id.data,
                    start_date=form.start_date.data,
                    capacity=form.capacity.data,
                    mentor_ids=form.mentor_ids.data or [],
                    quotas=quotas,
                    actor=current_user,
                    ip=client_ip(),
                )
            except ServiceError as exc:
                flash(str(exc), "danger")
            else:
                flash(_("Cohort %(name)s saved.", name=cohort.name), "success")
                return redirect(url_for("admin.cohort_detail", cohort_id=cohort.id))
    return render_template("admin/cohort_form.html", form=form, cohort=cohort, opds=opds, quotas=quotas)


@bp.route("/angkatan/<int:cohort_id>")
@role_required(Role.ADMIN)
def cohort_detail(cohort_id: int):
    """One cohort: week, quotas and places, trainees' progress, graduation and certificates."""
    cohort = db.get_or_404(Cohort, cohort_id)
    figures = dashboards.load_cohort(cohort)
    counts = dashboards.nomination_counts(cohort.id)
    opd_names = dict(db.session.execute(select(Opd.id, Opd.short_name)).all())
    quota_rows = [
        (opd_names.get(q.opd_id, "—"), q.places, sum(counts.get(q.opd_id, {}).get(s, 0) for s in ("approved", "enrolled")))
        for q in cohort.quotas
    ]
    issued = db.session.scalars(
        select(Certificate)
        .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .where(Enrollment.cohort_id == cohort.id)
        .order_by(Certificate.issued_at.desc())
    ).all()
    return render_template(
        "admin/cohort_detail.html",
        cohort=cohort,
        figures=figures,
        quota_rows=sorted(quota_rows),
        certificates=issued,
        confirm=ConfirmForm(),
        revoke=RevokeForm(),
        next_status=cohorts.NEXT_STATUS.get(cohort.status),
        locale=current_locale(),
    )


@bp.route("/angkatan/<int:cohort_id>/status", methods=["POST"])
@role_required(Role.ADMIN)
def cohort_status(cohort_id: int):
    """Start or finish a cohort."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if ConfirmForm().validate_on_submit():
        try:
            cohorts.change_status(cohort, request.form.get("status", ""), current_user, client_ip())
        except ServiceError as exc:
            flash(str(exc), "danger")
        else:
            flash(_("Cohort %(name)s is now %(status)s.", name=cohort.name, status=_cohort_status(cohort.status)), "success")
    return redirect(url_for("admin.cohort_detail", cohort_id=cohort.id))


def _cohort_status(status: str) -> str:
    """The translated name of a cohort state."""
    return cohort_status_label(status)


@bp.route("/angkatan/<int:cohort_id>/ekspor/<kind>.<fmt>")
@role_required(Role.ADMIN)
def cohort_export(cohort_id: int, kind: str, fmt: str):
    """Download per-OPD or per-trainee progress of a cohort as CSV or Excel."""
    if kind not in exports.KINDS or fmt not in exports.FORMATS:
        abort(404)
    cohort = db.get_or_404(Cohort, cohort_id)
    content, name, mimetype = exports.build(cohort, current_user, kind, fmt)
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- Nominations ----------------------------------------------------------


@bp.route("/usulan")
@role_required(Role.ADMIN)
def nominations_list():
    """Nominations with cohort, status and OPD filters; submitted ones first."""
    cohort_id = request.args.get("angkatan", type=int)
    status = request.args.get("status", "")
    opd_id = request.args.get("opd", type=int)
    query = (
        nominations.visible_nominations(current_user)
        .options(joinedload(Nomination.cohort), joinedload(Nomination.opd))
        .where(Nomination.status != NominationStatus.DRAFT)
        .order_by((Nomination.status == NominationStatus.SUBMITTED).desc(), Nomination.submitted_at, Nomination.id)
    )
    if cohort_id:
        query = query.where(Nomination.cohort_id == cohort_id)
    if status in NOMINATION_STATUSES:
        query = query.where(Nomination.status == status)
    if opd_id:
        query = query.where(Nomination.opd_id == opd_id)
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template(
        "admin/program_nominations.html",
        page=page,
        cohorts=db.session.scalars(select(Cohort).order_by(Cohort.start_date.desc())).all(),
        opds=db.session.scalars(select(Opd).order_by(Opd.name)).all(),
        statuses=[s for s in NOMINATION_STATUSES if s != "draft"],
        cohort_id=cohort_id,
        status=status,
        opd_id=opd_id,
    )


@bp.route("/usulan/<int:nomination_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def nomination_detail(nomination_id: int):
    """A nomination with the decision form (approve, waitlist or reject with a reason)."""
    nomination = db.get_or_404(Nomination, nomination_id)
    if not nomination.can(current_user, "view") or nomination.status == NominationStatus.DRAFT:
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            nominations.decide(nomination, form.decision.data, form.reason.data, current_user, client_ip(),
                               settings=ServiceSettings.from_config(current_app.config))
        except ServiceError as exc:
            flash(str(exc), "danger")
        else:
            flash(_("Decision recorded for %(name)s.", name=nomination.full_name), "success")
            return redirect(url_for("admin.nominations_list", angkatan=nomination.cohort_id))
    cohort = nomination.cohort
    quota = cohort.quota_for(nomination.opd_id)
    return render_template(
        "admin/program_nomination.html",
        nomination=nomination,
        form=form,
        quota=quota,
        quota_used=cohorts.places_taken(cohort.id, nomination.opd_id),
        places_taken=cohorts.places_taken(cohort.id),
        conflicts=nominations.conflicts(nomination),
    )


# --- City dashboard ---------------------------------------------------------


@bp.route("/dasbor")
@role_required(Role.ADMIN)
def dashboard():
    """The city view: per OPD, the funnel, the cohort overview and mentor load."""
    overview = dashboards.cohort_overview()
    all_cohorts = [c for c, _ in overview]
    selected = request.args.get("angkatan", type=int)
    cohort = next((c for c in all_cohorts if c.id == selected), None) if selected else dashboards.default_cohort(all_cohorts)
    if selected and cohort is None:
        abort(404)
    context = {
        "overview": overview,
        "cohort": cohort,
        "mentors": dashboards.mentor_lines(),
        "locale": current_locale(),
        # Across every cohort: nominations usually wait for a planned cohort, not the running one shown below.
        "pending": dashboards.nominations_waiting(),
    }
    if cohort is not None:
        figures = dashboards.load_cohort(cohort)
        lines = dashboards.opd_lines(figures)
        context.update(
            figures=figures,
            lines=lines,
            city=dashboards.summarise(figures.trainees),
            charts=_city_charts(figures, lines),
            pending_here=dashboards.nominations_waiting(cohort.id),
        )
    return render_template("admin/dashboard.html", **context)


def _city_charts(figures: dashboards.CohortFigures, lines: list[dashboards.OpdLine]) -> dict:
    """The city dashboard's charts as data for dashboard.js (and the tables beside them)."""
    names = {"nominated": _("Nominated"), "approved": _("Approved"), "active": _("Active"), "graduated": _("Graduated")}
    steps = dashboards.funnel(figures, lines, current_locale())
    series = dashboards.weekly_series(figures, figures.trainees)
    started = bool(figures.week and figures.trainees)  # before that, percentages are zeros, not data
    return {
        "funnel": chart_spec(
            "bar",
            [names.get(key, _("Passed: %(stage)s", stage=key)) for key, _n in steps],
            [{"label": _("Trainees"), "data": [n for _key, n in steps]}],
            unit="",
            value_title=_("Number of people"),
            category_title=_("Step"),
            horizontal=True,
        ),
        "per_opd": chart_spec(
            "bar",
            [line.name for line in lines],
            [
                {"label": _("Average progress"), "data": [round(100 * line.summary.average_progress, 1) for line in lines]},
                {"label": _("On track"), "data": [round(100 * line.summary.on_track_share, 1) for line in lines]},
            ],
            unit="%",
            value_title=_("Percent"),
            category_title=_("OPD"),
            has_data=started and bool(lines),
        ),
        "weekly": chart_spec(
            "line",
            series["weeks"],
            [{"label": _("Plan"), "data": series["plan"]}, {"label": _("City"), "data": series["actual"]}],
            unit="%",
            value_title=_("Percent of required exercises passed"),
            category_title=_("Week"),
            has_data=started,
        ),
    }


# --- Certificates -----------------------------------------------------------


@bp.route("/sertifikat/<int:certificate_id>/cabut", methods=["POST"])
def certificate_revoke_moved(certificate_id: int):
    """The old address of revoking a certificate: a permanent redirect to the certificates blueprint."""
    return redirect(url_for("certificates.revoke", certificate_id=certificate_id), code=308)
