"""Password hashing under load: at most N hashes at once per host, a clear message when a log-in waits too long,
argon2 costs chosen in one place and old hashes replaced at log-in."""

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models import User
from tic_academy.models.accounts import LoginFailure
from tic_academy.services import accounts, password_slots
from tic_academy.services.settings import ServiceSettings

from ..conftest import DEFAULT_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
BUSY = "Banyak orang sedang masuk saat ini. Tunggu sebentar, lalu coba lagi."


def _overlaps(folder, slots, holders, hold_s=0.15):
    """Run `holders` threads that each hold a slot for hold_s; return the most that held one at the same time."""
    inside, most, lock = [0], [0], threading.Lock()

    def hold():
        with password_slots.slot(str(folder), slots, wait_s=10):
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(hold_s)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=hold) for _ in range(holders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return most[0]


def test_one_slot_lets_one_hash_run_at_a_time(tmp_path):
    """With one slot, do four threads hold it one after another, never two at once?"""
    started = time.monotonic()
    assert _overlaps(tmp_path, slots=1, holders=4) == 1
    assert time.monotonic() - started >= 4 * 0.15


def test_two_slots_let_two_run_at_once(tmp_path):
    """With two slots, do two of four threads hold one at the same time (and never three)?"""
    assert _overlaps(tmp_path, slots=2, holders=4) == 2


def _holder(folder):
    """Start another process that holds the only slot of folder until it is killed."""
    code = ("import sys, time; from tic_academy.services import password_slots\n"
            "with password_slots.slot(sys.argv[1], 1, 5):\n    print('held', flush=True); time.sleep(60)\n")
    process = subprocess.Popen([sys.executable, "-c", code, str(folder)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    return process


def _kill(holder):
    """Kill the holder with SIGKILL (no clean-up code runs in it) and wait for it."""
    holder.kill()
    holder.wait()
    holder.stdout.close()


def test_the_limit_holds_across_processes_and_dies_with_its_holder(tmp_path):
    """Does a slot held by another process make us wait, give up after the wait, and come free when it dies?"""
    holder = _holder(tmp_path)
    try:
        started = time.monotonic()
        with pytest.raises(password_slots.SlotsBusy):
            with password_slots.slot(str(tmp_path), 1, wait_s=0.3):
                pass
        assert 0.3 <= time.monotonic() - started < 5  # gives up after the wait, not at once and not much later
    finally:
        _kill(holder)
    with password_slots.slot(str(tmp_path), 1, wait_s=1):
        pass


def test_a_waiting_caller_gets_the_slot_when_it_comes_free(tmp_path):
    """Does a caller that waits get the slot as soon as its holder leaves (not only after the whole wait)?"""
    holder = _holder(tmp_path)
    threading.Timer(0.3, holder.kill).start()
    started = time.monotonic()
    with password_slots.slot(str(tmp_path), 1, wait_s=10):
        waited = time.monotonic() - started
    _kill(holder)
    assert 0.25 <= waited < 5  # well before the 10 s wait ends


@pytest.fixture
def slots_dir(app_config, tmp_path):
    """The app's password slots in the test's own folder, with one slot and a short wait."""
    folder = tmp_path / "slots"
    app_config.update(PASSWORD_SLOTS_DIR=str(folder), PASSWORD_HASH_SLOTS=1, PASSWORD_HASH_WAIT_S=1)
    return folder


def test_a_login_that_waits_too_long_gets_a_clear_message_and_counts_nothing(slots_dir, app, auth, make_user):
    """While another process holds every slot, is a log-in answered 503 in Indonesian, with no failure counted?"""
    user = make_user()
    holder = _holder(slots_dir)
    try:
        response = auth.login(user)
    finally:
        _kill(holder)
    assert response.status_code == 503
    assert BUSY in response.get_data(as_text=True)
    assert db.session.scalars(select(LoginFailure)).all() == []
    assert auth.login(user).status_code == 302  # the slot is free again


def test_settings_pick_the_argon2_costs_and_slots():
    """Do the costs and the slot settings come from the config keys, with OWASP's argon2id values by default?"""
    settings = ServiceSettings.from_config({"ARGON2_PARALLELISM": 2, "PASSWORD_HASH_SLOTS": 3,
                                            "PASSWORD_HASH_WAIT_S": 4, "PASSWORD_SLOTS_DIR": "/srv/slots"})
    assert (settings.password_parallelism, settings.password_hash_slots, settings.password_hash_wait_s,
            settings.password_slots_dir) == (2, 3, 4.0, "/srv/slots")
    default = ServiceSettings()
    assert (default.password_time_cost, default.password_memory_cost, default.password_parallelism) == (2, 19456, 1)


def test_an_old_hash_is_replaced_at_log_in_and_still_verifies(tmp_path):
    """Is a hash made with other costs (the old 4 lanes) accepted and replaced by one with the configured costs?"""
    settings = ServiceSettings(password_time_cost=1, password_memory_cost=1024, password_parallelism=1,
                               password_slots_dir=str(tmp_path))
    old = PasswordHasher(time_cost=1, memory_cost=2048, parallelism=4).hash("rahasia-sekali-123")
    user = User(password_hash=old)
    assert not accounts.check_password(user, "salah-sekali-123", settings)
    assert user.password_hash == old  # a wrong password changes nothing
    assert accounts.check_password(user, "rahasia-sekali-123", settings)
    assert user.password_hash != old and "m=1024,t=1,p=1" in user.password_hash
    replaced = user.password_hash
    assert accounts.check_password(user, "rahasia-sekali-123", settings)
    assert user.password_hash == replaced  # already at the configured costs: not hashed again


def test_a_new_hash_uses_one_lane(tmp_path):
    """Does a new hash use the configured lanes (one: a hash keeps one core busy, not every core)?"""
    settings = ServiceSettings(password_time_cost=1, password_memory_cost=1024, password_slots_dir=str(tmp_path))
    assert ",p=1$" in accounts.hash_password(DEFAULT_PASSWORD, settings)


def _nice_of_this_thread() -> int:
    """The nice value of the calling thread (Linux keeps one per thread)."""
    import os

    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_a_password_check_runs_at_a_lower_priority_than_the_pages(tmp_path, monkeypatch):
    """Does argon2 run in a thread PASSWORD_HASH_NICE nicer than the caller (so page views go first in a burst of
    log-ins), with its answer and its failure passed back, and the caller's own priority unchanged?"""
    settings = ServiceSettings(password_time_cost=1, password_memory_cost=1024, password_slots_dir=str(tmp_path))
    user = User(password_hash=accounts.hash_password("rahasia-sekali-123", settings))
    seen = []

    class Recording(PasswordHasher):
        def verify(self, stored, password):
            seen.append(_nice_of_this_thread())
            return super().verify(stored, password)

    monkeypatch.setattr(accounts, "_verifier", Recording())
    before = _nice_of_this_thread()
    assert accounts.check_password(user, "rahasia-sekali-123", settings)
    assert not accounts.check_password(user, "salah-sekali-1234", settings)  # the mismatch comes back as False
    assert seen == [min(19, before + settings.password_hash_nice)] * 2 and settings.password_hash_nice == 10
    assert _nice_of_this_thread() == before


def test_a_nice_of_zero_hashes_in_the_calling_thread(tmp_path):
    """With PASSWORD_HASH_NICE=0, does the hash run in the caller's own thread, at its priority?"""
    settings = ServiceSettings.from_config({"PASSWORD_HASH_NICE": 0, "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024,
                                            "PASSWORD_SLOTS_DIR": str(tmp_path)})
    assert settings.password_hash_nice == 0
    assert password_slots.run_nicer(0, threading.get_native_id) == threading.get_native_id()
    assert password_slots.run_nicer(5, threading.get_native_id) != threading.get_native_id()
