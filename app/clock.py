"""The one clock of the app: every rule that reads the calendar asks it for the time.

Prices (a device's age in months), stale stock, the expiry of unpaid sales, privacy retention,
processors' certifications, days in stock, the dashboard's periods, document numbers, the daily
backup and the sign-in lock-out all depend on "now". They take it from here, never from
`datetime.now()` or `date.today()` (a test scans the code for those), so that a test, the demo
(which writes 18 months of history) or a run with the calendar moved a year ahead can set the
time for the whole app in one place.

`now()` is timezone-aware UTC, as stored in the database; `today()` is the calendar day in
Brussels, the day the warehouse lives in (a document issued at 00:30 on 1 January belongs to
the new year, whatever the machine's own time zone). Durations (timeouts, benchmarks) use
`time.monotonic()` and are not the clock's business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from .timefmt import BRUSSELS


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current moment, timezone-aware UTC."""


class SystemClock:
    """The machine's clock: what the app uses unless told otherwise."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock that stands still until it is moved: for tests and for writing history."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = _aware(moment)

    def now(self) -> dt.datetime:
        return self.moment

    def set(self, moment: dt.datetime) -> None:
        self.moment = _aware(moment)

    def advance(self, delta: dt.timedelta | None = None, **parts: float) -> dt.datetime:
        """Move forward by `delta` or by timedelta keywords (days=3, minutes=5); the new moment."""
        self.moment += delta if delta is not None else dt.timedelta(**parts)
        return self.moment


class ShiftedClock:
    """Another clock moved by a fixed offset: the whole app living a year from now."""

    def __init__(self, offset: dt.timedelta, base: Clock | None = None) -> None:
        self.offset = offset
        self.base = base or SystemClock()

    def now(self) -> dt.datetime:
        return self.base.now() + self.offset


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the clock; use a timezone-aware time")
    return moment.astimezone(dt.UTC)


_clock: Clock = SystemClock()


def now() -> dt.datetime:
    """The current moment in UTC, from the app's clock."""
    return _clock.now()


def today() -> dt.date:
    """Today's date in Brussels, from the app's clock."""
    return now().astimezone(BRUSSELS).date()


def local_now() -> dt.datetime:
    """The current moment in Brussels time."""
    return now().astimezone(BRUSSELS)


def current() -> Clock:
    return _clock


def install(clock: Clock) -> Clock:
    """Make `clock` the app's clock; returns the one it replaces."""
    global _clock
    previous, _clock = _clock, clock
    return previous


@contextmanager
def use(clock: Clock) -> Iterator[Clock]:
    """The app's clock is `clock` inside the block, and the previous one again after it."""
    previous = install(clock)
    try:
        yield clock
    finally:
        install(previous)

