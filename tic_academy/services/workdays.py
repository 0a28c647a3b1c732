"""The working-day clock of the review queue: Monday to Friday count, weekends do not.

Time is counted on the program's one clock (``tic_academy.clock``, Asia/Jakarta),
so "Saturday" means Saturday in Tangerang Selatan. Public holidays are not known
to the clock.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from ..clock import WIB, to_wib

DAY = timedelta(days=1)


def workdays_between(start: datetime, end: datetime) -> float:
    """Working days (Mon–Fri in WIB, fractional) from ``start`` to ``end``; 0 when end is not later."""
    start, end = to_wib(start), to_wib(end)
    if end <= start:
        return 0.0
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if day.weekday() < 5:
            day_start = datetime.combine(day, time.min, tzinfo=WIB)
            total += min(end, day_start + DAY) - max(start, day_start)
        day += DAY
    return total / DAY
