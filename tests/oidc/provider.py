"""Start the test OpenID Connect provider (tests/oidc/provider.mjs, npm's oidc-provider under Node) on loopback."""
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

import requests

from tests.conftest import require_or_skip

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CLIENT_ID = "tic-academy"
CLIENT_SECRET = "rahasia-klien-uji"


@dataclass
class Provider:
    """A running provider: its issuer URL and its process."""

    issuer: str
    process: subprocess.Popen

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


def start(tmp_path: Path, accounts: dict, base_urls: list[str]) -> Provider:
    """Start a provider knowing ``accounts`` ({sub: claims}) and this client's addresses under ``base_urls``."""
    node = shutil.which("node")
    require_or_skip(node is not None, "Node.js not found (needed for the test identity provider)")
    require_or_skip((ROOT / "node_modules" / "oidc-provider").is_dir(), "npm package oidc-provider not installed (npm ci)")
    config = {
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [base.rstrip("/") + "/masuk/sso/kembali" for base in base_urls],
            "post_logout_redirect_uris": [base.rstrip("/") + "/masuk" for base in base_urls],
        },
        "accounts": accounts,
    }
    path = tmp_path / "oidc-provider.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    process = subprocess.Popen([node, str(HERE / "provider.mjs"), str(path)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline().strip()
    if not line.startswith("READY "):
        process.kill()
        process.wait()
        process.stdout.close()
        raise RuntimeError(f"test identity provider did not start: {line!r}")
    return Provider(line.split(" ", 1)[1], process)


def browse_provider(browser: requests.Session, start_url: str, login: str, stop_at: str) -> str:
    """Play the browser at the provider: follow its pages, submit its login or logout-confirmation form,
    and return the address it finally sends the browser to (the first one starting with ``stop_at``)."""
    url, method, data = start_url, "GET", None
    for _ in range(12):
        answer = browser.request(method, url, data=data, allow_redirects=False, timeout=10)
        if answer.is_redirect:
            url, method, data = urljoin(url, answer.headers["Location"]), "GET", None
            if url.startswith(stop_at):
                return url
            continue
        page = answer.text
        if 'name="login"' in page:  # oidc-provider's development login form
            action = page.split('action="', 1)[1].split('"', 1)[0]
            url, method, data = urljoin(url, action), "POST", {"prompt": "login", "login": login, "password": "x"}
            continue
        if 'name="xsrf"' in page and "logout" in page:  # the provider asks to confirm the logout
            action = page.split('action="', 1)[1].split('"', 1)[0]
            xsrf = page.split('name="xsrf" value="', 1)[1].split('"', 1)[0]
            url, method, data = urljoin(url, action), "POST", {"xsrf": xsrf, "logout": "yes"}
            continue
        raise AssertionError(f"unexpected provider page {urlparse(url).path}: {answer.status_code} {page[:300]}")
    raise AssertionError("too many redirects at the provider")
