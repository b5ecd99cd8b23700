"""The "Copy a time for the team" converter: what may be typed and the line that is copied."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from boundaries.core.convert import TimeQueryError, parse_time_query, render_team_line
from boundaries.core.settings import Teammate
from boundaries.core.team import is_ambiguous
from boundaries.core.timefmt import zone_abbreviation
from boundaries.core.timeparse import all_zone_names

BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")
TEAM = (
    Teammate("Ana", "Europe/London"),
    Teammate("Bo", "America/New_York"),
    Teammate("Cy", "America/Los_Angeles"),
    Teammate("Di", "Asia/Singapore"),
)
NOW = datetime(2026, 1, 14, 10, 0, tzinfo=BERLIN)  # a Wednesday


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def parse(text: str, now: datetime = NOW, tz: ZoneInfo = BERLIN) -> datetime:
    return parse_time_query(text, now, tz, TEAM).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17:00", berlin(2026, 1, 14, 17, 0)),
        ("9:05", berlin(2026, 1, 14, 9, 5)),  # already past today: still today
        ("5pm", berlin(2026, 1, 14, 17, 0)),
        ("5PM", berlin(2026, 1, 14, 17, 0)),
        ("5:30 pm", berlin(2026, 1, 14, 17, 30)),
        ("5:30 p.m.", berlin(2026, 1, 14, 17, 30)),
        ("12am", berlin(2026, 1, 14, 0, 0)),
        ("12:15 pm", berlin(2026, 1, 14, 12, 15)),
        ("noon", berlin(2026, 1, 14, 12, 0)),
        ("Fri 17:00", berlin(2026, 1, 16, 17, 0)),
        ("friday 5pm", berlin(2026, 1, 16, 17, 0)),
        ("Fri, 17:00", berlin(2026, 1, 16, 17, 0)),
        ("wed 09:00", berlin(2026, 1, 14, 9, 0)),  # today's weekday means today
        ("tue 09:00", berlin(2026, 1, 20, 9, 0)),  # yesterday's means next week
        ("tomorrow 9:30", berlin(2026, 1, 15, 9, 30)),
        ("tomorrow at 9:30", berlin(2026, 1, 15, 9, 30)),
        ("today 14:00", berlin(2026, 1, 14, 14, 0)),
    ],
)
def test_accepted_forms_in_the_users_zone(text: str, expected: datetime) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:00 America/New_York", berlin(2026, 1, 14, 16, 0)),
        ("10:00 america/new_york", berlin(2026, 1, 14, 16, 0)),
        ("10:00 New York", berlin(2026, 1, 14, 16, 0)),
        ("Fri 10:00 UTC", berlin(2026, 1, 16, 11, 0)),
        ("tomorrow 9am Ana", berlin(2026, 1, 15, 10, 0)),
        ("tomorrow 9am ana", berlin(2026, 1, 15, 10, 0)),
        ("Fri 17:00 CET", berlin(2026, 1, 16, 17, 0)),
        ("Fri 17:00 Berlin", berlin(2026, 1, 16, 17, 0)),
    ],
)
def test_zone_and_teammate_suffixes(text: str, expected: datetime) -> None:
    assert parse(text) == expected


def test_a_city_the_zone_picker_knows_works_in_the_converter_too() -> None:
    from boundaries.core.timeparse import CITY_ALIASES

    kolkata = ZoneInfo("Asia/Kolkata")
    assert parse_time_query("9am Bangalore", NOW, BERLIN, ()) == datetime(
        2026, 1, 14, 9, 0, tzinfo=kolkata
    )
    for city, zone in CITY_ALIASES.items():  # one table: the picker's every alias
        there = datetime(2026, 1, 14, 9, 0, tzinfo=ZoneInfo(zone))  # "Montreal" is a link
        assert parse_time_query(f"9:00 {city.lower()}", NOW, BERLIN, ()) == there, city


def test_the_day_is_read_in_the_named_zone() -> None:
    # 05:00 Thursday in Berlin is Thursday noon in Singapore but still Wednesday in New York.
    early_thursday = berlin(2026, 1, 15, 5, 0)
    assert parse("today 9:00 Di", now=early_thursday) == datetime(
        2026, 1, 15, 9, 0, tzinfo=ZoneInfo("Asia/Singapore")
    )
    assert parse("today 9:00 Bo", now=early_thursday) == datetime(
        2026, 1, 14, 9, 0, tzinfo=ZoneInfo("America/New_York")
    )


def test_a_time_skipped_by_the_clock_change_is_the_moment_after_it() -> None:
    friday_before = berlin(2026, 3, 27, 12, 0)
    assert parse("Sun 02:30", now=friday_before) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_a_repeated_hour_is_the_first_unless_the_abbreviation_says_otherwise() -> None:
    friday_before = datetime(2026, 10, 23, 12, 0, tzinfo=LONDON)
    first, second = (
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    )
    assert parse("Sun 01:30", now=friday_before, tz=LONDON) == first
    assert parse("Sun 01:30 BST", now=friday_before, tz=LONDON) == first
    assert parse("Sun 01:30 GMT", now=friday_before, tz=LONDON) == second


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("25:00", "hours go up to 23"),
        ("17:75", "minutes go up to 59"),
        ("13pm", "with am/pm the hour is 1 to 12"),
        ("blah", '"blah" is not a time'),
        ("9", 'needs minutes or am/pm, like "9:00" or "9pm"'),
        ("Fri 17", 'needs minutes or am/pm, like "17:00"'),
        ("", "Type a time"),
        ("Fri", "has no time of day"),
        ("10:00 Europe/Berln", 'did you mean "Europe/Berlin"?'),
        ("10:00 Anna", 'did you mean "Ana"?'),
        ("10:00 Atlantis", '"Atlantis" is not a teammate or a known time zone'),
    ],
)
def test_garbage_is_rejected_with_a_reason_and_an_example(text: str, reason: str) -> None:
    with pytest.raises(TimeQueryError) as error:
        parse(text)
    assert reason in str(error.value)
    assert "17pm" not in str(error.value)
    assert re.search(r'(try|like) "', str(error.value)), "every message shows an example"


FRIDAY_FIVE = berlin(2026, 1, 16, 17, 0)


def test_render_the_team_line_in_24h() -> None:
    assert render_team_line(FRIDAY_FIVE, BERLIN, TEAM, "24h") == (
        "Fri 17:00 CET · 16:00 London · 11:00 New York · 08:00 Los Angeles · Sat 00:00 Singapore"
    )


def test_render_the_team_line_in_12h() -> None:
    assert render_team_line(FRIDAY_FIVE, BERLIN, TEAM, "12h") == (
        "Fri 5:00 PM CET · 4:00 PM London · 11:00 AM New York · 8:00 AM Los Angeles"
        " · Sat 12:00 AM Singapore"
    )


def test_render_names_each_zone_once_and_skips_the_users_own() -> None:
    team = (*TEAM, Teammate("Eli", "Europe/Berlin"), Teammate("Fay", "America/New_York"))
    assert render_team_line(FRIDAY_FIVE, BERLIN, team, "24h") == render_team_line(
        FRIDAY_FIVE, BERLIN, TEAM, "24h"
    )


def test_render_for_a_user_whose_zone_has_no_abbreviation() -> None:
    singapore = ZoneInfo("Asia/Singapore")
    team = (Teammate("Ana", "Europe/London"), Teammate("Bo", "America/New_York"))
    assert render_team_line(FRIDAY_FIVE, singapore, team, "24h") == (
        "Sat 00:00 Singapore · Fri 16:00 London · Fri 11:00 New York"
    )


def test_render_follows_each_zones_own_clock_change() -> None:
    # 2026-03-18: New York is on summer time already, Berlin not yet.
    line = render_team_line(berlin(2026, 3, 18, 17, 0), BERLIN, TEAM[:2], "24h")
    assert line == "Wed 17:00 CET · 16:00 London · 12:00 New York"


def test_what_was_rendered_for_a_teammate_parses_back_to_the_same_instant() -> None:
    line = render_team_line(FRIDAY_FIVE, BERLIN, TEAM, "24h")
    singapore_part = line.split(" · ")[-1]
    assert parse(singapore_part) == FRIDAY_FIVE


ZONES = sorted(all_zone_names())


def _fold_is_unreadable(local: datetime) -> bool:
    """True when the copied text cannot tell which of two repeated wall times it was."""
    zone = local.tzinfo
    assert isinstance(zone, ZoneInfo)
    if not is_ambiguous(local.date(), local.time(), zone):
        return False
    both = [zone_abbreviation(local.replace(fold=f)) for f in (0, 1)]
    return None in both or both[0] == both[1]


@settings(max_examples=300, deadline=None)
@given(
    instant=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)
    ).map(lambda dt: dt.replace(second=0, microsecond=0)),
    zone=st.sampled_from(ZONES),
    lead=st.integers(min_value=0, max_value=5 * 24 * 60),
    time_format=st.sampled_from(["24h", "12h"]),
)
def test_the_users_own_part_round_trips(
    instant: datetime, zone: str, lead: int, time_format: str
) -> None:
    user_tz = ZoneInfo(zone)
    assume(not _fold_is_unreadable(instant.astimezone(user_tz)))
    now = instant - timedelta(minutes=lead)  # the weekday names a day within the coming week
    own_part = render_team_line(instant, user_tz, (), time_format)
    assert parse_time_query(own_part, now, user_tz, ()).astimezone(UTC) == instant
