"""Admin views: overview, OPDs, users, outbox and audit log."""
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from wtforms.fields.choices import SelectChoice

from ..auth.policy import role_required
from ..clock import start_of_day_wib
from ..enums import PENDING_ROLE, ROLES, Role
from ..extensions import db
from ..models import AuditEvent, Opd, OutboxMessage, User
from ..services import ServiceError, accounts, admin_overview
from ..services import opds as opds_service
from ..services.settings import ServiceSettings
from ..web import client_ip
from .blueprint import bp
from .forms import ConfirmForm, OpdForm, RoleForm, UserForm

PER_PAGE = 25


@bp.app_template_global("external_url_mismatch")
def external_url_mismatch() -> dict | None:
    """TIC_EXTERNAL_URL and the address in use, when emailed links would point somewhere else than this page."""
    configured = urlsplit(current_app.config["EXTERNAL_URL"])
    same_host = configured.netloc.lower() == request.host.lower()
    same_prefix = configured.path.rstrip("/") == request.script_root.rstrip("/")
    if same_host and same_prefix:
        return None
    return {"configured": current_app.config["EXTERNAL_URL"], "in_use": request.host_url.rstrip("/") + request.script_root}


def opd_choices(include_none: bool = True):
    """Active OPDs for a select field (0 = none)."""
    opds = db.session.scalars(select(Opd).where(Opd.active).order_by(Opd.name)).all()
    choices = [SelectChoice(opd.id, opd.name) for opd in opds]
    return ([SelectChoice(0, "—")] if include_none else []) + choices


@bp.route("/")
@role_required(Role.ADMIN)
def home():
    """The admin's overview: a to-do list across every cohort, then the numbers and recent activity."""
    settings = ServiceSettings.from_config(current_app.config)
    opd_count = db.session.scalar(select(func.count()).select_from(Opd).where(Opd.active))
    recent = db.session.scalars(
        select(AuditEvent).order_by(AuditEvent.created_at.desc()).limit(10)
    ).all()
    return render_template(
        "admin/home.html",
        todo=admin_overview.admin_todo(current_user, settings),
        counts=admin_overview.role_counts(),
        opd_count=opd_count,
        recent=recent,
    )


# --- OPDs -----------------------------------------------------------------


@bp.route("/opd")
@role_required(Role.ADMIN)
def opds():
    """List every OPD with its number of users."""
    rows = db.session.execute(
        select(Opd, func.count(User.id))
        .outerjoin(User, User.opd_id == Opd.id)
        .group_by(Opd.id)
        .order_by(Opd.active.desc(), Opd.name)
    ).all()
    return render_template("admin/opds.html", rows=rows, confirm=ConfirmForm())


@bp.route("/opd/baru", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def opd_create():
    """Create an OPD."""
    form = OpdForm()
    if form.validate_on_submit():
        try:
            opd = opds_service.create_opd(form.code.data, form.name.data, form.short_name.data,
                                          actor=current_user, ip=client_ip())
        except ServiceError as exc:
            flash(str(exc), "danger")
        else:
            flash(_("OPD %(name)s created.", name=opd.name), "success")
            return redirect(url_for("admin.opds"))
    return render_template("admin/opd_form.html", form=form, opd=None)


@bp.route("/opd/<int:opd_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def opd_edit(opd_id: int):
    """Edit an OPD."""
    opd = db.get_or_404(Opd, opd_id)
    form = OpdForm(obj=opd)
    if form.validate_on_submit():
        try:
            opds_service.update_opd(opd, form.code.data, form.name.data, form.short_name.data,
                                    actor=current_user, ip=client_ip())
        except ServiceError as exc:
            flash(str(exc), "danger")
        else:
            flash(_("OPD %(name)s saved.", name=opd.name), "success")
            return redirect(url_for("admin.opds"))
    return render_template("admin/opd_form.html", form=form, opd=opd)


@bp.route("/opd/<int:opd_id>/aktif", methods=["POST"])
@role_required(Role.ADMIN)
def opd_toggle(opd_id: int):
    """Deactivate an OPD (kept for history) or reactivate it."""
    opd = db.get_or_404(Opd, opd_id)
    if ConfirmForm().validate_on_submit():
        opds_service.toggle_active(opd, actor=current_user, ip=client_ip())
        flash(_("OPD %(name)s updated.", name=opd.name), "success")
    return redirect(url_for("admin.opds"))


# --- Users ----------------------------------------------------------------


@bp.route("/pengguna")
@role_required(Role.ADMIN)
def users():
    """Users with search, role and OPD filters, paginated."""
    q = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    opd_id = request.args.get("opd", type=int)
    query = select(User).order_by(func.lower(User.full_name))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.full_name).like(like), User.email.like(like)))
    if role in ROLES or role == PENDING_ROLE:
        query = query.where(User.role == role)
    if opd_id:
        query = query.where(User.opd_id == opd_id)
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template(
        "admin/users.html",
        page=page,
        q=q,
        role=role,
        opd_id=opd_id,
        opds=opd_choices(include_none=False),
        roles=(*ROLES, PENDING_ROLE),
    )


