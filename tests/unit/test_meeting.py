"""Fair meeting times: the cost model across DST and odd offsets, the planner vs brute force."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from boundaries.cli import main
from boundaries.core.meeting import (
    Attendee,
    Options,
    Request,
    best_fixed,
    cost_curve,
    options,
    plan,
)
from boundaries.core.meeting_view import occurrence_line, plan_text
from boundaries.core.settings import Away

WEEK = ("mon", "tue", "wed", "thu", "fri")
HALF_HOUR = timedelta(minutes=30)


def person(zone: str, start: time = time(9), end: time = time(17), **kw: object) -> Attendee:
    return Attendee(str(kw.get("name", zone)), zone, start, end, WEEK, kw.get("away", ()))  # type: ignore[arg-type]


def cost(who: Attendee, start: datetime, minutes: int = 30) -> int:
    start = start.astimezone(UTC)  # elapsed minutes, not wall minutes
    end = start + timedelta(minutes=minutes)
    return cost_curve(who, start, end).cost(start, end)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def reference_cost(who: Attendee, start: datetime, minutes: int) -> int:
    """Minute by minute, straight from the README's words (no intervals, no shared helpers)."""
    zone = ZoneInfo(who.zone)
    total = 0
    for n in range(minutes):
        minute = (start + timedelta(minutes=n)).astimezone(UTC)
        local = minute.astimezone(zone)
        best = 3 if 7 <= local.hour < 22 else 5
        for day in (local.date() - timedelta(days=1), local.date()):
            if ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()] not in who.days:
                continue
            end_day = day + timedelta(days=1) if who.hours_end <= who.hours_start else day
            begin = datetime.combine(day, who.hours_start, zone).astimezone(UTC)
            stop = datetime.combine(end_day, who.hours_end, zone).astimezone(UTC)
            if begin <= minute < stop:
                best = 0
            elif begin - timedelta(hours=2) <= minute < stop + timedelta(hours=2):
                best = min(best, 1)
        # a shoulder of the next day's early shift reaches back into this date
        day = local.date() + timedelta(days=1)
        if ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()] in who.days:
            begin = datetime.combine(day, who.hours_start, zone).astimezone(UTC)
            if begin - timedelta(hours=2) <= minute < begin:
                best = min(best, 1)
        total += best
    return total


# ------------------------------------------------------------------------ the cost model


def test_the_four_costs_on_a_plain_day() -> None:
    ana = person("Europe/London", time(9), time(17, 30))
    assert cost(ana, at("2027-01-12T10:00+00:00")) == 0  # in hours
    assert cost(ana, at("2027-01-12T07:30+00:00")) == 30  # within 2 h before
    assert cost(ana, at("2027-01-12T19:00+00:00")) == 30  # within 2 h after
    assert cost(ana, at("2027-01-12T20:00+00:00")) == 90  # evening
    assert cost(ana, at("2027-01-12T23:00+00:00")) == 150  # night
    assert cost(ana, at("2027-01-16T10:00+00:00")) == 90  # Saturday daytime
    assert cost(ana, at("2027-01-12T08:45+00:00")) == 15  # half shoulder, half hours


def test_time_away_off_is_a_day_off_and_elsewhere_moves_the_hours() -> None:
    off = Away(date(2027, 1, 11), date(2027, 1, 15), "off")
    elsewhere = Away(date(2027, 1, 11), date(2027, 1, 15), "elsewhere", "America/New_York")
    assert cost(person("Europe/London", away=(off,)), at("2027-01-12T10:00+00:00")) == 90
    bo = person("Europe/London", away=(elsewhere,))
    assert cost(bo, at("2027-01-12T10:00+00:00")) == 150  # 05:00 in New York
    assert cost(bo, at("2027-01-12T15:00+00:00")) == 0  # 10:00 in New York


