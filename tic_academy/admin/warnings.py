"""Admin page for the early warning's thresholds and reminders."""
from dataclasses import asdict

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.policy import role_required
from ..enums import Role
from ..services import ServiceError, warnings
from ..web import client_ip
from .blueprint import bp
from .forms import WarningSettingsForm


@bp.route("/peringatan-dini", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def warning_settings():
    """Show and change the thresholds; the daily job reads them on its next run."""
    form = WarningSettingsForm(data=asdict(warnings.load_settings()))
    if form.validate_on_submit():
        new = warnings.WarningSettings(
            inactive_workdays=form.inactive_workdays.data, behind_exercises=form.behind_exercises.data,
            failed_in_a_row=form.failed_in_a_row.data, runs_without_check=form.runs_without_check.data,
            slow_factor=float(form.slow_factor.data), deadline_workdays=form.deadline_workdays.data,
            reminders=form.reminders.data)
        try:
            warnings.save_settings(new, current_user._get_current_object(), client_ip())
            flash(_("Early warning settings saved."), "success")
            return redirect(url_for("admin.warning_settings"))
        except ServiceError as exc:
            flash(str(exc), "danger")
    return render_template("admin/warnings.html", form=form, defaults=warnings.WarningSettings())
