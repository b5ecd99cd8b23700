"""Lines for the tray's Teammates menu (and the CLI, and the day view): today's overlap, then
each teammate's time and status, with zones named the way people say them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from boundaries.core.interval import Interval
from boundaries.core.schedule import wall_to_instant as local_instant
from boundaries.core.settings import Settings, Teammate
from boundaries.core.team import (
    NIGHT_END,
    NIGHT_START,
    Availability,
    availability,
    away_summary,
    best_partial_windows,
    overlap_windows,
    sorted_by_offset,
    teammate_local_time,
    teammate_zone,
    user_working_interval,
    working_intervals,
    zone_at,
)
from boundaries.core.timefmt import (
    format_day,
    format_day_time,
    format_time,
    format_time_range,
    zone_abbreviation,
    zone_city,
)
from boundaries.core.timeparse import WEEKDAYS

STATUS_MARK = {
    Availability.WORKING: "●",
    Availability.OFF: "○",
    Availability.ASLEEP: "☾",
}

# Letter abbreviations tzdata gives to zones with different UTC offsets (CST: Chicago and
# Shanghai; IST: Kolkata, Dublin, Jerusalem; PST: Los Angeles and Manila). Saying "CST" would
# be a guess, so these zones go by their city alone. A static set, because scanning every zone
# costs ~100 ms; tests/unit/test_team_view.py checks it against the installed tzdata.
AMBIGUOUS_ABBREVIATIONS = frozenset({"CST", "CDT", "IST", "PST"})


def spoken_zone(zone_name: str, at: datetime) -> str:
    """``"New York (EDT)"``; just ``"Chicago"`` when the abbreviation is ambiguous or numeric."""
    city = zone_city(zone_name)
    if not zone_name:
        return city
    abbreviation = zone_abbreviation(at.astimezone(ZoneInfo(zone_name)))
    if abbreviation is None or abbreviation == city or abbreviation in AMBIGUOUS_ABBREVIATIONS:
        return city
    return f"{city} ({abbreviation})"


def overlap_text(settings: Settings, day: date, tz: ZoneInfo, when: str = "today") -> str:
    """``"Overlap today 15:00–16:30"`` on the user's ``day`` in ``tz``, or the best partial windows.

    ``when`` names the day in the sentence ("today", "on Fri 27 Mar"; "" for none).
    """
    fmt = settings.general.time_format
    suffix = f" {when}" if when else ""
    windows = overlap_windows(settings, day, tz)
    if windows:
        spans = ", ".join(format_time_range(w.start, w.end, fmt) for w in windows)
        return f"Overlap{suffix} {spans}"
    if user_working_interval(settings, day, tz) is None:
        return f"No common hours{suffix} (your day off)"
    partial = best_partial_windows(settings, day, tz, limit=2)
    if not partial:
        return f"No common hours{suffix}"
    best = "; ".join(
        f"{group_name(p.names)} {format_time_range(p.window.start, p.window.end, fmt)}"
        for p in partial
    )
    return f"No common hours{suffix}; best: {best}"


NAMED_IN_GROUP = 3
"""A group of more people is named by its first two and a count: the line is a menu item."""


def group_name(names: Sequence[str]) -> str:
    """``"Ana+Bo"``; a big group as ``"Ana+Bo and 148 others"``, so a team of hundreds does
    not make the Teammates menu as wide as the screen."""
    if len(names) <= NAMED_IN_GROUP:
        return "+".join(names)
    return f"{names[0]}+{names[1]} and {len(names) - 2} others"


def overlap_line(settings: Settings, now: datetime, tz: ZoneInfo) -> str:
    """The Teammates menu's first line for the user's today."""
    return overlap_text(settings, now.astimezone(tz).date(), tz)


def teammate_lines(settings: Settings, now: datetime, tz: ZoneInfo) -> list[str]:
    """One line per teammate, west to east: ``"● Ana — 14:05 London (GMT) · working"``.

    The team agreement's members come first, then personal teammates, with an empty line
    (a separator) between the two. The weekday appears only when their date differs from the
    user's (``"Wed 02:00"``); someone off says until when (``"○ Ana — off until Mon 4 Jan"``).
    """
    members = [mate for mate in settings.team if mate.from_agreement]
    personal = [mate for mate in settings.team if not mate.from_agreement]
    groups = [
        [_teammate_line(mate, settings, now, tz) for mate in sorted_by_offset(group, now)]
        for group in (members, personal)
        if group
    ]
    return [line for index, group in enumerate(groups) for line in ([""] if index else []) + group]


def _teammate_line(mate: Teammate, settings: Settings, now: datetime, tz: ZoneInfo) -> str:
    away = away_summary(mate, now.astimezone(teammate_zone(mate)).date())
    if away is not None and away[1] == "off":
        return f"{STATUS_MARK[Availability.OFF]} {mate.name} — off until {format_day(away[0])}"
    local = teammate_local_time(mate, now)
    status = availability(mate, now)
    when = format_day_time(local, settings.general.time_format, ref=now.astimezone(tz))
    where = spoken_zone(str(zone_at(mate, now)), now)
    line = f"{STATUS_MARK[status]} {mate.name} — {when} {where} · {status.value}"
    if away is not None:
        line += f" (until {format_day(away[0] - timedelta(days=1))})"
    return line


# --------------------------------------------------------------------------- the day view


@dataclass(frozen=True)
class DayRow:
    """One person's strip: who, where, their own hours, and when they work and sleep."""

    name: str
    where: str  # "London (GMT)"
    hours: str  # their hours in their own zone, "09:00–17:30"; "" on their day off
    working: tuple[Interval, ...]  # in the user's zone, clipped to the user's day
    night: tuple[Interval, ...]  # their 22:00-07:00, same frame
    is_user: bool = False


