"""What services need from the app's configuration, as one small object passed in by the caller.

Services never read ``current_app.config``: a view or a job reads the config
once (``ServiceSettings.from_config(app.config)``) and passes the settings to
the service functions that need them. So a service can be called, and tested,
without an app, and a test states the settings it depends on.
The defaults are the program's defaults (the same as ``config.Config``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from zoneinfo import ZoneInfo

PROGRAM_TIMEZONE = "Asia/Jakarta"


@dataclass(frozen=True)
class ServiceSettings:
    """Configured values the services use; build it with ``from_config`` in views and jobs."""

    #: The program's time zone (BABEL_DEFAULT_TIMEZONE): working days and weeks are counted in it.
    zone: tzinfo = field(default_factory=lambda: ZoneInfo(PROGRAM_TIMEZONE))
    #: Working days a review-queue item may wait (REVIEW_TARGET_WORKDAYS).
    review_target_workdays: float = 2.0
    #: Share of matching answer code from which two submissions are flagged (SIMILARITY_THRESHOLD).
    similarity_threshold: float = 0.8

    @classmethod
    def from_config(cls, config) -> "ServiceSettings":
        """The settings from a Flask config (or any mapping with the same keys)."""
        return cls(
            zone=ZoneInfo(config.get("BABEL_DEFAULT_TIMEZONE") or PROGRAM_TIMEZONE),
            review_target_workdays=float(config.get("REVIEW_TARGET_WORKDAYS", 2)),
            similarity_threshold=float(config.get("SIMILARITY_THRESHOLD", 0.8)),
        )
