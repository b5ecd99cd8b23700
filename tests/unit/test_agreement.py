"""The team agreement: the file, what it changes for each member, and its command line."""

from __future__ import annotations

import json
import os
import tomllib
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from boundaries.core.agreement import Agreement, apply_agreement, find_member, parse_agreement
from boundaries.core.agreement_ics import agreement_calendar
from boundaries.core.report import status_report, team_report
from boundaries.core.schedule import day_plan
from boundaries.core.settings import (
    AgreementSettings,
    Away,
    FocusBlock,
    Settings,
    Teammate,
    WorkdaySettings,
    parse_settings,
)
from boundaries.core.settings_doc import render_document
from boundaries.core.status import focus_status_text
from boundaries.core.team import Availability, availability, overlap_windows, teammate_local_time
from boundaries.core.team_view import teammate_lines
from boundaries.integrations.agreement_file import load_agreement
from tests.cli_run import run_cli

BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")
TUESDAY = date(2026, 12, 1)

EXAMPLE = """\
version = 1
name = "Payments"
[norms]
reply_within = "4h"                 # during the reader's working hours
urgent = "say 'urgent' or page #payments-oncall"
after_signoff = "no non-urgent messages"
[[focus_blocks]]                    # team-wide; in each member's own local time by default
days = ["mon", "tue", "wed", "thu"]
start = "09:00"
end = "11:00"
[[members]]
name = "Ana"
timezone = "Europe/London"
hours = "09:00-17:30"
days = ["mon", "tue", "wed", "thu", "fri"]
slack_user = "U0123ABC"
[[members.away]]                    # dated: time off, or working from another zone
from = "2026-12-21"
to = "2027-01-03"
kind = "off"
[[members]]
name = "Bo"
timezone = "America/New_York"
[[members.away]]
from = 2026-12-01
to = 2026-12-04
timezone = "Europe/Lisbon"
[[members]]
name = "Me"
timezone = "Europe/Berlin"
hours = "08:30-17:00"
"""


def parsed(text: str = EXAMPLE) -> Agreement:
    checked = parse_agreement(tomllib.loads(text), TUESDAY)
    assert checked.problems == []
    return checked.agreement


def mine(**agreement: str) -> Settings:
    return Settings(
        agreement=AgreementSettings(file="team.boundaries.toml", me=agreement.get("me", "Me"))
    )


# ------------------------------------------------------------------------ the file


def test_the_documented_example_reads_completely() -> None:
    agreement = parsed()
    assert agreement.name == "Payments"
    assert agreement.norms.reply_within == "4h"
    assert [m.name for m in agreement.members] == ["Ana", "Bo", "Me"]
    ana, bo, _ = agreement.members
    assert ana.away == (Away(date(2026, 12, 21), date(2027, 1, 3), "off", ""),)
    assert bo.away[0].kind == "elsewhere" and bo.away[0].timezone == "Europe/Lisbon"
    assert agreement.focus_blocks == (FocusBlock(("mon", "tue", "wed", "thu"), time(9), time(11)),)


def test_problems_name_file_line_path_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "team.boundaries.toml"
    path.write_text(
        EXAMPLE.replace('to = "2027-01-03"', 'to = "2026-12-01"').replace(
            'hours = "08:30-17:00"', 'hours = "8:30 to 5"'
        )
        + '[[members]]\nname = "ana"\ntimezone = "UTC"\n'
    )
    load = load_agreement(path, TUESDAY)
    assert load.lines(load.problems) == [
        f"{path}:19: members[0].away[0].to: 2026-12-01 is before the first day away (2026-12-21)",
        f'{path}:31: members[2].hours: "8:30 to 5" is not a range of hours (HH:MM-HH:MM)',
        f'{path}:33: members[3].name: "ana" is listed twice',
    ]
    assert load.agreement is not None  # the rest still reads
    assert [m.name for m in load.agreement.members] == ["Ana", "Bo"]


def test_unknown_zones_and_days_without_a_common_window_are_warnings() -> None:
    text = EXAMPLE + '[[members]]\nname = "Kai"\ntimezone = "Pacific/Auckand"\n'
    text += '[[members]]\nname = "Sia"\ntimezone = "Asia/Singapore"\nhours = "09:00-17:00"\n'
    checked = parse_agreement(tomllib.loads(text), TUESDAY)
    assert checked.problems == []
    reasons = [str(w) for w in checked.warnings]
    assert reasons[0].startswith('members[3].timezone: "Pacific/Auckand" is not a known time zone')
    assert "left out until it is fixed" in reasons[0]
    assert "members: Tuesday 2026-12-01: no common working window (Ana, Bo, Me, Sia)" in reasons
    assert not any("Saturday" in reason for reason in reasons)  # nobody works: nothing to say


