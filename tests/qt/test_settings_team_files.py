"""The Team tab's "Import from file…" and "Export…" buttons, with the real file dialogs' results.

The file is read and written through the app's ``TeamFileService`` on a worker, never on the
GUI thread.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from boundaries.app.team_files import TeamFileService
from boundaries.core.settings import Settings, Teammate
from boundaries.core.team_file import parse_team_csv
from boundaries.ui.ports import SettingsServices
from boundaries.ui.settings_dialog import SettingsDialog
from boundaries.ui.team_import import TeamImportDialog

CSV = """name,timezone,hours,slack_user
Ana,Europe/Lisbon,08:00-16:00,
Dev,Asia/Kolkata,10:00-18:30,U9
Bad,Mars/Olympus,09:00-17:00,
"""


def test_import_merges_good_rows_after_confirming(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings_services: SettingsServices,
) -> None:
    team_file = tmp_path / "team.csv"
    team_file.write_text(CSV)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(team_file), ""))
    dialog = SettingsDialog(Settings(team=(Teammate("Ana", "Europe/London"),)), settings_services)
    qtbot.addWidget(dialog)
    dialog.team_page.import_file.click()

    def review_dialog() -> TeamImportDialog | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, TeamImportDialog)]
        return found[0] if found else None

    qtbot.waitUntil(lambda: review_dialog() is not None)  # read on a worker first
    review = review_dialog()
    assert review is not None
    with qtbot.waitSignal(dialog.team_page.changed):
        review.import_button.click()
    settings = dialog.current_settings()
    assert settings is not None
    assert [(m.name, m.timezone) for m in settings.team] == [
        ("Ana", "Europe/Lisbon"),  # updated by name
        ("Dev", "Asia/Kolkata"),  # added; the bad row was not
    ]


def test_export_writes_a_file_that_imports_back(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings_services: SettingsServices,
) -> None:
    target = tmp_path / "out.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    team = (Teammate("Ana", "Europe/London"), Teammate("Bo", "America/New_York", slack_user="U2"))
    dialog = SettingsDialog(Settings(team=team), settings_services)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.team_page.exported):
        dialog.team_page.export_file.click()
    parsed = parse_team_csv(target.read_text())
    assert not parsed.bad_rows and tuple(parsed.teammates) == team


def test_an_export_that_cannot_be_written_says_why(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings_services: SettingsServices,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    (tmp_path / "a-file").write_text("")
    target = tmp_path / "a-file" / "out.csv"  # its "folder" is a file
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    dialog = SettingsDialog(Settings(team=(Teammate("Ana", "Europe/London"),)), settings_services)
    qtbot.addWidget(dialog)
    dialog.team_page.export_file.click()
    qtbot.waitUntil(lambda: bool(warnings))
    assert warnings[0].startswith("Not exported: cannot write out.csv: ")


def test_the_service_reports_an_unreadable_file_as_a_bad_row(tmp_path: Path) -> None:
    files = TeamFileService()
    roster = tmp_path / "team.csv"
    roster.write_text(CSV)
    parsed = files.read(roster)
    assert [m.name for m in parsed.teammates] == ["Ana", "Dev"] and len(parsed.bad_rows) == 1
    missing = files.read(tmp_path / "gone.toml")
    assert [(r.line, r.reason) for r in missing.bad_rows] == [
        (1, "gone.toml cannot be read: No such file or directory")
    ]
    assert files.read(tmp_path / "team.xlsx").bad_rows  # a format we cannot read, said so


def test_use_a_team_agreement_file_fills_the_field_in_settings_and_the_first_run_window(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings_services: SettingsServices,
) -> None:
    from boundaries.ui.first_run import FirstRunWindow

    chosen = tmp_path / "team.boundaries.toml"
    answers = iter([(str(chosen), ""), ("", "")])  # chosen, then Cancel
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: next(answers))
    dialog = SettingsDialog(Settings(), settings_services)
    qtbot.addWidget(dialog)
    dialog.team_page.choose_agreement.click()
    assert dialog.team_page.agreement_file.text() == str(chosen)
    dialog.team_page.choose_agreement.click()  # Cancel keeps what is there
    assert dialog.team_page.agreement_file.text() == str(chosen)

    answers = iter([(str(chosen), "")])
    window = FirstRunWindow(Settings(), "Europe/Berlin", tray_available=True)
    qtbot.addWidget(window)
    window.choose_agreement.click()
    assert window.agreement_file.text() == str(chosen)
