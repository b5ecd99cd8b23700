"""What the end-of-day record keeps, and how each observation updates it.

Pure: every function takes ``now``/days and the zone as parameters. Which days count as late
and the weekly numbers are :mod:`boundaries.core.workday_summary` (not needed at start-up).

A day's *actual sign-off* is the latest moment we know the user was still working that day:
an explicit sign-off (button or CLI), or their last input seen when a nudge was due. Taking
the latest observation makes recording order-independent (writes may finish out of order) and
honest about evenings that leak: coming back after signing off moves the day's end later.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from boundaries.core.focus import AppState, Mode
from boundaries.core.schedule import day_plan
from boundaries.core.settings import Settings

# Work after midnight but before this local time still belongs to the previous workday.
DAY_ROLLOVER = time(4, 0)
# A focus session that ends less than this before its planned end counts as done.
CUT_SHORT_TOLERANCE = timedelta(minutes=1)


class SignoffSource(StrEnum):
    BUTTON = "button"  # the sign-off window, notification action or tray menu
    CLI = "cli"  # `boundaries signoff`
    LAST_ACTIVITY = "last_activity"  # the user's last input, seen when a nudge was due


@dataclass(frozen=True)
class FocusSession:
    """One focus session that ended (all datetimes aware)."""

    started: datetime
    ended: datetime
    planned_end: datetime
    cut_short: bool

    @property
    def minutes(self) -> float:
        elapsed = self.ended.astimezone(UTC) - self.started.astimezone(UTC)
        return max(0.0, elapsed.total_seconds() / 60)


@dataclass(frozen=True)
class DayRecord:
    """One workday as stored: sign-off plan and reality, and its focus totals."""

    day: date
    planned_signoff: datetime | None = None
    actual_signoff: datetime | None = None
    source: SignoffSource | None = None
    focus_done: int = 0
    focus_cut_short: int = 0
    focus_minutes: float = 0.0


# --------------------------------------------------------------------------- recording


def workday_of(moment: datetime, tz: ZoneInfo) -> date:
    """The workday a moment belongs to: its local date, or the day before until 04:00."""
    local = moment.astimezone(tz)
    if local.time() < DAY_ROLLOVER:
        return local.date() - timedelta(days=1)
    return local.date()


def planned_signoff(settings: Settings, day: date, tz: ZoneInfo) -> datetime | None:
    """The planned sign-off for ``day`` under ``settings`` (None on a day off)."""
    return day_plan(settings, day, tz).signoff


def merge_signoff(
    record: DayRecord, actual: datetime, source: SignoffSource, planned: datetime | None
) -> DayRecord:
    """``record`` after observing the user working until ``actual``: the latest moment wins.

    On a tie an explicit sign-off beats an activity guess. The planned sign-off is kept once
    known, so a later settings change does not rewrite the past.
    """
    kept_planned = record.planned_signoff or planned
    old = record.actual_signoff
    if old is not None:
        old_utc, new_utc = old.astimezone(UTC), actual.astimezone(UTC)
        explicit = source is not SignoffSource.LAST_ACTIVITY
        if new_utc < old_utc or (new_utc == old_utc and not explicit):
            return dataclasses.replace(record, planned_signoff=kept_planned)
    return dataclasses.replace(
        record, planned_signoff=kept_planned, actual_signoff=actual, source=source
    )


def ended_focus(old: AppState, new: AppState, now: datetime) -> FocusSession | None:
    """The focus session that the transition ``old -> new`` ended, if any.

    A session ends when focus stops or a different one starts. It ended at ``now``, or at its
    planned end if the app noticed late (after a suspend), so sleeping never counts as focus.
    """
    if old.mode is not Mode.FOCUSING or old.focus_started is None or old.focus_until is None:
        return None
    if new.mode is Mode.FOCUSING and new.focus_started == old.focus_started:
        return None  # still the same session (maybe extended)
    planned = old.focus_until
    ended = min(now.astimezone(UTC), planned.astimezone(UTC)).astimezone(now.tzinfo)
    cut_short = planned.astimezone(UTC) - ended.astimezone(UTC) > CUT_SHORT_TOLERANCE
    return FocusSession(old.focus_started, ended, planned, cut_short)


def came_back_same_day(old: AppState, new: AppState, now: datetime, tz: ZoneInfo) -> bool:
    """True when the user undid today's sign-off by hand ("I'm back", or started focus).

    The automatic end of a sign-off at the next workday start does not count.
    """
    if old.mode is not Mode.SIGNED_OFF or new.mode is Mode.SIGNED_OFF:
        return False
    if old.back_at is not None and old.back_at.astimezone(UTC) <= now.astimezone(UTC):
        return False
    if old.signed_off_at is None:
        return False
    return workday_of(old.signed_off_at, tz) == workday_of(now, tz)