def test_init_writes_a_commented_file_that_reads_back(tmp_path: Path) -> None:
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text(
        '[general]\ntimezone = "Europe/Berlin"\n'
        '[[team]]\nname = "Bo"\ntimezone = "America/New_York"\n'
    )
    target = tmp_path / "team.boundaries.toml"
    done = run_cli(tmp_path, "agreement", "init", str(target), "--me", "Me")
    assert done.returncode == 0, done.stderr
    text = target.read_text()
    assert "# How soon replies come" in text
    checked = parse_agreement(tomllib.loads(text), TUESDAY)
    assert checked.problems == []
    assert [(m.name, m.timezone) for m in checked.agreement.members] == [
        ("Me", "Europe/Berlin"),
        ("Bo", "America/New_York"),
    ]
    again = run_cli(tmp_path, "agreement", "init", str(target))
    assert again.returncode == 2 and "already exists" in again.stderr
    assert target.read_text() == text


def test_any_agreement_renders_and_reads_back() -> None:
    agreement = parsed()
    text = render_document(Agreement, agreement, "# test\n")
    assert parse_agreement(tomllib.loads(text), TUESDAY).agreement == agreement


# ------------------------------------------------------------------------ in the app


def test_members_come_first_my_hours_follow_my_entry_and_team_blocks_are_marked() -> None:
    personal = (Teammate("Bo", "Asia/Tokyo"), Teammate("Zed", "Asia/Tokyo"))
    settings = apply_agreement(
        Settings(agreement=AgreementSettings("f", "me"), team=personal), parsed(), frozenset()
    )
    assert [(m.name, m.from_agreement) for m in settings.team] == [
        ("Ana", True),
        ("Bo", True),  # the agreement's Bo, not the personal one
        ("Zed", False),
    ]
    assert (settings.workday.start, settings.workday.signoff) == (time(8, 30), time(17))
    assert [b.team for b in settings.focus.blocks] == [False, False, True]


def test_agreement_show_reads_times_in_12_hour_mode() -> None:
    from boundaries.core.agreement_view import agreement_report, agreement_text

    settings = apply_agreement(mine(), parsed(), frozenset())
    at = datetime(2026, 12, 22, 10, 0, tzinfo=BERLIN)
    text = agreement_text(agreement_report(parsed(), settings, at, BERLIN), "12h")
    assert "Bo — Tue 4:00 AM (America/New_York)" in text
    assert "Me — Tue 10:00 AM (Europe/Berlin)" in text
    assert "Team focus today: 9:00 AM–11:00 AM" in text
    assert "17:00" not in text and "09:00" not in text


def test_hours_set_in_my_own_file_win() -> None:
    own = Settings(
        agreement=AgreementSettings("f", "Me"),
        workday=WorkdaySettings(start=time(10), signoff=time(18)),
    )
    settings = apply_agreement(own, parsed(), {"workday.start", "workday.signoff"})
    assert (settings.workday.start, settings.workday.signoff) == (time(10), time(18))


def test_i_am_found_by_name_or_slack_member_id() -> None:
    agreement = parsed()
    assert find_member(agreement, "ANA") is agreement.members[0]
    assert find_member(agreement, "U0123ABC") is agreement.members[0]
    assert find_member(agreement, "nobody") is None


def test_norms_reach_the_focus_status_unless_i_wrote_my_own() -> None:
    settings = apply_agreement(mine(), parsed(), frozenset())
    now = datetime(2026, 12, 1, 9, 30, tzinfo=BERLIN)
    assert focus_status_text(settings, now.replace(hour=11, minute=0), now, BERLIN) == (
        "Focusing until 11:00 - replies within 4h; urgent? say 'urgent' or page #payments-oncall"
    )
    kept = apply_agreement(mine(), parsed(), {"focus.status_text"})
    assert kept.focus.status_text == Settings().focus.status_text


