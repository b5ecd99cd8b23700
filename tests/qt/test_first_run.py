"""The first run (#18 item 14, #19's "on first run"): nothing starts by itself before the user
chose it; the first-run window writes the settings file through the app's worker."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import tomllib
from collections.abc import Callable, Iterator
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from boundaries.app.application import BoundariesApp
from boundaries.core.focus import Mode
from boundaries.core.kinds import NotificationKind
from boundaries.core.settings import FocusBlock, Settings
from boundaries.ui.first_run import WINDOW_TITLE, FirstRunWindow
from tests.qt.settings_in_process import InProcessSettings, settings_dialog

from .test_settings_dialog import retype

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_0930 = datetime(2026, 11, 23, 9, 30, tzinfo=BERLIN)  # inside the default 09-11 block


def open_window(qtbot: QtBot, tray_available: bool = True) -> FirstRunWindow:
    window = FirstRunWindow(Settings(), "Europe/Berlin", tray_available=tray_available)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    return window


def test_window_shows_the_defaults_and_confirms_what_was_chosen(qtbot: QtBot) -> None:
    window = open_window(qtbot)
    assert window.windowTitle() == WINDOW_TITLE == "Welcome"  # Qt adds " — Boundaries" (0013)
    assert [(b.start.text(), b.end.text()) for b in window.blocks] == [
        ("09:00", "11:00"),
        ("14:00", "16:00"),
    ]
    assert window.zone.line_edit.placeholderText() == "This computer's zone (Europe/Berlin)"
    assert not window.no_tray.isVisible()

    window.zone.setZone("America/New_York")
    window.workdays.set_days(("mon", "tue", "wed", "thu"))
    retype(qtbot, window.signoff, "16:30")
    window.blocks[0].keep.setChecked(False)  # no morning block
    retype(qtbot, window.blocks[1].start, "13:00")
    window.agreement_file.setText("/home/ana/src/payments/team.boundaries.toml")
    window.me.setText("Ana")
    with qtbot.waitSignal(window.confirmed) as confirmed:
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    chosen = confirmed.args[0]
    assert isinstance(chosen, Settings)
    assert chosen.general.timezone == "America/New_York"
    assert chosen.workday.days == ("mon", "tue", "wed", "thu")
    assert chosen.workday.signoff == time(16, 30)
    assert chosen.focus.blocks == (FocusBlock(("mon", "tue", "wed", "thu"), time(13), time(16)),)
    assert chosen.agreement.file == "/home/ana/src/payments/team.boundaries.toml"
    assert chosen.agreement.me == "Ana"
    assert chosen.slack == Settings().slack  # Slack later


def test_invalid_choices_say_which_field_and_cannot_be_confirmed(qtbot: QtBot) -> None:
    window = open_window(qtbot)
    window.workdays.set_days(())
    assert window.error.text().startswith("Workdays: needs at least one day")
    assert "Focus block" not in window.error.text()  # said once, for the workdays
    assert not window.start_button.isEnabled()
    window.workdays.set_days(("mon",))
    retype(qtbot, window.blocks[1].end, "25:00")
    assert window.error.text() == 'Focus block 2 end: "25:00": hours go up to 23 (or use am/pm)'
    assert not window.start_button.isEnabled()
    retype(qtbot, window.blocks[1].end, "13:00")
    assert window.blocks[1].hint.text() == "Runs overnight, to 13:00 the next day"
    assert window.start_button.isEnabled()


def test_without_a_tray_the_window_says_where_boundaries_is(qtbot: QtBot) -> None:
    window = open_window(qtbot, tray_available=False)
    assert window.no_tray.isVisible()
    assert "No system tray is showing yet" in window.no_tray.text()


# ---------------------------------------------------------------- in the running app


@pytest.fixture
def first_run_app(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[[], BoundariesApp]]:
    """The real app on a config folder with no settings file, its clock at Monday 09:30."""
    from boundaries.integrations.config_store import ConfigStore
    from boundaries.integrations.notify import Notification
    from boundaries.integrations.paths import resolve_dirs

    started: list[BoundariesApp] = []

    def make() -> BoundariesApp:
        dirs = resolve_dirs(tmp_path / "config")
        qapp = QApplication.instance()
        assert isinstance(qapp, QApplication)
        load = ConfigStore(dirs.config).load()
        assert load.missing
        app = BoundariesApp(
            qapp, dirs, load, clock=lambda: MONDAY_0930, settings_window=InProcessSettings
        )
        notes: list[Notification] = []
        app.notes = notes  # type: ignore[attr-defined]
        app.notifier.notify = notes.append  # type: ignore[method-assign]
        app.start()
        started.append(app)
        return app

    yield make
    for app in started:
        for window in list(app.open_windows):
            window.close()  # a window left open past shutdown outlives its app's services
        app.shutdown()


def _first_run_open(app: BoundariesApp) -> bool:
    """Whether the app still keeps a first-run window (a closed one is deleted)."""
    return any(isinstance(w, FirstRunWindow) for w in app.open_windows)


def _window(app: BoundariesApp, qtbot: QtBot) -> FirstRunWindow:
    found: list[FirstRunWindow] = []

    def shown() -> None:
        found[:] = [w for w in app.open_windows if isinstance(w, FirstRunWindow)]
        assert found and found[0].isVisible()

    qtbot.waitUntil(shown)
    return found[0]


def test_first_run_starts_no_focus_block_until_confirmed_then_writes_the_file(
    first_run_app: Callable[[], BoundariesApp], qtbot: QtBot
) -> None:
    app = first_run_app()
    window = _window(app, qtbot)
    assert app.controller.state.mode is Mode.IDLE  # 09:30 is inside the default block
    assert app.controller.settings.focus.blocks == ()
    assert not app.store.path.exists()  # nothing written before the user chose

    window.zone.setZone("Europe/Berlin")
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.controller.state.mode is Mode.FOCUSING, timeout=5000)
    written = tomllib.loads(app.store.path.read_text(encoding="utf-8"))
    assert written["general"]["timezone"] == "Europe/Berlin"
    assert [(b["start"], b["end"]) for b in written["focus"]["blocks"]] == [
        ("09:00", "11:00"),
        ("14:00", "16:00"),
    ]
    qtbot.waitUntil(lambda: not _first_run_open(app))
    assert not app.load_result.missing


def test_first_run_closed_without_confirming_writes_nothing(
    first_run_app: Callable[[], BoundariesApp], qtbot: QtBot
) -> None:
    app = first_run_app()
    window = _window(app, qtbot)
    qtbot.mouseClick(window.later_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not _first_run_open(app))
    app.controller.wake("test")
    assert app.controller.state.mode is Mode.IDLE
    assert not app.store.path.exists()


def test_first_run_with_no_tray_is_a_notification_and_the_window(
    first_run_app: Callable[[], BoundariesApp], qtbot: QtBot
) -> None:
    app = first_run_app()  # the offscreen platform has no system tray
    window = _window(app, qtbot)
    assert window.no_tray.isVisible()
    notes = app.notes  # type: ignore[attr-defined]
    welcome = [n for n in notes if n.tag is NotificationKind.WELCOME]
    assert len(welcome) == 1
    assert "no system tray yet" in welcome[0].body
    window.reject()  # "Not now"; a click on the notification brings the window back
    qtbot.waitUntil(lambda: not _first_run_open(app))
    app._on_notification_clicked(NotificationKind.WELCOME, "default")
    assert _window(app, qtbot) is not window


def test_a_settings_file_written_by_hand_ends_the_first_run(
    first_run_app: Callable[[], BoundariesApp], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even one that only repeats the defaults: the user wrote it, so its blocks apply."""
    monkeypatch.setenv("TZ", "Europe/Berlin")  # the system's zone, which the defaults use
    app = first_run_app()
    _window(app, qtbot)
    app.store.path.parent.mkdir(parents=True, exist_ok=True)
    app.store.path.write_text("version = 1\n", encoding="utf-8")
    qtbot.waitUntil(lambda: app.controller.state.mode is Mode.FOCUSING, timeout=10000)


def test_saving_settings_opened_from_the_first_run_window_ends_the_first_run(
    first_run_app: Callable[[], BoundariesApp], qtbot: QtBot
) -> None:
    from boundaries.ui.settings_dialog import SettingsDialog

    app = first_run_app()
    window = _window(app, qtbot)
    qtbot.mouseClick(window.more_button, Qt.MouseButton.LeftButton)
    dialog = settings_dialog(app)
    assert isinstance(dialog, SettingsDialog)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(app.store.path.exists, timeout=5000)
    qtbot.waitUntil(lambda: not _first_run_open(app), timeout=5000)
    assert app.controller.settings.focus.blocks == Settings().focus.blocks
    dialog.close()  # not left open past the app's shutdown
