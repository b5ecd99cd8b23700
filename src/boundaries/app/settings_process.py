"""The Settings window's process, as the running app sees it (docs/decisions/0018).

``open`` starts ``boundaries __settings-window`` with ``QProcess`` (it returns at once: the
GUI thread never waits for it), or, while one runs, asks it on its stdin to raise its window;
a second "Settings…" never starts a second window. The launcher's or the tray host's
activation token goes along, so the window may take focus on Wayland. The child's stdout and
stderr are the app's own (nothing it says is lost); a child that crashes or cannot start is
reported with ``problem`` (the tray shows it), and the next ``open`` starts a new one.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import Protocol

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal, Slot

from boundaries.entry import SETTINGS_ARG
from boundaries.integrations.paths import AppDirs

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "XDG_ACTIVATION_TOKEN"
NOT_STARTED = "Settings could not open"
STOPPED = "Settings closed unexpectedly"


class SettingsWindow(Protocol):
    """What the app asks of its Settings window, wherever that runs."""

    def open(self, activation_token: str = "") -> None: ...
    def token_changed(self) -> None: ...
    def close(self) -> None: ...


def settings_command(dirs: AppDirs) -> list[str]:
    """This interpreter (or the frozen bundle) as ``boundaries __settings-window``."""
    if getattr(sys, "frozen", False):
        command = [sys.executable, SETTINGS_ARG]
    else:
        command = [sys.executable, "-m", "boundaries", SETTINGS_ARG]
    if not dirs.is_default:  # the app may have been given --config-dir
        command += ["--config-dir", str(dirs.config)]
    return command


def take_activation_token(given: str) -> str:
    """``given`` (a second start's), else the one the tray host handed Qt with a click
    (``ProvideXdgActivationToken`` sets it in our environment); used once, then unset."""
    pending = QProcessEnvironment.systemEnvironment().value(TOKEN_VARIABLE, "")
    if pending:
        os.unsetenv(TOKEN_VARIABLE)
    return given or pending


class SettingsProcess(QObject):
    """At most one Settings process; ``problem(title, message)`` when it fails."""

    problem = Signal(str, str)

    def __init__(self, dirs: AppDirs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dirs = dirs
        self._process: QProcess | None = None

    @property
    def pid(self) -> int | None:
        """The running child's process id (benchmarks and tests)."""
        if self._process is None:
            return None
        return int(self._process.processId()) or None  # 0 until it has started

    def open(self, activation_token: str = "") -> None:
        token = take_activation_token(activation_token)
        if self._process is not None:
            self._send({"op": "present", "activation_token": token})
            return
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedChannels)
        env = QProcessEnvironment.systemEnvironment()
        env.remove(TOKEN_VARIABLE)
        if token:
            env.insert(TOKEN_VARIABLE, token)
        process.setProcessEnvironment(env)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        program, *args = settings_command(self._dirs)
        self._process = process
        process.start(program, args)

    def token_changed(self) -> None:
        if self._process is not None:
            self._send({"op": "token_changed"})

    def close(self) -> None:
        """The app quits: the end of its stdin closes the window (edits unsaved, as Cancel)."""
        if self._process is not None:
            self._process.closeWriteChannel()

    def _send(self, order: dict[str, str]) -> None:
        assert self._process is not None
        self._process.write(json.dumps(order).encode() + b"\n")

    @Slot(int, QProcess.ExitStatus)
    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.deleteLater()
        if status is QProcess.ExitStatus.CrashExit or code != 0:
            how = "it crashed" if status is QProcess.ExitStatus.CrashExit else f"exit code {code}"
            log.warning("the Settings window's process ended: %s", how)
            self.problem.emit(
                STOPPED,
                f"The Settings window stopped ({how}); Boundaries keeps running. Open Settings "
                "again to continue; edits not yet saved are lost.",
            )

    @Slot(QProcess.ProcessError)
    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error is not QProcess.ProcessError.FailedToStart:
            return  # a crash also ends in finished(); a write to a dying child is no news
        process, self._process = self._process, None
        reason = process.errorString() if process is not None else "unknown error"
        if process is not None:
            process.deleteLater()
        log.warning("the Settings window's process did not start: %s", reason)
        self.problem.emit(NOT_STARTED, f"The Settings window did not start ({reason}).")
