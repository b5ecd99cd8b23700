"""Small parsers shared by settings validation and the UI: wall times, weekdays, zones.

They raise ``ValueError`` with a sentence a user can act on; callers add the setting's path.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from datetime import time

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES: dict[str, str] = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}

_HHMM = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def parse_hhmm(text: str) -> time:
    """Parse ``"09:00"``/``"9:00"`` into a ``time``; ``"24:00"`` is not accepted."""
    match = _HHMM.match(text)
    if not match:
        raise ValueError(f'"{text}" is not a time (HH:MM)')
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(f'"{text}" is not a time (HH:MM)')
    return time(hour, minute)


def format_hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def parse_hours_range(text: str) -> tuple[time, time]:
    """Parse ``"09:00-17:30"`` (a dash or en dash) into start and end times."""
    parts = re.split(r"\s*[-–]\s*", text.strip())
    if len(parts) != 2:
        raise ValueError(f'"{text}" is not a range of hours (HH:MM-HH:MM)')
    start, end = parse_hhmm(parts[0]), parse_hhmm(parts[1])
    if start == end:
        raise ValueError(f'"{text}" is an empty range of hours')
    return start, end


def format_hours_range(start: time, end: time) -> str:
    return f"{format_hhmm(start)}-{format_hhmm(end)}"


def parse_weekday(text: str) -> str:
    key = text.strip().lower()[:3]
    if key not in WEEKDAYS or len(text.strip()) < 3:
        raise ValueError(f'"{text}" is not a weekday (mon, tue, wed, thu, fri, sat, sun)')
    return key


@functools.cache
def all_zone_names() -> frozenset[str]:
    """Every IANA zone name tzdata knows (scanned once; only needed for errors and pickers)."""
    return frozenset(zoneinfo.available_timezones())


@functools.lru_cache(maxsize=1024)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    # ZoneInfo keeps only 8 zones alive itself: a team across more zones re-read tzdata files
    # thousands of times per `boundaries team` (measured with 300 teammates in 10 zones).
    return zoneinfo.ZoneInfo(name)


def check_zone(name: str) -> zoneinfo.ZoneInfo:
    """Return the zone for an IANA name, or raise with a "did you mean" suggestion."""
    try:
        if not name or name.startswith("/") or ".." in name:
            raise zoneinfo.ZoneInfoNotFoundError(name)
        return _zone(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder
        suggestion = suggest_zone(name)
        hint = f'; did you mean "{suggestion}"?' if suggestion else ""
        raise ValueError(f'"{name}" is not a known time zone{hint}') from None


def suggest_zone(name: str) -> str | None:
    """The closest IANA name to a misspelt one, matching whole names and city parts."""
    if not name:
        return None
    import difflib  # only for a misspelt name: not on every start

    names = sorted(all_zone_names())
    lowered = {n.lower(): n for n in names}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.75)
    if close:
        return lowered[close[0]]
    cities = {n.rsplit("/", 1)[-1].lower().replace("_", " "): n for n in names}
    close = difflib.get_close_matches(
        name.rsplit("/", 1)[-1].lower().replace("_", " "), list(cities), n=1, cutoff=0.75
    )
    return cities[close[0]] if close else None
