"""Reviewing a team file: exactly the bad rows with their reasons; the rest only on Import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from boundaries.core.settings import Teammate
from boundaries.core.team_file import merge_team, parse_team_csv
from boundaries.ui.team_import import TeamImportDialog

ARTIFACTS = Path(__file__).parent / "artifacts"

ROSTER = """\
name,timezone,hours,slack_user
Ana,Europe/Lisbon,09:00-17:30,U01ANA
Bo,America/New_Yrok,08:00-16:00,
Cy,America/Los_Angeles,,U03CY
Dee,Europe/Berlin,9-5,
"""
CURRENT = (Teammate("Ana", "Europe/London"), Teammate("Zed", "UTC"))


def review(qtbot: QtBot, text: str = ROSTER) -> TeamImportDialog:
    parsed = parse_team_csv(text)
    dialog = TeamImportDialog(parsed.teammates, parsed.bad_rows, CURRENT, "team.csv")
    qtbot.addWidget(dialog)
    return dialog


def test_csv_with_two_bad_rows_lists_exactly_those(qtbot: QtBot) -> None:
    dialog = review(qtbot)
    assert dialog.bad_texts() == [
        'Line 3: timezone: "America/New_Yrok" is not a known time zone; '
        'did you mean "America/New_York"?\n    Bo,America/New_Yrok,08:00-16:00,',
        'Line 5: hours: "9" needs minutes or am/pm, like "9:00" or "9pm"\n'
        "    Dee,Europe/Berlin,9-5,",
    ]
    assert dialog.heading.text() == "2 teammates will be imported from team.csv."
    assert dialog.names() == ["Ana", "Cy"]
    changes = [dialog.table.item(row, 5).text() for row in range(2)]
    assert changes == ["updates", "new"]
    dialog.show()
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "team_import.png"))


def test_import_emits_the_good_rows_only_on_confirm(qtbot: QtBot) -> None:
    dialog = review(qtbot)
    received: list[list[Teammate]] = []
    dialog.confirmed.connect(received.append)
    assert received == []  # showing the review imports nothing
    with qtbot.waitSignal(dialog.confirmed, timeout=1000):
        dialog.import_button.click()
    assert received == [
        [
            Teammate("Ana", "Europe/Lisbon", slack_user="U01ANA"),
            Teammate("Cy", "America/Los_Angeles", slack_user="U03CY"),
        ]
    ]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert merge_team(CURRENT, received[0]).team == (
        Teammate("Ana", "Europe/Lisbon", slack_user="U01ANA"),
        Teammate("Zed", "UTC"),
        Teammate("Cy", "America/Los_Angeles", slack_user="U03CY"),
    )


def test_cancel_imports_nothing(qtbot: QtBot) -> None:
    dialog = review(qtbot)
    received: list[list[Teammate]] = []
    dialog.confirmed.connect(received.append)
    dialog.reject()
    assert received == [] and dialog.result() == QDialog.DialogCode.Rejected


def test_a_file_with_only_bad_rows_cannot_be_imported(qtbot: QtBot) -> None:
    dialog = review(qtbot, "name,timezone\nBo,Mars/Base\n")
    assert dialog.heading.text() == "Nothing can be imported from team.csv."
    assert not dialog.import_button.isEnabled()
    assert dialog.bad_texts() == [
        'Line 2: timezone: "Mars/Base" is not a known time zone\n    Bo,Mars/Base'
    ]
