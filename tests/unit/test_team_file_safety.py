"""Team files from other people: formula cells neutralised, hostile input never raises."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boundaries.cli import main
from boundaries.core.settings import Teammate
from boundaries.core.team_file import (
    FORMULA_STARTS,
    parse_team,
    parse_team_csv,
    quote_cell,
    render_team_csv,
    unquote_cell,
)
from boundaries.integrations.config_store import ConfigStore

HOSTILE = ("=cmd|' /C calc'!A0", "+SUM(1+1)", "-2+3", "@SUM(1)", "'=already quoted", "''x")


def test_exported_csv_has_no_cell_a_spreadsheet_would_run() -> None:
    team = tuple(Teammate(name, "Europe/London") for name in HOSTILE)
    text = render_team_csv(team)
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert cell[:1] not in FORMULA_STARTS, (cell, text)
    assert "'=cmd|' /C calc'!A0" in text
    assert parse_team_csv(text).teammates == team  # read back as the same names
    assert parse_team_csv(text).bad_rows == ()


def test_a_name_typed_with_a_leading_quote_by_hand_keeps_it() -> None:
    parsed = parse_team_csv("name,timezone\n'Bo,UTC\n")
    assert [mate.name for mate in parsed.teammates] == ["'Bo"]


def test_cli_export_then_import_keeps_hostile_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config"
    monkeypatch.setenv("BOUNDARIES_CONFIG_DIR", str(config))
    from boundaries.core.settings import Settings

    team = tuple(Teammate(name, "UTC") for name in HOSTILE)
    ConfigStore(config).save(Settings(team=team))
    exported = tmp_path / "team.csv"
    assert main(["team", "export", str(exported)]) == 0
    text = exported.read_text(encoding="utf-8")
    assert not any(line[:1] in FORMULA_STARTS for line in text.splitlines())
    ConfigStore(config).save(Settings())
    assert main(["team", "import", str(exported), "--yes"]) == 0
    assert ConfigStore(config).load().settings.team == team
    capsys.readouterr()


@given(st.text())
def test_quote_then_unquote_is_the_identity(value: str) -> None:
    quoted = quote_cell(value)
    assert quoted[:1] not in FORMULA_STARTS
    assert unquote_cell(quoted) == value


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from(["csv", "toml"]))
def test_any_text_parses_without_raising(text: str, kind: str) -> None:
    parsed = parse_team(text, kind)  # type: ignore[arg-type]
    assert isinstance(parsed.bad_rows, tuple)


@settings(max_examples=100, deadline=None)
@given(st.binary())
def test_any_bytes_decoded_leniently_parse_without_raising(raw: bytes) -> None:
    for kind in ("csv", "toml"):
        parse_team(raw.decode("utf-8", errors="replace"), kind)  # type: ignore[arg-type]


@pytest.mark.parametrize("depth", [3000, 100_000])
def test_deeply_nested_toml_team_file_is_a_bad_file_not_a_crash(depth: int) -> None:
    text = "team = " + "[" * depth + "]" * depth + "\n"
    parsed = parse_team(text, "toml")
    assert parsed.teammates == ()
    assert len(parsed.bad_rows) == 1
    assert "nested" in parsed.bad_rows[0].reason


def test_cli_import_of_a_deeply_nested_team_file_exits_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOUNDARIES_CONFIG_DIR", str(tmp_path / "config"))
    bomb = tmp_path / "team.toml"
    bomb.write_text("team = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    assert main(["team", "import", str(bomb)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2, err
    assert bomb.read_text(encoding="utf-8").startswith("team = [[[")  # the file is kept
