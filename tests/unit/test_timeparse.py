"""The one reader of typed wall times: settings, focus --until, Custom… and the converter."""

from __future__ import annotations

from datetime import time

import pytest

from boundaries.core.convert import TimeQueryError, parse_time_query
from boundaries.core.settings import parse_settings
from boundaries.core.timefmt import format_hours_range, format_time
from boundaries.core.timeparse import parse_clock, parse_hours_range


@pytest.mark.parametrize(
    ("typed", "wall"),
    [
        ("17:30", time(17, 30)),
        ("9:05", time(9, 5)),
        ("5:30 PM", time(17, 30)),
        ("5:30pm", time(17, 30)),
        ("5pm", time(17, 0)),
        ("5 p.m.", time(17, 0)),
        ("12 AM", time(0, 0)),
        ("12:15 pm", time(12, 15)),
        ("noon", time(12, 0)),
        ("Midnight", time(0, 0)),
    ],
)
def test_every_way_a_person_writes_a_time_reads(typed: str, wall: time) -> None:
    assert parse_clock(typed) == wall


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("25:99", '"25:99": hours go up to 23 and minutes go up to 59'),
        ("17:75", '"17:75": minutes go up to 59'),
        ("13pm", '"13pm": with am/pm the hour is 1 to 12'),
        ("9", '"9" needs minutes or am/pm, like "9:00" or "9pm"'),
        ("five", '"five" is not a time (like 17:30 or 5:30 PM)'),
    ],
)
def test_a_bad_time_says_what_is_wrong(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match="^" + reason.replace("(", r"\(").replace(")", r"\)")):
        parse_clock(typed)


@pytest.mark.parametrize("wall", [time(0, 0), time(9, 5), time(12, 0), time(17, 30), time(23, 59)])
@pytest.mark.parametrize("time_format", ["24h", "12h"])
def test_what_the_formatter_writes_the_parser_reads_back(wall: time, time_format: str) -> None:
    assert parse_clock(format_time(wall, time_format)) == wall
    start, end = parse_hours_range(format_hours_range(wall, time(3, 0), time_format))
    assert (start, end) == (wall, time(3, 0))


def test_the_settings_file_accepts_the_12_hour_forms_settings_shows() -> None:
    data = {
        "general": {"time_format": "12h"},
        "workday": {"start": "9am", "signoff": "5:30 PM"},
        "team": [{"name": "Bo", "timezone": "UTC", "hours": "8:00 AM-4:30 PM"}],
    }
    settings, problems = parse_settings(data)
    assert problems == []
    assert (settings.workday.start, settings.workday.signoff) == (time(9, 0), time(17, 30))
    assert (settings.team[0].hours_start, settings.team[0].hours_end) == (time(8), time(16, 30))


def test_the_converter_reads_times_with_the_same_parser() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    utc = ZoneInfo("UTC")
    assert parse_time_query("5:30 PM", now, utc, ()).time() == time(17, 30)
    with pytest.raises(TimeQueryError, match="hours go up to 23 and minutes go up to 59"):
        parse_time_query("25:99", now, utc, ())
