"""The one place that builds links to the site: paths for pages, absolute URLs for emails.

Works inside and outside a request (grading threads, Celery workers, commands), from the app's URL
map and ``TIC_EXTERNAL_URL`` (which may carry a path prefix, e.g. ``https://kota.go.id/academy``).
"""
from urllib.parse import urlsplit

from flask import current_app


def _adapter():
    """A URL adapter bound to the external address, not to whatever request is running."""
    base = urlsplit(current_app.config["EXTERNAL_URL"])
    return current_app.url_map.bind(base.netloc or "localhost", script_name=base.path or "/",
                                    url_scheme=base.scheme or "http")


def path(endpoint: str, **values) -> str:
    """The site path of an endpoint, with the site's path prefix (for in-app links and notifications)."""
    return _adapter().build(endpoint, values)


def url(endpoint: str, **values) -> str:
    """The absolute URL of an endpoint (for emails)."""
    return _adapter().build(endpoint, values, force_external=True)


def absolute(site_path: str) -> str:
    """A site path (already carrying the prefix) as an absolute URL."""
    base = urlsplit(current_app.config["EXTERNAL_URL"])
    return f"{base.scheme or 'http'}://{base.netloc}{site_path}"


def clone_url(user_id: int, exercise_id: int) -> str:
    """The HTTPS address a trainee clones their project repository from (served by the git blueprint)."""
    base = current_app.config["EXTERNAL_URL"].rstrip("/")
    return f"{base}/git/{int(user_id)}/{int(exercise_id)}.git"
