"""The working-day clock of the review queue."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tic_academy.models.mentoring import ReviewItem
from tic_academy.services import review_queue
from tic_academy.services.settings import ServiceSettings
from tic_academy.services.workdays import workdays_between

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int = 12) -> datetime:
    """A moment in March 2026 in Jakarta (2 March 2026 is a Monday)."""
    return datetime(2026, 3, day, hour, tzinfo=JAKARTA)


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (at(2, 9), at(4, 9), 2.0),  # Monday to Wednesday
        (at(6, 12), at(9, 12), 1.0),  # Friday noon to Monday noon: the weekend does not count
        (at(7, 8), at(8, 20), 0.0),  # Saturday to Sunday
        (at(6, 18), at(7, 10), 0.25),  # Friday evening into Saturday: only Friday's last 6 hours
        (at(4, 12), at(3, 12), 0.0),  # end before start
    ],
)
def test_working_days_skip_weekends(start, end, expected):
    """Does the clock count Monday to Friday only?"""
    assert workdays_between(start, end) == pytest.approx(expected)


def test_clock_counts_in_jakarta_time():
    """Is "Saturday" Saturday in Jakarta, even when it is still Friday in UTC?"""
    # Saturday 01:00 in Jakarta is Friday 18:00 UTC: no working time passes until Monday.
    start = datetime(2026, 3, 6, 18, tzinfo=timezone.utc)
    assert workdays_between(start, start + timedelta(hours=20)) == 0.0


def test_overdue_after_the_target():
    """Is an item marked overdue past the target it is given, and not before? (No app needed.)"""
    now = datetime(2026, 3, 9, 12, tzinfo=JAKARTA)  # Monday
    item = ReviewItem(kind="help", trainee_id=1, status="open",
                      created_at=datetime(2026, 3, 4, 12, tzinfo=JAKARTA))  # last Wednesday: 3 working days
    clock = review_queue.QueueClock(target_workdays=2)
    assert clock.waited(item, now) == pytest.approx(3.0)
    assert clock.is_overdue(item, now)
    assert not review_queue.QueueClock(target_workdays=4).is_overdue(item, now)
    recent = ReviewItem(kind="help", trainee_id=1, status="open",
                        created_at=datetime(2026, 3, 6, 12, tzinfo=JAKARTA))  # Friday: 1 working day
    assert not clock.is_overdue(recent, now)


def test_the_clock_takes_its_target_from_the_config():
    """Do the settings a view builds from the config carry REVIEW_TARGET_WORKDAYS?"""
    clock = review_queue.QueueClock.of(ServiceSettings.from_config({"REVIEW_TARGET_WORKDAYS": 4}))
    assert clock.target_workdays == 4
    assert review_queue.QueueClock.of(ServiceSettings.from_config({})).target_workdays == 2
