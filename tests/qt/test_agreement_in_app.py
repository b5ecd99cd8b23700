"""The running app follows the team agreement file: applied, watched, a broken edit kept out."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from tests.qt.conftest import MakeApp
from tests.qt.settings_in_process import open_settings
from tests.unit.test_agreement import EXAMPLE

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=BERLIN)  # Tuesday, inside the team's 09-11 block


def settings_for(agreement: Path) -> str:
    return (
        '[general]\ntimezone = "Europe/Berlin"\n'
        f'[agreement]\nfile = "{agreement}"\nme = "Me"\n'
        '[[team]]\nname = "Zed"\ntimezone = "Asia/Tokyo"\n'
    )


def names(app: object) -> list[str]:
    return [mate.name for mate in app.controller.settings.team]  # type: ignore[attr-defined]


def test_members_blocks_and_norms_apply_and_follow_edits(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path
) -> None:
    agreement = tmp_path / "repo" / "team.boundaries.toml"
    agreement.parent.mkdir()
    agreement.write_text(EXAMPLE)
    app = make_app(settings_for(agreement), NOW)
    qtbot.waitUntil(lambda: names(app) == ["Ana", "Bo", "Zed"], timeout=5000)
    assert app.tray.header.text().startswith("Team focus until 11:00")
    assert app.controller.settings.norms.reply_within == "4h"
    assert "{reply_within}" in app.controller.settings.focus.status_text

    agreement.write_text(EXAMPLE + '[[members]]\nname = "Cy"\ntimezone = "Asia/Kolkata"\n')
    qtbot.waitUntil(lambda: "Cy" in names(app), timeout=5000)

    agreement.write_text(EXAMPLE.replace('name = "Bo"', 'name = "Bo"\nhours = "late"'))
    qtbot.waitUntil(lambda: len(app.notes) == 1, timeout=5000)  # type: ignore[attr-defined]
    note = app.notes[0]  # type: ignore[attr-defined]
    assert note.title == "Team agreement has problems"
    assert "members[1].hours" in note.body and "last good version stays in force" in note.body
    assert "Cy" in names(app) and "Bo" in names(app)  # the last good version, whole

    assert app.agreement is not None
    with qtbot.waitSignal(app.agreement.effective, timeout=5000):  # read again, problems too
        agreement.write_text(EXAMPLE.replace('name = "Bo"', 'name = "Bo"\nhours = "late"') + "\n")
    assert len(app.notes) == 1  # type: ignore[attr-defined]  # said once, not on every save


def test_an_edit_after_shutdown_is_not_read(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path
) -> None:
    """The app's workers are gone after shutdown: an edit noticed then would fail to load."""
    from boundaries.app.settings_watch import SETTLE_MS

    agreement = tmp_path / "team.boundaries.toml"
    agreement.write_text(EXAMPLE)
    app = make_app(settings_for(agreement), NOW)
    qtbot.waitUntil(lambda: "Ana" in names(app), timeout=5000)
    app.shutdown()
    assert app.agreement is not None
    # Nothing to wait for: twice the settle time, a read of the edit would have started.
    with qtbot.assertNotEmitted(app.agreement.effective, wait=2 * SETTLE_MS):
        agreement.write_text(EXAMPLE + "\n")


def test_settings_window_edits_only_my_own_file(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path
) -> None:
    agreement = tmp_path / "team.boundaries.toml"
    agreement.write_text(EXAMPLE)
    app = make_app(settings_for(agreement), NOW)
    qtbot.waitUntil(lambda: "Ana" in names(app), timeout=5000)
    dialog = open_settings(app)
    assert dialog is not None
    assert [row.name.text() for row in dialog.team_page.rows] == ["Zed"]  # type: ignore[attr-defined]
    assert dialog.team_page.agreement_file.text() == str(agreement)  # type: ignore[attr-defined]


def test_a_missing_agreement_folder_is_never_created(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path
) -> None:
    missing = tmp_path / "not-checked-out" / "team.boundaries.toml"
    app = make_app(settings_for(missing), NOW)
    qtbot.waitUntil(lambda: len(app.notes) == 1, timeout=5000)  # type: ignore[attr-defined]
    assert "does not exist" in app.notes[0].body  # type: ignore[attr-defined]
    assert not missing.parent.exists()
    assert names(app) == ["Zed"]