def test_2027_march_when_only_the_us_has_changed_clocks() -> None:
    """The US springs forward on 14 March 2027, Europe on 28 March: for two weeks 13:00 UTC
    is 09:00 in New York, not 08:00."""
    ny = person("America/New_York")
    assert cost(ny, at("2027-03-09T13:00+00:00")) == 30  # 08:00 EST: shoulder
    assert cost(ny, at("2027-03-16T13:00+00:00")) == 0  # 09:00 EDT
    london = person("Europe/London")
    assert cost(london, at("2027-03-23T08:00+00:00")) == 30  # 08:00 GMT: shoulder
    assert cost(london, at("2027-03-30T08:00+00:00")) == 0  # 09:00 BST


def test_2026_october_and_november_when_europe_changes_first() -> None:
    """Europe falls back on 25 October 2026, the US on 1 November."""
    ny = person("America/New_York")
    assert cost(ny, at("2026-10-27T13:00+00:00")) == 0  # 09:00 EDT
    assert cost(ny, at("2026-11-03T13:00+00:00")) == 30  # 08:00 EST
    berlin = person("Europe/Berlin")
    assert cost(berlin, at("2026-10-20T07:00+00:00")) == 0  # 09:00 CEST
    assert cost(berlin, at("2026-10-27T07:00+00:00")) == 30  # 08:00 CET


def test_a_25_hour_and_a_23_hour_day_cost_their_real_minutes() -> None:
    zone = ZoneInfo("Europe/London")
    who = person("Europe/London")  # Sundays are days off
    for day, night_hours in ((date(2026, 10, 25), 10), (date(2027, 3, 28), 8)):
        start = datetime.combine(day, time(0), zone)
        end = datetime.combine(day + timedelta(days=1), time(0), zone)
        minutes = int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60)
        assert cost(who, start, minutes) == 15 * 60 * 3 + night_hours * 60 * 5


def test_lord_howe_shifts_by_half_an_hour() -> None:
    """Lord Howe Island moves its clocks by 30 minutes: on 4 April 2027 (a Sunday) its day has
    24.5 hours, on 4 October 2026 23.5."""
    zone = ZoneInfo("Australia/Lord_Howe")
    who = person("Australia/Lord_Howe")
    for day, night_minutes in ((date(2027, 4, 4), 9 * 60 + 30), (date(2026, 10, 4), 8 * 60 + 30)):
        start = datetime.combine(day, time(0), zone)
        end = datetime.combine(day + timedelta(days=1), time(0), zone)
        minutes = int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60)
        assert minutes == 15 * 60 + night_minutes
        assert cost(who, start, minutes) == 15 * 60 * 3 + night_minutes * 5
    # 09:00 on the Monday after: +10:30 in April, +11 in October
    assert cost(who, at("2027-04-04T22:30+00:00")) == 0
    assert cost(who, at("2026-10-04T22:00+00:00")) == 0
    assert cost(who, at("2026-10-04T21:30+00:00")) == 30  # 08:30: shoulder


def test_kathmandu_quarter_hour_offset() -> None:
    who = person("Asia/Kathmandu", time(10), time(18))
    assert cost(who, at("2027-01-12T04:15+00:00")) == 0  # 10:00 +05:45
    assert cost(who, at("2027-01-12T04:00+00:00")) == 15  # 09:45-10:15: half shoulder
    assert cost(who, at("2027-01-12T16:00+00:00"), 60) == 3 * 15 + 5 * 45  # 21:45-22:45


def test_southern_hemisphere_summer_time_starts_in_october() -> None:
    sydney = person("Australia/Sydney")
    assert cost(sydney, at("2026-09-28T22:00+00:00")) == 30  # Tue 08:00 AEST
    assert cost(sydney, at("2026-10-05T22:00+00:00")) == 0  # Tue 09:00 AEDT
    santiago = person("America/Santiago")  # Chile: summer time from 6 September 2026
    assert cost(santiago, at("2026-09-01T13:00+00:00")) == 0  # 09:00 -04
    assert cost(santiago, at("2026-09-08T12:00+00:00")) == 0  # 09:00 -03


