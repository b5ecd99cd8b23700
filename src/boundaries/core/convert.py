"""The "Copy a time for the team" converter: read a typed time, write it in every zone.

Accepted input, case-insensitive::

    [today | tomorrow | <weekday>] [at] <time> [<where>]

``<time>`` is ``17:00``, ``5pm``, ``5:30 pm``, ``noon`` or ``midnight``. ``<where>`` says which
zone the time is in (default: the user's): the user's own city or zone abbreviation ("CET"),
a teammate's name, an IANA name ("America/New_York", any case), a zone's city ("New York") or
UTC/GMT. The day is read in that zone: no day means today there; a weekday means the next such
day on or after today's date there (so "Fri 17:00" typed on a Friday evening is today, already
past: people asking "what was 17:00 for them" get an answer, and the copied line names the day).
Times skipped by a DST jump become the first valid instant after; repeated ones are the first
occurrence, unless the user's own abbreviation picks the other ("01:30 GMT" vs "01:30 BST").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from boundaries.core.schedule import wall_to_instant as local_instant
from boundaries.core.settings import Teammate
from boundaries.core.team import is_ambiguous, teammate_zone
from boundaries.core.timefmt import (
    format_day_time,
    format_offset,
    zone_abbreviation,
    zone_city,
)
from boundaries.core.timeparse import (
    WEEKDAYS,
    alias_zone,
    all_zone_names,
    parse_clock,
    suggest_zone,
)

EXAMPLE = 'try "Fri 17:00", "5pm", "tomorrow 9:30 Ana" or "10:00 America/New_York"'
SEPARATOR = " · "

_MERIDIEM = re.compile(r"^([ap])\.?m\.?$", re.IGNORECASE)
_DAY_WORDS: dict[str, int | str] = {"today": 0, "tomorrow": 1, "tmrw": 1}
_WEEKDAY_WORDS = {
    **{day: day for day in WEEKDAYS},
    **{
        name: day
        for day, name in zip(
            WEEKDAYS,
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
            strict=True,
        )
    },
    "tues": "tue",
    "weds": "wed",
    "thur": "thu",
    "thurs": "thu",
}
_UTC_WORDS = frozenset({"utc", "gmt", "z", "zulu"})


class TimeQueryError(ValueError):
    """The typed time cannot be read; the message says why and shows an example."""


@dataclass(frozen=True)
class _Query:
    day: int | str  # days from today, or a weekday key like "fri"
    wall: time
    where: str  # "" means the user's zone


def parse_time_query(
    text: str, now: datetime, user_tz: ZoneInfo, team: Sequence[Teammate]
) -> datetime:
    """The instant the user means by ``text``, in the zone it was given in."""
    query = _split(text)
    if not query.where:
        return _instant(query, now, user_tz)
    own = _own_zone_instant(query, now, user_tz)
    if own is not None:
        return own
    return _instant(query, now, _zone_for(query.where, team))


def _split(text: str) -> _Query:
    words = text.replace(",", " ").split()
    if not words:
        raise TimeQueryError(f"Type a time; {EXAMPLE}")
    day: int | str = 0
    first = words[0].lower()
    if first in _DAY_WORDS:
        day = _DAY_WORDS[first]
        words = words[1:]
    elif first in _WEEKDAY_WORDS:
        day = _WEEKDAY_WORDS[first]
        words = words[1:]
    if words and words[0].lower() == "at":
        words = words[1:]
    if not words:
        raise TimeQueryError(f'"{text.strip()}" has no time of day; {EXAMPLE}')
    token, rest = words[0], words[1:]
    if rest and _MERIDIEM.match(rest[0]) and not re.search(r"[a-z]$", token, re.IGNORECASE):
        token, rest = f"{token}{rest[0]}", rest[1:]
    return _Query(day, _parse_wall(token), " ".join(rest))


def _parse_wall(token: str) -> time:
    try:
        return parse_clock(token)
    except ValueError as error:
        raise TimeQueryError(f"{error}; {EXAMPLE}") from None


def _day_in(query: _Query, now: datetime, tz: ZoneInfo) -> date:
    today = now.astimezone(tz).date()
    if isinstance(query.day, int):
        return today + timedelta(days=query.day)
    return today + timedelta(days=(WEEKDAYS.index(query.day) - today.weekday()) % 7)


def _instant(query: _Query, now: datetime, tz: ZoneInfo) -> datetime:
    return local_instant(_day_in(query, now, tz), query.wall, tz)


def _own_zone_instant(query: _Query, now: datetime, user_tz: ZoneInfo) -> datetime | None:
    """The instant if ``where`` names the user's own zone: its key, city or abbreviation."""
    where = query.where.lower()
    key = user_tz.key or ""
    if where in (key.lower(), zone_city(key).lower()):
        return _instant(query, now, user_tz)
    day = _day_in(query, now, user_tz)
    candidates = [local_instant(day, query.wall, user_tz)]
    if is_ambiguous(day, query.wall, user_tz):
        candidates.append(candidates[0].replace(fold=1).astimezone(UTC).astimezone(user_tz))
    for candidate in candidates:
        if (zone_abbreviation(candidate) or "").lower() == where:
            return candidate
    return None


