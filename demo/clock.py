"""The demo's clock: what happened in 2008 is recorded as happening in 2008.

The services stamp what they record with the time they run (status changes, comments, history
rows, `auto_now` fields). The demo replays the programme's past through the same services, each
step at the moment it happened, by moving the clock there with time-machine while the step runs."""

import datetime
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import holidays
import time_machine

OSLO = ZoneInfo("Europe/Oslo")
_HOLIDAYS = holidays.Norway(years=range(2008, 2040))


@contextmanager
def at(moment):
    """Run the block as if it were `moment` (the clock stands still there)."""
    with time_machine.travel(moment, tick=False):
        yield


def when(day, hour=12, minute=0):
    """A moment on a day, Oslo time."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OSLO)


def is_working_day(day):
    return day.weekday() < 5 and day not in _HOLIDAYS


def working_day_before(day):
    """The last working day on or before `day`."""
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def working_days_back(day, count):
    """The working day `count` working days before `day`."""
    while count:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
