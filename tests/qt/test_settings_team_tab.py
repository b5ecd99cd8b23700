"""Settings > Team: names told apart, a new row not red before it is touched, workdays."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from boundaries.core.settings import Settings, Teammate
from boundaries.ui.settings_dialog import SettingsDialog

from .conftest import shared_settings_services

TEAM = (Teammate("Ana", "Europe/London"), Teammate("Bo", "America/New_York", time(8), time(16)))


def open_dialog(qtbot: QtBot, settings: Settings) -> SettingsDialog:
    dialog = SettingsDialog(settings, shared_settings_services())
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.select_tab("team")
    return dialog


def retype(qtbot: QtBot, field: QWidget, text: str) -> None:
    field.setFocus()
    field.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(field, text)


def test_a_second_teammate_with_the_same_name_is_refused_and_says_why(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings(team=TEAM))
    page = dialog.team_page
    retype(qtbot, page.rows[1].name, "ana")
    assert dialog.current_settings() is None
    assert not dialog.ok_button.isEnabled()
    assert page.rows[1].error.text() == ('Name: "ana" is listed twice; give each a different name')
    assert page.rows[0].error.text() == ""
    retype(qtbot, page.rows[1].name, "Bo")
    assert dialog.current_settings() is not None


def test_a_new_empty_row_is_not_red_until_each_field_is_edited_or_left(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings(team=TEAM))
    page = dialog.team_page
    page.add_mate.click()
    row = page.rows[-1]
    assert row.name.hasFocus()
    assert row.error.text() == "" and not row.error.isVisible()
    assert row.name.styleSheet() == "" and row.zone.line_edit.styleSheet() == ""
    assert "Fix the fields" not in dialog.other_errors.text()
    assert not dialog.ok_button.isEnabled()  # still not savable

    qtbot.keyClicks(row.name, "Chitra")
    assert row.error.text() == ""  # the zone was not reached yet
    qtbot.keyClick(row.name, Qt.Key.Key_Tab)  # into the zone field
    assert row.zone.line_edit.hasFocus()
    qtbot.keyClick(row.zone.line_edit, Qt.Key.Key_Tab)  # left empty
    assert row.error.text().startswith("Time zone:")
    assert row.zone.line_edit.styleSheet() != ""


def test_teammate_workdays_are_edited_and_saved(qtbot: QtBot) -> None:
    bo = Teammate("Bo", "America/New_York", days=("sun", "mon", "tue", "wed", "thu"))
    dialog = open_dialog(qtbot, Settings(team=(bo,)))
    row = dialog.team_page.rows[0]
    assert row.days.days() == ("mon", "tue", "wed", "thu", "sun")
    row.days.buttons["fri"].click()
    row.days.buttons["sun"].click()
    result = dialog.current_settings()
    assert result is not None
    assert result.team[0].days == ("mon", "tue", "wed", "thu", "fri")


def test_the_blurb_promises_only_what_is_there(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings(team=TEAM))
    texts = " ".join(label.text() for label in dialog.team_page.findChildren(QLabel))
    assert "see each one's local time" not in texts
    assert "tray menu" in texts
