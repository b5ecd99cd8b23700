"""Settings open while settings.toml changes on disk (a hand edit, ``team import --yes``):
what the user typed stays, the file's other changes show, a clash is asked about."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from boundaries.app.application import BoundariesApp
from boundaries.integrations.config_store import ConfigStore
from boundaries.ui.settings_dialog import SettingsDialog
from tests.cli_run import run_cli
from tests.qt.settings_in_process import open_settings

from .conftest import MakeApp
from .test_settings_dialog import retype

NOW = datetime(2026, 11, 24, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
FILE = """\
version = 1
[general]
timezone = "Europe/Berlin"

[workday]
signoff = "17:30"

[[team]]
name = "Ana"
timezone = "Europe/London"
"""


def open_dialog(app: BoundariesApp, qtbot: QtBot) -> SettingsDialog:
    qtbot.waitUntil(lambda: app.server is not None)  # started: the file is watched
    dialog = open_settings(app)
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitExposed(dialog)
    return dialog


def saved(app: BoundariesApp) -> object:
    return ConfigStore(app.dirs.config).load().settings


def test_an_unsaved_teammate_edit_survives_team_import(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path
) -> None:
    app = make_app(FILE, NOW)
    dialog = open_dialog(app, qtbot)
    page = dialog.team_page
    retype(qtbot, page.rows[0].hours, "08:00-16:00")
    roster = tmp_path / "team.csv"
    roster.write_text("name,timezone\nBo,America/New_York\n")
    done = run_cli(app.dirs.config, "team", "import", str(roster), "--yes")
    assert done.returncode == 0, done.stderr

    qtbot.waitUntil(lambda: [row.name.text() for row in page.rows] == ["Ana", "Bo"])
    assert page.rows[0].hours.text() == "08:00-16:00"  # still what the user typed
    assert dialog.disk_question is None  # nothing to ask: different teammates
    with qtbot.waitSignal(dialog.applied):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: saved(app).team[0].hours_start == time(8))  # type: ignore[attr-defined]
    ana, bo = saved(app).team  # type: ignore[attr-defined]
    assert (ana.hours_start, ana.hours_end, bo.name) == (time(8), time(16), "Bo")


def test_the_same_field_changed_in_the_file_is_asked_about(make_app: MakeApp, qtbot: QtBot) -> None:
    app = make_app(FILE, NOW)
    dialog = open_dialog(app, qtbot)
    schedule = dialog.schedule_page
    retype(qtbot, schedule.signoff, "18:00")
    retype(qtbot, dialog.team_page.rows[0].name, "Ana Lima")
    app.store.path.write_text(
        FILE.replace('"17:30"', '"19:00"').replace('"Europe/Berlin"', '"Europe/Vienna"')
    )
    qtbot.waitUntil(lambda: dialog.disk_question is not None)
    question = dialog.disk_question
    assert isinstance(question, QMessageBox)
    assert "workday.signoff" in question.text()
    assert schedule.signoff.text() == "18:00"  # kept while asking
    assert dialog.general_page.fields["general.timezone"].raw() == "Europe/Vienna"
    file_button = next(b for b in question.buttons() if "file" in b.text())
    file_button.click()
    qtbot.waitUntil(lambda: dialog.disk_question is None)
    assert schedule.signoff.text() == "19:00"
    assert dialog.team_page.rows[0].name.text() == "Ana Lima"  # no clash there: kept


def test_a_field_being_typed_waits_for_the_merge_instead_of_being_lost(
    make_app: MakeApp, qtbot: QtBot
) -> None:
    app = make_app(FILE, NOW)
    dialog = open_dialog(app, qtbot)
    schedule = dialog.schedule_page
    retype(qtbot, schedule.signoff, "18:")
    assert dialog.current_settings() is None
    app.store.path.write_text(FILE.replace('"Europe/Berlin"', '"Europe/Vienna"'))
    qtbot.waitUntil(dialog.disk_note.isVisible)
    assert schedule.signoff.text() == "18:"
    qtbot.keyClicks(schedule.signoff, "15")
    qtbot.waitUntil(lambda: not dialog.disk_note.isVisible())
    assert schedule.signoff.text() == "18:15"
    assert dialog.general_page.fields["general.timezone"].raw() == "Europe/Vienna"
