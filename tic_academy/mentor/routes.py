"""Mentor views: the queue, my trainees, the review page, sign-offs and similar answers."""
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.policy import role_required
from ..clock import today_wib
from ..discussion.forms import MessageForm
from ..enums import ItemKind, Role
from ..extensions import db
from ..models import SignOff, Submission, User
from ..models.mentoring import LineComment, ReviewItem
from ..services import ServiceError, notebooks, progress, project_review, review_queue, reviews
from ..services import similarity as similarity_service
from ..services import trainee_overview, warnings
from ..services.enrollment import mentor_of
from ..services.settings import ServiceSettings
from ..web import client_ip, review_item_or_404, safe_next, submission_or_404
from .blueprint import bp
from .forms import FileCommentForm, LineCommentForm, QueueFilterForm, SignOffForm
from .notebook_view import notebook_cells
from .shapes import review_panel


# --- the queue ------------------------------------------------------------------------------


@bp.route("/")
@role_required(Role.MENTOR)
def home():
    """The mentor's queue: what waits, oldest first, with filters and the clock."""
    everything = review_queue.queue(current_user)
    form = QueueFilterForm(request.args)
    form.kind.choices = [("", _("All kinds"))] + [(k, str(v)) for k, v in review_queue.KIND_LABELS.items()]
    form.cohort.choices = [(0, _("All cohorts"))] + sorted({(i.cohort.id, i.cohort.name) for i in everything if i.cohort})
    form.opd.choices = [(0, _("All OPDs"))] + sorted(
        {(i.trainee.opd.id, i.trainee.opd.short_name) for i in everything if i.trainee.opd}, key=lambda c: c[1])
    form.exercise.choices = [(0, _("All exercises"))] + sorted(
        {(i.exercise.id, i.exercise.title_id) for i in everything if i.exercise}, key=lambda c: c[1])
    filters = review_queue.QueueFilters(
        kind=request.args.get("kind") or None,
        cohort_id=request.args.get("cohort", type=int) or None,
        opd_id=request.args.get("opd", type=int) or None,
        exercise_id=request.args.get("exercise", type=int) or None,
    )
    items = review_queue.queue(current_user, filters)
    clock = review_queue.QueueClock.of(ServiceSettings.from_config(current_app.config))
    return render_template(
        "mentor/home.html", items=items, form=form, total=len(everything),
        waited=clock.waited, is_overdue=clock.is_overdue, target=clock.target_workdays,
        kind_labels=review_queue.KIND_LABELS,
        median=review_queue.median_response_workdays(current_user.id),
    )


@bp.route("/peserta")
@role_required(Role.MENTOR)
def trainees():
    """My trainees: stage, pace, last activity, items waiting."""
    waiting = review_queue.waiting_counts(current_user.id)
    warned = warnings.open_counts_for_mentor(current_user.id)
    rows = [
        {
            "enrollment": standing.enrollment,
            "stage": standing.stage,
            "pace": standing.pace,
            "last_activity": standing.last_activity,
            "waiting": waiting.get(standing.enrollment.trainee_id, 0),
            "warnings": warned.get(standing.enrollment.trainee_id, 0),
        }
        for standing in progress.mentor_trainees(current_user.id, today_wib())
    ]
    rows.sort(key=lambda r: (-r["waiting"], r["enrollment"].trainee.full_name))
    return render_template("mentor/trainees.html", rows=rows,
                           median=review_queue.median_response_workdays(current_user.id))


def _trainee_or_404(trainee_id: int) -> User:
    """The trainee, if the current user is their mentor or an admin (404 when unknown, 403 otherwise)."""
    trainee = db.get_or_404(User, trainee_id)
    if trainee.role != Role.TRAINEE:
        abort(404)
    if not trainee_overview.may_view(current_user, trainee):
        abort(403)
    return trainee


@bp.route("/peserta/<int:trainee_id>")
@role_required(Role.MENTOR, Role.ADMIN)
def trainee(trainee_id: int):
    """One trainee: progress per stage and exercise, every submission, help requests; drafts on request."""
    person = _trainee_or_404(trainee_id)
    return _trainee_page(person, drafts=None)


