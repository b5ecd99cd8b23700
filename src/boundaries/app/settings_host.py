"""The Settings window with everything it needs: the only way Settings runs.

``boundaries __settings-window`` (``app/settings_window.py``) runs a ``SettingsHost`` in a
process of its own, so closing the window gives all its memory back to the system
(docs/decisions/0018-settings-process.md); the Qt tests drive the same object in-process.
The host saves settings.toml itself (only the user's changes, like the app's own save), keeps
the window in step with the file (record 0015), and reaches the running app only through an
``AppLink``: one command of ``core.commands`` at a time, answered on the GUI thread.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from boundaries.app.settings_watch import SettingsFileWatcher
from boundaries.core.settings import Settings
from boundaries.integrations.config_store import ConfigStore, ConfigWriteError, LoadResult
from boundaries.ui.ports import SettingsServices, Workers

if TYPE_CHECKING:  # the protocol loads once the window shows (~25 ms of its start)
    from PySide6.QtWidgets import QMessageBox

    from boundaries.core import commands as cmd
    from boundaries.integrations.autostart import Autostart
    from boundaries.ui.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)

OnReply = Callable[["cmd.Reply"], None]


class AppLink(Protocol):
    """The running app as the Settings window reaches it. ``send`` never blocks: the reply
    comes back on the GUI thread (a failure ``Reply`` when the app is not there)."""

    def send(self, command: cmd.Command, on_reply: OnReply) -> None: ...


class SocketLink:
    """The app's command socket (``app.ipc``, the CLI's client), asked on a worker."""

    def __init__(self, state_dir: Path, workers: Workers) -> None:
        self._state = state_dir
        self._workers = workers

    def send(self, command: cmd.Command, on_reply: OnReply) -> None:
        from boundaries.core import commands as cmd

        request = cmd.encode_request(command)

        def ask() -> cmd.Reply:
            from boundaries.app.ipc import send_command

            raw = send_command(self._state, request)
            if raw is None:
                refused = cmd.CommandError(cmd.ErrorCode.REFUSED, "Boundaries is not running")
                return cmd.Reply.failure(refused)
            return cmd.decode_reply(raw)

        def failed(error: BaseException) -> None:
            failure = cmd.CommandError(cmd.ErrorCode.INTERNAL, f"{type(error).__name__}: {error}")
            on_reply(cmd.Reply.failure(failure))

        self._workers.submit(ask, on_reply, failed)


def open_in_browser(url: str) -> bool:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return bool(QDesktopServices.openUrl(QUrl(url)))


class SettingsHost(QObject):
    """One Settings window: built by :meth:`present`, gone once closed.

    ``finished`` fires when the window is closed and nothing it started (a save, telling the
    app) is still under way: the Settings process exits then.
    """

    finished = Signal()

    def __init__(
        self,
        store: ConfigStore,
        load: LoadResult,
        link: AppLink,
        services: SettingsServices,
        *,
        autostart: Autostart | None = None,
        open_url: Callable[[str], object] = open_in_browser,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._load = load  # what the file says: what saving diffs against
        self._link = link
        self._services = services
        self._autostart = autostart
        self._open_url = open_url
        self._dialog: SettingsDialog | None = None
        self._error_box: QMessageBox | None = None
        self._pending = 0  # saves and messages to the app still under way
        self._built = False
        self._watch = SettingsFileWatcher(store.path, self, create_folder=False)
        self._watch.changed.connect(self._on_file_changed)

    @property
    def dialog(self) -> SettingsDialog | None:
        """The window while it is open."""
        return self._dialog

    # ------------------------------------------------------------------ orders from the app
    def present(self, activation_token: str = "") -> None:
        """Show the window (built the first time), raised and with focus where allowed."""
        if activation_token:
            # Qt's Wayland plugin reads it at the next activateWindow() and unsets it.
            os.putenv("XDG_ACTIVATION_TOKEN", activation_token)
        if self._dialog is None:  # the first time, or again while a closed one's save runs
            self._build()
        dialog = self._dialog
        assert dialog is not None
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def refresh_token(self) -> None:
        """``boundaries slack login``/``logout`` changed the keyring: the token line re-reads."""
        if self._dialog is not None:
            self._dialog.refresh_token()

    def close(self) -> None:
        """The app quits: the window closes as if cancelled (unsaved edits are not written)."""
        if self._error_box is not None:
            self._error_box.close()
        if self._dialog is not None:
            self._dialog.close()
        self._maybe_finished()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        from PySide6.QtCore import Qt

        from boundaries.ui.settings_dialog import SettingsDialog

        self._built = True
        load = self._load
        dialog = SettingsDialog(load.settings, self._services, banner=load.banner() or None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(self._save)
        dialog.token_changed.connect(self._token_changed)
        dialog.create_slack_app_requested.connect(self._create_slack_app)
        dialog.clear_history_requested.connect(self._clear_history)
        dialog.destroyed.connect(self._on_closed)
        self._dialog = dialog
        self._show_autostart_state(dialog)
        self._watch.start()

    def _on_closed(self) -> None:
        self._dialog = None
        self._watch.stop()
        self._maybe_finished()

    def _maybe_finished(self) -> None:
        if self._built and self._dialog is None and self._error_box is None and not self._pending:
            self.finished.emit()

    def _show_autostart_state(self, dialog: SettingsDialog) -> None:
        """What is really on disk (a user may have removed the entry), read on a worker."""
        autostart = self._autostart
        if autostart is None:
            return
        self._services.workers.submit(
            lambda: (autostart.is_enabled(), autostart.describe()),
            lambda answer: dialog.show_start_at_login(*answer),
            context=dialog,
        )

    def _create_slack_app(self) -> None:
        from boundaries.integrations.slack_manifest import create_app_url

        self._open_url(create_app_url())

    # ------------------------------------------------------------------ the app
    def _tell(self, command: cmd.Command, then: OnReply | None = None) -> None:
        self._pending += 1

        def replied(reply: cmd.Reply) -> None:
            self._pending -= 1
            if not reply.ok:
                log.warning("the app did not take %s: %s", command.name.value, reply.message)
            if then is not None:
                then(reply)
            self._maybe_finished()

        self._link.send(command, replied)

    def _token_changed(self) -> None:
        """Saved or forgotten in the token panel: the app retries Slack with it."""
        from boundaries.core import commands as cmd

        self._tell(cmd.SlackResync())

    def _clear_history(self) -> None:
        from boundaries.core import commands as cmd

        def replied(reply: cmd.Reply) -> None:
            dialog = self._dialog
            if dialog is None:
                return
            if reply.ok:
                dialog.history_cleared()
            else:
                dialog.history_not_cleared(reply.message)

        self._tell(cmd.ClearHistory(), replied)

    # ------------------------------------------------------------------ the file
    def _save(self, settings: Settings) -> None:
        """Announce the save to the app, write the user's changes on a worker, tell the app
        it is done, then re-read the file for the banner.

        The app takes no change of the file for a hand edit between ``settings-saving`` and
        ``settings-saved`` and re-reads it then, so a partly broken file is run with as after
        its own save, never refused as a broken edit, however slow the machine is.
        """
        from boundaries.core import commands as cmd

        store, before = self._store, self._load.settings  # only the user's changes are written
        workers = self._services.workers
        self._pending += 1

        def write(_announced: cmd.Reply) -> None:  # the app may not be there: saved anyway
            workers.submit(lambda: store.save(settings, before=before), saved, failed)

        def saved(_nothing: None) -> None:
            self._watch.mark_seen()  # our own write is no change on disk
            self._tell(cmd.SettingsSaved())
            workers.submit(store.load, reloaded, failed)

        def reloaded(result: LoadResult) -> None:
            self._pending -= 1
            self._watch.mark_seen()
            self._load = result  # what the file now says, broken parts untouched included
            if self._dialog is not None:
                self._dialog.set_banner(result.banner())
            self._maybe_finished()

        def failed(error: BaseException) -> None:
            self._pending -= 1
            self._tell(cmd.SettingsSaved())  # the app stops waiting; the file is as it was
            self._show_error(str(error) if isinstance(error, ConfigWriteError) else repr(error))
            self._maybe_finished()

        self._link.send(cmd.SettingsSaving(), write)

    def _show_error(self, message: str) -> None:
        if self._dialog is not None:
            self._dialog.show_error(message)
            return
        from PySide6.QtWidgets import QMessageBox  # OK closed the window before the answer

        box = QMessageBox(QMessageBox.Icon.Warning, "Settings not saved", message)
        box.finished.connect(self._on_error_closed)
        self._error_box = box
        box.open()

    def _on_error_closed(self) -> None:
        box, self._error_box = self._error_box, None
        if box is not None:
            box.deleteLater()
        self._maybe_finished()

    def _on_file_changed(self) -> None:
        """A change on disk (a hand edit, ``team import --yes``): merged into the window."""

        def loaded(result: LoadResult) -> None:
            if not result.ok or result.settings == self._load.settings:
                return
            self._load = result
            if self._dialog is not None:
                self._dialog.set_settings(result.settings)

        self._services.workers.submit(self._store.load, loaded)