@bp.route("/pengguna/baru", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_create():
    """Create an account and send the invitation."""
    form = UserForm()
    form.opd_id.choices = opd_choices()
    if form.validate_on_submit():
        opd = db.session.get(Opd, form.opd_id.data) if form.opd_id.data else None
        try:
            user = accounts.create_user(
                email=form.email.data,
                full_name=form.full_name.data,
                role=form.role.data,
                opd=opd,
                actor=current_user,
                ip=client_ip(),
                settings=ServiceSettings.from_config(current_app.config),
            )
        except ServiceError as exc:
            flash(str(exc), "danger")
        else:
            flash(_("Account created; an invitation was sent to %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user_form.html", form=form)


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_detail(user_id: int):
    """One user: details, role change, activation, invitation resend."""
    user = db.get_or_404(User, user_id)
    if not user.can(current_user, "edit"):
        abort(403)
    form = RoleForm(role=user.role, opd_id=user.opd_id or 0)
    form.opd_id.choices = opd_choices()
    if form.validate_on_submit():
        opd = db.session.get(Opd, form.opd_id.data) if form.opd_id.data else None
        try:
            accounts.change_role(user, form.role.data, opd, current_user, client_ip())
        except ServiceError as exc:
            flash(str(exc), "danger")
        else:
            flash(_("Role changed."), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == "User", AuditEvent.object_id == user.id)
        .order_by(AuditEvent.created_at.desc())
        .limit(20)
    ).all()
    return render_template(
        "admin/user_detail.html", user=user, form=form, confirm=ConfirmForm(), events=events
    )


@bp.route("/pengguna/<int:user_id>/aktif", methods=["POST"])
@role_required(Role.ADMIN)
def user_toggle(user_id: int):
    """Deactivate or reactivate an account."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        try:
            accounts.set_active(user, not user.active, current_user, client_ip())
        except ServiceError as exc:
            flash(str(exc), "danger")
        else:
            flash(_("Account updated."), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/pengguna/<int:user_id>/undangan", methods=["POST"])
@role_required(Role.ADMIN)
def user_reinvite(user_id: int):
    """Send a fresh invitation link."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        accounts.reinvite(user, current_user, client_ip(), ServiceSettings.from_config(current_app.config))
        flash(_("A new invitation was sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


# --- Outbox and audit log ---------------------------------------------------


@bp.route("/kotak-keluar")
@role_required(Role.ADMIN)
def outbox():
    """Every email the platform wrote, newest first."""
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    recipient = request.args.get("to", "").strip().lower()
    if recipient:
        query = query.where(OutboxMessage.recipient.like(f"%{recipient}%"))
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template("admin/outbox.html", page=page, recipient=recipient)


@bp.route("/kotak-keluar/<int:message_id>")
@role_required(Role.ADMIN)
def outbox_message(message_id: int):
    """One email, in full."""
    message = db.get_or_404(OutboxMessage, message_id)
    return render_template("admin/outbox_message.html", message=message)


@bp.route("/audit")
@role_required(Role.ADMIN)
def audit_log():
    """The audit log with filters on action, actor and dates."""
    query = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    action = request.args.get("action", "").strip()
    actor = request.args.get("actor", "").strip().lower()
    since = _parse_date(request.args.get("since"))
    until = _parse_date(request.args.get("until"))
    if action:
        query = query.where(AuditEvent.action.like(f"{action}%"))
    if actor:
        query = query.join(User, AuditEvent.actor_id == User.id).where(User.email.like(f"%{actor}%"))
    if since:
        query = query.where(AuditEvent.created_at >= since)
    if until:
        query = query.where(AuditEvent.created_at < until + timedelta(days=1))
    page = db.paginate(query, per_page=50, error_out=False)
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    return render_template(
        "admin/audit.html",
        page=page,
        actions=actions,
        filters={"action": action, "actor": actor, "since": request.args.get("since", ""), "until": request.args.get("until", "")},
    )


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        flash(_("Dates use the form YYYY-MM-DD."), "warning")
        return None
    return start_of_day_wib(day)  # the admin types a WIB date
