"""The working-day clock at its edges: midnight in WIB, whole weeks, weekends on both sides, naive moments.

Written for the mutation run (``make mutate``): each test fails when one operator of
``services/workdays.py`` or ``clock.py`` changes.
"""
from datetime import date, datetime, timedelta, timezone

import pytest

from tic_academy import clock
from tic_academy.services.workdays import workdays_between

WIB = clock.WIB


def wib(day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in March 2026 on WIB clocks (2 March 2026 is a Monday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=WIB)


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (wib(2), wib(9), 5.0),  # Monday 00:00 to the next Monday 00:00: five whole days
        (wib(2), wib(16), 10.0),  # two weeks
        (wib(6, 23), wib(7, 0), 1 / 24),  # Friday's last hour ends at Saturday 00:00 WIB
        (wib(7, 0), wib(9, 0), 0.0),  # the whole weekend
        (wib(8, 23), wib(9, 1), 1 / 24),  # Sunday night into Monday: only Monday's first hour
        (wib(5, 6), wib(5, 18), 0.5),  # half a Thursday
        (wib(4, 12), wib(4, 12), 0.0),  # no time at all
    ],
)
def test_working_days_at_midnight_and_weekend_edges(start, end, expected):
    """Does the clock count Monday to Friday on WIB days, to the hour, and nothing of the weekend?"""
    assert workdays_between(start, end) == pytest.approx(expected)


def test_working_days_read_utc_moments_on_wib_days():
    """Is Friday 17:00 UTC already Saturday in WIB, so nothing after it counts until Monday?"""
    friday_evening_utc = datetime(2026, 3, 6, 17, 0, tzinfo=timezone.utc)  # Saturday 00:00 WIB
    monday_utc = datetime(2026, 3, 8, 17, 0, tzinfo=timezone.utc)  # Monday 00:00 WIB
    assert workdays_between(friday_evening_utc, monday_utc) == 0.0
    naive_friday = datetime(2026, 3, 6, 5, 0)  # a naive moment is UTC: Friday 12:00 WIB
    assert workdays_between(naive_friday, friday_evening_utc) == pytest.approx(0.5)


def test_naive_moments_are_taken_as_utc():
    """Is a moment without a time zone read as UTC (07:00 WIB), not as WIB?"""
    assert clock.to_wib(datetime(2026, 3, 2, 0, 0)) == wib(2, 7)
    assert clock.day_wib(datetime(2026, 3, 2, 17, 0)) == date(2026, 3, 3)
    assert clock.day_wib(datetime(2026, 3, 2, 16, 59, tzinfo=timezone.utc)) == date(2026, 3, 2)


def test_today_uses_the_given_moment_or_the_clock(monkeypatch):
    """Does today_wib read the moment it is given, and the program's clock otherwise?"""
    assert clock.today_wib(datetime(2026, 3, 2, 17, 0, tzinfo=timezone.utc)) == date(2026, 3, 3)
    monkeypatch.setattr(clock, "now_utc", lambda: datetime(2026, 3, 2, 16, 0, tzinfo=timezone.utc))
    assert clock.today_wib() == date(2026, 3, 2)
    assert clock.now_utc().tzinfo is timezone.utc


def test_week_starts_on_monday_whatever_the_day():
    """Is the week of a Monday that Monday, and of a Sunday the Monday six days before?"""
    assert clock.week_start_wib(date(2026, 3, 2)) == date(2026, 3, 2)
    assert clock.week_start_wib(date(2026, 3, 8)) == date(2026, 3, 2)
    assert clock.week_start_wib(date(2026, 3, 9)) == date(2026, 3, 9)


def test_start_of_a_wib_day_and_formatting():
    """Does a WIB day start at 17:00 UTC the day before, and is a moment written on WIB clocks ("" for none)?"""
    assert clock.start_of_day_wib(date(2026, 3, 2)) == datetime(2026, 3, 1, 17, 0, tzinfo=timezone.utc)
    assert clock.format_wib(datetime(2026, 3, 1, 17, 30, tzinfo=timezone.utc)) == "2026-03-02 00:30"
    assert clock.format_wib(None) == ""
    assert clock.format_wib(datetime(2026, 3, 1, 17, 30), "%H:%M") == "00:30"
    assert datetime.now(timezone.utc) - clock.now_utc() < timedelta(seconds=5)
