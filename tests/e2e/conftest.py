"""End-to-end fixtures: the real app on a local port, and Playwright driving Debian's Chromium."""
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import DEFAULT_PASSWORD, require_or_skip

CHROMIUM = os.environ.get("TIC_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app with demo data and the synced curriculum, on its own SQLite file."""
    from tic_academy import create_app
    from tic_academy.config import BASE_DIR
    from tic_academy.curriculum.sync import sync_curricula
    from tic_academy.demo import create_demo_data
    from tic_academy.extensions import db

    folder = tmp_path_factory.mktemp("e2e")
    database = folder / "e2e.sqlite"
    app = create_app(
        {
            "ENV_NAME": "testing",
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "REPO_ROOT": str(folder / "repos"),  # never the project's instance/repos
            "WTF_CSRF_ENABLED": True,
            "KERNEL_POOL_SIZE": 1,
            "DEMO_PASSWORD": DEFAULT_PASSWORD,
            # Every journey logs in from 127.0.0.1; the per-address log-in limit has its own tests.
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
    )
    with app.app_context():
        db.create_all()
        run = sync_curricula(BASE_DIR)  # first: the demo cohort follows the synced track
        assert run.ok, run.report
        assert create_demo_data() is not None
    yield app


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serve the live app on a free local port; yields its base URL."""
    port = _free_port()
    server = make_server("127.0.0.1", port, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download)."""
    require_or_skip(shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies) with the live server as base URL."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 900}, locale="id-ID")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot under test-artifacts/ (kept by CI as an artefact)."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def log_in(page, email: str, password: str = DEFAULT_PASSWORD) -> None:
    """Log in through the login form."""
    page.goto("/masuk")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
