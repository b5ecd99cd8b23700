"""The controller against a careless or hostile world: clocks going back, absurd intents."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from boundaries.core.focus import AppState
from boundaries.core.nudge import NudgeKind

from .test_controller import Rig, at

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def rig(qtbot: QtBot) -> Rig:
    rig = Rig(at(24, 17, 0))
    rig.controller.start()
    yield rig
    rig.controller.shutdown()


def test_clock_back_two_hours_after_the_nudge_shows_nothing_twice(rig: Rig) -> None:
    rig.move_to(at(24, 17, 15))
    rig.move_to(at(24, 17, 30))
    assert [n.kind for n in rig.nudges] == [NudgeKind.HEADS_UP, NudgeKind.SIGNOFF]
    rig.move_to(at(24, 15, 30))  # NTP fix or a manual change: two hours back
    rig.move_to(at(24, 17, 15))
    rig.move_to(at(24, 17, 30))
    assert [n.kind for n in rig.nudges] == [NudgeKind.HEADS_UP, NudgeKind.SIGNOFF]
    rig.move_to(at(24, 18, 0))  # the escalation was not shown yet: it still comes
    assert [n.kind for n in rig.nudges][-1] is NudgeKind.ESCALATION
    rig.move_to(at(25, 17, 15))  # and the next workday has its own nudges
    assert [n.kind for n in rig.nudges][-1] is NudgeKind.HEADS_UP


def test_a_restart_with_the_clock_back_does_not_repeat_a_nudge(qtbot: QtBot) -> None:
    first = Rig(at(24, 17, 0))
    first.controller.start()
    first.move_to(at(24, 17, 30))
    assert [n.kind for n in first.nudges] == [NudgeKind.SIGNOFF]
    first.controller.shutdown()
    saved = AppState.from_json(first.sink.writes[-1].to_json())  # what state.json holds

    second = Rig(at(24, 17, 10), state=saved)
    second.controller.start()
    second.move_to(at(24, 17, 15))
    second.move_to(at(24, 17, 30))
    assert second.nudges == []
    second.controller.shutdown()


def test_a_snooze_still_comes_back_after_the_nudge_was_shown(rig: Rig) -> None:
    rig.move_to(at(24, 17, 30))
    rig.controller.snooze(15)
    rig.move_to(at(24, 17, 45))
    assert [n.kind for n in rig.nudges] == [NudgeKind.SIGNOFF, NudgeKind.SIGNOFF]


@pytest.mark.parametrize("minutes", [4_193_435_804, 60 * 24 * 365])
def test_a_snooze_of_years_is_refused_and_never_stored(rig: Rig, minutes: int) -> None:
    before = rig.controller.state
    with pytest.raises((ValueError, OverflowError)):
        rig.controller.snooze(minutes)
    assert rig.controller.state == before
    rig.controller.shutdown()
    assert all(state.snoozed_until is None for state in rig.sink.writes)


def test_wall_clock_comparisons_in_a_fold_use_the_instant(qtbot: QtBot) -> None:
    """Focus until the second 02:30 of a fall-back night lasts until that second 02:30."""
    start = datetime(2026, 10, 25, 2, 0, tzinfo=BERLIN)  # first 02:00 (CEST)
    rig = Rig(start)
    rig.controller.start()
    second_0230 = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN)  # CET
    rig.controller.start_focus_until(second_0230)
    rig.move_to(datetime(2026, 10, 25, 2, 45, tzinfo=BERLIN))  # the first 02:45, CEST
    assert rig.controller.state.focusing, "ended 45 minutes early"
    rig.move_to(datetime(2026, 10, 25, 2, 31, fold=1, tzinfo=BERLIN))
    assert not rig.controller.state.focusing
    rig.controller.shutdown()