def test_an_overnight_shift_costs_nothing_after_midnight() -> None:
    who = Attendee("Night", "Europe/London", time(22), time(6), WEEK)
    assert cost(who, at("2027-01-13T02:00+00:00")) == 0  # Wed 02:00, Tuesday's shift
    assert cost(who, at("2027-01-16T02:00+00:00")) == 0  # Sat 02:00, Friday's shift
    assert cost(who, at("2027-01-17T02:00+00:00")) == 150  # Sun 02:00, no shift


ZONES = [
    "Europe/London",
    "America/New_York",
    "Asia/Singapore",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Australia/Sydney",
    "America/Santiago",
    "Pacific/Chatham",
]
# Instants around the changes this file is about, and plain days.
AROUND = [
    at(t)
    for t in (
        "2026-10-04T00:00Z",
        "2026-10-25T00:00Z",
        "2026-11-01T00:00Z",
        "2027-03-14T00:00Z",
        "2027-03-28T00:00Z",
        "2027-04-04T00:00Z",
    )
]


@settings(max_examples=120, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    start_h=st.integers(0, 23),
    length_h=st.integers(1, 14),
    days=st.sets(st.sampled_from(("mon", "tue", "wed", "thu", "fri", "sat", "sun")), min_size=1),
    near=st.sampled_from(AROUND),
    offset=st.integers(-48 * 4, 48 * 4),
    minutes=st.integers(1, 150),
)
# Hours 01:00-02:00 wholly inside London's spring-forward gap: empty, but with shoulders.
@example("Europe/London", 1, 1, {"sun"}, at("2027-03-28T00:00Z"), 0, 1)
def test_interval_costs_match_minute_by_minute(
    zone: str,
    start_h: int,
    length_h: int,
    days: set[str],
    near: datetime,
    offset: int,
    minutes: int,
) -> None:
    end = time((start_h + length_h) % 24)
    who = Attendee("x", zone, time(start_h), end, tuple(sorted(days)))
    start = near + timedelta(minutes=15 * offset)  # near is UTC: elapsed time
    assert cost(who, start, minutes) == reference_cost(who, start, minutes)


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(st.integers(-6, 6), min_size=1, max_size=4),
    shift=st.integers(-5, 5),
    start_q=st.integers(0, 7 * 24 * 4),
)
def test_shifting_every_zone_and_the_meeting_together_changes_no_cost(
    offsets: list[int], shift: int, start_q: int
) -> None:
    """Fixed-offset zones: move everyone ``shift`` hours east and the meeting ``shift`` hours
    earlier, and every local time, so every cost, is the same."""

    def zone(hours: int) -> str:  # Etc/GMT signs are inverted
        return "Etc/UTC" if hours == 0 else f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"

    start = at("2027-01-11T00:00Z") + timedelta(minutes=15 * start_q)
    before = [cost(person(zone(h)), start, 60) for h in offsets]
    after = [cost(person(zone(h + shift)), start - timedelta(hours=shift), 60) for h in offsets]
    assert before == after


# ------------------------------------------------------------------------ the planner


def brute_force(per: list[Options], people: int) -> tuple[int, int]:
    best = None
    for picks in itertools.product(*(range(len(o.starts)) for o in per)):
        burdens = [sum(per[k].costs[i][p] for k, i in enumerate(picks)) for p in range(people)]
        score = (max(burdens), sum(burdens))
        best = score if best is None or score < best else best
    assert best is not None
    return best


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 3).flatmap(
        lambda people: st.lists(
            st.lists(st.tuples(*[st.integers(0, 9)] * people), min_size=1, max_size=4),
            min_size=1,
            max_size=4,
        ).map(lambda rows: (people, rows))
    )
)
def test_the_plan_is_as_good_as_brute_force(case: tuple[int, list[list[tuple[int, ...]]]]) -> None:
    people, rows = case
    base = at("2027-01-11T00:00Z")
    per = [
        Options([base + timedelta(days=7 * k, hours=i) for i in range(len(row))], list(row))
        for k, row in enumerate(rows)
    ]
    found = plan(per, people)
    assert found is not None
    assert found.score == brute_force(per, people)
    for k, start in enumerate(found.starts):  # the plan's burdens are what its starts cost
        assert found.costs[k] == per[k].costs[per[k].starts.index(start)]
    assert list(found.burdens) == [sum(c[p] for c in found.costs) for p in range(people)]