def _zone_for(where: str, team: Sequence[Teammate]) -> ZoneInfo:
    """The zone a teammate's name, an IANA name, a city or UTC/GMT stands for."""
    lowered = where.lower()
    for mate in team:
        if mate.name.lower() == lowered:
            return teammate_zone(mate)
    for mate in team:
        if zone_city(mate.timezone).lower() == lowered:
            return teammate_zone(mate)
    if lowered in _UTC_WORDS:
        return ZoneInfo("UTC")
    names = sorted(all_zone_names(), key=lambda name: ("/" not in name, name))
    for name in names:
        if name.lower() == lowered:
            return ZoneInfo(name)
    for name in names:
        if zone_city(name).lower() == lowered.replace("_", " "):
            return ZoneInfo(name)
    alias = alias_zone(where)
    if alias is not None:
        return ZoneInfo(alias)
    raise TimeQueryError(_unknown_where(where, team))


def _unknown_where(where: str, team: Sequence[Teammate]) -> str:
    hint = ""
    mates = {mate.name.lower(): mate.name for mate in team}
    close = difflib.get_close_matches(where.lower(), list(mates), n=1, cutoff=0.7)
    suggestion = mates[close[0]] if close else suggest_zone(where)
    if suggestion:
        hint = f'; did you mean "{suggestion}"?'
    return (
        f'"{where}" is not a teammate or a known time zone{hint} '
        '(use a teammate\'s name or a zone like "America/New_York")'
    )


def _own_label(local: datetime, user_tz: ZoneInfo) -> str:
    return (
        zone_abbreviation(local) or zone_city(user_tz.key or "") or format_offset(local.utcoffset())
    )


def render_team_line(
    instant: datetime, user_tz: ZoneInfo, team: Sequence[Teammate], time_format: str
) -> str:
    """``"Fri 17:00 CET · 11:00 New York · 08:00 San Francisco · Sat 00:00 Singapore"``.

    The user's time comes first, with weekday and zone; then each other zone of the team once,
    by city, going west from the user around the globe (so the further behind, the later in the
    line, and zones already into tomorrow come last); a weekday only where it differs from the
    user's.
    """
    mine = instant.astimezone(user_tz)
    parts = [f"{format_day_time(mine, time_format)} {_own_label(mine, user_tz)}"]
    zones = {mate.timezone: teammate_zone(mate) for mate in team}
    zones.pop(user_tz.key or "", None)
    my_offset = mine.utcoffset() or timedelta()

    def westward(name: str) -> tuple[timedelta, str]:
        offset = instant.astimezone(zones[name]).utcoffset() or timedelta()
        return (my_offset - offset) % timedelta(days=1), zone_city(name)

    for name in sorted(zones, key=westward):
        theirs = instant.astimezone(zones[name])
        parts.append(f"{format_day_time(theirs, time_format, ref=mine)} {zone_city(name)}")
    return SEPARATOR.join(parts)
