"""Issue #18, the first week of daily use: the controller as the tray and the CLI drive it.

Default settings: blocks 09:00-11:00 and 14:00-16:00 Mon-Fri, heads-up 17:15, sign-off 17:30,
escalations 18:00 and 18:30. November 2026: the 24th is a Tuesday.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from boundaries.app.controller import Controller
from boundaries.core.focus import FocusSource, Mode
from boundaries.core.nudge import Nudge, NudgeKind
from boundaries.core.settings import Settings
from boundaries.core.status import summary_line

from .fakes import FakeClock, MemorySink, RecordingWaker

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=BERLIN)


class Rig:
    def __init__(self, now: datetime) -> None:
        self.clock = FakeClock(now)
        self.controller = Controller(
            Settings(),
            zone=lambda s: BERLIN,
            clock=self.clock,
            waker=RecordingWaker(),
            state_sink=MemorySink(),
        )
        self.nudges: list[Nudge] = []
        self.controller.nudged.connect(self.nudges.append)
        self.controller.start()

    def move_to(self, now: datetime) -> None:
        self.clock.now = now
        self.controller.wake("due")

    def status(self) -> dict[str, Any]:
        return self.controller.status()

    def summary(self) -> str:
        c = self.controller
        return summary_line(c.state, c.settings, c.now(), c.tz)


MakeRig = Callable[[datetime], Rig]


@pytest.fixture
def make_rig(qtbot: QtBot) -> Iterator[MakeRig]:
    rigs: list[Rig] = []

    def make(now: datetime) -> Rig:
        rig = Rig(now)
        rigs.append(rig)
        return rig

    yield make
    for rig in rigs:
        rig.controller.shutdown()


# ---------------------------------------------------------------- 1. snooze only when due


def test_a_morning_snooze_is_refused_and_never_says_time_to_sign_off(make_rig: MakeRig) -> None:
    rig = make_rig(at(24, 8, 22))
    assert not rig.controller.snooze_available()
    with pytest.raises(ValueError, match="no sign-off to snooze"):
        rig.controller.snooze(15)
    rig.move_to(at(24, 8, 37))
    assert rig.nudges == []
    assert rig.controller.state.snoozed_until is None


def test_a_snooze_clicked_after_signing_off_and_coming_back_is_refused(make_rig: MakeRig) -> None:
    rig = make_rig(at(24, 17, 30))
    rig.controller.sign_off()
    assert not rig.controller.snooze_available()  # the old bubble's button: nothing to snooze
    rig.move_to(at(25, 8, 22))  # the next morning, before the workday starts
    rig.controller.back_to_work()
    assert not rig.controller.snooze_available()
    with pytest.raises(ValueError):
        rig.controller.snooze(15)


def test_after_sign_off_time_the_snooze_works_and_comes_back(make_rig: MakeRig) -> None:
    rig = make_rig(at(24, 17, 31))
    assert rig.controller.snooze_available()
    rig.controller.snooze(15)
    rig.move_to(at(24, 17, 46))
    assert [n.kind for n in rig.nudges] == [NudgeKind.SIGNOFF]


# ---------------------------------------------------------------- 2. end focus inside a block


@pytest.mark.parametrize("minutes", [1, 5, 90])
def test_end_focus_after_a_manual_focus_inside_a_block_ends_it(
    make_rig: MakeRig, minutes: int
) -> None:
    rig = make_rig(at(24, 9, 30))
    assert rig.controller.state.focus_source is FocusSource.SCHEDULE
    rig.controller.start_focus_minutes(minutes)
    rig.controller.end_focus()
    assert rig.controller.state.mode is Mode.IDLE
    assert rig.status()["state"] == "idle"  # status syncs: the block must not come back
    rig.move_to(at(24, 9, 45))
    assert rig.controller.state.mode is Mode.IDLE
    rig.move_to(at(24, 14, 0, 1))  # the afternoon block still starts
    assert rig.controller.state.mode is Mode.FOCUSING


def test_end_focus_after_extending_a_block_ends_it(make_rig: MakeRig) -> None:
    rig = make_rig(at(24, 10, 0))
    rig.controller.extend_focus(15)
    assert rig.controller.state.focus_until == at(24, 11, 15)
    rig.controller.end_focus()
    rig.move_to(at(24, 10, 1))
    assert rig.controller.state.mode is Mode.IDLE


def test_focus_minutes_inside_a_block_says_what_it_did(make_rig: MakeRig) -> None:
    rig = make_rig(at(24, 9, 30))
    said = rig.controller.start_focus_minutes(5)
    assert said == "Focusing until 09:35: shortens the scheduled block that ran until 11:00"
    rig.move_to(at(24, 9, 36))
    assert rig.controller.state.mode is Mode.IDLE  # the rest of the block is skipped
    rig = make_rig(at(24, 9, 30))
    said = rig.controller.start_focus_minutes(120)
    assert said == "Focusing until 11:30: extends the scheduled block that ended at 11:00"
    rig = make_rig(at(24, 9, 30, 20))  # seconds past: still "keeps", not until 11:01
    said = rig.controller.start_focus_minutes(90)
    assert said == "Focusing until 11:00: the scheduled block (11:00) is kept"


# ---------------------------------------------------------------- 6. what's next follows the state


def test_while_snoozed_next_is_the_snooze_end_not_an_escalation(make_rig: MakeRig) -> None:
    rig = make_rig(at(24, 17, 50))
    rig.controller.snooze(30)
    report = rig.status()
    assert report["next_event"] == {"kind": "snooze_end", "at": "2026-11-24T18:20:00+01:00"}
    assert report["summary"] == "Next focus Wed 09:00 · Sign-off snoozed until 18:20"
    rig.move_to(at(24, 18, 0))  # the 18:00 escalation is held by the snooze
    assert rig.nudges == []
    rig.move_to(at(24, 18, 20))
    assert [n.kind for n in rig.nudges] == [NudgeKind.SIGNOFF]


def test_while_signed_off_next_is_being_back(make_rig: MakeRig) -> None:
    rig = make_rig(at(24, 17, 31))
    rig.controller.sign_off()
    assert rig.status()["next_event"] == {"kind": "back", "at": "2026-11-25T09:00:00+01:00"}


def test_after_ending_a_block_next_is_not_its_end(make_rig: MakeRig) -> None:
    rig = make_rig(at(24, 9, 30))
    rig.controller.end_focus()
    assert rig.status()["next_event"] == {"kind": "focus_start", "at": "2026-11-24T14:00:00+01:00"}


# ---------------------------------------------------------------- 13. say so, exit non-zero


def test_ending_focus_when_idle_and_coming_back_when_working_are_refused(make_rig: MakeRig) -> None:
    rig = make_rig(at(24, 12, 0))
    with pytest.raises(ValueError, match="not focusing"):
        rig.controller.end_focus()
    with pytest.raises(ValueError, match="not signed off"):
        rig.controller.back_to_work()


def test_focus_25_just_before_a_minute_reads_as_25_minutes(make_rig: MakeRig) -> None:
    rig = make_rig(at(24, 7, 53, 58))
    rig.controller.start_focus_minutes(25)
    until = rig.controller.state.focus_until
    assert until == at(24, 8, 19)
    assert until - rig.controller.now() >= timedelta(minutes=25)
    assert rig.summary().startswith("Focus until 08:19")


# ---------------------------------------------------------------- 15. pause for a while, skip


def test_pause_for_an_hour_says_until_when_and_ends_by_itself(make_rig: MakeRig) -> None:
    rig = make_rig(at(24, 14, 30))
    rig.controller.pause_for(60)
    assert rig.summary() == "Paused until 15:30"
    assert rig.status()["next_event"] == {"kind": "resume", "at": "2026-11-24T15:30:00+01:00"}
    rig.move_to(at(24, 15, 30))
    assert rig.controller.state.mode is Mode.FOCUSING  # back inside the 14-16 block


def test_pause_until_tomorrow_and_resume(make_rig: MakeRig) -> None:
    rig = make_rig(at(24, 12, 0))
    rig.controller.pause_today()
    assert rig.summary() == "Paused for today, until 00:00"
    rig.controller.resume()
    assert rig.controller.state.mode is Mode.IDLE
    with pytest.raises(ValueError, match="not paused"):
        rig.controller.resume()


def test_skip_the_next_block(make_rig: MakeRig) -> None:
    rig = make_rig(at(24, 12, 0))
    said = rig.controller.skip_next_block()
    assert said == "Skipping the focus block 14:00–16:00"
    rig.move_to(at(24, 14, 0))
    assert rig.controller.state.mode is Mode.IDLE
    assert rig.status()["next_event"] == {"kind": "heads_up", "at": "2026-11-24T17:15:00+01:00"}
    rig.move_to(at(25, 9, 0))
    assert rig.controller.state.mode is Mode.FOCUSING  # only that one block