TEAM = [
    Attendee("me", "Europe/London", time(9), time(17, 30), WEEK),
    Attendee("Ana", "America/New_York", time(9), time(17), WEEK),
    Attendee("Bo", "Asia/Singapore", time(9), time(18), WEEK),
]


def test_a_real_plan_is_as_good_as_brute_force_across_the_march_changes() -> None:
    request = Request(HALF_HOUR, 3, 14, date(2027, 3, 8), ("tue",), 120, "Europe/London")
    per = options(request, TEAM)
    found = plan(per, len(TEAM))
    assert found is not None
    assert found.score == brute_force(per, len(TEAM))
    fixed = best_fixed(request, per, len(TEAM))
    assert fixed is not None and found.score <= fixed.plan.score


def test_the_plan_shares_what_a_fixed_slot_puts_on_one_person() -> None:
    request = Request(HALF_HOUR, 8, 7, date(2027, 3, 1), ("tue", "thu"), 15, "Europe/London")
    per = options(request, TEAM)
    found = plan(per, len(TEAM))
    fixed = best_fixed(request, per, len(TEAM))
    assert found is not None and fixed is not None
    assert max(found.burdens) < max(fixed.plan.burdens)
    assert found.starts == tuple(sorted(found.starts))  # one per week, in order
    weeks = {
        (s.astimezone(ZoneInfo("Europe/London")).date() - date(2027, 3, 1)).days // 7
        for s in found.starts
    }
    assert weeks == set(range(8))


def test_the_fixed_slot_keeps_the_organisers_wall_time_across_dst() -> None:
    request = Request(HALF_HOUR, 6, 7, date(2027, 3, 15), ("tue",), 60, "Europe/London")
    per = options(request, TEAM)
    fixed = best_fixed(request, per, len(TEAM))
    assert fixed is not None
    london = {s.astimezone(ZoneInfo("Europe/London")).time() for s in fixed.plan.starts}
    assert london == {fixed.wall}
    utc_hours = {s.astimezone(UTC).hour for s in fixed.plan.starts}
    assert len(utc_hours) == 2  # Europe moved its clocks on 28 March


@settings(max_examples=25, deadline=None)
@given(
    zones=st.lists(st.sampled_from(ZONES), min_size=1, max_size=3),
    start_h=st.integers(5, 12),
    near=st.sampled_from([date(2026, 10, 19), date(2027, 3, 8), date(2027, 3, 29)]),
    count=st.integers(1, 4),
)
def test_the_plan_is_never_worse_than_the_fixed_slot(
    zones: list[str], start_h: int, near: date, count: int
) -> None:
    people = [person(z, time(start_h), time(start_h + 8)) for z in zones]
    request = Request(HALF_HOUR, count, 7, near, ("mon", "wed"), 60, zones[0])
    per = options(request, people)
    found = plan(per, len(people))
    fixed = best_fixed(request, per, len(people))
    assert found is not None and fixed is not None
    assert found.score <= fixed.plan.score


def test_the_occurrence_line_shows_the_date_where_it_changes() -> None:
    line = occurrence_line(
        at("2027-01-12T16:00Z"), ["Europe/London", "America/New_York", "Asia/Singapore"]
    )
    assert line == "Tue 12 Jan 16:00 London · 11:00 New York · Wed 13 Jan 00:00 Singapore"


