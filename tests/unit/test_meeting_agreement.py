"""The team agreement's recurring meetings: reading them, when they next happen, whose turn the
inconvenient slot is, and the plan as a calendar file across clock changes."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from boundaries.core.agreement import apply_agreement, parse_agreement
from boundaries.core.meeting import Attendee, Request, best_fixed, options
from boundaries.core.meeting_ics import plan_calendar
from boundaries.core.meeting_spec import Meeting
from boundaries.core.meeting_view import next_meeting_line
from boundaries.core.meetings import (
    Occurrence,
    attendees,
    cycle_occurrences,
    plan_meeting,
    request_for,
    upcoming,
)
from boundaries.core.settings import AgreementSettings, Settings
from boundaries.integrations.agreement_file import load_agreement

MONDAY = date(2027, 3, 1)
LONDON = ZoneInfo("Europe/London")

MEMBERS = """\
version = 1
name = "Payments"
[[members]]
name = "Ana"
timezone = "Europe/London"
hours = "09:00-17:30"
[[members]]
name = "Bo"
timezone = "America/Los_Angeles"
hours = "09:00-17:00"
[[members]]
name = "Chen"
timezone = "Australia/Sydney"
hours = "09:00-17:00"
"""

STANDUP = """\
[[meetings]]
name = "Standup"
duration = 30
days = ["tue", "wed", "thu"]
attendees = ["Ana", "Bo", "Chen"]
rotate = true
"""


def meetings_of(text: str) -> tuple[Meeting, ...]:
    checked = parse_agreement(tomllib.loads(text), MONDAY)
    assert checked.problems == []
    return checked.agreement.meetings


def problems_in(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "team.boundaries.toml"
    path.write_text(text, encoding="utf-8")
    load = load_agreement(path, MONDAY)
    return [line.removeprefix(f"{path}:") for line in load.lines(load.problems)]


# --------------------------------------------------------------------------- reading


def test_a_rotating_and_a_fixed_meeting_are_read_with_their_members() -> None:
    retro = '[[meetings]]\nname = "Retro"\nduration = 60\nevery = "2weeks"\ndays = ["fri"]\n'
    retro += 'start = "16:00"\nattendees = ["ana", "Bo"]\nfrom = "2027-03-08"\n'
    standup, fixed = meetings_of(MEMBERS + STANDUP + retro)
    assert standup.rotate and standup.days == ("tue", "wed", "thu")
    assert [p.timezone for p in standup.people] == [
        "Europe/London",
        "America/Los_Angeles",
        "Australia/Sydney",
    ]
    assert fixed.start == time(16) and fixed.every == "2weeks"
    assert [p.name for p in fixed.people] == ["Ana", "Bo"]  # any case names the member
    assert fixed.first_week == date(2027, 3, 8)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            'name = "Sync"\nduration = 30\nattendees = ["Ana", "Zed"]\nrotate = true\n',
            '18: meetings[0].attendees: "Zed" is not a member (members: Ana, Bo, Chen); '
            "this meeting is left out",
        ),
        (
            'name = "Sync"\nduration = 30\nattendees = ["Ana", "Bo"]\n',
            "15: meetings[0].start: is missing: a meeting that does not rotate needs its time, "
            'like start = "16:00" (or set rotate = true to share the inconvenience)',
        ),
        (
            'name = "Sync"\nduration = 30\nattendees = ["Ana", "Bo"]\nrotate = true\n'
            'start = "10:00"\n',
            "20: meetings[0].start: is for a meeting that does not rotate; with rotate = true "
            "the planner chooses each time (remove start, or set rotate = false)",
        ),
        (
            'name = "Sync"\nduration = 30\nattendees = ["Ana"]\nrotate = true\n',
            "18: meetings[0].attendees: name at least two members (a meeting needs two people)",
        ),
        (
            'name = "Sync"\nduration = 3\nattendees = ["Ana", "Bo"]\nrotate = true\n',
            "17: meetings[0].duration: must be between 5 and 480 minutes, not 3",
        ),
        (
            'name = "Sync"\nduration = 30\nattendees = "Ana, Bo"\nrotate = true\n',
            '18: meetings[0].attendees: must be a list of names like ["Ana", "Bo"], not text '
            "('Ana, Bo')",
        ),
        (
            'name = "Sync"\nduration = 30\nattendees = ["Ana", "ana"]\nrotate = true\n',
            '18: meetings[0].attendees: names "ana" twice',
        ),
        (
            'name = "Sync"\nduration = 30\nattendees = ["Ana", "Bo"]\nrotate = true\n'
            'every = "month"\n',
            '20: meetings[0].every: must be "week" or "2weeks", not "month"',
        ),
        (
            'name = "Sync"\nduration = 30\nattendees = ["Ana", "Bo"]\nrotate = true\ndays = []\n',
            '20: meetings[0].days: name at least one weekday, like ["tue", "thu"]',
        ),
        (
            'name = "Sync"\nduration = 30\nattendees = ["Ana", "Bo"]\nrotate = true\n'
            'atendees = ["Chen"]\n',
            '20: meetings[0].atendees: is not a known setting (ignored); did you mean "attendees"?',
        ),
    ],
)
def test_a_wrong_meeting_says_where_and_why(tmp_path: Path, entry: str, expected: str) -> None:
    assert problems_in(tmp_path, MEMBERS + "[[meetings]]\n" + entry) == [expected]


def test_a_meeting_name_used_twice_points_at_the_second(tmp_path: Path) -> None:
    text = MEMBERS + STANDUP + STANDUP.replace('"Ana", "Bo", "Chen"', '"Ana", "Bo"')
    assert problems_in(tmp_path, text) == ['22: meetings[1].name: "Standup" is listed twice']


def test_a_rotating_meeting_spans_at_most_five_zones(tmp_path: Path) -> None:
    zones = ["Asia/Tokyo", "Asia/Kolkata", "America/Sao_Paulo"]
    text = MEMBERS + "".join(
        f'[[members]]\nname = "M{i}"\ntimezone = "{zone}"\n' for i, zone in enumerate(zones)
    )
    text += STANDUP.replace('"Ana", "Bo", "Chen"', '"Ana", "Bo", "Chen", "M0", "M1", "M2"')
    assert problems_in(tmp_path, text) == [
        "28: meetings[0].attendees: are in 6 time zones; a rotating meeting can span at most 5 "
        "(one turn per zone in each cycle); this meeting is left out"
    ]
    # The same six people without rotation: fine (no plan to search).
    fixed = text.replace("rotate = true", 'start = "12:00"')
    assert problems_in(tmp_path, fixed) == []


def test_people_who_share_a_zone_share_its_turns() -> None:
    text = (
        MEMBERS + '[[members]]\nname = "Dee"\ntimezone = "Europe/London"\nhours = "08:00-16:00"\n'
    )
    text += STANDUP.replace('"Ana", "Bo", "Chen"', '"Ana", "Dee", "Bo", "Chen"')
    (standup,) = meetings_of(text)
    assert standup.zones() == ("Europe/London", "America/Los_Angeles", "Australia/Sydney")
    assert len(cycle_occurrences(standup, 55)) == 3


def test_the_running_settings_carry_the_meetings() -> None:
    agreement = parse_agreement(tomllib.loads(MEMBERS + STANDUP), MONDAY).agreement
    settings = Settings(agreement=AgreementSettings(file="t.toml", me="Ana"))
    applied = apply_agreement(settings, agreement, explicit=())
    assert [m.name for m in applied.meetings] == ["Standup"]
    assert applied.meetings[0].people[0].name == "Ana"  # the user is an attendee too


# --------------------------------------------------------------------------- occurrences


def test_a_rotation_shares_what_a_fixed_slot_puts_on_one_person() -> None:
    """London, Los Angeles and Sydney share no hour. A fixed slot leaves Ana 270 cost-minutes
    a cycle; the rotation moves one turn to Bo, and nobody carries more than 180."""
    (standup,) = meetings_of(MEMBERS + STANDUP)
    people = attendees(standup)
    for cycle in (0, 55):  # January 2024, and 1 to 21 March 2027 (the US change on the 14th)
        found = cycle_occurrences(standup, cycle)
        assert len(found) == 3
        burdens = [sum(o.costs[i] for o in found) for i in range(3)]
        request = request_for(standup, cycle)
        fixed = best_fixed(request, options(request, people), 3)
        assert fixed is not None
        assert max(burdens) == 180 < max(fixed.plan.burdens) == 270
        assert [o.turn() for o in found] == [("Bo",), ("Ana",), ("Ana",)]
        for o in found:
            assert o.end - o.start == timedelta(minutes=30)
            assert o.start.astimezone(LONDON).strftime("%a") in ("Tue", "Wed", "Thu")
    assert cycle_occurrences(standup, 55)[0].start == datetime(2027, 3, 2, 9, tzinfo=UTC)


def test_the_next_occurrence_is_the_same_whenever_it_is_asked() -> None:
    """Every member's app agrees: the plan depends on the agreement, not on when it is read."""
    (standup,) = meetings_of(MEMBERS + STANDUP)
    late = cycle_occurrences(standup, 55)[-1]
    for asked in (
        datetime(2027, 2, 1, tzinfo=UTC),  # weeks before, in an earlier cycle
        late.start - timedelta(days=6),
        late.start - timedelta(seconds=1),
    ):
        assert late in upcoming(standup, asked, 8)
    in_progress = upcoming(standup, late.start + timedelta(minutes=10), 1)
    assert in_progress == [late]  # a meeting under way is still the next one
    assert upcoming(standup, late.end, 1)[0].start > late.end


