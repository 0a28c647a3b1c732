"""Views for personal access tokens on the profile: create (shown once), list, revoke."""
from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import links
from ..security import body_limit
from ..services import ServiceError, tokens
from .blueprint import bp
from .policy import role_required
from ..web import client_ip
from .token_forms import RevokeTokenForm, TokenForm


@bp.route("/profil/token", methods=["GET", "POST"], endpoint="tokens")
@body_limit("AUTH_FORM_MAX_LENGTH")
@role_required(*tokens.TOKEN_ROLES)
def tokens_page():
    """The user's git access tokens; creating one shows it on this answer only."""
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        days = int(form.days.data) if form.days.data else None
        try:
            _row, new_token = tokens.create_token(
                current_user._get_current_object(), form.name.data, days, client_ip(),
                current_app.config["TOKEN_MAX_ACTIVE"])
        except ServiceError as exc:
            flash(str(exc), "danger")
        else:
            form = TokenForm(formdata=None)
    response = make_response(render_template(
        "auth/tokens.html", form=form, new_token=new_token, rows=tokens.active_tokens(current_user),
        revoke_form=RevokeTokenForm(), state_of=tokens.state_of,
        git_url=links.url("auth.index").rstrip("/") + "/git/",
    ))
    # The token must not stay in a browser or proxy cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/profil/token/<int:token_id>/cabut", methods=["POST"])
@body_limit("AUTH_FORM_MAX_LENGTH")
@role_required(*tokens.TOKEN_ROLES)
def token_revoke(token_id: int):
    """Revoke one of your own tokens (another user's token is "not found")."""
    row = tokens.owned_token(current_user, token_id)
    if row is None:
        abort(404)
    if RevokeTokenForm().validate_on_submit():
        tokens.revoke_token(row, current_user._get_current_object(), client_ip())
        flash(_("The token \"%(name)s\" has been revoked; git can no longer use it.", name=row.name), "success")
    return redirect(url_for("auth.tokens"))
