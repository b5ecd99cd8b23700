"""Instants: how they are compared, and the span of time the app is willing to plan in.

Python compares two aware datetimes that share a ``tzinfo`` by their wall clocks and ignores
``fold``, so on a fall-back night the second 01:30 sorts *before* the first 01:45. Every
comparison of instants in the app goes through :func:`utc` (or the helpers below) instead.

Planning looks days to weeks around an instant (schedules, "back Mon 09:00", a 12-hour
snooze), so instants near the ends of ``datetime``'s range (year 1, year 9999) would overflow
there. :data:`EARLIEST` and :data:`LATEST` leave room for that; anything outside is refused at
the boundary (``--at``, the state file) instead of crashing later.
"""

from __future__ import annotations

from datetime import UTC, datetime

EARLIEST = datetime(1971, 1, 1, tzinfo=UTC)
LATEST = datetime(9998, 1, 1, tzinfo=UTC)  # exclusive
RANGE_TEXT = f"between the years {EARLIEST.year} and {LATEST.year - 1}"


def utc(moment: datetime) -> datetime:
    """``moment`` as a UTC datetime: the one form in which instants compare correctly."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an instant needs a time zone, got {moment!r}")
    return moment.astimezone(UTC)


def before(a: datetime, b: datetime) -> bool:
    """``a < b`` as instants."""
    return utc(a) < utc(b)


def at_or_before(a: datetime, b: datetime) -> bool:
    """``a <= b`` as instants."""
    return utc(a) <= utc(b)


def in_range(moment: datetime) -> bool:
    """True for an aware instant the app can plan around (see :data:`EARLIEST`)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return False
    try:
        return EARLIEST <= moment.astimezone(UTC) < LATEST
    except OverflowError:  # year 1 or 9999 shifted past datetime's range by its offset
        return False
