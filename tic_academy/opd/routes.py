"""OPD head views: the dashboard, nominations and exports, all limited to the head's own OPD."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.policy import role_required
from ..enums import Role
from ..extensions import db
from ..i18n import current_locale, tanggal
from ..models.program import Cohort, Nomination
from ..services import ServiceError, cohorts, dashboards, exports, nominations, warnings
from ..web import client_ip
from .blueprint import bp
from .charts import chart_spec
from .forms import NominationForm


def _own_nomination(nomination_id: int) -> Nomination:
    """The nomination, if it belongs to the head's OPD; 404 otherwise (another OPD's ids reveal nothing)."""
    nomination = db.get_or_404(Nomination, nomination_id)
    if not nomination.can(current_user, "view"):
        abort(404)
    return nomination


def _own_cohort(cohort_id: int, choices: list[Cohort]) -> Cohort:
    cohort = next((c for c in choices if c.id == cohort_id), None)
    if cohort is None:
        abort(404)
    return cohort


@bp.route("/")
@role_required(Role.OPD_HEAD)
def home():
    """The OPD head's dashboard: nominations, trainees' progress, and the OPD against the city."""
    opd_id = current_user.opd_id
    choices = dashboards.cohorts_of_opd(opd_id)
    selected = request.args.get("angkatan", type=int)
    cohort = _own_cohort(selected, choices) if selected else dashboards.default_cohort(choices)
    context = {"cohorts": choices, "cohort": cohort, "planned": cohorts.planned_cohorts(),
               "warnings": warnings.open_signals_of_opd(opd_id), "warning_kind_labels": warnings.KIND_LABELS}
    if cohort is not None:
        figures = dashboards.load_cohort(cohort)
        own = figures.of_opd(opd_id)
        context.update(
            figures=figures,
            trainees=own,
            own=dashboards.summarise(own),
            city=dashboards.summarise(figures.trainees),
            own_series=dashboards.weekly_series(figures, own),
            city_series=dashboards.weekly_series(figures, figures.trainees),
            statuses=dashboards.nomination_counts(cohort.id, opd_id).get(opd_id, {}),
            locale=current_locale(),
        )
        started = bool(figures.week and own)  # before that, percentages are zeros, not data
        context["charts"] = _opd_charts(context["own"], context["city"], context["own_series"], context["city_series"], started)
    return render_template("opd/home.html", **context)


def _graduated_percent(summary: dashboards.Summary) -> float:
    """Share of a group's trainees who graduated, in percent (0 for an empty group)."""
    return round(100 * summary.graduated / summary.trainees, 1) if summary.trainees else 0.0


def _opd_charts(own: dashboards.Summary, city: dashboards.Summary, own_series: dict, city_series: dict,
                started: bool) -> dict:
    """The OPD dashboard's charts: the OPD against the plan and against the city average."""
    name = current_user.opd.short_name
    return {
        "weekly": chart_spec(
            "line",
            own_series["weeks"],
            [
                {"label": _("Plan"), "data": own_series["plan"]},
                {"label": name, "data": own_series["actual"]},
                {"label": _("City average"), "data": city_series["actual"]},
            ],
            unit="%",
            value_title=_("Percent of required exercises passed"),
            category_title=_("Week"),
            has_data=started,
        ),
        "compare": chart_spec(
            "bar",
            [_("Average progress"), _("On track"), _("Graduated")],
            [
                {"label": name, "data": [round(100 * own.average_progress, 1), round(100 * own.on_track_share, 1), _graduated_percent(own)]},
                {"label": _("City average"), "data": [round(100 * city.average_progress, 1), round(100 * city.on_track_share, 1), _graduated_percent(city)]},
            ],
            unit="%",
            value_title=_("Percent"),
            category_title=_("Measure"),
            has_data=started,
        ),
    }


@bp.route("/usulan")
@role_required(Role.OPD_HEAD)
def nominations_list():
    """Every nomination of the head's OPD, newest first."""
    rows = db.session.scalars(
        nominations.visible_nominations(current_user).order_by(Nomination.created_at.desc(), Nomination.id.desc())
    ).all()
    return render_template("opd/nominations.html", nominations=rows)


def _cohort_choices(form: NominationForm, current: Nomination | None = None) -> None:
    planned = cohorts.planned_cohorts()
    if current is not None and current.cohort not in planned:
        planned.append(current.cohort)
    form.cohort_id.choices = [
        (c.id, _("%(name)s (starts %(date)s)", name=c.name, date=tanggal(c.start_date))) for c in planned
    ]


