"""The controller with a hand-moved clock: transitions, re-planning, coalesced nudges."""

from __future__ import annotations

import dataclasses
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from boundaries.app.controller import Controller
from boundaries.core.focus import AppState, FocusSource, Mode
from boundaries.core.nudge import Nudge, NudgeKind
from boundaries.core.settings import FocusBlock, FocusSettings, Settings

from .fakes import FakeClock, MemorySink, RecordingWaker

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


class Rig:
    def __init__(
        self, now: datetime, settings: Settings | None = None, state: AppState | None = None
    ) -> None:
        self.clock = FakeClock(now)
        self.waker = RecordingWaker()
        self.sink = MemorySink()
        self.controller = Controller(
            settings or Settings(),
            zone=lambda s: BERLIN,
            clock=self.clock,
            waker=self.waker,
            state_sink=self.sink,
            initial_state=state,
        )
        self.nudges: list[Nudge] = []
        self.controller.nudged.connect(self.nudges.append)

    def move_to(self, now: datetime, reason: str = "due") -> None:
        self.clock.now = now
        self.controller.wake(reason)


@pytest.fixture
def rig(qtbot: QtBot) -> Rig:
    rig = Rig(at(24, 8, 0))
    rig.controller.start()
    yield rig
    rig.controller.shutdown()


def test_first_wakeup_is_the_next_event(rig: Rig) -> None:
    assert rig.waker.next == at(24, 9, 0)  # workday start and the first focus block


def test_scheduled_block_starts_and_ends_on_its_wakeups(rig: Rig) -> None:
    rig.move_to(at(24, 9, 0))
    assert rig.controller.state.mode is Mode.FOCUSING
    assert rig.controller.state.focus_source is FocusSource.SCHEDULE
    assert rig.waker.next == at(24, 11, 0)
    rig.move_to(at(24, 11, 0))
    assert rig.controller.state.mode is Mode.IDLE
    assert rig.waker.next == at(24, 14, 0)


def test_restart_mid_block_resumes_focus(qtbot: QtBot) -> None:
    rig = Rig(at(24, 10, 30))
    rig.controller.start()
    assert rig.controller.state.mode is Mode.FOCUSING
    assert rig.waker.next == at(24, 11, 0)
    rig.controller.shutdown()
    assert rig.sink.writes[-1].mode is Mode.FOCUSING  # persisted for the next restart


def test_manual_focus_end_and_extend(rig: Rig) -> None:
    rig.controller.start_focus_minutes(25)
    assert rig.controller.state.focus_until == at(24, 8, 25)
    assert rig.waker.next == at(24, 8, 25)
    rig.controller.extend_focus(15)
    assert rig.controller.state.focus_until == at(24, 8, 40)
    rig.controller.end_focus()
    assert rig.controller.state.mode is Mode.IDLE
    assert rig.waker.next == at(24, 9, 0)


def test_focus_until_a_time_later_today_or_after_midnight(rig: Rig) -> None:
    assert rig.controller.until_time("11:30") == at(24, 11, 30)
    with pytest.raises(ValueError, match="25"):
        rig.controller.until_time("25:00")
    rig.clock.now = at(24, 23, 0)
    assert rig.controller.until_time("01:00") == at(25, 1, 0)  # after midnight is fine


def test_custom_focus_until_reads_12_hour_times_too(rig: Rig) -> None:
    assert rig.controller.until_time("5pm") == at(24, 17, 0)
    assert rig.controller.until_time("5:30 PM") == at(24, 17, 30)


def test_a_time_already_past_is_refused_not_a_23_hour_focus(rig: Rig) -> None:
    rig.clock.now = at(24, 7, 54)
    with pytest.raises(ValueError, match=r"07:00 has already passed \(it is 07:54\)"):
        rig.controller.until_time("07:00")
    assert rig.controller.state.mode is Mode.IDLE


def test_settings_change_replans_at_once(rig: Rig) -> None:
    earlier = Settings(focus=FocusSettings(blocks=(FocusBlock(start=time(8, 30), end=time(10)),)))
    rig.controller.apply_settings(earlier)
    assert rig.waker.next == at(24, 8, 30)
    rig.controller.apply_settings(Settings(focus=FocusSettings(blocks=())))
    assert rig.waker.next == at(24, 9, 0)  # now only the workday start is left


def test_settings_change_into_a_running_block_starts_focus(rig: Rig) -> None:
    now_block = Settings(
        focus=FocusSettings(blocks=(FocusBlock(start=time(7, 30), end=time(8, 45)),))
    )
    rig.controller.apply_settings(now_block)
    assert rig.controller.state.mode is Mode.FOCUSING
    assert rig.controller.state.focus_until == at(24, 8, 45)


def test_each_nudge_on_time_and_sign_off_silences_the_rest(rig: Rig) -> None:
    rig.move_to(at(24, 17, 15))
    rig.move_to(at(24, 17, 30))
    assert [n.kind for n in rig.nudges] == [NudgeKind.HEADS_UP, NudgeKind.SIGNOFF]
    rig.controller.sign_off()
    assert rig.controller.state.back_at == at(25, 9, 0)
    rig.move_to(at(24, 18, 0))
    rig.move_to(at(24, 18, 30))
    assert len(rig.nudges) == 2


def test_missed_events_after_suspend_coalesce_into_one_nudge(rig: Rig) -> None:
    rig.move_to(at(24, 16, 50))
    rig.nudges.clear()
    rig.move_to(at(24, 18, 40), reason="clock_jump")  # slept through 17:15 ... 18:30
    assert len(rig.nudges) == 1
    assert rig.nudges[0].kind is NudgeKind.ESCALATION
    assert rig.waker.next == at(25, 0, 0)  # midnight re-plan comes next


def test_overnight_suspend_gives_no_nudge_and_starts_the_morning_block(rig: Rig) -> None:
    rig.move_to(at(24, 16, 50))
    rig.nudges.clear()
    rig.move_to(at(25, 9, 30), reason="resume")
    assert rig.nudges == []
    assert rig.controller.state.mode is Mode.FOCUSING
    assert rig.controller.state.focus_until == at(25, 11, 0)


def test_snooze_brings_the_nudge_back_later(rig: Rig) -> None:
    rig.move_to(at(24, 17, 30))
    rig.controller.snooze(15)
    assert rig.waker.next == at(24, 17, 45)
    rig.move_to(at(24, 17, 45))
    assert [n.kind for n in rig.nudges] == [NudgeKind.SIGNOFF, NudgeKind.SIGNOFF]
    assert rig.controller.state.snoozed_until is None


def test_state_changes_are_signalled_and_persisted(rig: Rig, qtbot: QtBot) -> None:
    with qtbot.waitSignal(rig.controller.state_changed) as blocker:
        rig.controller.pause_today()
    old, new = blocker.args
    assert old.mode is Mode.IDLE and new.mode is Mode.PAUSED
    rig.controller.shutdown()
    assert rig.sink.writes[-1] == dataclasses.replace(new)


def test_clock_going_backwards_replays_nothing(rig: Rig) -> None:
    rig.move_to(at(24, 17, 40))
    rig.nudges.clear()
    rig.move_to(at(24, 17, 0))  # the user set the clock back
    rig.move_to(at(24, 17, 10))
    assert rig.nudges == []
