"""SIGTERM, SIGINT and SIGHUP (logout, ``systemctl --user stop``, Ctrl+C) quit like Quit does.

Python runs a signal handler only when the interpreter gets control, which never happens while
Qt's event loop waits in C++. So the handler does nothing itself: ``signal.set_wakeup_fd`` writes
the signal's number to a pipe, and a ``QSocketNotifier`` on the other end calls ``on_signal``
on the GUI thread, where the normal shutdown runs (lock and socket removed, pending writes
finished).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

log = logging.getLogger(__name__)

QUIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name)
)


class QuitSignals(QObject):
    """While it lives, the quit signals call ``on_signal(signum)`` on the GUI thread."""

    def __init__(self, on_signal: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._wakeup = _WakeupPipe()
        self._previous_fd = signal.set_wakeup_fd(self._wakeup.write_fd, warn_on_full_buffer=False)
        for signum in QUIT_SIGNALS:
            signal.signal(signum, _noop)  # a Python handler: that is what writes the wakeup byte
        self._notifier = QSocketNotifier(self._wakeup.read_fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        try:
            received = self._wakeup.read()
        except BlockingIOError:
            return
        for signum in received:
            if signum in QUIT_SIGNALS:
                log.info("signal %d: quitting", signum)
                self._on_signal(signum)
                return

    def close(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for signum in QUIT_SIGNALS:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signum, signal.SIG_DFL)
        self._wakeup.close()


class _WakeupPipe:
    """The non-blocking ends the signal's number travels through: a pipe, or a socket pair on
    Windows, where ``set_wakeup_fd`` takes only a socket. (A pipe keeps ``socket`` and its
    enums, ~6 ms, off the start path.)"""

    def __init__(self) -> None:
        if sys.platform == "win32":
            import socket

            self._sockets = socket.socketpair()
            for end in self._sockets:
                end.setblocking(False)
            self.read_fd, self.write_fd = (end.fileno() for end in self._sockets)
            return
        self.read_fd, self.write_fd = os.pipe()
        for fd in (self.read_fd, self.write_fd):
            os.set_blocking(fd, False)

    def read(self) -> bytes:
        """What is waiting (BlockingIOError when nothing is)."""
        if sys.platform == "win32":
            return self._sockets[0].recv(64)
        return os.read(self.read_fd, 64)

    def close(self) -> None:
        if sys.platform == "win32":
            for end in self._sockets:
                end.close()
            return
        os.close(self.read_fd)
        os.close(self.write_fd)


def _noop(_signum: int, _frame: object) -> None:
    pass
