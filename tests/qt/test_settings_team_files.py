"""The Team tab's "Import from file…" and "Export…" buttons, with the real file dialogs' results."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from boundaries.core.settings import Settings, Teammate
from boundaries.core.team_file import parse_team_csv
from boundaries.ui.settings_dialog import SettingsDialog
from boundaries.ui.team_import import TeamImportDialog

CSV = """name,timezone,hours,slack_user
Ana,Europe/Lisbon,08:00-16:00,
Dev,Asia/Kolkata,10:00-18:30,U9
Bad,Mars/Olympus,09:00-17:00,
"""


def test_import_merges_good_rows_after_confirming(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team_file = tmp_path / "team.csv"
    team_file.write_text(CSV)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(team_file), ""))
    dialog = SettingsDialog(Settings(team=(Teammate("Ana", "Europe/London"),)))
    qtbot.addWidget(dialog)
    dialog.team_page.import_file.click()
    review = next(w for w in QApplication.topLevelWidgets() if isinstance(w, TeamImportDialog))
    with qtbot.waitSignal(dialog.team_page.changed):
        review.import_button.click()
    settings = dialog.current_settings()
    assert settings is not None
    assert [(m.name, m.timezone) for m in settings.team] == [
        ("Ana", "Europe/Lisbon"),  # updated by name
        ("Dev", "Asia/Kolkata"),  # added; the bad row was not
    ]


def test_export_writes_a_file_that_imports_back(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    team = (Teammate("Ana", "Europe/London"), Teammate("Bo", "America/New_York", slack_user="U2"))
    dialog = SettingsDialog(Settings(team=team))
    qtbot.addWidget(dialog)
    dialog.team_page.export_file.click()
    parsed = parse_team_csv(target.read_text())
    assert not parsed.bad_rows and tuple(parsed.teammates) == team
