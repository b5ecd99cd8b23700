"""Settings validation: every problem named by its path with a reason; defaults for the rest."""

from __future__ import annotations

import tomllib
from datetime import time

import pytest

from boundaries.core.settings import (
    FocusBlock,
    Settings,
    Teammate,
    parse_settings,
    settings_to_dict,
)
from boundaries.core.timeparse import check_zone


def problems(text: str) -> list[str]:
    return [str(p) for p in parse_settings(tomllib.loads(text))[1]]


def test_defaults_match_the_product_description() -> None:
    settings, found = parse_settings({})
    assert found == []
    assert settings.workday.days == ("mon", "tue", "wed", "thu", "fri")
    assert settings.workday.signoff == time(17, 30)
    assert settings.workday.heads_up_minutes == 15
    assert settings.workday.escalate_after_minutes == (30, 60)
    assert [(b.start, b.end) for b in settings.focus.blocks] == [
        (time(9), time(11)),
        (time(14), time(16)),
    ]
    assert settings.slack.enabled is False


def test_bad_block_time_names_the_block_and_keeps_the_others() -> None:
    text = """
[[focus.blocks]]
start = "09:00"
end = "11:00"
[[focus.blocks]]
start = "25:00"
end = "16:00"
"""
    settings, found = parse_settings(tomllib.loads(text))
    assert [str(p) for p in found] == [
        'focus.blocks[1].start: "25:00": hours go up to 23 (or use am/pm)'
    ]
    assert settings.focus.blocks == (FocusBlock(start=time(9), end=time(11)),)


def test_unknown_zone_suggests_the_closest() -> None:
    assert problems('[[team]]\nname = "Ana"\ntimezone = "Europe/Londn"\n') == [
        'team[0].timezone: "Europe/Londn" is not a known time zone; did you mean "Europe/London"?'
    ]
    assert problems('[general]\ntimezone = "Berln"\n') == [
        'general.timezone: "Berln" is not a known time zone; did you mean "Europe/Berlin"?'
    ]


def test_a_zone_folder_is_not_a_zone() -> None:
    with pytest.raises(ValueError, match="not a known time zone"):
        check_zone("Europe")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[general]\nnotifications = "yes"\n',
            "general.notifications: must be true or false, not text ('yes')",
        ),
        (
            '[general]\ntime_format = "25h"\n',
            'general.time_format: must be "24h" or "12h", not "25h"',
        ),
        (
            "[workday]\nheads_up_minutes = -5\n",
            "workday.heads_up_minutes: must be between 0 and 1440 minutes, not -5",
        ),
        (
            "[workday]\nescalate_after_minutes = [60, 30]\n",
            "workday.escalate_after_minutes: must be increasing, like [30, 60]",
        ),
        (
            '[workday]\ndays = ["mon", "funday"]\n',
            'workday.days: "funday" is not a weekday (mon, tue, wed, thu, fri, sat, sun)',
        ),
        (
            '[workday]\nstart = "18:00"\n',
            "workday.signoff: 17:30 must be after the workday start (18:00)",
        ),
        (
            '[workday]\nsignoff_by_day = { fri = "08:00" }\n',
            "workday.signoff_by_day.fri: 08:00 must be after the workday start (09:00)",
        ),
        (
            '[focus]\nstatus_emoji = "headphones"\n',
            'focus.status_emoji: "headphones" is not an emoji code like ":headphones:"',
        ),
        (
            '[focus]\nstatus_text = "until {finish}"\n',
            "focus.status_text: has an unknown placeholder {finish}"
            " (use {end} or {back} or {reply_within} or {urgent})",
        ),
        (
            '[focus]\nstatus_text = "' + "x" * 101 + '"\n',
            "focus.status_text: is 101 characters; Slack allows at most 100",
        ),
        (
            '[slack]\napi_url = "slack.com"\n',
            'slack.api_url: "slack.com" is not a web address (https://...)',
        ),
        (
            '[slack]\ntoken = "xoxp-1"\n',
            "slack.token: tokens never go in this file; paste it in Settings > Slack",
        ),
        (
            '[[team]]\nname = "Bo"\ntimezone = "UTC"\nhours = "9-5"\n',
            'team[0].hours: "9" needs minutes or am/pm, like "9:00" or "9pm"',
        ),
        ('[[team]]\ntimezone = "UTC"\n', "team[0].name: is missing"),
        ('colour = "red"\n', "colour: is not a known setting (ignored)"),
        ("version = 7\n", "version: 7 is newer than this app understands (1)"),
        ("general = 3\n", "general: must be a table, not a number (3)"),
    ],
)
def test_each_problem_has_its_path_and_reason(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_in_12_hour_mode_the_reasons_name_times_in_12_hours() -> None:
    text = (
        '[general]\ntime_format = "12h"\n'
        '[workday]\nstart = "6pm"\nsignoff_by_day = { fri = "8:00 AM" }\n'
    )
    assert problems(text) == [
        "workday.signoff: 5:30 PM must be after the workday start (6:00 PM)",
        "workday.signoff_by_day.fri: 8:00 AM must be after the workday start (6:00 PM)",
    ]


def test_all_problems_are_reported_at_once() -> None:
    text = '[general]\ntime_format = "x"\n[workday]\nstart = "x"\n[[team]]\nname = "A"\n'
    assert len(problems(text)) == 3


def test_broken_part_falls_back_but_good_parts_are_kept() -> None:
    text = '[workday]\nsignoff = "late"\nheads_up_minutes = 5\n'
    settings, _ = parse_settings(tomllib.loads(text))
    assert settings.workday.signoff == time(17, 30)
    assert settings.workday.heads_up_minutes == 5


def test_round_trip_through_the_file_shape() -> None:
    original = Settings(
        team=(Teammate("Ana", "Europe/London", time(8), time(16), ("mon", "tue"), "U1"),),
    )
    parsed, found = parse_settings(settings_to_dict(original))
    assert found == [] and parsed == original


def test_two_teammates_with_one_name_are_refused_naming_the_second() -> None:
    text = """\
[[team]]
name = "Ana"
timezone = "Europe/London"

[[team]]
name = "ana "
timezone = "Asia/Tokyo"
"""
    settings, found = parse_settings(tomllib.loads(text))
    assert [str(p) for p in found] == [
        'team[1].name: "ana" is listed twice; give each a different name'
    ]
    assert [mate.name for mate in settings.team] == ["Ana"]
