"""Page weight: hashed static files cached for a year, compressed responses, trimmed Bootstrap, a favicon."""
import gzip
from pathlib import Path

from flask import url_for

from tic_academy.ops.static_version import LONG_CACHE, SHORT_CACHE

DIST = Path(__file__).resolve().parents[2] / "tic_academy" / "static" / "dist"


def _static_url(app, filename):
    with app.test_request_context():
        return url_for("static", filename=filename)


def test_hashed_static_links_are_cached_for_a_year(app, client):
    """A link with the file's current hash never changes: browsers keep it a year without asking."""
    response = client.get(_static_url(app, "dist/style.css"))
    response.close()
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == LONG_CACHE == "public, max-age=31536000, immutable"


def test_static_links_without_the_current_hash_are_cached_briefly(client):
    """No hash, or an old one: an hour only, so a new build reaches everyone soon."""
    for url in ["/static/dist/style.css", "/static/dist/style.css?v=000000000000"]:
        response = client.get(url)
        response.close()
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == SHORT_CACHE == "public, max-age=3600"


def test_pages_and_static_files_are_compressed(app, client):
    """HTML and JavaScript come brotli- or gzip-compressed, as the browser accepts."""
    page = client.get("/masuk", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert b"<form" in gzip.decompress(page.data)
    assert "Accept-Encoding" in page.headers["Vary"]
    script = client.get(_static_url(app, "dist/app.js"), headers={"Accept-Encoding": "br, gzip"})
    assert script.headers["Content-Encoding"] == "br"
    assert len(script.data) < (DIST / "app.js").stat().st_size / 2
    script.close()
    plain = client.get("/masuk")
    assert "Content-Encoding" not in plain.headers


def test_bootstrap_is_trimmed_to_what_the_pages_use():
    """The site stylesheet keeps the classes used and drops the rest of Bootstrap (the full file is 230 KB)."""
    css = (DIST / "style.css").read_text()
    assert len(css) < 120_000
    for used in (".navbar-expand-lg", ".btn-primary", ".alert-danger", ".text-bg-success", ".collapsing"):
        assert used in css
    for unused in (".carousel-item", ".offcanvas-start", ".placeholder-glow"):
        assert unused not in css


def test_every_page_links_the_favicon(app, client):
    """The pages link an icon, and /favicon.ico leads to it."""
    assert b'rel="icon"' in client.get("/masuk").data
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response.headers["Location"])
    icon.close()
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_the_code_editor_is_loaded_only_where_it_is_used(client):
    """The log-in page loads the site script, not the workspace's editor bundle."""
    html = client.get("/masuk").get_data(as_text=True)
    assert "dist/app.js" in html
    assert "workspace.js" not in html and "project-editor.js" not in html
    assert b"EditorView" not in (DIST / "app.js").read_bytes()
