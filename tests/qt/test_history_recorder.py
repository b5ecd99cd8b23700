"""The recorder on a real controller with a hand-moved clock and an injected idle source.

The app shows a nudge only if ``recorder.decide(nudge, now, idle)`` says so; ``Rig`` wires it
the same way (``shown`` is what the user would see).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from boundaries.app.controller import Controller
from boundaries.app.history_recorder import IDLE_AWAY_SECONDS, HistoryRecorder
from boundaries.app.workers import WorkerPool
from boundaries.core.focus import AppState, FocusSource, Mode
from boundaries.core.nudge import Nudge, NudgeKind
from boundaries.core.settings import Settings
from boundaries.core.workday_record import DayRecord, SignoffSource
from boundaries.integrations.history import FILENAME, History

from .fakes import FakeClock, MemorySink, RecordingWaker

BERLIN = ZoneInfo("Europe/Berlin")
TUE = date(2026, 11, 24)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


class FakeIdle:
    """Idle time = clock - the user's last input; ``None`` for a platform that cannot tell."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.last_input: datetime | None = clock.now
        self.asked = 0

    def idle_seconds(self) -> float | None:
        self.asked += 1
        if self.last_input is None:
            return None
        return (self.clock.now - self.last_input).total_seconds()


class Rig:
    def __init__(self, tmp_path: Path, now: datetime, state: AppState | None = None) -> None:
        self.clock = FakeClock(now)
        self.controller = Controller(
            Settings(),
            zone=lambda s: BERLIN,
            clock=self.clock,
            waker=RecordingWaker(),
            state_sink=MemorySink(),
            initial_state=state,
        )
        self.idle = FakeIdle(self.clock)
        self.history = History(tmp_path / "state", clock=self.clock)
        self.workers = WorkerPool(name="test-io")
        self.recorder = HistoryRecorder(self.controller, self.history, self.idle, self.workers)
        self.problems: list[str] = []
        self.recorder.problem.connect(self.problems.append)
        self.shown: list[Nudge] = []
        self.held: list[Nudge] = []
        self.controller.nudged.connect(self._on_nudge)

    def _on_nudge(self, nudge: Nudge) -> None:  # what BoundariesApp._on_nudge does first
        if self.recorder.decide(nudge, self.controller.now(), self.recorder.query_idle()):
            self.shown.append(nudge)
        else:
            self.held.append(nudge)

    def move_to(self, now: datetime) -> None:
        self.clock.now = now
        self.controller.wake("due")

    def user_input_at(self, moment: datetime | None) -> None:
        self.idle.last_input = moment

    def day(self, qtbot: QtBot, expected: DayRecord) -> None:
        """Wait until the background writes have produced ``expected`` for its day."""
        qtbot.waitUntil(
            lambda: self.history.records_between(expected.day, expected.day) == [expected]
        )

    def close(self) -> None:
        self.controller.shutdown()
        self.workers.shutdown(wait=True)
        self.history.close()


@pytest.fixture
def rig(qtbot: QtBot, tmp_path: Path) -> Iterator[Rig]:
    rig = Rig(tmp_path, at(24, 8, 0))
    rig.controller.start()
    yield rig
    rig.close()


def test_user_who_left_at_1650_gets_no_nudge_and_the_day_ends_at_1650(
    rig: Rig, qtbot: QtBot
) -> None:
    rig.move_to(at(24, 9))  # scheduled focus 09:00-11:00 runs out: done
    rig.move_to(at(24, 11))
    rig.move_to(at(24, 14))  # scheduled focus 14:00-16:00, ended by hand at 15:30: cut short
    rig.clock.now = at(24, 15, 30)
    rig.controller.end_focus()
    rig.user_input_at(at(24, 16, 50))  # then they leave

    rig.move_to(at(24, 17, 15))  # heads-up
    rig.move_to(at(24, 17, 30))  # sign-off
    assert rig.shown == []
    assert [n.kind for n in rig.held] == [NudgeKind.HEADS_UP, NudgeKind.SIGNOFF]
    rig.day(
        qtbot,
        DayRecord(
            day=TUE,
            planned_signoff=at(24, 17, 30),
            actual_signoff=at(24, 16, 50),
            source=SignoffSource.LAST_ACTIVITY,
            focus_done=1,
            focus_cut_short=1,
            focus_minutes=120 + 90,
        ),
    )

    # They come back and work: the 18:00 escalation fires, and the day now ends no earlier.
    rig.user_input_at(at(24, 17, 58))
    rig.move_to(at(24, 18, 0))
    assert [(n.kind, n.minutes_after) for n in rig.shown] == [(NudgeKind.ESCALATION, 30)]
    rig.day(
        qtbot,
        DayRecord(TUE, at(24, 17, 30), at(24, 17, 58), SignoffSource.LAST_ACTIVITY, 1, 1, 210),
    )

    # They click "Sign off now" at 18:05: the button is the day's end, 35 minutes late.
    rig.clock.now = at(24, 18, 5)
    rig.controller.sign_off()
    rig.day(qtbot, DayRecord(TUE, at(24, 17, 30), at(24, 18, 5), SignoffSource.BUTTON, 1, 1, 210))
    rig.move_to(at(24, 18, 30))  # signed off: no more nudges at all
    assert len(rig.shown) == 1
    assert rig.problems == []


