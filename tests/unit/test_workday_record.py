"""The end-of-day rules: which moment is a day's sign-off, what is late, the weekly numbers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from boundaries.core.focus import AppState, FocusSource, Mode
from boundaries.core.settings import Settings, WorkdaySettings
from boundaries.core.workday_record import (
    DayRecord,
    SignoffSource,
    came_back_same_day,
    ended_focus,
    merge_signoff,
    workday_of,
)
from boundaries.core.workday_summary import report, report_lines, summarize_week, week_start

BERLIN = ZoneInfo("Europe/Berlin")
MON = date(2026, 11, 23)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


def test_work_after_midnight_counts_for_the_previous_day() -> None:
    assert workday_of(at(25, 1, 30), BERLIN) == date(2026, 11, 24)
    assert workday_of(at(25, 4, 0), BERLIN) == date(2026, 11, 25)


def test_latest_observation_wins_whatever_order_it_arrives_in() -> None:
    planned = at(24, 17, 30)
    button = (at(24, 18, 5), SignoffSource.BUTTON)
    activity = (at(24, 16, 50), SignoffSource.LAST_ACTIVITY)
    for order in ((activity, button), (button, activity)):
        record = DayRecord(date(2026, 11, 24))
        for actual, source in order:
            record = merge_signoff(record, actual, source, planned)
        assert (record.actual_signoff, record.source) == button
        assert record.planned_signoff == planned


def test_explicit_signoff_beats_activity_at_the_same_minute() -> None:
    record = merge_signoff(
        DayRecord(MON), at(23, 17, 30), SignoffSource.LAST_ACTIVITY, at(23, 17, 30)
    )
    record = merge_signoff(record, at(23, 17, 30), SignoffSource.CLI, at(23, 17, 30))
    assert record.source is SignoffSource.CLI
    record = merge_signoff(record, at(23, 17, 30), SignoffSource.LAST_ACTIVITY, None)
    assert record.source is SignoffSource.CLI


def test_recorded_plan_is_kept_when_settings_change_later() -> None:
    record = merge_signoff(DayRecord(MON), at(23, 18), SignoffSource.BUTTON, at(23, 17, 30))
    record = merge_signoff(record, at(23, 19), SignoffSource.BUTTON, at(23, 16, 0))
    assert record.planned_signoff == at(23, 17, 30)


def focusing(start: datetime, until: datetime) -> AppState:
    return AppState(
        mode=Mode.FOCUSING, focus_started=start, focus_until=until, focus_source=FocusSource.MANUAL
    )


def test_focus_ended_by_hand_is_cut_short() -> None:
    session = ended_focus(focusing(at(23, 14), at(23, 16)), AppState(), at(23, 15, 30))
    assert session is not None
    assert session.cut_short and session.minutes == 90


def test_focus_that_ran_out_is_done_and_sleep_is_not_focus() -> None:
    # Woke two hours after the block ended (suspend): the session ends at its planned end.
    session = ended_focus(focusing(at(23, 9), at(23, 11)), AppState(), at(23, 13))
    assert session is not None
    assert not session.cut_short and session.minutes == 120
    assert session.ended == at(23, 11)


def test_extending_focus_does_not_end_the_session() -> None:
    old = focusing(at(23, 9), at(23, 10))
    assert ended_focus(old, focusing(at(23, 9), at(23, 11)), at(23, 9, 50)) is None


def test_coming_back_after_signoff_is_noticed_but_the_morning_expiry_is_not() -> None:
    signed = AppState(mode=Mode.SIGNED_OFF, back_at=at(24, 9), signed_off_at=at(23, 17, 30))
    assert came_back_same_day(signed, AppState(), at(23, 20), BERLIN)
    assert not came_back_same_day(signed, AppState(), at(24, 9), BERLIN)  # sync at back_at
    assert not came_back_same_day(signed, AppState(), at(24, 8), BERLIN)  # next day, by hand


def fixture_week() -> list[DayRecord]:
    """Mon on time, Tue 45 min late, Wed 10 min over (grace), Thu 2 h late, Fri left early."""
    planned = {23: (17, 30), 24: (17, 30), 25: (17, 30), 26: (17, 30), 27: (16, 0)}
    actual = {23: (17, 25), 24: (18, 15), 25: (17, 40), 26: (19, 30), 27: (15, 50)}
    return [
        DayRecord(
            day=date(2026, 11, d),
            planned_signoff=at(d, *planned[d]),
            actual_signoff=at(d, *actual[d]),
            source=SignoffSource.BUTTON,
            focus_done=2,
            focus_cut_short=d % 2,
            focus_minutes=200.0 + d,
        )
        for d in planned
    ]


def test_week_summary_marks_the_two_late_days() -> None:
    settings = Settings(workday=WorkdaySettings(signoff_by_day={"fri": time(16, 0)}))
    week = summarize_week(fixture_week(), MON, settings, BERLIN)
    assert [d.day.day for d in week.days if d.late] == [24, 26]
    assert [d.late_minutes for d in week.days] == [0, 45, 0, 120, 0, 0, 0]
    assert week.late_days == 2
    assert [d.is_workday for d in week.days] == [True] * 5 + [False] * 2
    assert week.days[5].planned_signoff is None and week.days[5].actual_signoff is None


def test_a_day_without_record_shows_the_plan_from_settings() -> None:
    week = summarize_week([], MON, Settings(), BERLIN)
    assert week.days[0].planned_signoff == at(23, 17, 30)
    assert week.days[0].actual_signoff is None and not week.days[0].late


def test_report_counts_late_days_in_the_last_four_weeks() -> None:
    fri = date(2026, 11, 27)

    def old_late_day(days_before: int) -> DayRecord:
        day = fri - timedelta(days=days_before)
        planned = datetime(day.year, day.month, day.day, 17, 30, tzinfo=BERLIN)
        return DayRecord(day, planned, planned + timedelta(hours=2), SignoffSource.CLI)

    # 27 days before Friday is the first day of the 4 weeks; 28 days before is outside.
    records = [*fixture_week(), old_late_day(27), old_late_day(28)]
    data = report(records, fri, 2, Settings(), BERLIN)
    assert data["late_days_last_4_weeks"] == 3  # Tue, Thu, and 31 Oct
    assert [w["week_start"] for w in data["weeks"]] == ["2026-11-16", "2026-11-23"]
    tuesday = data["weeks"][1]["days"][1]
    assert tuesday == {
        "day": "2026-11-24",
        "workday": True,
        "planned_signoff": "2026-11-24T17:30+01:00",
        "actual_signoff": "2026-11-24T18:15+01:00",
        "source": "button",
        "late": True,
        "late_minutes": 45,
        "focus_minutes": 224,
        "focus_blocks_done": 2,
        "focus_blocks_cut_short": 0,
    }
    text = "\n".join(report_lines(data))
    assert "Late days in the last 4 weeks: 3" in text
    assert (
        "Tue 24 Nov  planned 17:30    actual 18:15 (button)         focus 224 min  LATE +45 min"
        in text
    )


def test_report_rejects_zero_weeks() -> None:
    with pytest.raises(ValueError):
        report([], MON, 0, Settings(), BERLIN)


def test_week_start_is_monday() -> None:
    assert week_start(date(2026, 11, 29)) == MON
    assert week_start(MON) == MON
