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

_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(?:([ap])\.?\s*m?\.?)?$", re.IGNORECASE)
_CLOCK_WORDS = {"noon": time(12, 0), "midnight": time(0, 0)}


def parse_clock(text: str) -> time:
    """The one reader of a wall time a person typed: ``"17:30"``, ``"5:30 PM"``, ``"5pm"``.

    Settings fields, the settings file, ``focus --until``, Custom… and the converter all call it,
    whatever ``time_format`` says, so a time written one way anywhere is read the same
    everywhere. ``"24:00"`` is not accepted; ``"noon"`` and ``"midnight"`` are.
    """
    token = text.strip()
    if token.lower() in _CLOCK_WORDS:
        return _CLOCK_WORDS[token.lower()]
    match = _CLOCK.match(token)
    if not match:
        raise ValueError(f'"{token}" is not a time (like 17:30 or 5:30 PM)')
    hour, minute, meridiem = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if match.group(2) is None and meridiem is None:
        pm = f' or "{hour}pm"' if 1 <= hour <= 12 else ""  # "17pm" is not a time
        raise ValueError(f'"{token}" needs minutes or am/pm, like "{hour}:00"{pm}')
    too_big = []
    if hour > (12 if meridiem else 23):
        too_big.append("with am/pm the hour is 1 to 12" if meridiem else "hours go up to 23")
    if minute > 59:
        too_big.append("minutes go up to 59")
    if meridiem and hour == 0:
        too_big.append("with am/pm the hour is 1 to 12")
    if too_big:
        hint = "" if meridiem or minute > 59 else " (or use am/pm)"
        raise ValueError(f'"{token}": {" and ".join(too_big)}{hint}')
    if meridiem is None:
        return time(hour, minute)
    return time(hour % 12 + (12 if meridiem.lower() == "p" else 0), minute)


def parse_hours_range(text: str) -> tuple[time, time]:
    """Parse ``"09:00-17:30"`` or ``"9am – 5:30 PM"`` (a dash or en dash) into start and end."""
    parts = re.split(r"\s*[-–]\s*", text.strip())
    if len(parts) != 2:
        raise ValueError(f'"{text}" is not a range of hours (HH:MM-HH:MM)')
    start, end = parse_clock(parts[0]), parse_clock(parts[1])
    if start == end:
        raise ValueError(f'"{text}" is an empty range of hours')
    return start, end


def parse_weekday(text: str) -> str:
    key = text.strip().lower()[:3]
    if key not in WEEKDAYS or len(text.strip()) < 3:
        raise ValueError(f'"{text}" is not a weekday (mon, tue, wed, thu, fri, sat, sun)')
    return key


# Cities people name that are not the city in their zone's IANA name: the zone picker and
# the converter ("9am Bangalore") both read this one table.
CITY_ALIASES: dict[str, str] = {
    "San Francisco": "America/Los_Angeles",
    "Seattle": "America/Los_Angeles",
    "Boston": "America/New_York",
    "Washington": "America/New_York",
    "Miami": "America/New_York",
    "Atlanta": "America/New_York",
    "Austin": "America/Chicago",
    "Dallas": "America/Chicago",
    "Montreal": "America/Toronto",
    "Munich": "Europe/Berlin",
    "Frankfurt": "Europe/Berlin",
    "Hamburg": "Europe/Berlin",
    "Barcelona": "Europe/Madrid",
    "Milan": "Europe/Rome",
    "Geneva": "Europe/Zurich",
    "Edinburgh": "Europe/London",
    "Manchester": "Europe/London",
    "Krakow": "Europe/Warsaw",
    "Kiev": "Europe/Kyiv",
    "Bangalore": "Asia/Kolkata",
    "Bengaluru": "Asia/Kolkata",
    "Mumbai": "Asia/Kolkata",
    "Delhi": "Asia/Kolkata",
    "Hyderabad": "Asia/Kolkata",
    "Chennai": "Asia/Kolkata",
    "Beijing": "Asia/Shanghai",
    "Shenzhen": "Asia/Shanghai",
    "Osaka": "Asia/Tokyo",
    "Canberra": "Australia/Sydney",
    "Wellington": "Pacific/Auckland",
    "Rio de Janeiro": "America/Sao_Paulo",
    "Cape Town": "Africa/Johannesburg",
}


def alias_zone(city: str) -> str | None:
    """The zone of a city in :data:`CITY_ALIASES` ("bangalore" -> "Asia/Kolkata"), any case."""
    wanted = " ".join(city.replace("_", " ").split()).casefold()
    return next((zone for name, zone in CITY_ALIASES.items() if name.casefold() == wanted), None)


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
