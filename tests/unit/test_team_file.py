"""Team files: bad rows reported by line and reason (as the settings file says it), round trips."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from boundaries.cli import main
from boundaries.core.settings import Settings, Teammate
from boundaries.core.team_file import (
    BadRow,
    format_for,
    merge_team,
    parse_team,
    parse_team_csv,
    parse_team_toml,
    render_team_csv,
    render_team_toml,
)
from boundaries.integrations.config_store import ConfigStore

ROSTER_CSV = """\
name,timezone,hours,slack_user
Ana,Europe/London,09:00-17:30,U01ANA
Bo,America/New_Yrok,08:00-16:00,
# contractors
Cy,America/Los_Angeles,,U03CY

Dee,Europe/Berlin,9-5,
Eve,Asia/Tokyo
"""

TEAM = (
    Teammate("Ana", "Europe/London", slack_user="U01ANA"),
    Teammate("Bo", "America/New_York", time(8, 0), time(16, 0)),
    Teammate("Night, Owl", "Asia/Kolkata", time(22, 0), time(6, 0), ("mon", "tue", "sun")),
    Teammate('Zoë "Z"', "Pacific/Auckland", days=("mon", "tue", "wed", "thu", "fri", "sat")),
)


def test_csv_with_two_bad_rows_reports_exactly_those() -> None:
    parsed = parse_team_csv(ROSTER_CSV)
    assert parsed.bad_rows == (
        BadRow(
            3,
            'timezone: "America/New_Yrok" is not a known time zone; '
            'did you mean "America/New_York"?',
            "Bo,America/New_Yrok,08:00-16:00,",
        ),
        BadRow(
            7, 'hours: "9" needs minutes or am/pm, like "9:00" or "9pm"', "Dee,Europe/Berlin,9-5,"
        ),
    )
    assert parsed.teammates == (
        Teammate("Ana", "Europe/London", slack_user="U01ANA"),
        Teammate("Cy", "America/Los_Angeles", slack_user="U03CY"),  # empty hours: the default
        Teammate("Eve", "Asia/Tokyo"),  # a short row: the rest are defaults
    )
    assert (
        str(parsed.bad_rows[1]) == 'line 7: hours: "9" needs minutes or am/pm, like "9:00" or "9pm"'
    )


def test_csv_rows_missing_a_name_or_repeating_one() -> None:
    text = "name,timezone\nAna,Europe/London\n,Asia/Tokyo\nana,Europe/Paris\nBo,UTC,extra\n"
    parsed = parse_team_csv(text)
    assert [m.name for m in parsed.teammates] == ["Ana"]
    assert [str(row) for row in parsed.bad_rows] == [
        "line 3: name: is missing",
        'line 4: name: "ana" is already on line 2',
        "line 5: has 3 values, but the header names 2 columns",
    ]


def test_csv_without_a_usable_header_imports_nothing() -> None:
    parsed = parse_team_csv("Ana,Europe/London\nBo,UTC\n")
    assert parsed.teammates == ()
    assert [str(row) for row in parsed.bad_rows] == [
        "line 1: the first row must name the columns (name,timezone,hours,slack_user); "
        '"name" and "timezone" are missing'
    ]


def test_csv_unknown_column_is_reported_and_the_rows_still_import() -> None:
    parsed = parse_team_csv("Name,TimeZone,slack_id\nAna,Europe/London,U1\n")
    assert parsed.teammates == (Teammate("Ana", "Europe/London"),)
    assert parsed.bad_rows[0].line == 1
    assert parsed.bad_rows[0].reason.startswith('column "slack_id" is not known (ignored')


def test_toml_bad_tables_point_at_the_key_line() -> None:
    text = """\
# our team
[[team]]
name = "Ana"
timezone = "Europe/London"

[[team]]
name = "Bo"
hours = "09:00-17:00"
timezone = "Mars/Base"