def test_time_away_off_and_elsewhere() -> None:
    ana, bo, _ = parsed().members
    holiday = datetime(2026, 12, 22, 11, 0, tzinfo=UTC)  # a Tuesday inside Ana's hours
    assert availability(ana, holiday) is Availability.OFF
    assert availability(ana, datetime(2026, 12, 15, 11, 0, tzinfo=UTC)) is Availability.WORKING
    in_lisbon = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # 05:00 in New York, 10:00 in Lisbon
    assert teammate_local_time(bo, in_lisbon).utcoffset() == LONDON.utcoffset(in_lisbon)
    assert availability(bo, in_lisbon) is Availability.WORKING


def test_someone_off_does_not_close_the_overlap_and_says_until_when() -> None:
    settings = apply_agreement(mine(), parsed(), frozenset())
    holiday = date(2026, 12, 22)
    windows = overlap_windows(settings, holiday, BERLIN)  # Ana is off; Bo is in New York
    assert [(w.start.time(), w.end.time()) for w in windows] == [(time(15), time(17))]
    now = datetime(2026, 12, 22, 10, 0, tzinfo=BERLIN)
    assert "○ Ana — off until Mon 4 Jan" in teammate_lines(settings, now, BERLIN)
    entry = next(t for t in team_report(settings, now, BERLIN)["teammates"] if t["name"] == "Ana")
    assert entry["away"] == {"until": "2027-01-04", "kind": "off"}
    bo = next(t for t in team_report(settings, now, BERLIN)["teammates"] if t["name"] == "Bo")
    assert bo["away"] is None


def test_status_json_marks_team_blocks() -> None:
    settings = apply_agreement(mine(), parsed(), frozenset())
    report = status_report(settings, None, datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN), BERLIN)
    assert [(b["start"][11:16], b["source"]) for b in report["focus_blocks"]] == [
        ("09:00", "team"),  # the personal 09-11 block and the team's merge: a team block
        ("14:00", "personal"),
    ]


def test_a_team_block_with_a_zone_is_one_instant_for_everyone() -> None:
    shared = FocusBlock(("tue",), time(15), time(16), zone="Europe/Berlin", team=True)
    london = Settings(focus=Settings().focus.__class__(blocks=(shared,)))
    plan = day_plan(london, TUESDAY, LONDON)
    assert [(b.start.time(), b.end.time()) for b in plan.focus_blocks] == [(time(14), time(15))]


# ------------------------------------------------------------------------ the calendar


def test_calendar_keeps_zones_and_leaves_out_days_off() -> None:
    agreement = parsed()
    data = agreement_calendar(agreement, TUESDAY, datetime(2026, 12, 1, 12, tzinfo=UTC))
    calendar = Calendar.from_ical(data)
    availabilities = [c for c in calendar.walk("VAVAILABILITY")]
    assert [str(c["summary"]) for c in availabilities] == [
        "Ana's working hours",
        "Bo's working hours",
        "Me's working hours",
    ]
    ana_weekly = availabilities[0].walk("AVAILABLE")[0]
    assert ana_weekly["dtstart"].dt.tzinfo.key == "Europe/London"  # a wall time, not UTC
    assert ana_weekly["rrule"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    excluded = {d.dt.date() for d in ana_weekly["exdate"].dts}
    assert date(2026, 12, 22) in excluded and date(2026, 12, 26) not in excluded  # a Saturday
    bo_days = [c for c in availabilities[1].walk("AVAILABLE")][1:]
    assert {c["dtstart"].dt.tzinfo.key for c in bo_days} == {"Europe/Lisbon"}
    (block,) = calendar.walk("VEVENT")
    assert block["dtstart"].dt.tzinfo is None  # floating: each member's own 09:00
    assert block["transp"] == "OPAQUE"
    assert {c["tzid"] for c in calendar.walk("VTIMEZONE")} >= {"Europe/London", "Europe/Lisbon"}


# ------------------------------------------------------------------------ command line


@pytest.fixture
def configured(tmp_path: Path) -> Path:
    (tmp_path / "team.boundaries.toml").write_text(EXAMPLE)
    (tmp_path / "settings.toml").write_text(
        '[general]\ntimezone = "Europe/Berlin"\n'
        '[agreement]\nfile = "team.boundaries.toml"\nme = "Me"\n'
    )
    return tmp_path


def test_check_exits_2_on_problems_and_0_with_warnings(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(EXAMPLE)
    done = run_cli(tmp_path, "agreement", "check", str(good))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE.replace('days = ["mon", "tue", "wed", "thu"]', 'days = ["funday"]'))
    done = run_cli(tmp_path, "agreement", "check", str(bad))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f'{bad}:8: focus_blocks[0].days: "funday" is not a weekday '
        "(mon, tue, wed, thu, fri, sat, sun)"
    ]


