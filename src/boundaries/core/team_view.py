"""Lines for the tray's Teammates menu (and the CLI, and the day view): today's overlap, then
each teammate's time and status, with zones named the way people say them.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from boundaries.core.settings import Settings
from boundaries.core.team import (
    Availability,
    availability,
    best_partial_windows,
    overlap_windows,
    sorted_by_offset,
    teammate_local_time,
    user_working_interval,
)
from boundaries.core.timefmt import (
    format_day_time,
    format_time_range,
    zone_abbreviation,
    zone_city,
)

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
        f"{'+'.join(p.names)} {format_time_range(p.window.start, p.window.end, fmt)}"
        for p in partial
    )
    return f"No common hours{suffix}; best: {best}"


def overlap_line(settings: Settings, now: datetime, tz: ZoneInfo) -> str:
    """The Teammates menu's first line for the user's today."""
    return overlap_text(settings, now.astimezone(tz).date(), tz)


def teammate_lines(settings: Settings, now: datetime, tz: ZoneInfo) -> list[str]:
    """One line per teammate, west to east: ``"● Ana — 14:05 London (GMT) · working"``.

    The weekday appears only when their date differs from the user's (``"Wed 02:00"``).
    """
    fmt = settings.general.time_format
    mine = now.astimezone(tz)
    lines = []
    for mate in sorted_by_offset(settings.team, now):
        local = teammate_local_time(mate, now)
        status = availability(mate, now)
        when = format_day_time(local, fmt, ref=mine)
        where = spoken_zone(mate.timezone, now)
        lines.append(f"{STATUS_MARK[status]} {mate.name} — {when} {where} · {status.value}")
    return lines
