"""Lines for the tray's Teammates menu: today's overlap, then each teammate's time and status."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from boundaries.core.settings import Settings
from boundaries.core.team import (
    Availability,
    availability,
    best_partial_windows,
    overlap_windows,
    sorted_by_offset,
    teammate_local_time,
)
from boundaries.core.timefmt import format_time

STATUS_MARK = {
    Availability.WORKING: "●",
    Availability.OFF: "○",
    Availability.ASLEEP: "☾",
}


def _span(start: datetime, end: datetime, fmt: str) -> str:
    return f"{format_time(start, fmt)}–{format_time(end, fmt)}"


def overlap_line(settings: Settings, now: datetime, tz: ZoneInfo) -> str:
    """ "Overlap today 15:00–16:30", or the best partial windows when there is none."""
    fmt = settings.general.time_format
    day = now.astimezone(tz).date()
    windows = overlap_windows(settings, day, tz)
    if windows:
        return "Overlap today " + ", ".join(_span(w.start, w.end, fmt) for w in windows)
    partial = best_partial_windows(settings, day, tz, limit=2)
    if not partial:
        return "No common hours today"
    best = "; ".join(
        f"{'+'.join(p.names)} {_span(p.window.start, p.window.end, fmt)}" for p in partial
    )
    return f"No common hours today; best: {best}"


def teammate_lines(settings: Settings, now: datetime, tz: ZoneInfo) -> list[str]:
    """One line per teammate, sorted by UTC offset: "● Ana  14:05 (London) · working"."""
    fmt = settings.general.time_format
    mine = now.astimezone(tz)
    lines = []
    for mate in sorted_by_offset(settings.team, now):
        local = teammate_local_time(mate, now)
        status = availability(mate, now)
        when = format_time(local, fmt)
        if local.date() != mine.date():
            when = f"{local:%a} {when}"
        lines.append(f"{STATUS_MARK[status]} {mate.name} — {when} · {status.value}")
    return lines
