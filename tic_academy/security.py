"""HTTP security headers and the sandbox warning flag for templates."""
import secrets
import shutil

from flask import Flask, g

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
    """The CSP of this response: the site policy, plus the page's style nonce if it used one."""
    nonce = g.get("csp_style_nonce")
    if nonce is None:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}'")


def add_security_headers(response):
    """Set the headers every response carries."""
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


def sandbox_disabled(app: Flask) -> bool:
    """True when trainee code would run without the bubblewrap sandbox."""
    return app.config.get("SANDBOX") == "none"


def init_app(app: Flask) -> None:
    """Register the header hook and template globals."""
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_style_nonce"] = csp_style_nonce

    @app.context_processor
    def sandbox_flags():
        return {
            "sandbox_disabled": sandbox_disabled(app),
            "sandbox_missing": app.config.get("SANDBOX") != "none" and shutil.which("bwrap") is None,
        }
