"""Copy a time for the team: type, see everyone's time, Enter copies; bad input says why."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from boundaries.core.settings import GeneralSettings, Settings, Teammate
from boundaries.ui.copy_time import COPIED, READY, CopyTimeDialog

from .fakes import FakeClock

ARTIFACTS = Path(__file__).parent / "artifacts"
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


def test_enter_copies_the_line_says_copied_and_stays_open(
    qtbot: QtBot, dialog: CopyTimeDialog
) -> None:
    qtbot.keyClicks(dialog.input, "tomorrow 9am Bo")
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    expected = "Wed 15:00 CET · 14:00 London · 09:00 New York · 23:00 Tokyo"
    assert QGuiApplication.clipboard().text() == expected
    assert dialog.isVisible()  # open for another time; Esc closes
    assert dialog.hint.text() == COPIED
    assert dialog.copy_button.text() == "Copied ✓"
    qtbot.keyClicks(dialog.input, "x")  # a new input is not copied yet
    qtbot.keyClick(dialog.input, Qt.Key.Key_Backspace)
    assert dialog.hint.text() == READY
    assert dialog.copy_button.text() == "&Copy"


def test_the_copy_button_does_what_enter_does(qtbot: QtBot, dialog: CopyTimeDialog) -> None:
    qtbot.keyClicks(dialog.input, "Fri 17:00")
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == dialog.line
    assert dialog.isVisible() and dialog.hint.text() == COPIED


def test_escape_closes_and_the_dialog_deletes_itself(qtbot: QtBot) -> None:
    dialog = CopyTimeDialog(SETTINGS, FakeClock(TUESDAY_NOON), lambda: BERLIN)
    dialog.show()
    qtbot.keyClicks(dialog.input, "17:00")
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    assert QGuiApplication.clipboard().text().startswith("Tue 17:00 CET · 16:00 London")
    with qtbot.waitSignal(dialog.destroyed, timeout=1000):
        qtbot.keyClick(dialog.input, Qt.Key.Key_Escape)


def settle(qtbot: QtBot, dialog: CopyTimeDialog) -> None:
    """Let the layout apply the new content (it resizes the dialog on a posted event)."""
    QApplication.sendPostedEvents()
    QApplication.processEvents()


def shown_whole(label: QLabel) -> bool:
    """The label is as tall as its text needs at its width, and inside the dialog."""
    inside = label.window().rect().contains(label.geometry())
    return inside and label.height() >= label.heightForWidth(label.width())


def test_with_three_teammates_the_line_fits_on_one_line(
    qtbot: QtBot, dialog: CopyTimeDialog
) -> None:
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.input, "Fri 17:00")
    settle(qtbot, dialog)
    preview = dialog.preview
    assert preview.text().endswith("Sat 01:00 Tokyo")
    assert preview.height() < 2 * preview.fontMetrics().lineSpacing()  # one line
    assert preview.width() >= preview.fontMetrics().horizontalAdvance(preview.text())
    assert shown_whole(preview)
    for row in dialog.rows:
        assert row.width() >= row.fontMetrics().horizontalAdvance(row.text())
        assert shown_whole(row)
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "copy_time.png"))


def shown_with(qtbot: QtBot, dialog: CopyTimeDialog, text: str) -> int:
    dialog.input.setText(text)
    settle(qtbot, dialog)
    return dialog.height()


def fits(dialog: CopyTimeDialog) -> bool:
    """As tall as its content needs at its width: no cut text, no empty space."""
    return dialog.height() == dialog.heightForWidth(dialog.width())


LONG_ERROR = "17:00 Annabelle Kowalczyk-Smith"


def test_the_dialog_fits_an_error_and_shrinks_back_once_fixed(
    qtbot: QtBot, dialog: CopyTimeDialog
) -> None:
    qtbot.waitExposed(dialog)
    valid = shown_with(qtbot, dialog, "Fri 17:00")
    assert fits(dialog)
    shown_with(qtbot, dialog, LONG_ERROR)
    assert shown_whole(dialog.hint)  # the whole reason is readable
    assert dialog.hint.height() >= 2 * dialog.hint.fontMetrics().lineSpacing()  # it wraps
    assert fits(dialog)  # no empty space left where the rows were
    assert shown_with(qtbot, dialog, "Fri 17:00") == valid
    shown_with(qtbot, dialog, "")
    assert fits(dialog)


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
