"""Log-in lock-out that an attacker cannot turn against the account's owner (issue 11)."""
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models import AuditEvent
from tic_academy.clock import now_utc

from .conftest import DEFAULT_PASSWORD

WRONG = "salah-sekali-000"
PAUSED = "Terlalu banyak percobaan masuk yang gagal"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture
def app_config(app_config):
    """Small limits: 3 failures per address, 7 per email from all addresses together."""
    return {**app_config, "LOGIN_MAX_FAILURES": 3, "LOGIN_LOCK_MINUTES": 15,
            "LOGIN_ACCOUNT_MAX_FAILURES": 7, "LOGIN_ACCOUNT_LOCK_MINUTES": 60}


def login(client, email: str, password: str, address: str):
    """Post the login form from ``address``; the page's text (or the redirect)."""
    response = client.post("/masuk", data={"email": email, "password": password},
                           environ_base={"REMOTE_ADDR": address})
    return response.status_code, response.get_data(as_text=True)


def flash_text(html: str) -> str:
    """The alert shown on the login page, with the numbers taken out."""
    match = re.search(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', html, re.DOTALL)
    assert match, "no message on the page"
    return re.sub(r"\d+", "N", re.sub(r"<[^>]+>", "", match.group(1))).strip()


def test_attacker_cannot_lock_the_owner_out(client, make_user):
    """After many wrong passwords from one address, can the owner still log in from their own address?"""
    user = make_user()
    for _ in range(5):
        login(client, user.email, WRONG, ATTACKER)
    status, html = login(client, user.email, DEFAULT_PASSWORD, ATTACKER)
    assert status == 200 and PAUSED in html  # the attacking address is paused, even with the right password
    status, _ = login(client, user.email, DEFAULT_PASSWORD, OWNER)
    assert status == 302


def test_paused_person_is_told_when_to_retry(client, make_user):
    """Does the paused message say in how many minutes and at what time (WIB) to try again?"""
    user = make_user()
    for _ in range(3):
        status, html = login(client, user.email, WRONG, ATTACKER)
    retry_at = (now_utc() + timedelta(minutes=15)).astimezone(ZoneInfo("Asia/Jakarta"))
    assert PAUSED in html and "15 menit" in html
    assert f"{retry_at:%H:%M} WIB" in html or f"{retry_at - timedelta(minutes=1):%H:%M} WIB" in html


def test_paused_message_does_not_reveal_whether_the_email_exists(client, make_user):
    """Do an existing and an unknown email get the same answers, attempt by attempt, also once paused?"""
    user = make_user()
    for _ in range(4):
        _, known = login(client, user.email, WRONG, ATTACKER)
        _, unknown = login(client, "tidak.ada@contoh.test", WRONG, ATTACKER)
        assert flash_text(known) == flash_text(unknown)
    assert PAUSED in known


def test_many_addresses_reach_the_slower_account_ceiling(client, make_user):
    """Do failures spread over many addresses still pause the email everywhere at the higher ceiling?"""
    user = make_user()
    addresses = [f"192.0.2.{n}" for n in range(1, 8)]
    for address in addresses:  # 7 failures, one per address: no address reaches its own limit of 3
        login(client, user.email, WRONG, address)
    status, html = login(client, user.email, DEFAULT_PASSWORD, OWNER)
    assert status == 200 and PAUSED in html and "60 menit" in html
    scopes = [event.detail.get("scope") for event in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "account.locked"))]
    assert scopes == ["account"]


def test_failures_and_pauses_are_audited(client, make_user):
    """Are failed log-ins, the pause and refused attempts during it kept in the audit log?"""
    user = make_user()
    for _ in range(4):
        login(client, user.email, WRONG, ATTACKER)
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    actions = [(event.action, event.detail.get("reason") or event.detail.get("scope")) for event in events]
    assert actions == [("login.failure", "password")] * 2 + [
        ("account.locked", "address"), ("login.failure", "password"), ("login.failure", "paused")]
    assert all(event.ip == ATTACKER for event in events)


def test_success_clears_the_count(client, make_user):
    """Does a successful log-in start the count again (two failures, success, two failures: no pause)?"""
    user = make_user()
    for _ in range(2):
        login(client, user.email, WRONG, OWNER)
    assert login(client, user.email, DEFAULT_PASSWORD, OWNER)[0] == 302
    client.post("/keluar")
    for _ in range(2):
        _, html = login(client, user.email, WRONG, OWNER)
    assert PAUSED not in html


WAIT_UNTIL = re.compile(r"coba lagi dalam \d+ menit \(pukul \d\d:\d\d WIB\)")


def test_right_password_while_paused_always_says_until_when(client, make_user):
    """Is every paused path (this address, the whole account, the email typed in capitals) told when to retry?"""
    user = make_user()
    for _ in range(3):
        login(client, user.email, WRONG, ATTACKER)
    for email in (user.email, user.email.upper()):
        status, html = login(client, email, DEFAULT_PASSWORD, ATTACKER)
        assert status == 200 and WAIT_UNTIL.search(flash_text_raw(html)), email
    for n in range(1, 5):  # 3 + 4 = 7 failures in all: the account-wide ceiling
        login(client, user.email, WRONG, f"192.0.2.{n}")
    status, html = login(client, user.email, DEFAULT_PASSWORD, OWNER)  # an address with no failures of its own
    assert status == 200 and WAIT_UNTIL.search(flash_text_raw(html))


def test_generic_error_does_not_speak_of_a_lock(client, make_user):
    """Does a wrong password (no pause) get a message that does not mention a lock it cannot time?"""
    user = make_user()
    _, html = login(client, user.email, WRONG, OWNER)
    text = flash_text_raw(html)
    assert "salah" in text and "terkunci" not in text and "dijeda" not in text


def flash_text_raw(html: str) -> str:
    """The alert shown on the login page, as text."""
    match = re.search(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', html, re.DOTALL)
    assert match, "no message on the page"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()