def test_a_fixed_meeting_keeps_its_wall_time_across_both_march_changes() -> None:
    """16:00 in London, fortnightly: New York reads 11:00, then 12:00 while only the US has
    moved its clocks (14 to 28 March 2027), then 11:00 again."""
    text = MEMBERS.replace("America/Los_Angeles", "America/New_York")
    text += '[[meetings]]\nname = "Retro"\nduration = 60\nevery = "2weeks"\ndays = ["fri"]\n'
    text += 'start = "16:00"\nattendees = ["Ana", "Bo"]\nfrom = "2027-03-08"\n'
    (retro,) = meetings_of(text)
    found = upcoming(retro, datetime(2027, 3, 8, tzinfo=UTC), 3)
    new_york = ZoneInfo("America/New_York")
    assert [o.start.astimezone(LONDON).strftime("%d %H:%M") for o in found] == [
        "12 16:00",
        "26 16:00",
        "09 16:00",
    ]
    assert [o.start.astimezone(new_york).strftime("%H:%M") for o in found] == [
        "11:00",
        "12:00",
        "11:00",
    ]
    assert [o.start.strftime("%H:%M") for o in found] == ["16:00", "16:00", "15:00"]  # UTC
    assert [o.costs for o in found] == [(0, 0), (0, 0), (0, 0)]
    assert found[0].turn() == ()


