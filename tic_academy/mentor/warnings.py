"""The mentor's page for an early warning: why it fired, the figures behind it, and what the mentor did."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.policy import role_required
from ..clock import now_utc
from ..enums import ItemKind, Role
from ..services import ServiceError, review_queue, warnings
from ..web import client_ip, review_item_or_404
from .blueprint import bp
from .forms import WarningActionForm


@bp.app_template_global("warning_reason")
def warning_reason(signal) -> str:
    """The reason of a signal in the page's language (also used by the OPD head's dashboard)."""
    return warnings.reason(signal, str(get_locale()))


@bp.route("/peringatan/<int:item_id>", methods=["GET", "POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def warning(item_id: int):
    """Show an early warning; the form records what the mentor did and closes it."""
    item = review_item_or_404(item_id, "work")
    signal = warnings.signal_of_item(item.id)
    if item.kind != ItemKind.WARNING or signal is None:
        abort(404)
    form = WarningActionForm()
    form.action.choices = [(key, str(label)) for key, label in warnings.ACTIONS.items()]
    if form.validate_on_submit():
        try:
            review_queue.ensure_not_claimed_by_other(item, current_user)
            warnings.record_action(signal, current_user, form.action.data, form.note.data, client_ip())
            flash(_("Recorded. The warning is closed."), "success")
            return redirect(url_for("mentor.home"))
        except ServiceError as exc:
            flash(str(exc), "danger")
    return render_template("mentor/warning.html", item=item, signal=signal, form=form,
                           kind_label=warnings.KIND_LABELS[signal.kind],
                           action_label=warnings.ACTIONS.get(signal.action or ""),
                           waited=review_queue.waited(item, now_utc()))