def test_show_json_and_the_plain_commands_use_the_agreement(configured: Path) -> None:
    at = "2026-12-22T10:00:00+01:00"
    shown = json.loads(run_cli(configured, "agreement", "show", "--json", "--at", at).stdout)
    assert shown["name"] == "Payments" and shown["norms"]["reply_within"] == "4h"
    assert [(m["name"], m["status"]) for m in shown["members"]] == [
        ("Ana", "off"),
        ("Bo", "asleep"),
        ("Me", "working"),
    ]
    assert shown["team_focus_blocks"] == [
        {"start": "2026-12-22T09:00:00+01:00", "end": "2026-12-22T11:00:00+01:00"}
    ]
    team = json.loads(run_cli(configured, "team", "--json", "--at", at).stdout)
    assert [t["name"] for t in team["teammates"]] == ["Ana", "Bo"]
    status = json.loads(run_cli(configured, "status", "--json", "--at", at).stdout)
    assert status["signoff"] == "2026-12-22T17:00:00+01:00"  # my member entry's hours
    text = run_cli(configured, "agreement", "show", "--at", at).stdout
    assert "Ana — off until Mon 4 Jan" in text and "Replies within: 4h" in text


def test_a_broken_agreement_is_said_and_the_rest_used(configured: Path) -> None:
    (configured / "team.boundaries.toml").write_text(EXAMPLE.replace("08:30-17:00", "8:30-27:00"))
    done = run_cli(configured, "team", "--json", "--at", "2026-12-01T10:00:00+01:00")
    assert done.returncode == 0
    assert "members[2].hours" in done.stderr
    assert [t["name"] for t in json.loads(done.stdout)["teammates"]] == ["Ana", "Bo"]


def test_export_ics_writes_a_calendar(configured: Path) -> None:
    out = configured / "team.ics"
    done = run_cli(configured, "agreement", "export-ics", str(out))
    assert done.returncode == 0, done.stderr
    assert Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert run_cli(configured, "agreement", "export-ics", str(configured / "x.txt")).returncode == 2


def test_settings_file_round_trips_time_away_and_block_zones() -> None:
    text = (
        '[[focus.blocks]]\nstart = "09:00"\nend = "10:00"\nzone = "Asia/Tokyo"\n'
        '[[team]]\nname = "Ana"\ntimezone = "UTC"\n'
        '[[team.away]]\nfrom = "2026-12-24"\nto = "2026-12-26"\n'
    )
    settings, problems = parse_settings(tomllib.loads(text))
    assert problems == []
    assert settings.focus.blocks[0].zone == "Asia/Tokyo"
    assert settings.team[0].away == (Away(date(2026, 12, 24), date(2026, 12, 26), "off", ""),)


def test_readme_agreement_reference_is_generated_from_the_schema() -> None:
    from boundaries.core.settings_doc import AGREEMENT_BEGIN, AGREEMENT_END, render_reference

    readme = Path(__file__).resolve().parents[2] / "README.md"
    generated = render_reference(
        Agreement,
        AGREEMENT_BEGIN,
        AGREEMENT_END,
        ("Keys marked (required) must be there; every other key is optional.",),
    ).rstrip("\n")
    text = readme.read_text(encoding="utf-8")
    start = text.index(AGREEMENT_BEGIN)
    end = text.index(AGREEMENT_END) + len(AGREEMENT_END)
    if os.environ.get("BOUNDARIES_UPDATE_DOCS") == "1":
        readme.write_text(text[:start] + generated + text[end:], encoding="utf-8")
        text = readme.read_text(encoding="utf-8")
        end = text.index(AGREEMENT_END) + len(AGREEMENT_END)
    assert text[start:end] == generated, "run BOUNDARIES_UPDATE_DOCS=1 pytest to regenerate"


def test_the_readme_example_is_a_valid_agreement() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split('```toml\nversion = 1\nname = "Payments"', 1)[1].split("```", 1)[0]
    checked = parse_agreement(tomllib.loads('version = 1\nname = "Payments"' + example), TUESDAY)
    assert checked.problems == []
    assert checked.agreement.members[0].away[0].end == date(2027, 1, 3)
