"""The Settings window host in the test's own process, linked straight to the app.

Production runs ``app.settings_host.SettingsHost`` in a process of its own
(``boundaries __settings-window``, docs/decisions/0018) that reaches the app over the command
socket. Here the same host runs beside the app, and its link hands the same encoded commands
to the app's dispatcher (what the socket would carry), so a Qt test drives the one Settings
path there is, with pytest-qt's widgets at hand.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, cast

from PySide6.QtCore import QTimer

from boundaries.app.application import BoundariesApp
from boundaries.app.settings_host import OnReply, SettingsHost
from boundaries.app.team_files import TeamFileService
from boundaries.core import commands as cmd
from boundaries.integrations.config_store import ConfigStore
from boundaries.ui.ports import SettingsServices
from boundaries.ui.settings_dialog import SettingsDialog


class DirectLink:
    """``AppLink`` without the socket: the app's ``handle_command``, replied asynchronously."""

    def __init__(self, app: BoundariesApp) -> None:
        self._app = app

    def send(self, command: cmd.Command, on_reply: OnReply) -> None:
        answer = self._app.handle_command(cmd.encode_request(command))
        if isinstance(answer, Future):
            waiting = cast("Future[dict[str, Any]]", answer)
            self._app.workers.submit(
                lambda: waiting.result(timeout=30), lambda raw: on_reply(cmd.decode_reply(raw))
            )
        else:
            QTimer.singleShot(0, lambda: on_reply(cmd.decode_reply(answer)))


class InProcessSettings:
    """``SettingsWindow`` for the Qt tests; ``dialog`` is the window while it is open."""

    def __init__(self, app: BoundariesApp, open_url: Callable[[str], object] = print) -> None:
        self._app = app
        self._open_url = open_url
        self.host: SettingsHost | None = None
        self.orders: list[str] = []  # what the app asked, in order

    @property
    def dialog(self) -> SettingsDialog | None:
        return None if self.host is None else self.host.dialog

    def open(self, activation_token: str = "") -> None:
        self.orders.append("present")
        if self.host is None:
            app = self._app
            store = ConfigStore(app.dirs.config)
            services = SettingsServices(app.workers, app.slack_account, TeamFileService())
            host = SettingsHost(
                store, store.load(), DirectLink(app), services, open_url=self._open_url, parent=app
            )
            host.finished.connect(lambda: self._finished(host))
            self.host = host
        self.host.present(activation_token)

    def _finished(self, host: SettingsHost) -> None:
        if self.host is host:
            self.host = None

    def token_changed(self) -> None:
        self.orders.append("token_changed")
        if self.host is not None:
            self.host.refresh_token()

    def close(self) -> None:
        self.orders.append("close")
        if self.host is not None:
            self.host.close()


def settings_dialog(app: BoundariesApp) -> SettingsDialog | None:
    """The app's Settings window while it is open (a test app runs it in-process)."""
    window = app.settings_window
    assert isinstance(window, InProcessSettings)
    return window.dialog


def open_settings(app: BoundariesApp) -> SettingsDialog:
    """What "Settings…" in the tray does; the window it opened."""
    app.open_settings()
    dialog = settings_dialog(app)
    assert dialog is not None
    return dialog
