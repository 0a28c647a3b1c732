"""What services need from the app's configuration, as one small object passed in by the caller.

Services never read the Flask app's config themselves: a view or a job reads the config
once (``ServiceSettings.from_config(app.config)``) and passes the settings to
the service functions that need them. So a service can be called, and tested,
without an app, and a test states the settings it depends on.
The defaults are the program's defaults (the same as ``config.Config``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field


def _cores_but_one() -> int:
    """One less than this host's cores, at least 1 (the password-hashing slots, config.PASSWORD_HASH_SLOTS)."""
    return max(1, (os.cpu_count() or 2) - 1)


@dataclass(frozen=True)
class ServiceSettings:
    """Configured values the services use; build it with ``from_config`` in views and jobs."""

    #: Working days a review-queue item may wait (REVIEW_TARGET_WORKDAYS).
    review_target_workdays: float = 2.0
    #: Share of matching answer code from which two submissions are flagged (SIMILARITY_THRESHOLD).
    similarity_threshold: float = 0.8
    #: argon2id cost of new password hashes (ARGON2_TIME_COST, ARGON2_MEMORY_COST in KiB, ARGON2_PARALLELISM);
    #: a stored hash with other costs is replaced at its next log-in. README "Passwords" says why these values.
    password_time_cost: int = 2
    password_memory_cost: int = 19456
    password_parallelism: int = 1
    #: Password hashes that may run at once on this host (PASSWORD_HASH_SLOTS), how long a log-in waits for
    #: a slot before it is asked to try again (PASSWORD_HASH_WAIT_S), and the slots' folder
    #: (PASSWORD_SLOTS_DIR; None: one in the temporary folder). See password_slots.py.
    password_hash_slots: int = field(default_factory=_cores_but_one)
    password_hash_wait_s: float = 10.0
    password_slots_dir: str | None = None
    #: How much nicer than the page views a hash runs (PASSWORD_HASH_NICE, 0..19; 0: the same priority).
    password_hash_nice: int = 10
    #: Failed log-ins of one email from one address before that pair pauses, and for how long.
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    #: The slower ceiling: failed log-ins of one email from all addresses together.
    login_account_max_failures: int = 50
    login_account_lock_minutes: int = 60
    #: How long an invitation link (days) and a password-reset link (hours) stay valid.
    invitation_days: int = 7
    reset_hours: int = 2
    #: Seconds a grading claim lasts unless its worker renews it (GRADING_LEASE_S).
    grading_lease_s: int = 60

    @classmethod
    def from_config(cls, config) -> "ServiceSettings":
        """The settings from a Flask config (or any mapping with the same keys)."""
        return cls(
            review_target_workdays=float(config.get("REVIEW_TARGET_WORKDAYS", 2)),
            similarity_threshold=float(config.get("SIMILARITY_THRESHOLD", 0.8)),
            password_time_cost=int(config.get("ARGON2_TIME_COST", 2)),
            password_memory_cost=int(config.get("ARGON2_MEMORY_COST", 19456)),
            password_parallelism=int(config.get("ARGON2_PARALLELISM", 1)),
            password_hash_slots=int(config.get("PASSWORD_HASH_SLOTS") or _cores_but_one()),
            password_hash_wait_s=float(config.get("PASSWORD_HASH_WAIT_S", 10)),
            password_slots_dir=config.get("PASSWORD_SLOTS_DIR") or None,
            password_hash_nice=int(config.get("PASSWORD_HASH_NICE", 10)),
            login_max_failures=int(config.get("LOGIN_MAX_FAILURES", 5)),
            login_lock_minutes=int(config.get("LOGIN_LOCK_MINUTES", 15)),
            login_account_max_failures=int(config.get("LOGIN_ACCOUNT_MAX_FAILURES", 50)),
            login_account_lock_minutes=int(config.get("LOGIN_ACCOUNT_LOCK_MINUTES", 60)),
            invitation_days=int(config.get("INVITATION_DAYS", 7)),
            reset_hours=int(config.get("RESET_HOURS", 2)),
            grading_lease_s=int(config.get("GRADING_LEASE_S") or 60),
        )


#: The program's defaults, for callers (mostly tests) that do not depend on the configuration.
DEFAULT_SETTINGS = ServiceSettings()
