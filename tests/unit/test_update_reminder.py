"""The weekly update reminder: Friday an hour before sign-off, never inside focus."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from boundaries.core.settings import (
    FocusBlock,
    FocusSettings,
    Settings,
    UpdateSettings,
    WorkdaySettings,
)
from boundaries.core.update_reminder import next_reminder, reminder_due, reminder_expired

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, hh: int, mm: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hh, mm, tzinfo=BERLIN)


def test_default_is_friday_one_hour_before_sign_off() -> None:
    assert next_reminder(Settings(), at(7, 9), BERLIN) == at(11, 16, 30)
    # Just after it: next week's.
    assert next_reminder(Settings(), at(11, 16, 31), BERLIN) == at(18, 16, 30)


def test_it_follows_that_days_own_sign_off() -> None:
    settings = Settings(workday=WorkdaySettings(signoff_by_day={"fri": time(16, 0)}))
    # 15:00 falls in the default 14:00-16:00 focus block: moved to its end.
    assert next_reminder(settings, at(7, 9), BERLIN) == at(11, 16, 0)


def test_a_reminder_inside_focus_moves_to_the_next_free_minute() -> None:
    blocks = (
        FocusBlock(("fri",), time(16, 0), time(17, 0)),
        FocusBlock(("fri",), time(17, 0), time(17, 20)),  # merged with the one before
    )
    settings = Settings(focus=FocusSettings(blocks=blocks))
    assert next_reminder(settings, at(7, 9), BERLIN) == at(11, 17, 20)


def test_day_and_offset_are_settings_and_it_can_be_off() -> None:
    settings = Settings(update=UpdateSettings(reminder_day="thu", reminder_before_signoff=0))
    assert next_reminder(settings, at(7, 9), BERLIN) == at(10, 17, 30)
    assert next_reminder(Settings(update=UpdateSettings(reminder=False)), at(7, 9), BERLIN) is None


def test_across_the_spring_dst_change() -> None:
    # 2026-03-27 is the Friday before Berlin moves its clocks; the next is after.
    assert next_reminder(Settings(), at(23, 9, month=3), BERLIN) == at(27, 16, 30, month=3)
    assert next_reminder(Settings(), at(28, 9, month=3), BERLIN) == at(3, 16, 30, month=4)


def test_missed_during_a_suspend_it_is_shown_once_while_its_week_lasts() -> None:
    assert reminder_due(Settings(), at(11, 16, 0), at(11, 18, 0), BERLIN) == at(11, 16, 30)
    assert reminder_due(Settings(), at(11, 16, 31), at(11, 18, 0), BERLIN) is None  # shown
    # Suspended Friday afternoon, woken on Monday: last week's reminder is history.
    assert reminder_due(Settings(), at(11, 16, 0), at(14, 9, 0), BERLIN) is None


def test_a_kept_reminder_lasts_while_its_week_does() -> None:
    friday = at(11, 16, 30)
    assert not reminder_expired(friday, at(11, 17, 0), BERLIN)
    assert not reminder_expired(friday, at(13, 23, 59), BERLIN)  # Sunday night
    assert reminder_expired(friday, at(14, 0, 0), BERLIN)  # Monday: last week's is history
    # One pushed past Sunday midnight by a focus block is shown in the week it landed in.
    assert not reminder_expired(at(14, 0, 30), at(14, 9, 0), BERLIN)
