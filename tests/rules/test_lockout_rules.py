"""Log-in lock-out at its edges: exactly N failures, the pause's last second, quiet periods and clean-up.

Written for the mutation run (``make mutate``): each test fails when one operator of the
lock-out code in ``services/accounts.py`` changes. The clock is frozen by replacing
``accounts.now_utc``.
"""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from tic_academy.extensions import db
from tic_academy.models.accounts import ALL_ADDRESSES, LoginFailure
from tic_academy.services import ServiceError, accounts
from tic_academy.services.accounts import LoginPaused, authenticate
from tic_academy.services.settings import ServiceSettings

from ..conftest import DEFAULT_PASSWORD

WRONG = "salah-sekali-000"
HERE, THERE = "198.51.100.7", "203.0.113.66"
#: 3 failures from one address pause that address 15 minutes; 5 from all addresses pause the email an hour.
SETTINGS = ServiceSettings(password_time_cost=1, password_memory_cost=1024, login_max_failures=3,
                           login_lock_minutes=15, login_account_max_failures=5, login_account_lock_minutes=60)
START = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock(monkeypatch):
    """A settable clock for the lock-out code: ``clock.now`` is what ``now_utc()`` returns."""

    class Clock:
        now = START

        def move(self, **delta):
            self.now = self.now + timedelta(**delta)

    frozen = Clock()
    monkeypatch.setattr(accounts, "now_utc", lambda: frozen.now)
    monkeypatch.setattr("tic_academy.services.audit.now_utc", lambda: frozen.now, raising=False)
    return frozen


def attempt(email, password=WRONG, ip=HERE, settings=SETTINGS):
    """One log-in: "ok", "wrong" (the generic refusal) or "paused"."""
    try:
        authenticate(email, password, ip, settings)
    except LoginPaused:
        return "paused"
    except ServiceError:
        return "wrong"
    return "ok"


def test_paused_at_exactly_the_limit_not_before(app, make_user, clock):
    """Are failures 1 and 2 plain refusals and the 3rd (the limit) a pause of exactly 15 minutes?"""
    user = make_user()
    assert [attempt(user.email) for _ in range(2)] == ["wrong", "wrong"]
    with pytest.raises(LoginPaused) as paused:
        authenticate(user.email, WRONG, HERE, SETTINGS)
    assert paused.value.until == START + timedelta(minutes=15)
    assert attempt(user.email, DEFAULT_PASSWORD) == "paused"  # even the right password waits


def test_pause_ends_at_its_last_second(app, make_user, clock):
    """Is the address paused one second before the pause ends and free at the moment it ends?"""
    user = make_user()
    for _ in range(3):
        attempt(user.email)
    clock.move(minutes=15, seconds=-1)
    assert attempt(user.email, DEFAULT_PASSWORD) == "paused"
    clock.move(seconds=1)
    assert attempt(user.email, DEFAULT_PASSWORD) == "ok"


def test_an_ended_pause_starts_a_new_count(app, make_user, clock):
    """After a pause ends, is the next failure the first of a new count (not an immediate new pause)?"""
    user = make_user()
    roomy = ServiceSettings(password_time_cost=1, password_memory_cost=1024, login_max_failures=3,
                            login_lock_minutes=15, login_account_max_failures=50)
    for _ in range(3):
        attempt(user.email, settings=roomy)
    clock.move(minutes=15)
    assert [attempt(user.email, settings=roomy) for _ in range(3)] == ["wrong", "wrong", "paused"]


def test_a_quiet_period_starts_a_new_count_only_once_it_is_over(app, make_user, clock):
    """Do failures 15 minutes apart still add up, while a gap of more than 15 minutes starts again?"""
    user, other = make_user(), make_user()
    assert [attempt(user.email) for _ in range(2)] == ["wrong", "wrong"]
    clock.move(minutes=15, seconds=1)
    assert [attempt(user.email) for _ in range(2)] == ["wrong", "wrong"]
    assert [attempt(other.email) for _ in range(2)] == ["wrong", "wrong"]
    clock.move(minutes=15)
    assert attempt(other.email) == "paused"


def test_failures_from_all_addresses_add_up_to_the_account_pause(app, make_user, clock):
    """Do failures from several addresses pause the email everywhere at exactly the account limit, for an hour?"""
    user = make_user()
    addresses = [f"192.0.2.{n}" for n in range(5)]
    assert [attempt(user.email, ip=ip) for ip in addresses[:4]] == ["wrong"] * 4
    with pytest.raises(LoginPaused) as paused:
        authenticate(user.email, WRONG, addresses[4], SETTINGS)
    assert paused.value.until == START + timedelta(minutes=60)
    assert attempt(user.email, DEFAULT_PASSWORD, ip="192.0.2.200") == "paused"


