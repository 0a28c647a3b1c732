"""Admin views of mentoring: who mentors whom (per cohort, OPD or trainee) and the whole review queue."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.policy import role_required
from ..enums import Role
from ..extensions import db
from ..models import Cohort, Enrollment, Opd, User
from ..models.mentoring import ReviewItem
from ..services import ServiceError, mentor_assignment, review_queue
from ..services.settings import ServiceSettings
from .blueprint import bp


def _mentor_from_form(field: str = "mentor_id"):
    """The mentor chosen in the form (None for "no mentor"); 400 on an unknown id."""
    mentor_id = request.form.get(field, type=int) or 0
    if mentor_id == 0:
        return None
    mentor = db.session.get(User, mentor_id)
    if mentor is None:
        abort(400)
    return mentor


@bp.route("/mentor")
@role_required(Role.ADMIN)
def mentoring():
    """Mentor assignment for one cohort: per trainee, per OPD, for all, and balancing."""
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.start_date.desc())).all()
    cohort = db.session.get(Cohort, request.args.get("cohort", type=int) or 0) or (cohorts[0] if cohorts else None)
    enrollments = mentor_assignment.cohort_enrollments(cohort) if cohort else []
    mentors = mentor_assignment.active_mentors()
    cohort_load = mentor_assignment.mentor_load(cohort) if cohort else {}
    load = {m.id: cohort_load.get(m.id, 0) for m in mentors}
    in_cohort = {m.id for m in mentor_assignment.cohort_mentors(cohort)} if cohort else set()
    opds = sorted({e.trainee.opd for e in enrollments if e.trainee.opd}, key=lambda o: o.name)
    return render_template(
        "admin/mentoring.html", cohorts=cohorts, cohort=cohort, enrollments=enrollments, mentors=mentors,
        load=load, in_cohort=in_cohort or {m.id for m in mentors}, opds=opds,
        unassigned=sum(1 for e in enrollments if e.mentor_id is None),
    )


@bp.route("/mentor/tetapkan", methods=["POST"])
@role_required(Role.ADMIN)
def mentoring_assign():
    """Assign a mentor to one trainee, to a cohort's trainees of one OPD, or to the whole cohort."""
    cohort = db.session.get(Cohort, request.form.get("cohort_id", type=int) or 0)
    if cohort is None:
        flash(_("Choose a cohort."), "danger")
        return redirect(url_for("admin.mentoring"))
    scope = request.form.get("scope", "trainee")
    if scope == "trainee":
        enrollment = db.session.get(Enrollment, request.form.get("enrollment_id", type=int) or 0)
        if enrollment is None or enrollment.cohort_id != cohort.id:
            abort(404)
        enrollments = [enrollment]
    elif scope == "opd":
        opd = db.session.get(Opd, request.form.get("opd_id", type=int) or 0)
        if opd is None:
            abort(404)
        enrollments = mentor_assignment.cohort_enrollments(cohort, opd.id)
    else:
        scope, enrollments = "cohort", mentor_assignment.cohort_enrollments(cohort)
    try:
        changed = mentor_assignment.assign(enrollments, _mentor_from_form(), current_user, scope)
        flash(_("Mentor changed for %(num)s trainees.", num=changed), "success")
    except ServiceError as exc:
        flash(str(exc), "danger")
    return redirect(url_for("admin.mentoring", cohort=cohort.id))


@bp.route("/mentor/seimbangkan", methods=["POST"])
@role_required(Role.ADMIN)
def mentoring_balance():
    """Spread the cohort's unassigned trainees over the chosen mentors."""
    cohort = db.session.get(Cohort, request.form.get("cohort_id", type=int) or 0)
    if cohort is None:
        flash(_("Choose a cohort."), "danger")
        return redirect(url_for("admin.mentoring"))
    ids = {int(v) for v in request.form.getlist("mentor_ids") if v.isdigit()}
    mentors = [m for m in mentor_assignment.active_mentors() if m.id in ids]
    try:
        assigned = mentor_assignment.balance_load(cohort, mentors, current_user)
        flash(_("%(num)s trainees were given a mentor.", num=assigned), "success")
    except ServiceError as exc:
        flash(str(exc), "danger")
    return redirect(url_for("admin.mentoring", cohort=cohort.id))


@bp.route("/mentor/antrean")
@role_required(Role.ADMIN)
def mentoring_queue():
    """Every open review item, oldest first, to reassign (items without a mentor first)."""
    kind = request.args.get("kind") or None
    items = review_queue.queue(current_user, review_queue.QueueFilters(kind=kind))
    items.sort(key=lambda item: item.mentor_id is not None)  # stable: oldest first within each group
    clock = review_queue.QueueClock.of(ServiceSettings.from_config(current_app.config))
    return render_template(
        "admin/mentoring_queue.html", items=items, mentors=mentor_assignment.active_mentors(), kind=kind,
        kind_labels=review_queue.KIND_LABELS, waited=clock.waited, is_overdue=clock.is_overdue,
    )


@bp.route("/mentor/antrean/<int:item_id>/alihkan", methods=["POST"])
@role_required(Role.ADMIN)
def mentoring_reassign(item_id: int):
    """Give a queue item to another mentor."""
    item = db.get_or_404(ReviewItem, item_id)
    mentor = _mentor_from_form()
    if mentor is None:
        flash(_("Choose an active mentor."), "danger")
    else:
        try:
            review_queue.reassign(item, mentor, current_user)
            flash(_("Item reassigned to %(name)s.", name=mentor.full_name), "success")
        except ServiceError as exc:
            flash(str(exc), "danger")
    return redirect(url_for("admin.mentoring_queue"))
