"""Messages that say what happened and what to do (no contradictions, no silent defaults)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from boundaries.app.application import BoundariesApp
from boundaries.cli import main
from boundaries.core.workday_record import SignoffSource
from boundaries.integrations.history import (
    SCHEMA_VERSION,
    History,
    HistoryUnavailable,
    read_records,
)

from .test_app_settings import HAND_WRITTEN, app, settings_file  # noqa: F401 - the app fixture


def test_a_partly_broken_hand_edit_does_not_claim_the_rest_applies(
    app: BoundariesApp,  # noqa: F811
    qtbot: QtBot,
) -> None:
    settings_file(app).write_text(HAND_WRITTEN.replace('"17:30"', '"25:00"'))
    qtbot.waitUntil(lambda: len(app.notes) == 1)  # type: ignore[attr-defined]
    body = app.notes[0].body  # type: ignore[attr-defined]
    assert "everything else in the file applies" not in body
    assert "none of the edit is used until the file is fixed" in body
    assert "A copy of the edited file is kept as" in body


def _tableless_history(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "history.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # right version, no tables
    conn.execute("CREATE TABLE unrelated (x)")
    conn.commit()
    conn.close()
    return path


def test_a_history_with_the_right_version_but_no_tables_is_set_aside_and_said(
    tmp_path: Path,
) -> None:
    from datetime import UTC, date, datetime

    _tableless_history(tmp_path)
    history = History(tmp_path)
    day = date(2026, 11, 24)
    record = history.observe_signoff(
        day, datetime(2026, 11, 24, 17, 40, tzinfo=UTC), SignoffSource.BUTTON, None
    )
    assert record.actual_signoff is not None  # the write worked, in a new file
    problems = history.take_problems()
    assert len(problems) == 1
    assert "has no workdays or focus_sessions table" in problems[0]
    assert "a new history was started" in problems[0]
    assert list(tmp_path.glob("history.sqlite3.corrupt-*"))
    history.close()


def test_report_names_a_history_without_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    _tableless_history(tmp_path / "state")
    with pytest.raises(HistoryUnavailable, match="has no workdays or focus_sessions table"):
        read_records(tmp_path / "state", date(2026, 11, 1), date(2026, 11, 30))
    monkeypatch.setenv("BOUNDARIES_CONFIG_DIR", str(tmp_path))
    assert main(["report"]) == 1
    assert "starts a new history when it next records a day" in capsys.readouterr().err


def test_a_dangling_settings_link_is_named_not_silently_defaulted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "settings.toml").symlink_to(tmp_path / "dotfiles" / "boundaries.toml")
    monkeypatch.setenv("BOUNDARIES_CONFIG_DIR", str(tmp_path))
    assert main(["status"]) == 0  # answered as the app runs: with the defaults, and says so
    err = capsys.readouterr().err
    target = tmp_path / "dotfiles" / "boundaries.toml"
    assert f"it is a link to {target}, which does not exist" in err
