"""The words Boundaries shows: the tray's first line, and the Slack status texts it sets."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from boundaries.core.focus import AppState, Mode, paused_until
from boundaries.core.limits import SNOOZE_DEFAULT_MINUTES, STATUS_TEXT_MAX
from boundaries.core.nudge import Nudge, NudgeKind
from boundaries.core.schedule import (
    EventKind,
    current_focus_block,
    day_plan,
    events_after,
    is_team_block,
    next_workday_start,
)
from boundaries.core.settings import Settings
from boundaries.core.timefmt import format_day_time, format_time, zone_abbreviation
from boundaries.core.timeparse import WEEKDAY_NAMES, WEEKDAYS

_LOOKAHEAD_EVENTS = 50


def summary_line(state: AppState, settings: Settings, now: datetime, tz: ZoneInfo) -> str:
    """What is happening and what is next: "Focus until 11:00 · Sign-off 17:30"."""
    now = now.astimezone(tz)
    fmt = settings.general.time_format
    if state.mode is Mode.SIGNED_OFF and state.back_at:
        return f"Signed off · back {format_day_time(state.back_at.astimezone(tz), fmt, now)}"
    if state.mode is Mode.PAUSED:
        until = paused_until(state, tz)
        if until.time() == time(0) and until.date() > now.date():
            return f"Paused for today, until {format_time(until, fmt)}"  # "..., until 00:00"
        return f"Paused until {format_day_time(until, fmt, now)}"
    parts: list[str] = []
    if state.mode is Mode.FOCUSING and state.focus_until:
        block = current_focus_block(settings, now, tz)
        what = "Team focus" if block is not None and is_team_block(settings, block, tz) else "Focus"
        parts.append(f"{what} until {format_day_time(state.focus_until.astimezone(tz), fmt, now)}")
    else:
        next_focus = _next_focus_start(settings, now, tz)
        if next_focus is not None:
            parts.append(f"Next focus {format_day_time(next_focus, fmt, now)}")
    signoff = day_plan(settings, now.date(), tz).signoff
    snoozed = state.snoozed_until
    if snoozed is not None and snoozed.astimezone(UTC) > now.astimezone(UTC):
        parts.append(f"Sign-off snoozed until {format_time(snoozed.astimezone(tz), fmt)}")
    elif signoff is not None and signoff > now:
        parts.append(f"Sign-off {format_time(signoff, fmt)}")
    elif signoff is not None:
        parts.append(f"Past sign-off ({format_time(signoff, fmt)})")
    return " · ".join(parts) if parts else "Nothing planned"


def _next_focus_start(settings: Settings, now: datetime, tz: ZoneInfo) -> datetime | None:
    for count, event in enumerate(events_after(settings, now, tz)):
        if event.kind is EventKind.FOCUS_START:
            return event.at
        if count >= _LOOKAHEAD_EVENTS:
            break
    return None


def _truncate(text: str) -> str:
    return text if len(text) <= STATUS_TEXT_MAX else text[: STATUS_TEXT_MAX - 1] + "…"


def focus_status_text(settings: Settings, until: datetime, now: datetime, tz: ZoneInfo) -> str:
    """The focus status, e.g. "Focusing until 11:00 - replies after that; urgent? say 'urgent'"."""
    end = format_day_time(until.astimezone(tz), settings.general.time_format, now.astimezone(tz))
    return _truncate(settings.focus.status_text.format(end=end, back=end, **_norms(settings)))


def signoff_status_text(settings: Settings, back: datetime, now: datetime, tz: ZoneInfo) -> str:
    """The sign-off status, e.g. "Signed off - back Mon 09:00 CET"."""
    local = back.astimezone(tz)
    when = format_day_time(local, settings.general.time_format)
    abbreviation = zone_abbreviation(local)
    if abbreviation:
        when = f"{when} {abbreviation}"
    return _truncate(settings.signoff.status_text.format(back=when, end=when, **_norms(settings)))


def _norms(settings: Settings) -> dict[str, str]:
    """The team agreement's norms for status texts; sensible words when there is none."""
    norms = settings.norms
    return {
        "reply_within": norms.reply_within or "a few hours",
        "urgent": norms.urgent or "say 'urgent'",
    }


def _next_workday_words(settings: Settings, at: datetime, tz: ZoneInfo) -> str:
    """ "tomorrow" when the next workday is tomorrow, else its name (a Friday's "Monday")."""
    start = next_workday_start(settings, at, tz)
    if start is None:
        return "your next workday"
    local = start.astimezone(tz)
    days = (local.date() - at.date()).days
    if days <= 0:
        return "the morning"  # an escalation after midnight
    if days == 1:
        return "tomorrow"
    return WEEKDAY_NAMES[WEEKDAYS[local.weekday()]]


def nudge_text(nudge: Nudge, settings: Settings, tz: ZoneInfo) -> tuple[str, str]:
    """Title and body of a sign-off notification."""
    fmt = settings.general.time_format
    at = nudge.at.astimezone(tz)
    next_day = _next_workday_words(settings, at, tz)
    if nudge.kind is NudgeKind.HEADS_UP:
        minutes = settings.workday.heads_up_minutes
        return (
            f"Sign-off in {minutes} min",
            f"Time to wrap up: note where you stopped so {next_day} starts easy.",
        )
    if nudge.kind is NudgeKind.SIGNOFF:
        return (
            "Time to sign off",
            f"It's {format_time(at, fmt)}, the end of your workday. "
            f"Sign off now, or snooze for {SNOOZE_DEFAULT_MINUTES} minutes.",
        )
    return (
        f"Still working, {nudge.minutes_after} min past sign-off",
        f"The rest can wait until {next_day}. Sign off when you reach a stopping point.",
    )
