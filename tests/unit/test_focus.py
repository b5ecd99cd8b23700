"""The app state machine: transitions a user triggers and ones that happen with time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from boundaries.core import focus
from boundaries.core.focus import AppState, FocusSource, Mode
from boundaries.core.settings import FocusBlock, FocusSettings, Settings

BERLIN = ZoneInfo("Europe/Berlin")
SETTINGS = Settings()  # blocks 09-11 and 14-16 Mon-Fri, sign-off 17:30


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """November 2026: the 23rd is a Monday, the 27th a Friday."""
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


def test_manual_focus_runs_for_its_minutes_then_ends_by_itself() -> None:
    state = focus.start_focus(AppState(), at(24, 12), at(24, 12, 50))
    assert state.mode is Mode.FOCUSING and state.focus_until == at(24, 12, 50)
    assert focus.sync(state, at(24, 12, 49), SETTINGS, BERLIN).mode is Mode.FOCUSING
    assert focus.sync(state, at(24, 12, 50), SETTINGS, BERLIN).mode is Mode.IDLE


def test_extend_adds_to_the_running_focus() -> None:
    state = focus.start_focus(AppState(), at(24, 12), at(24, 12, 25))
    state = focus.extend_focus(state, at(24, 12, 20), 15)
    assert state.focus_until == at(24, 12, 40)
    assert state.focus_started == at(24, 12)


def test_scheduled_block_starts_on_sync_and_resumes_after_restart_mid_block() -> None:
    state = focus.sync(AppState(), at(24, 10, 15), SETTINGS, BERLIN)
    assert state.mode is Mode.FOCUSING
    assert state.focus_source is FocusSource.SCHEDULE
    assert state.focus_until == at(24, 11)
    restored = AppState.from_json(state.to_json())
    assert restored == state


def test_ending_a_scheduled_block_early_is_not_undone_by_the_next_sync() -> None:
    state = focus.sync(AppState(), at(24, 9, 5), SETTINGS, BERLIN)
    state = focus.end_focus(state, at(24, 9, 30))
    assert focus.sync(state, at(24, 9, 31), SETTINGS, BERLIN).mode is Mode.IDLE
    # ...but the afternoon block still starts.
    assert focus.sync(state, at(24, 14, 1), SETTINGS, BERLIN).mode is Mode.FOCUSING


def test_manual_focus_running_into_a_block_lasts_until_the_block_ends() -> None:
    state = focus.start_focus(AppState(), at(24, 8, 45), at(24, 9, 15))
    state = focus.sync(state, at(24, 9, 0), SETTINGS, BERLIN)
    assert state.focus_until == at(24, 11)


def test_block_is_skipped_while_signed_off_or_paused() -> None:
    signed_off = focus.sign_off(AppState(), at(24, 8), SETTINGS, BERLIN)
    assert signed_off.back_at == at(24, 9)
    late = focus.sign_off(AppState(), at(24, 18), SETTINGS, BERLIN)
    assert focus.sync(late, at(24, 23), SETTINGS, BERLIN).mode is Mode.SIGNED_OFF
    paused = focus.pause_today(AppState(), at(24, 8))
    assert focus.sync(paused, at(24, 9, 30), SETTINGS, BERLIN).mode is Mode.PAUSED
    # The pause ends with the day; the next day's block starts normally.
    assert focus.sync(paused, at(25, 9, 30), SETTINGS, BERLIN).mode is Mode.FOCUSING


def test_friday_sign_off_is_back_monday_and_focus_undoes_it() -> None:
    state = focus.sign_off(AppState(), at(27, 17, 40), SETTINGS, BERLIN)
    assert state.mode is Mode.SIGNED_OFF
    assert state.back_at == datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)
    assert focus.sync(state, at(28, 12), SETTINGS, BERLIN).mode is Mode.SIGNED_OFF
    working = focus.start_focus(state, at(28, 12), at(28, 12, 25))
    assert working.mode is Mode.FOCUSING and working.back_at is None


def test_sign_off_ends_a_running_focus_and_back_returns_to_idle() -> None:
    state = focus.start_focus(AppState(), at(24, 17), at(24, 17, 50))
    state = focus.sign_off(state, at(24, 17, 30), SETTINGS, BERLIN)
    assert state.mode is Mode.SIGNED_OFF and state.focus_until is None
    assert focus.back_to_work(state).mode is Mode.IDLE


def test_deadlines_are_the_moments_state_changes_by_itself() -> None:
    state = focus.start_focus(AppState(), at(24, 17, 30), at(24, 18, 20))
    state = focus.snooze_signoff(state, at(24, 17, 30), 15)
    assert sorted(focus.deadlines(state)) == [at(24, 17, 45), at(24, 18, 20)]


def test_focus_must_end_in_the_future() -> None:
    with pytest.raises(ValueError):
        focus.start_focus(AppState(), at(24, 12), at(24, 11))


def test_state_json_tolerates_garbage() -> None:
    assert AppState.from_json({"mode": "nonsense", "focus_until": 3}) == AppState()
    assert AppState.from_json({"mode": "focusing"}) == AppState()  # focusing without an end
    assert AppState.from_json({"paused_on": "2026-11-24", "mode": "paused"}).paused_on == date(
        2026, 11, 24
    )


def test_block_across_midnight_keeps_focusing_into_the_next_day() -> None:
    night = Settings(focus=FocusSettings(blocks=(FocusBlock(("mon",), time(22), time(1)),)))
    state = focus.sync(AppState(), at(23, 23), night, BERLIN)
    assert state.focus_until == at(24, 1)
    assert focus.sync(state, at(24, 0, 59), night, BERLIN).mode is Mode.FOCUSING
    assert focus.sync(state, at(24, 1) + timedelta(seconds=1), night, BERLIN).mode is Mode.IDLE
