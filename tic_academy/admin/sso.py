"""Admin page for single sign-on: who may still use a password, and what happens to unknown people."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.policy import role_required
from ..auth.sso import external, sso_client
from ..enums import PENDING_ROLE, Role
from ..extensions import db
from ..models import User
from ..services import sso
from ..web import client_ip
from .blueprint import bp
from .forms import SsoForm


@bp.route("/masuk-pemkot", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def sso_settings():
    """The provider this platform uses, the addresses to register there, and the two switches."""
    current = sso.switches()
    form = SsoForm(data={"password_admins_only": current.password_admins_only,
                         "pending_accounts": current.pending_accounts})
    configured = sso_client() is not None
    if configured and form.validate_on_submit():
        sso.set_switches(sso.Switches(password_admins_only=form.password_admins_only.data,
                                      pending_accounts=form.pending_accounts.data),
                         current_user._get_current_object(), client_ip())
        flash(_("Single sign-on settings saved."), "success")
        return redirect(url_for("admin.sso_settings"))
    pending = db.session.scalars(select(User).where(User.role == PENDING_ROLE).order_by(User.created_at)).all()
    return render_template(
        "admin/sso.html", form=form, configured=configured, issuer=current_app.config.get("OIDC_ISSUER"),
        client_id=current_app.config.get("OIDC_CLIENT_ID"), redirect_uri=external("auth.sso_callback"),
        logout_uri=external("auth.login"), pending=pending)