@dataclass(frozen=True)
class DayPlan:
    """The user's local day from midnight to midnight (23 or 25 hours on clock-change days)."""

    day: date
    tz: ZoneInfo
    start: datetime
    end: datetime
    rows: tuple[DayRow, ...]  # the user first, then teammates west to east
    overlap: tuple[Interval, ...]
    best: tuple[Interval, ...]  # when there is no overlap: the best partial window, if any
    summary: str

    def fraction(self, instant: datetime) -> float:
        """Where ``instant`` falls in the day, 0.0 at midnight to 1.0 at the next, by real time."""
        span = (self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds()
        return (instant.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds() / span

    def hour_marks(self) -> list[tuple[int, datetime]]:
        """Each wall hour that happens on the day (a skipped hour is left out), with its instant."""
        marks = []
        for hour in range(24):
            instant = local_instant(self.day, time(hour), self.tz)
            if instant.hour == hour and instant.date() == self.day:
                marks.append((hour, instant))
        return marks


def _hours(start: time, end: time, fmt: str) -> str:
    return f"{format_time(start, fmt)}–{format_time(end, fmt)}"


def _clipped(intervals: Iterable[Interval], window: Interval, tz: ZoneInfo) -> tuple[Interval, ...]:
    found = (item.intersect(window) for item in intervals)
    return tuple(
        Interval(i.start.astimezone(tz), i.end.astimezone(tz)) for i in found if i is not None
    )


def _nights(zone: ZoneInfo, window: Interval) -> list[Interval]:
    first = window.start.astimezone(zone).date() - timedelta(days=1)
    last = window.end.astimezone(zone).date()
    nights = []
    day = first
    while day <= last:
        start = local_instant(day, NIGHT_START, zone)
        end = local_instant(day + timedelta(days=1), NIGHT_END, zone)
        nights.append(Interval(start.astimezone(UTC), end.astimezone(UTC)))
        day += timedelta(days=1)
    return nights


def day_plan(settings: Settings, day: date, tz: ZoneInfo, today: date | None = None) -> DayPlan:
    """Everything the day view draws for the user's ``day`` in ``tz``; times shown in ``tz``."""
    fmt = settings.general.time_format
    start = local_instant(day, time(0), tz)
    end = local_instant(day + timedelta(days=1), time(0), tz)
    window = Interval(start.astimezone(UTC), end.astimezone(UTC))
    mine = user_working_interval(settings, day, tz)
    workday = settings.workday
    weekday = WEEKDAYS[day.weekday()]
    rows = [
        DayRow(
            "You",
            spoken_zone(tz.key or "", start),
            _hours(workday.start, workday.signoff_on(weekday), fmt) if mine else "",
            _clipped([mine] if mine else [], window, tz),
            (),
            is_user=True,
        )
    ]
    for mate in sorted_by_offset(settings.team, start):
        zone = teammate_zone(mate)
        working = working_intervals(mate, window.start, window.end)
        rows.append(
            DayRow(
                mate.name,
                spoken_zone(mate.timezone, start),
                _hours(mate.hours_start, mate.hours_end, fmt),
                _clipped(working, window, tz),
                _clipped(_nights(zone, window), window, tz),
            )
        )
    when = "today" if day == today else f"on {format_day(day)}"
    overlap = tuple(overlap_windows(settings, day, tz))
    best = () if overlap else tuple(p.window for p in best_partial_windows(settings, day, tz, 1))
    summary = overlap_text(settings, day, tz, when=when)
    return DayPlan(day, tz, start, end, tuple(rows), overlap, best, summary)
