"""Sign-off nudges: one for what came due, none stale, none while signed off or snoozed."""

from __future__ import annotations

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from boundaries.core import focus
from boundaries.core.focus import AppState
from boundaries.core.nudge import NudgeKind, nudge_for, snooze_over
from boundaries.core.schedule import events_after
from boundaries.core.settings import Settings

BERLIN = ZoneInfo("Europe/Berlin")
SETTINGS = Settings()  # heads-up 17:15, sign-off 17:30, escalations 18:00 and 18:30


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


def due_between(start: datetime, end: datetime) -> list:
    return list(itertools.takewhile(lambda e: e.at <= end, events_after(SETTINGS, start, BERLIN)))


def test_each_nudge_fires_at_its_own_time() -> None:
    kinds = []
    for start, end in [
        (at(24, 17, 10), at(24, 17, 15)),
        (at(24, 17, 15), at(24, 17, 30)),
        (at(24, 17, 30), at(24, 18, 0)),
    ]:
        nudge = nudge_for(due_between(start, end), AppState(), end)
        assert nudge is not None
        kinds.append(nudge.kind)
    assert kinds == [NudgeKind.HEADS_UP, NudgeKind.SIGNOFF, NudgeKind.ESCALATION]


def test_suspend_over_the_evening_gives_one_nudge_for_the_latest_event() -> None:
    due = due_between(at(24, 16, 50), at(24, 18, 40))  # slept from 16:50 to 18:40
    assert len([e for e in due if e.kind.value in ("heads_up", "signoff", "escalation")]) == 4
    nudge = nudge_for(due, AppState(), at(24, 18, 40))
    assert nudge is not None
    assert nudge.kind is NudgeKind.ESCALATION and nudge.minutes_after == 60


def test_suspend_overnight_gives_no_stale_nudge_from_yesterday() -> None:
    due = due_between(at(24, 16, 50), at(25, 9, 30))
    assert nudge_for(due, AppState(), at(25, 9, 30)) is None


def test_no_nudge_while_signed_off_paused_or_snoozed() -> None:
    due = due_between(at(24, 17, 20), at(24, 17, 30))
    signed_off = focus.sign_off(AppState(), at(24, 17, 20), SETTINGS, BERLIN)
    assert nudge_for(due, signed_off, at(24, 17, 30)) is None
    assert nudge_for(due, focus.pause_today(AppState(), at(24, 12)), at(24, 17, 30)) is None
    snoozed = focus.snooze_signoff(AppState(), at(24, 17, 31), 45)
    assert nudge_for(due_between(at(24, 17, 31), at(24, 18, 0)), snoozed, at(24, 18)) is None


def test_snooze_comes_back_as_a_sign_off_nudge_when_it_ends() -> None:
    snoozed = focus.snooze_signoff(AppState(), at(24, 17, 30), 15)
    assert snooze_over(snoozed, at(24, 17, 44)) is None
    nudge = snooze_over(snoozed, at(24, 17, 45))
    assert nudge is not None and nudge.kind is NudgeKind.SIGNOFF
