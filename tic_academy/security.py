"""HTTP security headers, request body limits and the sandbox warning flag for templates."""
import secrets
import shutil
from urllib.parse import urlsplit

from flask import Flask, Request, current_app, g
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def csp_style_nonce() -> str:
    """A nonce that lets this page's own <style> elements through the CSP (e.g. CodeMirror's).

    Call it from a template (``{{ csp_style_nonce() }}``); pages that never do keep ``style-src 'self'``.
    """
    if "csp_style_nonce" not in g:
        g.csp_style_nonce = secrets.token_urlsafe(16)
    return g.csp_style_nonce


def content_security_policy() -> str:
    """The CSP of this response: the site policy, plus the page's style nonce if it used one.

    With single sign-on, forms may also lead to the city's provider: the logout form's answer sends the
    browser to the provider's end-session page, and browsers apply ``form-action`` to that redirect.
    """
    policy = CONTENT_SECURITY_POLICY
    issuer = current_app.config.get("OIDC_ISSUER")
    if issuer:
        parts = urlsplit(issuer)
        policy = policy.replace("form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}")
    nonce = g.get("csp_style_nonce")
    if nonce is None:
        return policy
    return policy.replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}'")


def add_security_headers(response):
    """Set the headers every response carries."""
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


def body_limit(setting: str):
    """Give a view its own body size limit, read from the config setting ``setting`` (in bytes).

    Put it directly under ``@bp.route`` so the registered view carries it. The
    limit is checked by ``LimitedRequest`` before anything (CSRF included) reads the body.
    """

    def decorator(view):
        view.body_limit_setting = setting
        return view

    return decorator


class LimitedRequest(Request):
    """A request whose body is limited per view (``body_limit``), else by MAX_CONTENT_LENGTH.

    Werkzeug refuses a larger body with 413 before parsing it, also when the
    client sends no Content-Length. Deeply nested JSON answers 400 instead of 500.
    """

    @property
    def max_content_length(self) -> int | None:
        """The body limit of this request's view, in bytes."""
        general = super().max_content_length
        if self._max_content_length is not None or not current_app or self.url_rule is None:
            return general
        view = current_app.view_functions.get(self.url_rule.endpoint)
        setting = getattr(view, "body_limit_setting", None)
        if setting is None:
            return general
        own = current_app.config[setting]
        return own if general is None else min(own, general)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def get_json(self, *args, **kwargs):
        """Parse JSON; JSON nested deeper than Python can follow is a clear 400, not a crash."""
        try:
            return super().get_json(*args, **kwargs)
        except RecursionError:
            raise BadRequest(_("The data is nested too deeply to be read.")) from None


def sandbox_disabled(app: Flask) -> bool:
    """True when trainee code would run without the bubblewrap sandbox."""
    return app.config.get("SANDBOX") == "none"


def init_app(app: Flask) -> None:
    """Use the limited request class; register the header hook and template globals."""
    app.request_class = LimitedRequest
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_style_nonce"] = csp_style_nonce

    @app.context_processor
    def sandbox_flags():
        return {
            "sandbox_disabled": sandbox_disabled(app),
            "sandbox_missing": app.config.get("SANDBOX") != "none" and shutil.which("bwrap") is None,
        }