@bp.route("/usulan/baru", methods=["GET", "POST"])
@role_required(Role.OPD_HEAD)
def nomination_new():
    """Nominate a staff member: save a draft or submit straight away."""
    form = NominationForm()
    _cohort_choices(form)
    if request.method == "GET" and request.args.get("angkatan", type=int):
        form.cohort_id.data = request.args.get("angkatan", type=int)
    if not form.cohort_id.choices:
        flash(_("There is no planned cohort to nominate for at the moment."), "info")
    elif form.validate_on_submit():
        return _save(None, form)
    return render_template("opd/nomination_form.html", form=form, nomination=None)


@bp.route("/usulan/<int:nomination_id>", methods=["GET", "POST"])
@role_required(Role.OPD_HEAD)
def nomination(nomination_id: int):
    """One nomination: editable while it is a draft, read-only afterwards."""
    nomination = _own_nomination(nomination_id)
    if not nomination.can(current_user, "edit"):
        if request.method == "POST":
            abort(403)
        return render_template("opd/nomination_detail.html", nomination=nomination)
    form = NominationForm(obj=nomination)
    _cohort_choices(form, nomination)
    if form.validate_on_submit():
        return _save(nomination, form)
    return render_template("opd/nomination_form.html", form=form, nomination=nomination)


def _save(nomination: Nomination | None, form: NominationForm):
    try:
        saved = nominations.save_draft(
            nomination, head=current_user, cohort_id=form.cohort_id.data, data=form.data_for_service(), ip=client_ip()
        )
    except ServiceError as exc:
        flash(str(exc), "danger")
        # Show the form again with what was typed, so nothing is lost.
        return render_template("opd/nomination_form.html", form=form, nomination=nomination)
    if form.submit.data:
        if not saved.supervisor_agrees:
            # Said at the checkbox, with the plain fact that the draft is kept but not handed in.
            form.supervisor_agrees.errors = [_("Tick this box to submit: the supervisor's agreement is required.")]
            return render_template("opd/nomination_form.html", form=form, nomination=saved, saved_not_submitted=True)
        try:
            nominations.submit(saved, current_user, client_ip())
        except ServiceError as exc:
            flash(_("Saved as a draft, not submitted: %(reason)s", reason=str(exc)), "warning")
            return redirect(url_for("opd.nomination", nomination_id=saved.id))  # the draft is saved
        flash(_submitted_message(saved), "success")
        return redirect(url_for("opd.nominations_list"))
    flash(_("Draft saved."), "success")
    return redirect(url_for("opd.nomination", nomination_id=saved.id))


def _submitted_message(nomination: Nomination) -> str:
    """The same words for every submission: whether the person is known elsewhere is for the admin only."""
    return _(
        "Nomination of %(name)s submitted. The program admin checks every nomination against the other OPDs'"
        " nominations and existing accounts before deciding.",
        name=nomination.full_name,
    )


@bp.route("/usulan/<int:nomination_id>/ajukan", methods=["POST"])
@role_required(Role.OPD_HEAD)
def nomination_submit(nomination_id: int):
    """Submit a saved draft."""
    nomination = _own_nomination(nomination_id)
    try:
        nominations.submit(nomination, current_user, client_ip())
    except ServiceError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("opd.nomination", nomination_id=nomination.id))
    flash(_submitted_message(nomination), "success")
    return redirect(url_for("opd.nominations_list"))


@bp.route("/usulan/<int:nomination_id>/tarik", methods=["POST"])
@role_required(Role.OPD_HEAD)
def nomination_withdraw(nomination_id: int):
    """Withdraw a nomination before the admin decides."""
    nomination = _own_nomination(nomination_id)
    try:
        nominations.withdraw(nomination, current_user, client_ip())
    except ServiceError as exc:
        flash(str(exc), "danger")
    else:
        flash(_("Nomination withdrawn."), "success")
    return redirect(url_for("opd.nominations_list"))


@bp.route("/ekspor/<int:cohort_id>/<kind>.<fmt>")
@role_required(Role.OPD_HEAD)
def export(cohort_id: int, kind: str, fmt: str):
    """Download the OPD's progress in a cohort as CSV or Excel (own OPD only)."""
    if kind not in exports.KINDS or fmt not in exports.FORMATS:
        abort(404)
    cohort = _own_cohort(cohort_id, dashboards.cohorts_of_opd(current_user.opd_id))
    content, name, mimetype = exports.build(cohort, current_user, kind, fmt)
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
