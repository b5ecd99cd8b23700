"""The Teammates menu's exact lines, on the weeks when New York and London change clocks apart."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, available_timezones

import pytest

from boundaries.core.settings import GeneralSettings, Settings, Teammate, TimeFormat
from boundaries.core.team_view import (
    AMBIGUOUS_ABBREVIATIONS,
    day_plan,
    group_name,
    overlap_line,
    overlap_text,
    spoken_zone,
    teammate_lines,
)

LONDON = ZoneInfo("Europe/London")

BO = Teammate("Bo", "America/New_York")
CY = Teammate("Cy", "America/Los_Angeles", hours_start=time(7, 0), hours_end=time(15, 0))
DEE = Teammate("Dee", "Europe/Berlin", hours_start=time(8, 0), hours_end=time(15, 0))
ELI = Teammate("Eli", "America/Chicago")
KAI = Teammate("Kai", "Asia/Tokyo")


def london(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def team(*mates: Teammate, fmt: TimeFormat = "24h") -> Settings:
    return Settings(general=GeneralSettings(timezone="Europe/London", time_format=fmt), team=mates)


# 2026: the US moves its clocks on 8 March, the UK on 29 March. In between, New York is only
# four hours behind London, so the overlap starts an hour earlier than on the weeks around it.
@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (london(3, 3, 12), "Overlap today 14:00–17:30"),  # both on winter time
        (london(3, 10, 12), "Overlap today 13:00–17:30"),  # New York moved, London not yet
        (london(3, 27, 12), "Overlap today 13:00–17:30"),  # last weekday before London moves
        (london(3, 31, 12), "Overlap today 14:00–17:30"),  # both on summer time
    ],
)
def test_overlap_line_follows_each_zones_own_clock_change(now: datetime, expected: str) -> None:
    assert overlap_line(team(BO), now, LONDON) == expected


def test_overlap_line_in_12h() -> None:
    assert overlap_line(team(BO, fmt="12h"), london(3, 10, 12), LONDON) == (
        "Overlap today 1:00 PM–5:30 PM"
    )


def test_no_common_hours_names_the_best_groups() -> None:
    # Tokyo works 00:00-08:30 London time: nobody else is at work then.
    settings = team(BO, CY, KAI)
    assert overlap_line(settings, london(3, 10, 16), LONDON) == (
        "No common hours today; best: Bo+Cy 14:00–17:30; Bo 13:00–17:30"
    )
    assert overlap_line(settings, london(3, 3, 16), LONDON) == (
        "No common hours today; best: Bo+Cy 15:00–17:30; Bo 14:00–17:30"
    )


def test_a_big_group_is_named_by_two_and_a_count() -> None:
    # Five people share New York's hours: the line names two of them, not all five.
    crowd = tuple(Teammate(name, "America/New_York") for name in ("Ana", "Bo", "Cy", "Dee", "Eli"))
    assert overlap_line(team(*crowd, KAI), london(3, 3, 16), LONDON) == (
        "No common hours today; best: Ana+Bo and 3 others 14:00–17:30"
    )
    assert group_name(("Ana", "Bo", "Cy")) == "Ana+Bo+Cy"


def test_the_users_day_off_says_so() -> None:
    assert (
        overlap_line(team(BO), london(3, 14, 12), LONDON) == "No common hours today (your day off)"
    )


def test_overlap_text_for_another_day() -> None:
    text = overlap_text(team(BO), date(2026, 3, 31), LONDON, when="on Tue 31 Mar")
    assert text == "Overlap on Tue 31 Mar 14:00–17:30"
    assert overlap_text(team(BO), date(2026, 3, 31), LONDON, when="") == "Overlap 14:00–17:30"


def test_teammate_lines_on_the_dst_week() -> None:
    lines = teammate_lines(team(KAI, BO, DEE, CY, ELI), london(3, 10, 16), LONDON)
    assert lines == [
        "● Cy — 09:00 Los Angeles (PDT) · working",
        "● Eli — 11:00 Chicago · working",  # CDT also names Havana's time: city only
        "● Bo — 12:00 New York (EDT) · working",
        "○ Dee — 17:00 Berlin (CET) · off",
        "☾ Kai — Wed 01:00 Tokyo (JST) · asleep",
    ]


def test_teammate_lines_a_week_earlier_and_in_12h() -> None:
    lines = teammate_lines(team(BO, CY, fmt="12h"), london(3, 3, 16), LONDON)
    assert lines == [
        "● Cy — 8:00 AM Los Angeles · working",  # PST is also Manila's
        "● Bo — 11:00 AM New York (EST) · working",
    ]


def test_weekday_shows_for_teammates_still_on_yesterday() -> None:
    lines = teammate_lines(team(CY, KAI), london(3, 10, 5), LONDON)
    assert lines == [
        "☾ Cy — Mon 22:00 Los Angeles (PDT) · asleep",
        "● Kai — 14:00 Tokyo (JST) · working",
    ]


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("America/New_York", "New York (EST)"),
        ("Europe/London", "London (GMT)"),
        ("Asia/Kolkata", "Kolkata"),  # IST is also Ireland's and Israel's
        ("America/Chicago", "Chicago"),
        ("Asia/Singapore", "Singapore"),  # tzdata only has "+08"
        ("America/Argentina/Buenos_Aires", "Buenos Aires"),
        ("UTC", "UTC"),
    ],
)
def test_spoken_zone(zone: str, expected: str) -> None:
    assert spoken_zone(zone, datetime(2026, 1, 15, 12, tzinfo=UTC)) == expected


def test_ambiguous_abbreviations_cover_the_installed_tzdata() -> None:
    """Every letter abbreviation that means two offsets in 2026 is in the static set."""
    offsets: dict[str, set[object]] = {}
    for name in available_timezones():
        for month in (1, 7):
            local = datetime(2026, month, 15, tzinfo=UTC).astimezone(ZoneInfo(name))
            offsets.setdefault(local.tzname() or "", set()).add(local.utcoffset())
    ambiguous = {a for a, seen in offsets.items() if len(seen) > 1 and a[:1].isalpha()}
    assert ambiguous <= AMBIGUOUS_ABBREVIATIONS


def test_day_plan_on_the_23_hour_day() -> None:
    plan = day_plan(team(BO), date(2026, 3, 29), LONDON)  # London skips 01:00-02:00
    assert [hour for hour, _ in plan.hour_marks()][:3] == [0, 2, 3]
    assert len(plan.hour_marks()) == 23
    two = plan.hour_marks()[1][1]
    assert plan.fraction(two) == pytest.approx(1 / 23)
    assert plan.summary == "No common hours on Sun 29 Mar (your day off)"
    assert [row.name for row in plan.rows] == ["You", "Bo"]
    assert plan.rows[0].working == () and plan.rows[0].is_user
