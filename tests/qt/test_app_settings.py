"""Settings inside the running app: Apply saves exactly the change and takes effect at once;
Cancel changes nothing; a hand edit of settings.toml is picked up, a broken one reported."""

from __future__ import annotations

import difflib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from boundaries.app.application import BoundariesApp
from boundaries.core.settings import Settings
from boundaries.ui.settings_dialog import SettingsDialog
from tests.qt.settings_in_process import InProcessSettings, open_settings, settings_dialog

from .conftest import MakeApp
from .test_settings_dialog import retype

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 24, 10, 30, tzinfo=BERLIN)  # Tuesday, inside the 09-11 block

HAND_WRITTEN = """\
# My Boundaries settings. Mornings are for deep work.
version = 1

[general]
timezone = "Europe/Berlin"  # I live here

[workday]
signoff = "17:30"  # be home for dinner

# Morning block
[[focus.blocks]]
days = ["mon", "tue", "wed", "thu", "fri"]
start = "09:00"
end = "11:00"  # coffee after
"""


@pytest.fixture
def app(make_app: MakeApp) -> BoundariesApp:
    return make_app(HAND_WRITTEN, NOW)


def settings_file(app: BoundariesApp) -> Path:
    return app.store.path


def open_dialog(app: BoundariesApp, qtbot: QtBot) -> SettingsDialog:
    dialog = open_settings(app)
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_apply_writes_exactly_that_change_and_the_tray_follows(
    app: BoundariesApp, qtbot: QtBot
) -> None:
    assert app.tray.header.text() == "Focus until 11:00 · Sign-off 17:30"
    dialog = open_dialog(app, qtbot)
    row = dialog.schedule_page.block_rows[0]
    retype(qtbot, row.end, "25:00")
    assert not dialog.apply_button.isEnabled() and not dialog.ok_button.isEnabled()
    assert row.error.text() == 'End: "25:00": hours go up to 23 (or use am/pm)'
    retype(qtbot, row.end, "11:30")

    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.controller.settings.focus.blocks[0].end.minute == 30)

    diff = [
        line
        for line in difflib.unified_diff(
            HAND_WRITTEN.splitlines(), settings_file(app).read_text().splitlines(), lineterm="", n=0
        )
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert diff == ['-end = "11:00"  # coffee after', '+end = "11:30"  # coffee after']
    assert app.tray.header.text() == "Focus until 11:30 · Sign-off 17:30"


def test_cancel_leaves_the_file_byte_identical_and_the_app_unchanged(
    app: BoundariesApp, qtbot: QtBot
) -> None:
    before = settings_file(app).read_bytes()
    dialog = open_dialog(app, qtbot)
    retype(qtbot, dialog.schedule_page.block_rows[0].end, "10:15")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settings_dialog(app) is None)
    assert settings_file(app).read_bytes() == before
    assert app.tray.header.text() == "Focus until 11:00 · Sign-off 17:30"


def test_a_hand_edit_is_picked_up_and_replans(app: BoundariesApp, qtbot: QtBot) -> None:
    path = settings_file(app)
    path.write_text(HAND_WRITTEN.replace('signoff = "17:30"', 'signoff = "18:15"'))
    qtbot.waitUntil(lambda: app.tray.header.text() == "Focus until 11:00 · Sign-off 18:15")
    assert app.controller.settings.workday.signoff.hour == 18


def test_a_hand_edit_after_shutdown_is_not_read(app: BoundariesApp, qtbot: QtBot) -> None:
    """The app's workers are gone after shutdown: an edit noticed then would fail to load."""
    from boundaries.app.settings_watch import SETTLE_MS

    qtbot.waitUntil(lambda: app.server is not None)  # started up, the file watched
    app.shutdown()
    settings_file(app).write_text(HAND_WRITTEN.replace('signoff = "17:30"', 'signoff = "18:15"'))
    qtbot.wait(2 * SETTLE_MS)  # nothing to wait for: a read of the edit would have started
    assert app.controller.settings.workday.signoff.hour == 17


def test_a_broken_hand_edit_is_reported_and_not_applied(app: BoundariesApp, qtbot: QtBot) -> None:
    before: Settings = app.controller.settings
    settings_file(app).write_text(HAND_WRITTEN.replace('"17:30"', '"25:00"'))
    qtbot.waitUntil(lambda: len(app.notes) == 1)
    note = app.notes[0]
    assert note.title == "Settings file not applied"
    assert 'workday.signoff: "25:00": hours go up to 23 (or use am/pm)' in note.body
    assert "keeps the settings it had" in note.body
    assert app.controller.settings == before
    assert list(settings_file(app).parent.glob("settings.toml.broken-*"))  # backup kept


def test_clear_history_from_settings(
    app: BoundariesApp, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from boundaries.core.workday_record import SignoffSource

    day = NOW.date()
    app.history_workers.submit(
        lambda: app.history.observe_signoff(day, NOW, SignoffSource.BUTTON, NOW)
    ).result(timeout=5)
    assert app.history.records_between(day, day)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog = open_dialog(app, qtbot)
    dialog.general_page.clear_history.click()
    qtbot.waitUntil(lambda: dialog.general_page.history_note.text() == "History cleared.")
    assert app.history.records_between(day, day) == []


@pytest.mark.parametrize("opener", ["open_week_view", "open_team_day", "open_copy_time"])
def test_windows_opened_from_the_tray_stay_open(
    app: BoundariesApp, qtbot: QtBot, opener: str
) -> None:
    import gc

    before = {w for w in QApplication.topLevelWidgets() if w.isVisible()}
    getattr(app, opener)()
    gc.collect()  # parentless windows used to vanish here
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # ... or be deleted later
    opened = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w not in before]
    assert len(opened) == 1
    opened[0].close()
    qtbot.waitUntil(lambda: opened[0] not in app.open_windows)