@bp.route("/peserta/<int:trainee_id>/draf", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def trainee_drafts(trainee_id: int):
    """The same page with the trainee's current drafts, read only (the look is audited)."""
    person = _trainee_or_404(trainee_id)
    return _trainee_page(person, drafts=trainee_overview.drafts_for(person, current_user, client_ip()))


def _trainee_page(person: User, drafts):
    """Render the trainee page (drafts: None until the mentor asks for them)."""
    return render_template("mentor/trainee.html", view=trainee_overview.overview(person, today_wib()),
                           drafts=drafts, kind_labels=review_queue.KIND_LABELS)


@bp.route("/antrean/<int:item_id>")
@role_required(Role.MENTOR, Role.ADMIN, Role.TRAINEE)
def open_item(item_id: int):
    """Go to the page where the item is handled."""
    item = review_item_or_404(item_id, "view")
    if item.kind == ItemKind.HELP:
        return redirect(url_for("discussion.help_request", item_id=item.id))
    if item.kind == ItemKind.SIGNOFF:
        return redirect(url_for("mentor.signoff", signoff_id=item.signoff_id))
    if item.kind == ItemKind.SIMILARITY:
        return redirect(url_for("mentor.similarity", item_id=item.id))
    if item.kind == ItemKind.WARNING:
        return redirect(url_for("mentor.warning", item_id=item.id))
    return redirect(url_for("mentor.review", submission_id=item.submission_id))


@bp.route("/antrean/<int:item_id>/ambil", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def claim_item(item_id: int):
    """Claim an item so nobody else works on it."""
    return _claim_action(item_id, review_queue.claim, _("You claimed this item."), "success")


@bp.route("/antrean/<int:item_id>/lepas", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def release_item(item_id: int):
    """Give a claimed item back."""
    return _claim_action(item_id, review_queue.release, _("The item is free again."), "info")


def _claim_action(item_id: int, action, message: str, category: str):
    """Claim or release an item, then go back where the mentor came from."""
    item = review_item_or_404(item_id)
    try:
        action(item, current_user)
        flash(message, category)
    except ServiceError as exc:
        flash(str(exc), "warning")
    return redirect(safe_next(request.form.get("next")) or url_for("mentor.home"))


@bp.route("/antrean/<int:item_id>/selesai", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def resolve_item(item_id: int):
    """Mark an item handled without a decision (e.g. a flag that needs nothing)."""
    item = review_item_or_404(item_id)
    try:
        review_queue.mark_handled(item, current_user)
    except review_queue.ClosedByDecision as exc:
        abort(400, description=str(exc))
    except ServiceError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("mentor.home"))
    flash(_("Marked as handled."), "success")
    return redirect(url_for("mentor.home"))


# --- the review page --------------------------------------------------------------------------


@bp.route("/pengumpulan/<int:submission_id>")
@role_required(Role.MENTOR, Role.ADMIN)
def review(submission_id: int):
    """A submission: executed notebook, tests, flags, diff, line comments, grades and decision."""
    submission = submission_or_404(submission_id, "review")
    previous = reviews.previous_submission(submission)
    return render_template(
        "mentor/review.html",
        submission=submission,
        cells=notebook_cells(submission),
        answers={cell.grade_id: cell for cell in reviews.answer_cells(submission)},
        previous=previous,
        diff=reviews.answer_diff(submission, previous),
        manual=notebooks.of_version(submission.exercise_version).manual_cells,
        grades=reviews.manual_grades(submission),
        override=reviews.score_override(submission),
        decisions=reviews.reviews_of(submission),
        messages=reviews.thread(submission=submission),
        items=review_queue.open_items_for(submission),
        kind_labels=review_queue.KIND_LABELS,
        flag_labels=review_queue.FLAG_LABELS,
        comment_form=LineCommentForm(),
        file_comment_form=FileCommentForm(),
        signoff=reviews.pending_signoff(submission),
        signoff_form=SignOffForm(),
        message_form=MessageForm(),
        project=project_review.submission_diff(submission) if submission.exercise.is_project else None,
        trainee_page=trainee_overview.may_view(current_user, submission.trainee),
        kept_line=session.pop("kept_line", None) or {},
        shapes=review_panel(submission),
    )


@bp.route("/pengumpulan/<int:submission_id>/komentar-berkas", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def file_comment(submission_id: int):
    """Comment on a line (changed or not) of a file of a project submission."""
    submission = submission_or_404(submission_id, "review")
    form = FileCommentForm()
    if form.validate_on_submit():
        try:
            project_review.add_file_comment(submission, current_user, form.path.data, form.line.data,
                                            form.body.data)
            flash(_("Comment added."), "success")
        except ServiceError as exc:
            flash(str(exc), "danger")
    else:
        flash(_("Write a comment and choose a line."), "danger")
    _keep_line(form.path.data, form.line.data)
    return redirect(url_for("mentor.review", submission_id=submission.id, _anchor="project-files"))


@bp.route("/pengumpulan/<int:submission_id>/komentar", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def comment(submission_id: int):
    """Comment on a line of an answer cell."""
    submission = submission_or_404(submission_id, "review")
    form = LineCommentForm()
    if form.validate_on_submit():
        try:
            reviews.add_line_comment(submission, current_user, form.grade_id.data, form.line.data,
                                             form.body.data)
            flash(_("Comment added."), "success")
        except ServiceError as exc:
            flash(str(exc), "danger")
    else:
        flash(_("Write a comment and choose a line."), "danger")
    anchor = f"cell-{form.grade_id.data}" if form.grade_id.data else None
    _keep_line(form.grade_id.data, form.line.data)
    return redirect(url_for("mentor.review", submission_id=submission.id, _anchor=anchor))


def _keep_line(where: str, line) -> None:
    """Remember the commented line of a cell or file for the next page, so its form keeps it (not back to 1)."""
    if where and isinstance(line, int) and line >= 1:
        session["kept_line"] = {"where": where, "line": line}


@bp.route("/komentar/<int:comment_id>/hapus", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def delete_comment(comment_id: int):
    """Delete one's own line comment."""
    line_comment = db.get_or_404(LineComment, comment_id)
    submission = submission_or_404(line_comment.submission_id, "review")
    try:
        reviews.delete_line_comment(line_comment, current_user)
        flash(_("Comment deleted."), "info")
    except ServiceError as exc:
        flash(str(exc), "danger")
    return redirect(url_for("mentor.review", submission_id=submission.id))


@bp.route("/pengumpulan/<int:submission_id>/keputusan", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def decide(submission_id: int):
    """Save manual grades, an optional score override and the decision."""
    submission = submission_or_404(submission_id, "review")
    try:
        grades = {
            key.removeprefix("grade-"): _number(value)
            for key, value in request.form.items() if key.startswith("grade-") and value.strip()
        }
        override = request.form.get("override_score", "").strip()
        reviews.decide(
            submission, current_user, request.form.get("decision", ""),
            summary=request.form.get("summary", ""), grades=grades,
            override_score=_number(override) if override else None,
            override_reason=request.form.get("override_reason", ""),
        )
    except ServiceError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("mentor.review", submission_id=submission.id))
    flash(_("Your review was sent to the trainee."), "success")
    return redirect(url_for("mentor.home"))


@bp.route("/pengumpulan/<int:submission_id>/integritas", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def integrity(submission_id: int):
    """Clear a held submission ("Bersihkan") or confirm the integrity violation (reason required)."""
    submission = submission_or_404(submission_id, "review")
    decision = request.form.get("decision", "")
    if decision not in ("clear", "confirm"):
        abort(400, description=_("Choose clear or confirm violation."))
    try:
        reviews.decide_integrity(submission, current_user, clear=decision == "clear",
                                         reason=request.form.get("reason", ""))
    except ServiceError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("mentor.review", submission_id=submission.id, _anchor="integrity"))
    flash(_("The submission was cleared: its score counts.") if decision == "clear"
          else _("The violation was confirmed: the score does not count."), "success")
    return redirect(url_for("mentor.review", submission_id=submission.id))


def _number(value: str) -> float:
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise ServiceError(_("%(value)s is not a number.", value=value[:20])) from None


# --- stage sign-off ---------------------------------------------------------------------------


def _signoff_or_404(signoff_id: int) -> SignOff:
    """The sign-off, if it is for one of the current mentor's trainees (or reassigned to them)."""
    signoff = db.get_or_404(SignOff, signoff_id)
    if current_user.role == Role.ADMIN or mentor_of(signoff.trainee_id) == current_user.id:
        return signoff
    reassigned = db.session.scalar(select(ReviewItem.id).where(
        ReviewItem.signoff_id == signoff.id, ReviewItem.mentor_id == current_user.id).limit(1))
    if reassigned is None:
        abort(403)
    return signoff


@bp.route("/tahap/<int:signoff_id>")
@role_required(Role.MENTOR, Role.ADMIN)
def signoff(signoff_id: int):
    """A stage sign-off request: the trainee's results in the stage, approve or send back."""
    record = _signoff_or_404(signoff_id)
    enrollment_track = record.stage.track
    stages = progress.track_progress(record.trainee_id, enrollment_track)
    stage = next((s for s in stages if s.stage.id == record.stage_id), None)
    return render_template("mentor/signoff.html", signoff=record, stage=stage, form=SignOffForm())


@bp.route("/tahap/<int:signoff_id>/keputusan", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def signoff_decide(signoff_id: int):
    """Approve the stage (the next one opens) or send it back with comments."""
    record = _signoff_or_404(signoff_id)
    form = SignOffForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        reviews.decide_signoff(record, current_user, approve=bool(form.approve.data),
                                       comment=form.comment.data or "")
    except ServiceError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("mentor.signoff", signoff_id=record.id))
    flash(_("Stage approved: the next stage is open.") if form.approve.data
          else _("The stage was sent back with your comments."), "success")
    return redirect(url_for("mentor.home"))


# --- similar answers --------------------------------------------------------------------------


@bp.route("/kemiripan/<int:item_id>")
@role_required(Role.MENTOR, Role.ADMIN)
def similarity(item_id: int):
    """Two similar submissions side by side."""
    item = review_item_or_404(item_id, "view")
    if item.kind != ItemKind.SIMILARITY:
        abort(404)
    pair = [item.submission, item.other_submission]
    grade_ids = list(dict.fromkeys([*(pair[0].answers or {}), *(pair[1].answers or {})]))
    project_code = ([similarity_service.compared_project_code(s) for s in pair]
                    if item.submission.exercise.is_project else None)
    return render_template("mentor/similarity.html", item=item, pair=pair, grade_ids=grade_ids,
                           project_code=project_code)