def test_autumn_2026_europe_changes_a_week_before_the_us() -> None:
    text = MEMBERS.replace("America/Los_Angeles", "America/New_York")
    text += '[[meetings]]\nname = "Sync"\nduration = 30\ndays = ["mon"]\nstart = "09:00"\n'
    text += 'attendees = ["Bo", "Ana"]\n'  # the first attendee's zone: New York
    (sync,) = meetings_of(text)
    found = upcoming(sync, datetime(2026, 10, 19, tzinfo=UTC), 3)
    assert [o.start.astimezone(LONDON).strftime("%d %b %H:%M") for o in found] == [
        "19 Oct 14:00",
        "26 Oct 13:00",  # London is back on GMT, New York not yet
        "02 Nov 14:00",
    ]
    assert found[1].costs == (0, 0)


def test_lord_howe_and_kathmandu_read_their_own_odd_clocks() -> None:
    text = """\
version = 1
[[members]]
name = "Ira"
timezone = "Australia/Lord_Howe"
hours = "09:00-17:00"
[[members]]
name = "Kim"
timezone = "Asia/Kathmandu"
hours = "09:00-17:00"
[[meetings]]
name = "Pair"
duration = 30
days = ["tue"]
start = "07:00"
zone = "UTC"
attendees = ["Ira", "Kim"]
"""
    (pair,) = meetings_of(text)
    # Lord Howe leaves its +11 (half an hour of DST) for +10:30 on Sunday 4 April 2027.
    before, after = upcoming(pair, datetime(2027, 3, 29, tzinfo=UTC), 2)
    ira, kim = ZoneInfo("Australia/Lord_Howe"), ZoneInfo("Asia/Kathmandu")
    assert before.start.astimezone(ira).strftime("%H:%M") == "18:00"
    assert after.start.astimezone(ira).strftime("%H:%M") == "17:30"
    assert before.start.astimezone(kim).strftime("%H:%M") == "12:45"
    assert before.costs == (30, 0)  # 18:00 is in Ira's shoulder
    assert after.costs == (30, 0)  # so is 17:30
    line = next_meeting_line(before, datetime(2027, 3, 28, tzinfo=UTC), ZoneInfo("UTC"), "24h")
    assert line == "Pair Tue 30 Mar 07:00–07:30 · Ira's turn (18:00 Lord Howe)"