[[team]]
name = "Cy"
timezone = "UTC"
role = "lead"
"""
    parsed = parse_team_toml(text)
    assert parsed.teammates == (Teammate("Ana", "Europe/London"),)
    assert [str(row) for row in parsed.bad_rows] == [
        'line 9: timezone: "Mars/Base" is not a known time zone',
        "line 14: role: is not a known setting (known: name, timezone, hours, days, slack_user)",
    ]


def test_toml_that_does_not_parse_says_where() -> None:
    parsed = parse_team_toml('[[team]]\nname = "Ana"\ntimezone = \n')
    assert parsed.teammates == ()
    assert len(parsed.bad_rows) == 1
    assert parsed.bad_rows[0].line == 3
    assert parsed.bad_rows[0].reason.startswith("the file is not valid TOML: ")


def test_toml_round_trip_keeps_every_field() -> None:
    text = render_team_toml(TEAM)
    assert text.count("[[team]]") == len(TEAM)
    assert parse_team_toml(text).teammates == TEAM
    assert parse_team_toml(text).bad_rows == ()


def test_csv_round_trip_keeps_every_field_and_quotes() -> None:
    text = render_team_csv(TEAM)
    assert text.splitlines()[0] == "name,timezone,hours,slack_user,days"
    assert parse_team("\ufeff" + text, "csv") == parse_team_csv(text)  # as a spreadsheet saves it
    assert parse_team_csv(text).teammates == TEAM
    assert parse_team_csv(text).bad_rows == ()


def test_csv_of_a_workweek_team_has_the_four_documented_columns() -> None:
    assert render_team_csv(TEAM[:2]) == (
        "name,timezone,hours,slack_user\n"
        "Ana,Europe/London,09:00-17:30,U01ANA\n"
        "Bo,America/New_York,08:00-16:00,\n"
    )


def test_merge_updates_by_name_and_appends_newcomers() -> None:
    current = (Teammate("Ana", "Europe/London"), Teammate("Bo", "America/New_York"))
    incoming = (
        Teammate("ANA", "Europe/Lisbon"),
        Teammate("Bo", "America/New_York"),
        Teammate("Cy", "Asia/Tokyo"),
    )
    merged = merge_team(current, incoming)
    assert merged.team == (
        Teammate("ANA", "Europe/Lisbon"),
        Teammate("Bo", "America/New_York"),
        Teammate("Cy", "Asia/Tokyo"),
    )
    assert (merged.added, merged.updated, merged.unchanged) == (("Cy",), ("ANA",), ("Bo",))


@pytest.mark.parametrize(
    ("name", "kind"), [("team.csv", "csv"), ("Team.TOML", "toml"), ("x/y.toml", "toml")]
)
def test_format_from_extension(name: str, kind: str) -> None:
    assert format_for(name) == kind


def test_unknown_extension_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match=r"must end in \.csv or \.toml"):
        format_for("team.txt")


# --------------------------------------------------------------------------- on the command line


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "settings.toml").write_text(
        '# my settings\n[general]\ntimezone = "Europe/Berlin"\n\n'
        '[[team]]\nname = "Ana"\ntimezone = "Europe/Lisbon"\n'
    )
    monkeypatch.setenv("BOUNDARIES_CONFIG_DIR", str(folder))
    return folder


def saved_team(config_dir: Path) -> tuple[Teammate, ...]:
    result = ConfigStore(config_dir).load()
    assert result.ok, result.message()
    return result.settings.team


def test_cli_import_shows_bad_rows_and_saves_nothing_without_yes(
    config_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "team.csv"
    roster.write_text(ROSTER_CSV)
    before = (config_dir / "settings.toml").read_bytes()
    assert main(["team", "import", str(roster)]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f'{roster}:3: timezone: "America/New_Yrok" is not a known time zone; '
        'did you mean "America/New_York"?',
        f'{roster}:7: hours: "9" needs minutes or am/pm, like "9:00" or "9pm"',
    ]
    assert "Would add 2: Cy, Eve\nWould update 1: Ana\n" in out
    assert "--yes" in out
    assert (config_dir / "settings.toml").read_bytes() == before


def test_cli_import_with_yes_saves_the_good_rows_merged_by_name(
    config_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "team.csv"
    roster.write_text(ROSTER_CSV)
    assert main(["team", "import", str(roster), "--yes"]) == 0
    assert "Added 2: Cy, Eve\nUpdated 1: Ana\n" in capsys.readouterr().out
    assert saved_team(config_dir) == (
        Teammate("Ana", "Europe/London", slack_user="U01ANA"),
        Teammate("Cy", "America/Los_Angeles", slack_user="U03CY"),
        Teammate("Eve", "Asia/Tokyo"),
    )
    assert (config_dir / "settings.toml").read_text().startswith("# my settings\n")


@pytest.mark.parametrize("suffix", [".csv", ".toml"])
def test_cli_export_then_import_gives_the_same_team(
    config_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    suffix: str,
) -> None:
    ConfigStore(config_dir).save(Settings(team=TEAM))
    exported = tmp_path / f"roster{suffix}"
    assert main(["team", "export", str(exported)]) == 0
    assert f"Wrote 4 teammate(s) to {exported}" in capsys.readouterr().out
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv("BOUNDARIES_CONFIG_DIR", str(other))
    assert main(["team", "import", str(exported), "--yes"]) == 0
    assert saved_team(other) == TEAM


def test_cli_refuses_an_unknown_extension_and_a_missing_file(
    config_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["team", "export", str(tmp_path / "team.txt")]) == 2
    assert "must end in .csv or .toml" in capsys.readouterr().err
    assert main(["team", "import", str(tmp_path / "absent.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_cli_plain_team_still_prints_the_menu_lines(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["team", "--at", "2026-03-10T12:00:00+01:00"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Overlap today 10:00–17:30",
        "● Ana — 11:00 Lisbon (WET) · working",
    ]
