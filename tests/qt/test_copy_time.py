"""Copy a time for the team: type, see everyone's time, Enter copies; bad input says why."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from boundaries.core.settings import GeneralSettings, Settings, Teammate
from boundaries.ui.copy_time import CopyTimeDialog

from .fakes import FakeClock

BERLIN = ZoneInfo("Europe/Berlin")
SETTINGS = Settings(
    general=GeneralSettings(timezone="Europe/Berlin"),
    team=(
        Teammate("Ana", "Europe/London"),
        Teammate("Kai", "Asia/Tokyo"),
        Teammate("Bo", "America/New_York"),
    ),
)
TUESDAY_NOON = datetime(2026, 11, 24, 12, 0, tzinfo=BERLIN)


@pytest.fixture
def dialog(qtbot: QtBot) -> CopyTimeDialog:
    QGuiApplication.clipboard().setText("something else")
    dialog = CopyTimeDialog(SETTINGS, FakeClock(TUESDAY_NOON), lambda: BERLIN)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # the test reads it after
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_typing_shows_the_line_and_each_teammate(qtbot: QtBot, dialog: CopyTimeDialog) -> None:
    qtbot.keyClicks(dialog.input, "Fri 17:00")
    assert (
        dialog.preview.text() == "Fri 17:00 CET · 16:00 London · 11:00 New York · Sat 01:00 Tokyo"
    )
    assert dialog.preview.isVisible()
    assert dialog.row_texts() == [
        "● Bo: 11:00 New York (EST) — in their working hours",
        "● Ana: 16:00 London (GMT) — in their working hours",
        "☾ Kai: Sat 01:00 Tokyo (JST) — outside their hours (asleep)",
    ]
    assert dialog.hint.text() == "Enter copies this line."


def test_enter_copies_the_line_and_closes(qtbot: QtBot, dialog: CopyTimeDialog) -> None:
    qtbot.keyClicks(dialog.input, "tomorrow 9am Bo")
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    expected = "Wed 15:00 CET · 14:00 London · 09:00 New York · 23:00 Tokyo"
    assert QGuiApplication.clipboard().text() == expected
    assert not dialog.isVisible()
    assert dialog.result() == CopyTimeDialog.DialogCode.Accepted


def test_the_dialog_deletes_itself_after_copying(qtbot: QtBot) -> None:
    dialog = CopyTimeDialog(SETTINGS, FakeClock(TUESDAY_NOON), lambda: BERLIN)
    dialog.show()
    qtbot.keyClicks(dialog.input, "17:00")
    with qtbot.waitSignal(dialog.destroyed, timeout=1000):
        qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    assert QGuiApplication.clipboard().text().startswith("Tue 17:00 CET · 16:00 London")


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("Fri 25:00", '"25:00": hours go up to 23 (or use am/pm); try "Fri 17:00"'),
        ("Fri 5", '"5" needs minutes or am/pm, like "5:00" or "5pm"'),
        ("17:00 Anna", '"Anna" is not a teammate or a known time zone; did you mean "Ana"?'),
        ("Fri", '"Fri" has no time of day; try "Fri 17:00"'),
    ],
)
def test_bad_input_says_why_and_copies_nothing(
    qtbot: QtBot, dialog: CopyTimeDialog, typed: str, reason: str
) -> None:
    qtbot.keyClicks(dialog.input, typed)
    assert dialog.hint.text().startswith(reason)
    assert dialog.line == ""
    assert not dialog.preview.isVisible() and dialog.row_texts() == []
    assert not dialog.copy_button.isEnabled()
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    assert dialog.isVisible()  # still open, so the user can fix it
    assert QGuiApplication.clipboard().text() == "something else"


def test_fixing_the_input_clears_the_reason(qtbot: QtBot, dialog: CopyTimeDialog) -> None:
    qtbot.keyClicks(dialog.input, "Fri 17")
    assert dialog.hint.text().startswith('"17" needs minutes')
    qtbot.keyClicks(dialog.input, ":30")
    assert dialog.line.startswith("Fri 17:30 CET")
    assert dialog.hint.styleSheet() == ""


def test_12h_setting_is_respected(qtbot: QtBot) -> None:
    settings = Settings(
        general=GeneralSettings(timezone="Europe/Berlin", time_format="12h"),
        team=(Teammate("Bo", "America/New_York"),),
    )
    dialog = CopyTimeDialog(settings, FakeClock(TUESDAY_NOON), lambda: BERLIN)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.input, "5pm")
    assert dialog.line == "Tue 5:00 PM CET · 11:00 AM New York"
    assert dialog.row_texts() == ["● Bo: 11:00 AM New York (EST) — in their working hours"]
