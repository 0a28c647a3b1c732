"""The program's one clock: UTC moments, WIB days and weeks."""
from datetime import date, datetime, timedelta, timezone

from tic_academy import clock
from tic_academy.config import Config
from tic_academy.models.program import Cohort
from tic_academy.models.curriculum import Track

LATE_EVENING_UTC = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)  # Sunday 23:30 UTC = Monday 06:30 WIB


def test_today_is_the_wib_day_late_in_the_utc_evening():
    """At 23:30 UTC (06:30 WIB the next morning), is "today" the WIB day?"""
    assert clock.today_wib(LATE_EVENING_UTC) == date(2026, 3, 2)
    assert clock.today_wib(datetime(2026, 3, 1, 16, 59, tzinfo=timezone.utc)) == date(2026, 3, 1)


def test_frozen_clock_moves_today_and_the_cohort_week(monkeypatch):
    """With the clock frozen at 23:30 UTC on the last Sunday of week 1, is the cohort already in week 2?"""
    monkeypatch.setattr(clock, "now_utc", lambda: LATE_EVENING_UTC)
    assert clock.today_wib() == date(2026, 3, 2)
    cohort = Cohort(start_date=date(2026, 2, 23), status="running", track=Track(weeks=12))  # a Monday
    assert cohort.current_week() == 2


def test_a_late_sunday_utc_moment_is_in_the_wib_monday_week():
    """Does 18:00 UTC on a Sunday (01:00 WIB Monday) fall in the week that starts on that Monday?"""
    moment = datetime(2026, 3, 8, 18, 0, tzinfo=timezone.utc)  # Sunday in UTC
    assert clock.day_wib(moment) == date(2026, 3, 9)
    assert clock.week_start_wib(clock.day_wib(moment)) == date(2026, 3, 9)
    assert clock.week_start_wib(date(2026, 3, 8)) == date(2026, 3, 2)


def test_a_wib_day_starts_at_17_utc_the_day_before():
    """Is midnight in Jakarta 17:00 UTC of the previous day (how day and week bounds are stored)?"""
    start = clock.start_of_day_wib(date(2026, 3, 9))
    assert start == datetime(2026, 3, 8, 17, 0, tzinfo=timezone.utc)
    assert start.utcoffset() == timedelta(0)


def test_exported_moments_are_written_in_wib():
    """Is a moment written for a file on WIB clocks ("" when there is none)?"""
    assert clock.format_wib(LATE_EVENING_UTC) == "2026-03-02 06:30"
    assert clock.format_wib(None) == ""


def test_pages_format_moments_on_the_same_clock():
    """Does Flask-Babel show moments in the clock's zone?"""
    assert Config.BABEL_DEFAULT_TIMEZONE == clock.WIB_NAME == str(clock.WIB)