def test_an_escalation_waits_for_an_active_user(rig: Rig, qtbot: QtBot) -> None:
    rig.user_input_at(at(24, 17, 29))
    rig.move_to(at(24, 17, 30))
    assert [n.kind for n in rig.shown] == [NudgeKind.SIGNOFF]  # idle 1 min: present
    rig.move_to(at(24, 18, 0))  # idle 31 min: away, held
    assert [n.kind for n in rig.held] == [NudgeKind.ESCALATION]
    rig.user_input_at(at(24, 18, 29))
    rig.move_to(at(24, 18, 30))  # back at work: the second escalation fires
    assert [n.minutes_after for n in rig.shown] == [0, 60]


def test_idle_threshold_is_ten_minutes(rig: Rig) -> None:
    assert IDLE_AWAY_SECONDS == 600
    nudge = Nudge(NudgeKind.SIGNOFF, at(24, 17, 30))
    rig.clock.now = at(24, 17, 30)
    rig.user_input_at(rig.clock.now - timedelta(seconds=IDLE_AWAY_SECONDS - 1))
    assert rig.recorder.decide(nudge, rig.clock.now, rig.recorder.query_idle())
    rig.user_input_at(rig.clock.now - timedelta(seconds=IDLE_AWAY_SECONDS))
    assert not rig.recorder.decide(nudge, rig.clock.now, rig.recorder.query_idle())


def test_unknown_idle_time_means_present_and_records_nothing(rig: Rig, qtbot: QtBot) -> None:
    rig.user_input_at(None)
    rig.move_to(at(24, 17, 15))
    rig.move_to(at(24, 17, 30))
    rig.move_to(at(24, 18, 0))
    assert [n.kind for n in rig.shown] == [
        NudgeKind.HEADS_UP,
        NudgeKind.SIGNOFF,
        NudgeKind.ESCALATION,
    ]
    rig.controller.shutdown()
    rig.workers.shutdown(wait=True)
    assert rig.history.records_between(TUE, TUE) == []


def test_cli_signoff_is_recorded_as_cli(rig: Rig, qtbot: QtBot) -> None:
    rig.clock.now = at(24, 17, 35)
    with rig.recorder.signoff_source(SignoffSource.CLI):
        rig.controller.sign_off()
    rig.day(qtbot, DayRecord(TUE, at(24, 17, 30), at(24, 17, 35), SignoffSource.CLI))


def test_coming_back_after_signing_off_moves_the_days_end(rig: Rig, qtbot: QtBot) -> None:
    rig.clock.now = at(24, 17, 30)
    rig.controller.sign_off()
    rig.clock.now = at(24, 21, 10)
    rig.controller.back_to_work()  # "I'm back" in the evening: the evening leaks
    rig.day(qtbot, DayRecord(TUE, at(24, 17, 30), at(24, 21, 10), SignoffSource.LAST_ACTIVITY))


def test_focus_interrupted_by_a_crash_is_recorded_at_the_next_start(
    qtbot: QtBot, tmp_path: Path
) -> None:
    state = AppState(
        mode=Mode.FOCUSING,
        focus_started=at(24, 12, 0),
        focus_until=at(24, 12, 50),
        focus_source=FocusSource.MANUAL,
    )
    rig = Rig(tmp_path, at(24, 13, 30), state=state)  # restarted after the session ended
    try:
        rig.controller.start()
        rig.day(qtbot, DayRecord(TUE, focus_done=1, focus_minutes=50))
    finally:
        rig.close()


def test_a_damaged_history_is_reported_once_and_recording_goes_on(
    qtbot: QtBot, tmp_path: Path
) -> None:
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / FILENAME).write_bytes(b"garbage" * 1000)
    rig = Rig(tmp_path, at(24, 17, 40))
    try:
        rig.controller.start()
        rig.recorder.open()  # the file is not read at start: only the first write reads it
        with qtbot.waitSignal(rig.recorder.problem) as signal:
            rig.controller.sign_off()
        assert "kept as" in signal.args[0]
        rig.day(qtbot, DayRecord(TUE, at(24, 17, 30), at(24, 17, 40), SignoffSource.BUTTON))
        assert len(rig.problems) == 1
        assert len(list((tmp_path / "state").glob(f"{FILENAME}.corrupt-*"))) == 1
    finally:
        rig.close()


def test_clear_history_from_settings(rig: Rig, qtbot: QtBot) -> None:
    rig.clock.now = at(24, 17, 35)
    rig.controller.sign_off()
    rig.day(qtbot, DayRecord(TUE, at(24, 17, 30), at(24, 17, 35), SignoffSource.BUTTON))
    cleared: list[bool] = []
    rig.recorder.clear(lambda: cleared.append(True))
    qtbot.waitUntil(lambda: cleared == [True])
    assert rig.history.records_between(TUE, TUE) == []
