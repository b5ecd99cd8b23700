"""How times and zones read to a person: shared by the tray, the CLI and Slack status texts.

Everything here is locale-independent on purpose (no ``strftime("%a")``): the same settings give
the same text on every desktop, and the converter can parse back what it wrote.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from boundaries.core.timeparse import WEEKDAYS

TimeFormat = Literal["24h", "12h"]

_NUMERIC_ABBREVIATION = re.compile(r"^[+-]\d")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_time(dt: datetime | time, time_format: str = "24h") -> str:
    """``"17:00"`` in 24h, ``"5:00 PM"`` in 12h (midnight is ``"12:00 AM"``).

    The one writer of a wall time: screens pass the user's ``time_format``; files use the
    default, 24h, which :func:`~boundaries.core.timeparse.parse_clock` reads back.
    """
    if time_format == "12h":
        hour = dt.hour % 12 or 12
        return f"{hour}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"
    return f"{dt.hour:02d}:{dt.minute:02d}"


def format_hours_range(start: time, end: time, time_format: str = "24h") -> str:
    """``"09:00-17:30"`` (files, and 24h screens) or ``"9:00 AM-5:30 PM"``."""
    return f"{format_time(start, time_format)}-{format_time(end, time_format)}"


def weekday_abbreviation(day: date) -> str:
    """``"Fri"``: the English short weekday, whatever the desktop's locale."""
    return WEEKDAYS[day.weekday()].capitalize()


def format_day(day: date) -> str:
    """``"Tue 24 Nov"``, locale-independent like the rest of the texts."""
    return f"{weekday_abbreviation(day)} {day.day} {MONTHS[day.month - 1]}"


def format_day_time(dt: datetime, time_format: str, ref: datetime | None = None) -> str:
    """``"Fri 17:00"``; just ``"17:00"`` when ``dt`` falls on ``ref``'s calendar date.

    Each datetime's date is read in its own zone, which is what "the same day as me" means when
    ``dt`` is a teammate's local time and ``ref`` the user's.
    """
    if ref is not None and dt.date() == ref.date():
        return format_time(dt, time_format)
    return f"{weekday_abbreviation(dt)} {format_time(dt, time_format)}"


def format_time_range(start: datetime, end: datetime, time_format: str) -> str:
    """``"14:00–16:00"`` for a window shown in one zone."""
    return f"{format_time(start, time_format)}–{format_time(end, time_format)}"


def zone_city(zone_name: str) -> str:
    """``"America/New_York"`` -> ``"New York"``; ``"UTC"`` -> ``"UTC"``; ``""`` -> ``""``."""
    return zone_name.rsplit("/", 1)[-1].replace("_", " ")


def zone_abbreviation(dt: datetime) -> str | None:
    """``"CET"``, ``"BST"``, ``"EST"``; None when tzdata only has a numeric one like ``"+08"``.

    Numeric names say less than a city, so callers fall back to :func:`zone_city`.
    """
    name = dt.tzname()
    if not name or _NUMERIC_ABBREVIATION.match(name):
        return None
    return name


def zone_label(zone_name: str, at: datetime) -> str:
    """``"New York (EST)"``, or just ``"Singapore"`` when the zone has no letter abbreviation."""
    city = zone_city(zone_name)
    if not zone_name:
        return city
    abbreviation = zone_abbreviation(at.astimezone(ZoneInfo(zone_name)))
    if abbreviation is None or abbreviation == city:
        return city
    return f"{city} ({abbreviation})"


def format_offset(offset: timedelta | None) -> str:
    """``"UTC+05:30"``; the last resort for a zone with neither city nor abbreviation."""
    minutes = int((offset or timedelta()).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"
