"""The program's one clock: moments are stored in UTC, days and weeks are counted in Asia/Jakarta (WIB).

Every date the program shows, stores as a day, exports or groups by week is a
WIB date, so "today" at 23:30 UTC is already tomorrow, as it is in Tangerang
Selatan. Tests freeze time by passing ``now``/``today`` arguments or by
monkeypatching ``now_utc`` in this module (``today_wib`` calls it).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Optional
from zoneinfo import ZoneInfo

#: The program's time zone (Western Indonesia Time, UTC+7, no daylight saving).
WIB = ZoneInfo("Asia/Jakarta")
#: Its name, also Flask-Babel's BABEL_DEFAULT_TIMEZONE so pages format moments in WIB.
WIB_NAME = "Asia/Jakarta"


def now_utc() -> datetime:
    """The current moment, timezone-aware, in UTC (how every timestamp is stored)."""
    return datetime.now(timezone.utc)


def to_wib(moment: datetime) -> datetime:
    """The same moment on WIB clocks (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WIB)


def day_wib(moment: datetime) -> date:
    """The WIB calendar day a moment falls on."""
    return to_wib(moment).date()


def today_wib(now: Optional[datetime] = None) -> date:
    """Today's date in WIB (at 23:30 UTC it is already the next day)."""
    return day_wib(now or now_utc())


def start_of_day_wib(day: date) -> datetime:
    """The first moment of a WIB day, as an aware UTC datetime (17:00 UTC the day before)."""
    return datetime.combine(day, time.min, tzinfo=WIB).astimezone(timezone.utc)


def week_start_wib(day: date) -> date:
    """The Monday of the WIB week that ``day`` is in."""
    return day - timedelta(days=day.weekday())


def format_wib(moment: Optional[datetime], pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A moment written on WIB clocks for exports and files ("" for none)."""
    return to_wib(moment).strftime(pattern) if moment is not None else ""
