"""The app's state machine: idle / focusing / signed off / paused for today.

Pure functions from (state, now, settings, zone) to a new state. The app persists the state
after every change, so a restart (or crash) resumes exactly where it was, and ``sync`` brings a
stale state up to date after a suspend or clock jump without replaying each missed step.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from boundaries.core.instant import at_or_before, before, utc
from boundaries.core.interval import Interval
from boundaries.core.limits import PAUSE_MINUTES, SNOOZE_MINUTES
from boundaries.core.schedule import (
    EventKind,
    current_focus_block,
    day_plan,
    events_after,
    next_workday_start,
    wall_to_instant,
)
from boundaries.core.settings import Settings


class Mode(StrEnum):
    IDLE = "idle"
    FOCUSING = "focusing"
    SIGNED_OFF = "signed_off"
    PAUSED = "paused"


class FocusSource(StrEnum):
    MANUAL = "manual"
    SCHEDULE = "schedule"


@dataclass(frozen=True)
class AppState:
    """Everything the app must remember across restarts (all datetimes aware)."""

    mode: Mode = Mode.IDLE
    focus_started: datetime | None = None
    focus_until: datetime | None = None
    focus_source: FocusSource | None = None
    back_at: datetime | None = None  # signed off until this workday start
    paused_on: date | None = None  # "pause Boundaries for today"
    paused_until: datetime | None = None  # "pause for 1 h": ends the pause before midnight
    snoozed_until: datetime | None = None  # sign-off nudge snoozed
    declined_block_end: datetime | None = None  # scheduled block the user ended early
    skipped_block_end: datetime | None = None  # the next scheduled block, skipped ahead
    signed_off_at: datetime | None = None
    # The last sign-off nudge shown: its workday and rank (see core.nudge.nudge_rank), so each
    # nudge is shown once per workday, also after a restart or when the clock goes back.
    nudged_day: date | None = None
    nudged_rank: int = 0
    # A weekly-update reminder that came due during a manual focus session: shown when it ends.
    update_reminder_held: datetime | None = None

    @property
    def focusing(self) -> bool:
        return self.mode is Mode.FOCUSING

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            out[field.name] = value.isoformat() if isinstance(value, date) else value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AppState:
        """Inverse of ``to_json``; unknown or malformed values fall back to defaults."""
        from boundaries.core.state_check import parse_state  # it builds on this module

        return parse_state(data)[0]


def after(moment: datetime, minutes: float) -> datetime:
    """``moment`` plus elapsed minutes, in ``moment``'s zone (aware + timedelta adds wall time)."""
    return (moment.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(moment.tzinfo)


def minutes_from(now: datetime, minutes: int) -> datetime:
    """``now`` plus ``minutes``, rounded up to the whole minute.

    Times are shown to the minute, so "focus 25" at 07:53:58 ends at 08:19:00, never at a
    08:18:58 that reads as 24 minutes.
    """
    end = after(now, minutes)
    if end.second or end.microsecond:
        end = after(end.replace(second=0, microsecond=0), 1)
    return end


def same_instant(a: datetime | None, b: datetime | None) -> bool:
    """Instant equality that also holds inside a DST fold (``==`` across zones does not)."""
    if a is None or b is None:
        return a is b
    return utc(a) == utc(b)


def start_focus(
    state: AppState, now: datetime, until: datetime, source: FocusSource = FocusSource.MANUAL
) -> AppState:
    """Start (or extend/shorten) focus until ``until``; starting work undoes a sign-off."""
    if at_or_before(until, now):
        raise ValueError("focus must end in the future")
    started = state.focus_started if state.focusing and state.focus_started else now
    return dataclasses.replace(
        state,
        mode=Mode.FOCUSING,
        focus_started=started,
        focus_until=until,
        focus_source=source,
        back_at=None,
        paused_on=None,
        signed_off_at=None,
    )


def extend_focus(state: AppState, now: datetime, minutes: int) -> AppState:
    """Add minutes to the running focus; from idle it starts a new one."""
    base = state.focus_until if state.focusing and state.focus_until else now
    return start_focus(state, now, after(base, minutes), FocusSource.MANUAL)


def end_focus(state: AppState, now: datetime, block: Interval | None = None) -> AppState:
    """End focus early, whatever started it. The scheduled ``block`` around ``now`` (if any)
    is skipped for the rest of today, so ``sync`` does not start it again at once."""
    if not state.focusing:
        return state
    declined = state.focus_until if state.focus_source is FocusSource.SCHEDULE else None
    if block is not None and block.contains(now.astimezone(UTC)):
        declined = block.end
    return dataclasses.replace(
        _without_focus(state), declined_block_end=declined or state.declined_block_end
    )


def _without_focus(state: AppState) -> AppState:
    return dataclasses.replace(
        state, mode=Mode.IDLE, focus_started=None, focus_until=None, focus_source=None
    )


def sign_off(state: AppState, now: datetime, settings: Settings, tz: ZoneInfo) -> AppState:
    """Signed off until the next workday start (or the end of tomorrow if there is none)."""
    back = next_workday_start(settings, now, tz) or after(now, 24 * 60)
    return dataclasses.replace(
        end_focus(state, now),
        mode=Mode.SIGNED_OFF,
        back_at=back,
        snoozed_until=None,
        signed_off_at=now,
    )


def back_to_work(state: AppState) -> AppState:
    """Undo a sign-off or a pause ("I'm back")."""
    if state.mode not in (Mode.SIGNED_OFF, Mode.PAUSED):
        return state
    return dataclasses.replace(
        state, mode=Mode.IDLE, back_at=None, paused_on=None, paused_until=None
    )


def pause_today(state: AppState, now: datetime) -> AppState:
    """No focus blocks and no nudges for the rest of the local day. A scheduled block is
    paused, not declined: a short pause that ends inside it resumes it."""
    return dataclasses.replace(
        _without_focus(state), mode=Mode.PAUSED, paused_on=now.date(), paused_until=None
    )


def pause_for(state: AppState, now: datetime, minutes: int) -> AppState:
    """Pause for ``minutes`` (at most until midnight: a pause never outlives its day)."""
    PAUSE_MINUTES.check(minutes)
    paused = pause_today(state, now)
    return dataclasses.replace(paused, paused_until=minutes_from(now, minutes))


def paused_until(state: AppState, tz: ZoneInfo) -> datetime:
    """When a pause ends: its own end, else the midnight after the day it began."""
    day = state.paused_on or date.min
    midnight = wall_to_instant(day + timedelta(days=1), time(0), tz)
    if state.paused_until is not None and state.paused_until.astimezone(UTC) < midnight:
        return state.paused_until.astimezone(tz)
    return midnight


def signoff_due(state: AppState, settings: Settings, now: datetime, tz: ZoneInfo) -> bool:
    """Whether a sign-off nudge is due or past now: a sign-off time came in the last
    ``SNOOZE_MINUTES.high`` minutes, no workday started after it, and the user is neither
    signed off nor paused. Only then is there anything to snooze (a morning snooze must never
    come back as "Time to sign off")."""
    if state.mode in (Mode.SIGNED_OFF, Mode.PAUSED):
        return False
    now_utc = now.astimezone(UTC)
    horizon = now_utc - timedelta(minutes=SNOOZE_MINUTES.high)
    today = now.astimezone(tz).date()
    starts: list[datetime] = []
    signoffs: list[datetime] = []
    for day in (today - timedelta(days=1), today):
        plan = day_plan(settings, day, tz)
        if plan.workday_start is not None and plan.workday_start.astimezone(UTC) <= now_utc:
            starts.append(plan.workday_start.astimezone(UTC))
        if plan.signoff is not None and horizon <= plan.signoff.astimezone(UTC) <= now_utc:
            signoffs.append(plan.signoff.astimezone(UTC))
    return bool(signoffs) and (not starts or max(signoffs) > max(starts))


def check_snooze(state: AppState, settings: Settings, now: datetime, tz: ZoneInfo) -> None:
    """ValueError unless a sign-off is due (a snooze before it means nothing)."""
    if not signoff_due(state, settings, now, tz):
        raise ValueError("there is no sign-off to snooze yet: snooze works once it is due")


def snooze_signoff(state: AppState, now: datetime, minutes: int) -> AppState:
    """Snooze the sign-off nudge (callers check :func:`check_snooze` first)."""
    SNOOZE_MINUTES.check(minutes)
    return dataclasses.replace(state, snoozed_until=after(now, minutes))


def sync(state: AppState, now: datetime, settings: Settings, tz: ZoneInfo) -> AppState:
    """Bring ``state`` up to date with ``now``: expire what ended, start a scheduled block.

    Idempotent, and the only place scheduled focus starts, so a missed start (suspend,
    restart mid-block) is caught the same way as an on-time one.
    """
    now = now.astimezone(tz)
    if state.mode is Mode.FOCUSING and state.focus_until and at_or_before(state.focus_until, now):
        state = _without_focus(state)
    if state.mode is Mode.SIGNED_OFF and state.back_at and at_or_before(state.back_at, now):
        state = dataclasses.replace(state, mode=Mode.IDLE, back_at=None)
    if state.mode is Mode.PAUSED and (
        state.paused_on != now.date() or at_or_before(paused_until(state, tz), now)
    ):
        state = dataclasses.replace(state, mode=Mode.IDLE, paused_on=None, paused_until=None)
    stale_snooze = state.snoozed_until and after(state.snoozed_until, SNOOZE_MINUTES.high)
    if stale_snooze and at_or_before(stale_snooze, now):
        state = dataclasses.replace(state, snoozed_until=None)
    if state.declined_block_end and at_or_before(state.declined_block_end, now):
        state = dataclasses.replace(state, declined_block_end=None)
    if state.skipped_block_end and at_or_before(state.skipped_block_end, now):
        state = dataclasses.replace(state, skipped_block_end=None)

    block = current_focus_block(settings, now, tz)
    if block is None or block_declined(state, block.end):
        return state
    if state.mode is Mode.IDLE:
        return start_focus(state, now, block.end, FocusSource.SCHEDULE)
    if state.mode is Mode.FOCUSING and state.focus_until and before(state.focus_until, block.end):
        # A manual focus running into a scheduled block lasts until the block ends.
        return dataclasses.replace(state, focus_until=block.end, focus_source=FocusSource.SCHEDULE)
    return state


def block_declined(state: AppState, block_end: datetime) -> bool:
    """Whether the user ended or skipped the scheduled block ending at ``block_end``."""
    return same_instant(block_end, state.declined_block_end) or same_instant(
        block_end, state.skipped_block_end
    )


_SKIP_LOOKAHEAD_EVENTS = 200


def skip_next_block(state: AppState, settings: Settings, now: datetime, tz: ZoneInfo) -> AppState:
    """Skip the next scheduled focus block that has not started yet; ValueError if none."""
    for count, event in enumerate(events_after(settings, now, tz)):
        block = event.block
        if event.kind is EventKind.FOCUS_START and block and not block_declined(state, block.end):
            return dataclasses.replace(state, skipped_block_end=block.end)
        if count >= _SKIP_LOOKAHEAD_EVENTS:
            break
    raise ValueError("there is no scheduled focus block ahead to skip")


def deadlines(state: AppState) -> list[datetime]:
    """Instants, besides the schedule's own events, at which the state changes by itself."""
    candidates = [state.focus_until, state.back_at, state.snoozed_until, state.paused_until]
    return [moment for moment in candidates if moment is not None]