# --------------------------------------------------------------------------- lines


def _occurrence(costs: tuple[int, ...], start: datetime) -> Occurrence:
    return Occurrence(
        "Standup",
        start,
        start + timedelta(minutes=30),
        ("Ana", "Bo", "Chen"),
        ("Europe/London", "America/Los_Angeles", "Australia/Sydney"),
        costs,
    )


def test_the_line_says_when_and_whose_turn() -> None:
    start = datetime(2027, 3, 9, 22, 0, tzinfo=UTC)
    now = datetime(2027, 3, 8, 12, tzinfo=UTC)
    line = next_meeting_line(_occurrence((150, 0, 0), start), now, LONDON, "24h")
    assert line == "Standup tomorrow 22:00–22:30 · Ana's turn (22:00 London)"
    line = next_meeting_line(_occurrence((150, 0, 0), start), now, LONDON, "12h", me="ana")
    assert line == "Standup tomorrow 10:00 PM–10:30 PM · your turn (10:00 PM London)"
    shared = next_meeting_line(_occurrence((0, 90, 90), start), now, LONDON, "24h", me="Bo")
    assert shared == (
        "Standup tomorrow 22:00–22:30 · you and Chen share the turn "
        "(Bo 14:00 Los Angeles, Chen 09:00 Sydney)"
    )
    easy = next_meeting_line(
        _occurrence((0, 0, 0), start), start - timedelta(hours=1), LONDON, "24h"
    )
    assert easy == "Standup today 22:00–22:30 · in everyone's hours"
    under_way = next_meeting_line(
        _occurrence((0, 0, 0), start), start + timedelta(minutes=5), LONDON, "24h"
    )
    assert under_way == "Standup now until 22:30 · in everyone's hours"
    later = next_meeting_line(_occurrence((0, 0, 0), start), now - timedelta(days=3), LONDON, "24h")
    assert later.startswith("Standup Tue 9 Mar 22:00–22:30")


# --------------------------------------------------------------------------- the calendar


def test_the_ics_has_one_event_per_occurrence_at_the_right_instant_across_dst() -> None:
    week = ("mon", "tue", "wed", "thu", "fri")
    people = [
        Attendee("me", "Europe/London", time(9), time(17, 30), week),
        Attendee("Ana", "America/New_York", time(9), time(17), week),
        Attendee("Bo", "Asia/Singapore", time(9), time(18), week),
    ]
    request = Request(
        timedelta(minutes=45), 6, 7, date(2027, 3, 8), ("tue", "thu"), 15, "Europe/London"
    )
    planned = plan_meeting(request, people)
    assert planned is not None
    stamp = datetime(2027, 3, 1, 9, tzinfo=UTC)
    data = plan_calendar(
        "Standup", people, planned.proposal, request.duration, "Europe/London", stamp
    )
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    assert len(events) == 6
    starts = [event.decoded("dtstart") for event in events]
    # Instants survive the round trip, before and after London's 28 March change.
    assert [s.astimezone(UTC) for s in starts] == [
        s.astimezone(UTC) for s in planned.proposal.starts
    ]
    assert {s.utcoffset() for s in starts} == {timedelta(0), timedelta(hours=1)}
    for event, start in zip(events, starts, strict=True):
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert event.decoded("dtend") - start == timedelta(minutes=45)
        assert event.decoded("dtstamp") == stamp
    assert len({str(event["UID"]) for event in events}) == 6
    zone = next(iter(Calendar.from_ical(data).walk("VTIMEZONE")))
    assert zone["TZID"] == "Europe/London"
    assert "New York" in str(events[0]["DESCRIPTION"])