def test_the_later_of_two_pauses_is_the_one_reported(app, make_user, clock):
    """When the address and the account pause at the same failure, is the person told the later end?"""
    user = make_user()
    for _ in range(2):
        attempt(user.email, ip=THERE)
    attempt(user.email)
    attempt(user.email)
    with pytest.raises(LoginPaused) as paused:
        authenticate(user.email, WRONG, HERE, SETTINGS)  # 3rd from HERE and 5th in all
    assert paused.value.until == START + timedelta(minutes=60)
    clock.move(minutes=30)
    with pytest.raises(LoginPaused) as still:
        authenticate(user.email, DEFAULT_PASSWORD, HERE, SETTINGS)
    assert still.value.until == START + timedelta(minutes=60)


def test_success_clears_only_that_emails_counts(app, make_user, clock):
    """Does a successful log-in reset its own email's count and leave another email's count as it was?"""
    user, other = make_user(), make_user()
    attempt(user.email), attempt(user.email)
    attempt(other.email), attempt(other.email)
    assert attempt(user.email, DEFAULT_PASSWORD) == "ok"
    assert [attempt(user.email) for _ in range(2)] == ["wrong", "wrong"]
    assert attempt(other.email) == "paused"


def test_counts_are_kept_per_email_and_per_address(app, make_user, clock):
    """Do another email's failures from the same address, or this email's from another address, stay apart?"""
    user, other = make_user(), make_user()
    attempt(other.email), attempt(other.email), attempt(other.email)
    attempt(user.email, ip=THERE), attempt(user.email, ip=THERE)
    assert attempt(user.email) == "wrong"
    assert attempt(user.email, DEFAULT_PASSWORD) == "ok"


def test_email_is_counted_whatever_its_case_and_unknown_emails_too(app, make_user, clock):
    """Are "Budi@X" and "budi@x" one count, and is an email without an account paused the same way?"""
    user = make_user()
    assert [attempt(user.email.upper()), attempt(user.email), attempt(f" {user.email} ")] == ["wrong", "wrong", "paused"]
    assert [attempt("tidak-ada@contoh.go.id") for _ in range(3)] == ["wrong", "wrong", "paused"]


def test_inactive_account_is_refused_and_counted(app, make_user, clock):
    """Is a deactivated account refused with the right password, and does it count as a failure?"""
    user = make_user(active=False)
    assert [attempt(user.email, DEFAULT_PASSWORD) for _ in range(3)] == ["wrong", "wrong", "paused"]


def test_a_long_address_is_cut_to_64_characters(app, make_user, clock):
    """Is a client address longer than the column stored as its first 64 characters, and counted as one?"""
    user = make_user()
    long_address = "2001:db8:" + "a" * 100
    attempt(user.email, ip=long_address), attempt(user.email, ip=long_address)
    addresses = db.session.scalars(select(LoginFailure.address).where(LoginFailure.address != ALL_ADDRESSES)).all()
    assert addresses == [long_address[:64]]
    assert attempt(user.email, ip=long_address[:64] + "zzz") == "paused"


def test_old_unlocked_counts_are_forgotten_after_a_day(app, make_user, clock):
    """Are counts untouched for more than a day dropped, while younger ones and running pauses stay?"""
    settings = ServiceSettings(password_time_cost=1, password_memory_cost=1024, login_max_failures=3,
                               login_lock_minutes=3 * 24 * 60, login_account_max_failures=50)
    old, young, locked, someone = make_user(), make_user(), make_user(), make_user()
    for _ in range(3):
        attempt(locked.email)  # paused for three days (SETTINGS' limits, the long lock below)
    db.session.query(LoginFailure).filter(LoginFailure.email == locked.email).update(
        {"locked_until": START + timedelta(days=3)})
    attempt(old.email)
    clock.move(hours=12)
    attempt(young.email)
    clock.move(hours=13)  # old: 25 hours ago, young: 13 hours ago, locked: 25 hours ago but paused
    authenticate_quietly(someone.email, settings)
    counted = set(db.session.scalars(select(LoginFailure.email).group_by(LoginFailure.email)))
    assert counted == {young.email, locked.email, someone.email}
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 6


def authenticate_quietly(email, settings):
    """One failed log-in with ``settings``, its refusal ignored."""
    try:
        authenticate(email, WRONG, HERE, settings)
    except ServiceError:
        pass


def test_a_second_address_gets_its_own_count(app, make_user, clock):
    """After a failure from one address, do failures from a second address add up on their own row to its pause?"""
    user = make_user()
    assert attempt(user.email) == "wrong"
    assert [attempt(user.email, ip=THERE) for _ in range(3)] == ["wrong", "wrong", "paused"]
    stored = set(db.session.scalars(select(LoginFailure.address).where(LoginFailure.email == user.email)))
    assert stored == {HERE, THERE, ALL_ADDRESSES}
