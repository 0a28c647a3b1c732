"""HTTP security headers and the sandbox warning flag for templates."""
import shutil

from flask import Flask

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


def add_security_headers(response):
    """Set the headers every response carries."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
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

    @app.context_processor
    def sandbox_flags():
        return {
            "sandbox_disabled": sandbox_disabled(app),
            "sandbox_missing": app.config.get("SANDBOX") != "none" and shutil.which("bwrap") is None,
        }
