"""Log in with the city's account (OpenID Connect, authorization code flow with PKCE), through Authlib.

Authlib does the protocol: it keeps ``state``, ``nonce`` and the PKCE verifier in the session, exchanges
the code at the token endpoint and checks the ID token's signature (the provider's published keys),
issuer, audience, expiry and nonce. ``services.sso.sign_in`` then decides whose account it is.
Nothing here trusts the browser: a callback without the session's state is refused.
"""
from __future__ import annotations

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from joserfc.errors import JoseError

from ..enums import PENDING_ROLE
from ..services import sso
from ..web import client_ip, safe_next
from .blueprint import bp
from .policy import home_url

#: Where the app's Authlib client lives in ``app.extensions`` (one per app: tests run several apps).
EXTENSION = "tic_oidc"
#: Session keys: the ID token (for the provider's logout) and the page to return to after logging in.
ID_TOKEN_KEY = "sso_id_token"
NEXT_KEY = "sso_next"


def init_sso(app: Flask) -> None:
    """Register the provider's client when ``OIDC_ISSUER`` is set (metadata is fetched on first use)."""
    issuer = app.config.get("OIDC_ISSUER")
    if not issuer:
        return
    oauth = OAuth(app)
    app.extensions[EXTENSION] = oauth.register(
        name="pemkot",
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256",
                       "default_timeout": app.config.get("OIDC_TIMEOUT_S", 10)},
    )


def sso_client():
    """The provider's Authlib client, or None when single sign-on is not configured."""
    return current_app.extensions.get(EXTENSION)


def external(endpoint: str) -> str:
    """An absolute address of this app as the provider knows it (``EXTERNAL_URL``, not the request's host)."""
    return current_app.config["EXTERNAL_URL"].rstrip("/") + url_for(endpoint)


@bp.route("/masuk/sso")
def sso_start():
    """Send the browser to the city's provider to log in."""
    client = sso_client()
    if client is None:
        abort(404)
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    session[NEXT_KEY] = safe_next(request.args.get("next", "")) or ""
    try:
        return client.authorize_redirect(external("auth.sso_callback"))
    except (requests.RequestException, AuthlibBaseError, ValueError, KeyError) as exc:
        current_app.logger.warning("sso provider unreachable: %s", exc)
        flash(_("The city's account service cannot be reached right now. Try again later."), "danger")
        return redirect(url_for("auth.login"))


@bp.route("/masuk/sso/kembali")
def sso_callback():
    """The provider sends the browser back here with a code; check everything, then log in."""
    client = sso_client()
    if client is None:
        abort(404)
    ip = client_ip()
    try:
        token = client.authorize_access_token()
    except AuthlibBaseError as exc:
        reason = "state" if getattr(exc, "error", "") == "mismatching_state" else "provider_error"
        if request.args.get("error") == "access_denied":
            reason = "cancelled"
        refuse_round_trip(reason, ip, str(exc))
        return redirect(url_for("auth.login"))
    except JoseError as exc:
        refuse_round_trip("id_token", ip, type(exc).__name__)
        return redirect(url_for("auth.login"))
    except (requests.RequestException, ValueError, KeyError) as exc:
        refuse_round_trip("provider_unreachable", ip, type(exc).__name__)
        return redirect(url_for("auth.login"))
    claims = dict(token.get("userinfo") or {})
    if not claims:
        refuse_round_trip("no_id_token", ip, "")
        return redirect(url_for("auth.login"))
    if "email" not in claims:  # many providers put the profile in the UserInfo answer, not in the ID token
        try:
            extra = client.userinfo(token=token)
        except (requests.RequestException, AuthlibBaseError, ValueError) as exc:
            refuse_round_trip("provider_unreachable", ip, type(exc).__name__)
            return redirect(url_for("auth.login"))
        if extra.get("sub") != claims.get("sub"):  # OpenID Connect Core 5.3.2: must be the same person
            refuse_round_trip("userinfo_subject", ip, "")
            return redirect(url_for("auth.login"))
        claims.update({key: value for key, value in extra.items() if key != "sub"})
    try:
        user = sso.sign_in(current_app.config["OIDC_ISSUER"], claims, ip, current_app.config.get("OIDC_OPD_CLAIM"))
    except sso.SsoRefused as exc:
        flash(str(exc), "danger")
        return redirect(url_for("auth.login"))
    next_page = session.pop(NEXT_KEY, "")
    login_user(user)
    session[ID_TOKEN_KEY] = token.get("id_token")
    session.pop("locale", None)
    return redirect(next_page or home_url(user))


def refuse_round_trip(reason: str, ip, detail: str) -> None:
    """Audit a failed provider round trip and tell the person, in words they can act on."""
    sso.record_refusal(reason, ip, detail=detail[:200])
    messages = {
        "state": _("The log-in attempt expired or did not start here. Please try again."),
        "cancelled": _("Logging in with the city account was cancelled."),
        "provider_unreachable": _("The city's account service cannot be reached right now. Try again later."),
    }
    flash(messages.get(reason, _("Logging in with the city account failed: the answer of the account service"
                                  " could not be verified. Please try again.")), "danger")


def provider_logout_url(id_token: str | None) -> str | None:
    """The provider's end-session address (RP-initiated logout), when it has one and we hold an ID token."""
    client = sso_client()
    if client is None or not id_token:
        return None
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, AuthlibBaseError, ValueError) as exc:
        current_app.logger.warning("sso provider unreachable at logout: %s", exc)
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return client.create_logout_url(post_logout_redirect_uri=external("auth.login"), id_token_hint=id_token)["url"]


@bp.route("/menunggu-persetujuan")
@login_required
def pending():
    """An account made by a first city-account log-in waits here until an admin gives it a role."""
    if current_user.role != PENDING_ROLE:
        return redirect(home_url(current_user))
    return render_template("auth/pending.html")
