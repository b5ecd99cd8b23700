"""state.json: validated on read (bad parts dropped, the file kept as a copy), refused on write."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boundaries.cli import main
from boundaries.core.focus import AppState, FocusSource, Mode
from boundaries.core.state_check import check_state, parse_state
from boundaries.integrations.state_file import StateFile, StateRejected

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
GOOD = AppState(
    mode=Mode.FOCUSING,
    focus_started=NOW,
    focus_until=NOW + timedelta(minutes=50),
    focus_source=FocusSource.MANUAL,
    nudged_day=date(2026, 11, 23),
    nudged_rank=2,
    update_reminder_held=NOW - timedelta(minutes=5),
)


def write_raw(folder: Path, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "state.json"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_a_good_state_round_trips_with_no_problems(tmp_path: Path) -> None:
    StateFile(tmp_path).write(GOOD)
    loaded = StateFile(tmp_path).load(NOW)
    assert loaded.ok and loaded.state == GOOD and loaded.backup is None
    assert not list(tmp_path.glob("state.json.broken-*"))


def test_a_year_9999_instant_is_dropped_and_the_file_kept_as_a_copy(tmp_path: Path) -> None:
    data = {**GOOD.to_json(), "snoozed_until": "9999-12-31T23:59:59+00:00"}
    path = write_raw(tmp_path, json.dumps(data))
    original = path.read_bytes()
    loaded = StateFile(tmp_path).load(NOW)
    assert loaded.state == GOOD  # everything else kept
    assert loaded.problems == (
        "snoozed_until: '9999-12-31T23:59:59+00:00' is not between the years 1971 and 9997",
    )
    assert loaded.backup is not None and loaded.backup.read_bytes() == original
    assert str(loaded.backup) in loaded.message()
    # Loading again (before the app rewrote it) does not pile up copies.
    assert StateFile(tmp_path).load(NOW).backup == loaded.backup
    assert len(list(tmp_path.glob("state.json.broken-*"))) == 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('["focusing"]', "is not a JSON object but list"),
        ("{nope", "the file is not JSON"),
        ("[" * 100_000, "the file is nested too deeply"),
        ('{"mode": "focusing"}', "mode: focusing without focus_until"),
        ('{"mode": 3}', "mode: 3 is not text"),
        ('{"focus_until": "2026-11-24T12:00:00"}', "focus_until: '2026-11-24T12:00:00' has no"),
        ('{"nudged_rank": "2"}', "nudged_rank: '2' is not a small whole number"),
    ],
)
def test_a_wrong_typed_file_is_reported_not_silently_replaced(
    tmp_path: Path, text: str, problem: str
) -> None:
    write_raw(tmp_path, text)
    loaded = StateFile(tmp_path).load(NOW)
    assert loaded.state == AppState()
    assert any(p.startswith(problem) for p in loaded.problems), loaded.problems
    assert loaded.backup is not None and loaded.backup.read_text() == text


def test_a_snooze_of_years_is_dropped_relative_to_now() -> None:
    data = {"snoozed_until": (NOW + timedelta(days=400)).isoformat()}
    state, problems = parse_state(data, NOW)
    assert state.snoozed_until is None
    far = (NOW + timedelta(days=400)).isoformat()
    assert problems == [f"snoozed_until: {far} is too far ahead"]


def test_an_out_of_range_state_is_never_written(tmp_path: Path) -> None:
    StateFile(tmp_path).write(GOOD)
    before = (tmp_path / "state.json").read_bytes()
    bad = AppState(snoozed_until=datetime(9999, 6, 1, tzinfo=UTC))
    assert check_state(bad)
    with pytest.raises(StateRejected, match="snoozed_until"):
        StateFile(tmp_path).write(bad)
    assert (tmp_path / "state.json").read_bytes() == before


def test_status_reads_a_year_9999_state_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOUNDARIES_CONFIG_DIR", str(tmp_path))
    write_raw(
        tmp_path / "state",
        json.dumps({"mode": "signed_off", "back_at": "9999-12-31T23:59:59+00:00"}),
    )
    assert main(["status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["state"] != "signed_off"  # that part dropped
    assert not list((tmp_path / "state").glob("state.json.broken-*"))  # status writes nothing


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)
FIELDS = st.sampled_from([*AppState().to_json(), "other"])
VALUES = (
    JSON
    | st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())
    | st.dates().map(date.isoformat)
    | st.sampled_from(["idle", "focusing", "signed_off", "paused", "manual", "schedule"])
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(FIELDS, VALUES) | JSON, st.datetimes(timezones=st.just(UTC)))
def test_any_json_reads_as_a_state_that_may_be_stored(data: object, now: datetime) -> None:
    state, _problems = parse_state(data, now if 1971 < now.year < 9990 else None)
    assert check_state(state) == []  # what was kept can be written back


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_read_without_raising(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    folder = tmp_path_factory.mktemp("state")
    write_raw(folder, raw)
    loaded = StateFile(folder).load(NOW)
    assert loaded.state is not None
    assert check_state(loaded.state) == []
