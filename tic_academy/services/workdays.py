"""The working-day clock of the review queue: Monday to Friday count, weekends do not.

Time is counted on the program's one clock (``tic_academy.clock``, Asia/Jakarta),
so "Saturday" means Saturday in Tangerang Selatan. Public holidays are not known
to the clock.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ..clock import WIB, to_wib

DAY = timedelta(days=1)


def workdays_between(start: datetime, end: datetime) -> float:
    """Working days (Mon–Fri in WIB, fractional) from ``start`` to ``end``; 0 when end is not later."""
    start, end = to_wib(start), to_wib(end)
    if end <= start:
        return 0.0
    first, last = start.date(), end.date()
    if first == last:
        return (end - start) / DAY if first.weekday() < 5 else 0.0
    # The part of the first day, the part of the last day, and the whole days between them
    # (counted by arithmetic: the early warning measures tens of thousands of spans at once).
    total = 0.0
    if first.weekday() < 5:
        total += (datetime.combine(first + DAY, time.min, tzinfo=WIB) - start) / DAY
    if last.weekday() < 5:
        total += (end - datetime.combine(last, time.min, tzinfo=WIB)) / DAY
    return total + _whole_workdays(first + DAY, last)


def _whole_workdays(first: date, stop: date) -> int:
    """How many of the days from ``first`` up to (not including) ``stop`` are Monday to Friday."""
    days = (stop - first).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    return weeks * 5 + sum(1 for n in range(rest) if (first.weekday() + n) % 7 < 5)
