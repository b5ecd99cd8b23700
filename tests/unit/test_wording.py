"""The words a new user trips over in the first week (#18 item 16), each as the user reads it."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from boundaries.core.focus import AppState, pause_today
from boundaries.core.nudge import Nudge, NudgeKind
from boundaries.core.settings import Settings, WorkdaySettings, parse_settings
from boundaries.core.status import nudge_text, summary_line
from boundaries.core.workday_record import DayRecord, SignoffSource
from boundaries.core.workday_summary import report, report_lines
from tests.cli_run import run_cli

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)  # 27 Nov 2026 is a Friday


def test_fridays_heads_up_and_reminder_name_monday_not_tomorrow() -> None:
    settings = Settings()
    _title, heads_up = nudge_text(Nudge(NudgeKind.HEADS_UP, at(27, 17, 15)), settings, BERLIN)
    assert "tomorrow" not in heads_up
    assert "so Monday starts easy" in heads_up
    _title, later = nudge_text(
        Nudge(NudgeKind.ESCALATION, at(27, 18, 0), minutes_after=30), settings, BERLIN
    )
    assert "The rest can wait until Monday." in later


def test_thursdays_heads_up_still_says_tomorrow() -> None:
    _title, body = nudge_text(Nudge(NudgeKind.HEADS_UP, at(26, 17, 15)), Settings(), BERLIN)
    assert body == "Time to wrap up: note where you stopped so tomorrow starts easy."


def test_paused_for_today_says_until_when() -> None:
    state = pause_today(AppState(), at(24, 12, 0))
    assert summary_line(state, Settings(), at(24, 12, 0), BERLIN) == (
        "Paused for today, until 00:00"
    )


def test_convert_names_every_part_of_a_time_that_is_out_of_range(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "convert", "25:99")
    assert result.returncode == 2
    assert '"25:99": hours go up to 23 and minutes go up to 59' in result.stderr


def test_a_focus_block_or_workweek_with_no_days_is_refused_with_a_reason() -> None:
    data = {
        "workday": {"days": []},
        "focus": {"blocks": [{"days": [], "start": "09:00", "end": "11:00"}]},
    }
    settings, problems = parse_settings(data)
    reasons = {problem.path: problem.reason for problem in problems}
    assert reasons["workday.days"].startswith("needs at least one day")
    assert reasons["focus.blocks[0].days"].startswith("needs at least one day")
    assert settings.workday.days == WorkdaySettings().days  # the default, not "never"
    assert settings.focus.blocks == ()  # a broken block is left out, as any broken block


def test_settings_check_reports_a_block_with_no_days(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text(
        '[[focus.blocks]]\ndays = []\nstart = "09:00"\nend = "11:00"\n', encoding="utf-8"
    )
    result = run_cli(tmp_path, "settings", "check")
    assert result.returncode == 2
    assert "focus.blocks[0].days: needs at least one day" in result.stdout + result.stderr


def test_report_planned_column_is_what_was_planned_that_day() -> None:
    """Monday was recorded under a 17:30 sign-off; sign-off is 16:00 since. Tuesday (focus
    only, no plan recorded) must not borrow today's 16:00 beside Monday's 17:30."""
    settings = Settings(workday=WorkdaySettings(signoff=time(16, 0)))
    records = [
        DayRecord(date(2026, 11, 23), at(23, 17, 30), at(23, 17, 40), SignoffSource.BUTTON),
        DayRecord(date(2026, 11, 24), focus_done=1, focus_minutes=120.0),
    ]
    data = report(records, date(2026, 11, 25), 1, settings, BERLIN)
    days = data["weeks"][0]["days"]
    assert days[0]["planned_signoff"] == "2026-11-23T17:30+01:00"
    assert days[1]["planned_signoff"] is None  # not recorded that day: not today's plan
    assert days[2]["planned_signoff"] == "2026-11-25T16:00+01:00"  # today: the current plan
    lines = report_lines(data)
    assert any(line.startswith("  Tue 24 Nov  planned -  ") for line in lines)
    assert any(line.startswith("  Wed 25 Nov  planned 16:00") for line in lines)