def test_in_12_hour_mode_every_time_of_the_plan_reads_with_am_pm() -> None:
    zones = ["Europe/London", "America/New_York", "Asia/Singapore"]
    line = occurrence_line(at("2027-01-12T16:00Z"), zones, "12h")
    assert line == "Tue 12 Jan 4:00 PM London · 11:00 AM New York · Wed 13 Jan 12:00 AM Singapore"
    request = Request(HALF_HOUR, 6, 7, date(2027, 3, 15), ("tue",), 60, "Europe/London")
    per = options(request, TEAM)
    found, fixed = plan(per, len(TEAM)), best_fixed(request, per, len(TEAM))
    assert found is not None and fixed is not None
    text = plan_text(TEAM, found, fixed, "Europe/London", "12h")
    assert not re.search(r"\b\d\d?:\d\d\b(?! [AP]M)", text)  # no 24-hour "16:00" anywhere
    wall = fixed.wall
    clock = f"{wall.hour % 12 or 12}:{wall.minute:02d} {'AM' if wall.hour < 12 else 'PM'}"
    assert f"best fixed slot, Tue {clock} London every time" in text


# ------------------------------------------------------------------------ command line

SETTINGS = """\
version = 1
[general]
timezone = "Europe/London"

[[team]]
name = "Ana"
timezone = "America/New_York"
hours = "09:00-17:00"

[[team]]
name = "Bo"
timezone = "Asia/Singapore"
hours = "09:00-18:00"
"""


def test_meeting_plan_json_contract(config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["meeting", "plan", "--duration", "30", "--count", "4", "--from", "2027-03-08"]
    assert main([*args, "--days", "tue,thu", "--attendees", "Ana,Bo,me", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"duration_minutes", "occurrences", "burden", "fixed_slot"}
    assert report["duration_minutes"] == 30
    assert len(report["occurrences"]) == 4
    first = report["occurrences"][0]
    assert set(first) == {"start", "attendees"}
    assert [a["name"] for a in first["attendees"]] == ["Ana", "Bo", "me"]
    start = datetime.fromisoformat(first["start"])
    for item in first["attendees"]:
        assert set(item) == {"name", "timezone", "local_start", "cost"}
        local = datetime.fromisoformat(item["local_start"])
        assert local == start  # the same instant
        assert local.utcoffset() == start.astimezone(ZoneInfo(item["timezone"])).utcoffset()
    for item in report["burden"]:
        assert set(item) == {"name", "plan", "fixed"}
        total = sum(
            a["cost"]
            for o in report["occurrences"]
            for a in o["attendees"]
            if a["name"] == item["name"]
        )
        assert item["plan"] == total
    assert max(b["plan"] for b in report["burden"]) <= max(b["fixed"] for b in report["burden"])
    assert report["fixed_slot"]["timezone"] == "Europe/London"
    datetime.fromisoformat(report["fixed_slot"]["start_local"])


def test_meeting_plan_text(config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["meeting", "plan", "--duration", "30", "--count", "2", "--from", "2027-01-11"]
    assert main([*args, "--days", "tue", "--every", "2weeks", "--attendees", "Bo,Ana,me"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert re.match(r"Tue 12 Jan \d\d:\d\d London · ", lines[0])  # the organiser's zone first
    assert lines[1].startswith("Tue 26 Jan ")
    assert "Singapore" in lines[0] and "New York" in lines[0]
    assert any(line.split()[:2] == ["me", "plan"] for line in lines)
    assert "fixed" in out


@pytest.mark.parametrize(
    "extra",
    [
        ["--attendees", "Zed"],
        ["--days", "funday"],
        ["--step", "7"],
        ["--from", "next week"],
        ["--duration", "0"],
        ["--count", "1000"],
        ["--every", "month"],
    ],
)
def test_meeting_plan_bad_arguments_exit_2(
    config_dir: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    args = ["meeting", "plan", "--duration", "30", "--count", "2", *extra]
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(args))
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(("boundaries:", "usage:"))
    assert "Traceback" not in err
