"""history.sqlite3: round trip, migration from the v0 prototype, damaged files, clearing."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from boundaries.cli import main
from boundaries.core.workday_record import DayRecord, FocusSession, SignoffSource
from boundaries.integrations.history import (
    FILENAME,
    SCHEMA_VERSION,
    History,
    HistoryUnavailable,
    read_records,
)

BERLIN = ZoneInfo("Europe/Berlin")
TUE = date(2026, 11, 24)
FIXED_NOW = datetime(2026, 11, 30, 8, 15, 0, tzinfo=UTC)

# The v0 prototype's file: one table, no version set (user_version 0), button sign-offs only.
V0_FIXTURE = """
CREATE TABLE signoffs (day TEXT PRIMARY KEY, planned TEXT, actual TEXT);
INSERT INTO signoffs VALUES ('2026-11-23', '2026-11-23T17:30:00+01:00', '2026-11-23T17:20:00+01:00');
INSERT INTO signoffs VALUES ('2026-11-24', '2026-11-24T17:30:00+01:00', '2026-11-24T19:05:00+01:00');
INSERT INTO signoffs VALUES ('2026-11-28', NULL, NULL);
"""  # noqa: E501


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def history(tmp_path: Path) -> History:
    h = History(tmp_path / "state", clock=lambda: FIXED_NOW)
    yield h
    h.close()


def test_round_trip_through_a_fresh_connection(history: History, tmp_path: Path) -> None:
    history.observe_signoff(TUE, at(24, 16, 50), SignoffSource.LAST_ACTIVITY, at(24, 17, 30))
    history.observe_signoff(TUE, at(24, 18, 5), SignoffSource.BUTTON, at(24, 17, 30))
    history.record_focus(TUE, FocusSession(at(24, 9), at(24, 11), at(24, 11), cut_short=False))
    history.record_focus(TUE, FocusSession(at(24, 14), at(24, 15, 30), at(24, 16), cut_short=True))
    # The same session recorded twice (e.g. after a restart) counts once.
    history.record_focus(TUE, FocusSession(at(24, 14), at(24, 15, 30), at(24, 16), cut_short=True))
    history.close()

    expected = DayRecord(
        day=TUE,
        planned_signoff=at(24, 17, 30),
        actual_signoff=at(24, 18, 5),
        source=SignoffSource.BUTTON,
        focus_done=1,
        focus_cut_short=1,
        focus_minutes=210.0,
    )
    reopened = History(tmp_path / "state")
    assert reopened.records_between(date(2026, 11, 23), date(2026, 11, 29)) == [expected]
    assert reopened.records_between(date(2026, 11, 25), date(2026, 11, 29)) == []
    reopened.close()
    assert read_records(tmp_path / "state", TUE, TUE) == [expected]
    stored = read_records(tmp_path / "state", TUE, TUE)[0].actual_signoff
    assert stored is not None and stored.utcoffset() == at(24, 18, 5).utcoffset()


def test_schema_version_is_set(history: History) -> None:
    history.open()
    with sqlite3.connect(history.path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 1


def make_v0(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.executescript(V0_FIXTURE)
    conn.close()


def test_migration_from_v0_keeps_every_signoff(tmp_path: Path) -> None:
    make_v0(tmp_path / "state" / FILENAME)
    # The read-only CLI path reads an old file without changing it.
    before = (tmp_path / "state" / FILENAME).read_bytes()
    old_view = read_records(tmp_path / "state", date(2026, 11, 23), date(2026, 11, 29))
    assert (tmp_path / "state" / FILENAME).read_bytes() == before

    history = History(tmp_path / "state")
    records = history.records_between(date(2026, 11, 23), date(2026, 11, 29))
    assert records == old_view
    assert records == [
        DayRecord(date(2026, 11, 23), at(23, 17, 30), at(23, 17, 20), SignoffSource.BUTTON),
        DayRecord(date(2026, 11, 24), at(24, 17, 30), at(24, 19, 5), SignoffSource.BUTTON),
        DayRecord(date(2026, 11, 28)),
    ]
    history.observe_signoff(date(2026, 11, 25), at(25, 17, 31), SignoffSource.CLI, at(25, 17, 30))
    history.close()
    with sqlite3.connect(tmp_path / "state" / FILENAME) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    assert "signoffs" not in tables and {"workdays", "focus_sessions"} <= tables


def test_a_damaged_file_is_kept_aside_and_a_new_history_started(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    garbage = b"this is not SQLite at all\n" * 200
    (state / FILENAME).write_bytes(garbage)
    history = History(state, clock=lambda: FIXED_NOW)

    history.observe_signoff(TUE, at(24, 17, 40), SignoffSource.BUTTON, at(24, 17, 30))

    kept = state / f"{FILENAME}.corrupt-20261130T081500Z"
    assert kept.read_bytes() == garbage  # the user's bytes, untouched
    assert history.records_between(TUE, TUE)[0].actual_signoff == at(24, 17, 40)
    problems = history.take_problems()
    assert len(problems) == 1 and str(kept) in problems[0] and "new history" in problems[0]
    assert history.take_problems() == []
    history.close()


def test_damage_found_while_running_is_handled_the_same_way(tmp_path: Path) -> None:
    state = tmp_path / "state"
    history = History(state, clock=lambda: FIXED_NOW)
    history.observe_signoff(TUE, at(24, 17, 40), SignoffSource.BUTTON, at(24, 17, 30))
    # The connection stays open; overwrite the file's first page, as a failing disk might.
    data = bytearray((state / FILENAME).read_bytes())
    data[0:4096] = b"\x00" * 4096
    (state / FILENAME).write_bytes(bytes(data))

    with pytest.raises(HistoryUnavailable, match="damaged"):
        read_records(state, TUE, TUE)
    assert history.records_between(TUE, TUE) == []  # a new, empty history
    assert len(history.take_problems()) == 1
    assert (state / f"{FILENAME}.corrupt-20261130T081500Z").exists()
    history.close()


def test_a_newer_apps_file_is_left_alone(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    with sqlite3.connect(state / FILENAME) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    history = History(state)
    with pytest.raises(HistoryUnavailable, match="newer"):
        history.open()
    assert list(state.iterdir()) == [state / FILENAME]


def test_clear_forgets_everything(history: History) -> None:
    history.observe_signoff(TUE, at(24, 18), SignoffSource.BUTTON, at(24, 17, 30))
    history.record_focus(TUE, FocusSession(at(24, 9), at(24, 11), at(24, 11), cut_short=False))
    history.clear()
    assert history.records_between(date(2000, 1, 1), date(2100, 1, 1)) == []
    history.close()
    assert b"2026-11-24" not in history.path.read_bytes()  # not lingering in free pages


def test_missing_file_reads_as_empty_and_is_not_created(tmp_path: Path) -> None:
    assert read_records(tmp_path / "nowhere", TUE, TUE) == []
    assert not (tmp_path / "nowhere").exists()


def test_writes_from_several_threads_keep_the_latest(history: History) -> None:
    minutes = list(range(0, 60, 3))
    threads = [
        threading.Thread(
            target=history.observe_signoff,
            args=(TUE, at(24, 18, m), SignoffSource.LAST_ACTIVITY, at(24, 17, 30)),
        )
        for m in minutes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert history.records_between(TUE, TUE)[0].actual_signoff == at(24, 18, 57)


# --- `boundaries report` reads the same file, read-only ------------------------------------


def report_setup(tmp_path: Path) -> date:
    """A settings file in Berlin time and one day 50 min late today; returns today."""
    (tmp_path / "settings.toml").write_text('[general]\ntimezone = "Europe/Berlin"\n')
    today = datetime.now(UTC).astimezone(BERLIN).date()
    planned = datetime.combine(today, time(17, 30), BERLIN)
    history = History(tmp_path / "state")
    history.observe_signoff(today, planned + timedelta(minutes=50), SignoffSource.CLI, planned)
    history.close()
    return today


def test_cli_report_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    today = report_setup(tmp_path)
    before = (tmp_path / "state" / FILENAME).read_bytes()
    assert main(["report", "--json", "--weeks", "3", "--config-dir", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (tmp_path / "state" / FILENAME).read_bytes() == before
    assert data["late_days_last_4_weeks"] == 1
    assert len(data["weeks"]) == 3
    (day,) = [d for d in data["weeks"][-1]["days"] if d["day"] == today.isoformat()]
    assert (day["late"], day["late_minutes"], day["source"]) == (True, 50, "cli")


def test_cli_report_text_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report_setup(tmp_path)
    assert main(["report", "--config-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Late days in the last 4 weeks: 1\n")
    assert "LATE +50 min" in out

    assert main(["report", "--weeks", "0", "--config-dir", str(tmp_path)]) == 2
    assert "--weeks" in capsys.readouterr().err

    (tmp_path / "state" / FILENAME).write_bytes(b"garbage" * 100)
    assert main(["report", "--config-dir", str(tmp_path)]) == 1
    assert "damaged" in capsys.readouterr().err
    assert list((tmp_path / "state").iterdir()) == [tmp_path / "state" / FILENAME]  # untouched
