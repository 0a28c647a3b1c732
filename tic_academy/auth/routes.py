"""Views for logging in and out, passwords and language."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, refresh
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..security import body_limit
from ..services import ServiceError, accounts, sso
from ..services.settings import ServiceSettings
from ..web import client_ip, safe_next
from .blueprint import bp
from .forms import ChangePasswordForm, ForgotPasswordForm, LanguageForm, LoginForm, NewPasswordForm
from .policy import home_url
from .sso import ID_TOKEN_KEY, provider_logout_url, sso_client


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/")
def index():
    """Send a visitor to their home page or to the login page."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    return redirect(url_for("auth.login"))


@bp.route("/masuk", methods=["GET", "POST"])
@body_limit("AUTH_FORM_MAX_LENGTH")
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in with email and password."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data, client_ip(), ServiceSettings.from_config(current_app.config))
        except accounts.PasswordCheckBusy as exc:  # a burst of log-ins: nothing was counted, try again
            flash(str(exc), "warning")
            return render_template("auth/login.html", form=form, sso=sso_view()), 503
        except ServiceError as exc:
            flash(str(exc), "danger")
        else:
            if sso_client() is not None and not sso.password_login_allowed(user):
                flash(str(sso.refuse("password_login_off", _(
                    "Logging in with a password is switched off: use “Log in with the city account”."),
                    client_ip(), user)), "danger")
                return render_template("auth/login.html", form=form, sso=sso_view()), 403
            login_user(user, remember=form.remember.data)
            session.pop("locale", None)
            return redirect(safe_next(form.next.data) or home_url(user))
    return render_template("auth/login.html", form=form, sso=sso_view())


def sso_view() -> dict | None:
    """What the login page shows of single sign-on (None: not configured)."""
    if sso_client() is None:
        return None
    return {"password_admins_only": sso.switches().password_admins_only,
            "url": url_for("auth.sso_start", next=request.args.get("next") or None)}


@bp.route("/keluar", methods=["POST"])
@login_required
def logout():
    """Log out (POST only, so a link on another site cannot log you out)."""
    accounts.record_logout(current_user, client_ip())
    logout_user()
    provider = provider_logout_url(session.pop(ID_TOKEN_KEY, None))
    if provider:  # logged in with the city account: end the provider's session too
        return redirect(provider)
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/kata-sandi", methods=["GET", "POST"])
@body_limit("AUTH_FORM_MAX_LENGTH")
@login_required
def change_password():
    """Change your own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(user, form.current.data, form.password.data, client_ip(),
                                     ServiceSettings.from_config(current_app.config))
        except ServiceError as exc:
            flash(str(exc), "danger")
        else:
            # Every other session has just ended; this one continues under the new session version.
            login_user(user, remember=_has_remember_cookie())
            flash(_("Your password has been changed."), "success")
            return redirect(home_url(current_user))
    return render_template("auth/change_password.html", form=form)


def _has_remember_cookie() -> bool:
    """Did this browser log in with "Remember me"? Then its cookie is renewed, not dropped."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


@bp.route("/lupa-kata-sandi", methods=["GET", "POST"])
@body_limit("AUTH_FORM_MAX_LENGTH")
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    """Ask for a password-reset link (the answer never reveals whether the email exists)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data, client_ip(), ServiceSettings.from_config(current_app.config))
        flash(_("If the email belongs to an account, a reset link has been sent to it."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/atur-kata-sandi/<token>", methods=["GET", "POST"])
@body_limit("AUTH_FORM_MAX_LENGTH")
@limiter.limit(_login_limit, methods=["POST"])
def set_password(token: str):
    """Choose a password through an invitation or reset link."""
    row = accounts.find_valid_token(token)
    if row is None:
        return render_template("auth/token_invalid.html"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.use_token(token, form.password.data, client_ip(), ServiceSettings.from_config(current_app.config))
        except ServiceError as exc:
            flash(str(exc), "danger")
        else:
            if current_user.is_authenticated:
                logout_user()
            login_user(user)
            flash(_("Your password has been saved. Welcome!"), "success")
            return redirect(home_url(user))
    return render_template("auth/set_password.html", form=form, invitation=row)


@bp.route("/bahasa", methods=["POST"])
@body_limit("AUTH_FORM_MAX_LENGTH")
def set_language():
    """Switch the interface language; remembered on the account when logged in."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            accounts.set_locale(current_user, form.locale.data, current_app.config["LANGUAGES"])
        refresh()  # drop the language cached for this request
    return redirect(safe_next(form.next.data) or url_for("auth.index"))
