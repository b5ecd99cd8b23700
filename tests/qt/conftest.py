"""Qt tests run headless: the offscreen platform needs no display server.

``make_app`` builds the real composition root (``BoundariesApp``) on a temporary config folder,
with a fixed clock and the notifications it would show collected in ``app.notes``.
``settings_services`` is what the app hands the Settings window: real workers and team files,
and a Slack account whose keyring is keyring's own "no keyring" backend (the token panel's
tests use a private gnome-keyring instead).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from boundaries.app.application import BoundariesApp
from boundaries.ui.ports import SettingsServices
from tests.qt.settings_in_process import InProcessSettings
from tests.slack.conftest import (  # noqa: F401 - fixtures for the tests here
    agent,
    agent_env,
    agent_store,
    secret_keyring,
    secret_service_session,
)

MakeApp = Callable[..., BoundariesApp]


@pytest.fixture(autouse=True)
def _agents_use_no_host_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Slack agent started by the app under test uses keyring's "no keyring" backend,
    never the machine's own keyring (the ``agent`` fixture chooses the private one)."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.fixture
def make_app(qtbot: QtBot, tmp_path: Path) -> Iterator[MakeApp]:
    """``make_app(settings_toml, now, **injected)``: a started app; shut down after the test."""
    from PySide6.QtCore import QEvent, QTimer
    from PySide6.QtWidgets import QApplication

    from boundaries.integrations.config_store import ConfigStore
    from boundaries.integrations.notify import Notification
    from boundaries.integrations.paths import resolve_dirs

    started: list[BoundariesApp] = []

    def make(settings_toml: str, now: datetime, **injected: object) -> BoundariesApp:
        dirs = resolve_dirs(tmp_path / "config")
        dirs.config.mkdir(parents=True, exist_ok=True)
        (dirs.config / "settings.toml").write_text(settings_toml)
        qapp = QApplication.instance()
        assert isinstance(qapp, QApplication)
        injected.setdefault("settings_window", InProcessSettings)
        app = BoundariesApp(
            qapp, dirs, ConfigStore(dirs.config).load(), clock=lambda: now, **injected
        )
        notes: list[Notification] = []
        app.notes = notes  # type: ignore[attr-defined]
        app.notifier.notify = notes.append  # type: ignore[method-assign]
        app.start()
        started.append(app)
        return app

    yield make
    for app in started:
        app.shutdown()
        for window in app.open_windows:  # windows outlive the app; deleted later, they are so now
            window.deleteLater()
    # Nothing of a shut-down app may stay armed, or it runs inside a later test: a memory
    # release re-armed by a window deleted after shutdown ran its gc.collect() there (a crash).
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    for app in started:
        armed = [type(t.parent()).__name__ for t in app.findChildren(QTimer) if t.isActive()]
        assert armed == [], f"timers of a shut-down app still armed: {armed}"


_SERVICES: list[SettingsServices] = []


def shared_settings_services() -> SettingsServices:
    """One set for the whole session (made on first use, once Qt's application exists)."""
    if not _SERVICES:
        from boundaries.app.agent_client import SlackAgentClient
        from boundaries.app.slack_account import SlackAccountService
        from boundaries.app.team_files import TeamFileService
        from boundaries.app.workers import WorkerPool
        from tests.slack.conftest import NO_KEYRING

        workers = WorkerPool(max_workers=1, name="test-settings")
        slack = SlackAccountService(SlackAgentClient(env=NO_KEYRING))
        _SERVICES.append(SettingsServices(workers, slack, TeamFileService()))
    return _SERVICES[0]


@pytest.fixture
def settings_services(qtbot: QtBot) -> SettingsServices:
    return shared_settings_services()