class _IdleProbe:
    """An idle source that records which thread asked."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.threads: list[int] = []

    def idle_seconds(self) -> float | None:
        import threading

        self.threads.append(threading.get_ident())
        return self.seconds


@pytest.mark.parametrize(("idle", "nudged"), [(5.0, True), (3600.0, False), (None, True)])
def test_nudge_asks_for_idle_time_off_the_gui_thread(
    make_app: MakeApp, qtbot: QtBot, idle: float | None, nudged: bool
) -> None:
    import threading

    from boundaries.core.nudge import Nudge, NudgeKind

    probe = _IdleProbe(idle)
    app = make_app(HAND_WRITTEN, NOW, idle=probe)
    app.controller.nudged.emit(Nudge(NudgeKind.SIGNOFF, NOW))
    if nudged:
        qtbot.waitUntil(lambda: bool(app.notes))
    else:
        qtbot.waitUntil(lambda: bool(probe.threads))
        # Nothing to wait for: the answer comes back through the event loop, and no nudge may
        # follow it; 100 ms is ample for a queued answer to arrive.
        qtbot.wait(100)
    assert probe.threads[0] != threading.get_ident()
    assert [n.title for n in app.notes] == (["Time to sign off"] if nudged else [])


PARTLY_BROKEN = """\
# Tuned by hand; please keep my notes.
version = 1

[general]
timezone = "Europe/Berlin"  # I live here
my_theme = "solarized"      # not a Boundaries setting, but mine

[workday]
heads_up_minutes = "soon"   # broken on purpose
signoff = "17:30"  # be home for dinner
"""


@pytest.fixture
def broken_app(make_app: MakeApp) -> BoundariesApp:
    return make_app(PARTLY_BROKEN, NOW)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]


def test_ok_on_a_partly_broken_file_writes_only_the_changed_key(
    broken_app: BoundariesApp, qtbot: QtBot
) -> None:
    app = broken_app
    dialog = open_dialog(app, qtbot)
    assert dialog.banner.isVisible()
    assert "workday.heads_up_minutes" in dialog.banner.text()
    assert "Saving here changes only the settings you edit" in dialog.banner.text()
    retype(qtbot, dialog.schedule_page.signoff, "18:00")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.controller.settings.workday.signoff.hour == 18)

    text = settings_file(app).read_text()
    assert changed_lines(PARTLY_BROKEN, text) == [
        '-signoff = "17:30"  # be home for dinner',
        '+signoff = "18:00"  # be home for dinner',
    ]
    assert list(settings_file(app).parent.glob("settings.toml.broken-*"))  # backup stays
    assert not app.load_result.ok  # the untouched broken value is still reported, truthfully
    assert [p.path for p in app.load_result.problems] == [
        "general.my_theme",
        "workday.heads_up_minutes",
    ]


def test_ok_without_edits_changes_nothing_on_disk(broken_app: BoundariesApp, qtbot: QtBot) -> None:
    before = settings_file(broken_app).read_bytes()
    loaded = broken_app.load_result
    dialog = open_dialog(broken_app, qtbot)
    dialog.select_tab("general")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settings_dialog(broken_app) is None)
    qtbot.waitUntil(lambda: broken_app.load_result is not loaded)  # saved on a worker, re-read
    assert settings_file(broken_app).read_bytes() == before


def test_a_token_changed_in_settings_reaches_the_app(app: BoundariesApp, qtbot: QtBot) -> None:
    """The token panel saved or forgot the token: the window tells the app (``slack-resync``,
    what ``boundaries slack login`` sends), which retries Slack and has the window re-read it."""
    dialog = open_dialog(app, qtbot)
    window = app.settings_window
    assert isinstance(window, InProcessSettings)
    dialog.token_changed.emit()  # what the panel emits after Save token / Forget token
    qtbot.waitUntil(lambda: window.orders[-1:] == ["token_changed"])


def test_a_settings_save_announced_and_never_finished_is_read_after_the_wait(
    broken_app: BoundariesApp, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Settings process said ``settings-saving``, wrote, and died before
    ``settings-saved``: the app takes the file as that save, not as a refused hand edit."""
    from boundaries.app import application
    from boundaries.core import commands as cmd

    app = broken_app
    qtbot.waitUntil(lambda: app.server is not None)  # started: the file is watched
    monkeypatch.setattr(application, "OWN_SAVE_WAIT_MS", 400)
    app.handle_command(cmd.encode_request(cmd.SettingsSaving()))
    settings_file(app).write_text(PARTLY_BROKEN.replace('"17:30"', '"18:00"'))
    qtbot.waitUntil(lambda: app.controller.settings.workday.signoff.hour == 18, timeout=5000)
    titles = [note.title for note in app.notes]  # type: ignore[attr-defined]
    assert titles == ["Settings file has problems"]  # at start only, never "not applied"
