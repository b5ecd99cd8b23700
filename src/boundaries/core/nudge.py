"""Which sign-off nudge (if any) to show, given the schedule events that just came due.

After a suspend or a clock jump several events can come due at once; the user gets one
nudge for the latest of them, never a burst, and nothing left over from a previous day.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from boundaries.core.focus import AppState, Mode
from boundaries.core.instant import before
from boundaries.core.schedule import EventKind, ScheduleEvent
from boundaries.core.workday_record import workday_of


class NudgeKind(StrEnum):
    HEADS_UP = "heads_up"
    SIGNOFF = "signoff"
    ESCALATION = "escalation"


@dataclass(frozen=True)
class Nudge:
    """A nudge that is due: its kind and when."""

    kind: NudgeKind
    at: datetime  # when the nudge was due
    minutes_after: int = 0  # escalation: minutes past sign-off


_NUDGE_KINDS = {
    EventKind.HEADS_UP: NudgeKind.HEADS_UP,
    EventKind.SIGNOFF: NudgeKind.SIGNOFF,
    EventKind.ESCALATION: NudgeKind.ESCALATION,
}


def nudge_for(due: Sequence[ScheduleEvent], state: AppState, now: datetime) -> Nudge | None:
    """The one nudge to show for ``due`` (ordered events in ``(last check, now]``)."""
    if state.mode in (Mode.SIGNED_OFF, Mode.PAUSED):
        return None
    if state.snoozed_until is not None and before(now, state.snoozed_until):
        return None
    latest: Nudge | None = None
    for event in due:
        if event.kind is EventKind.WORKDAY_START:
            latest = None  # a new day began: yesterday's nudges are stale
        elif event.kind in _NUDGE_KINDS:
            latest = Nudge(_NUDGE_KINDS[event.kind], event.at, event.minutes_after)
    return latest


def snooze_over(state: AppState, now: datetime) -> Nudge | None:
    """A snoozed sign-off comes back as a sign-off nudge when the snooze ends."""
    if state.snoozed_until is None or before(now, state.snoozed_until):
        return None
    if state.mode in (Mode.SIGNED_OFF, Mode.PAUSED):
        return None
    return Nudge(NudgeKind.SIGNOFF, state.snoozed_until)


def nudge_rank(nudge: Nudge) -> int:
    """Order of a workday's nudges: heads-up 1, sign-off 2, then each escalation above."""
    if nudge.kind is NudgeKind.HEADS_UP:
        return 1
    if nudge.kind is NudgeKind.SIGNOFF:
        return 2
    return 2 + max(1, nudge.minutes_after)


def record_shown(nudge: Nudge, state: AppState, tz: ZoneInfo) -> AppState | None:
    """``state`` remembering ``nudge`` as shown, or None when it (or a later one) already was.

    Each scheduled nudge is shown at most once per workday: when the clock goes back (an NTP
    fix, a manual change) or the app restarts, the ones already shown are not shown again.
    """
    day, rank = workday_of(nudge.at, tz), nudge_rank(nudge)
    if state.nudged_day is not None and (day, rank) <= (state.nudged_day, state.nudged_rank):
        return None
    return dataclasses.replace(state, nudged_day=day, nudged_rank=rank)
