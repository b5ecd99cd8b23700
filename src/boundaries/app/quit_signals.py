"""SIGTERM, SIGINT and SIGHUP (logout, ``systemctl --user stop``, Ctrl+C) quit like Quit does.

Python runs a signal handler only when the interpreter gets control, which never happens while
Qt's event loop waits in C++. So the handler does nothing itself: ``signal.set_wakeup_fd`` writes
the signal's number to a socket, and a ``QSocketNotifier`` on the other end calls ``on_signal``
on the GUI thread, where the normal shutdown runs (lock and socket removed, pending writes
finished).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
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
        self._read, self._write = socket.socketpair()
        for end in (self._read, self._write):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        for signum in QUIT_SIGNALS:
            signal.signal(signum, _noop)  # a Python handler: that is what writes the wakeup byte
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        try:
            received = self._read.recv(64)
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
        self._read.close()
        self._write.close()


def _noop(_signum: int, _frame: object) -> None:
    pass
