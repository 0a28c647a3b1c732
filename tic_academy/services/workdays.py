"""The working-day clock of the review queue: Monday to Friday count, weekends do not.

Time is counted in the program's time zone (``BABEL_DEFAULT_TIMEZONE``,
Asia/Jakarta), so "Saturday" means Saturday in Tangerang Selatan. Public
holidays are not known to the clock.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

DAY = timedelta(days=1)


def workdays_between(start: datetime, end: datetime, zone: tzinfo) -> float:
    """Working days (Mon–Fri, fractional) from ``start`` to ``end``; 0 when end is not later."""
    start, end = start.astimezone(zone), end.astimezone(zone)
    if end <= start:
        return 0.0
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if day.weekday() < 5:
            day_start = datetime.combine(day, time.min, tzinfo=zone)
            total += min(end, day_start + DAY) - max(start, day_start)
        day += DAY
    return total / DAY


def program_zone(config) -> tzinfo:
    """The program's time zone from the app config."""
    return ZoneInfo(config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Jakarta")
