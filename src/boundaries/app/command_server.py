"""The app's end of the command socket, answered on the GUI thread right after the tray icon.

On Linux and macOS it is a plain Unix socket watched by ``QSocketNotifier``: Python's socket
module is loaded at start anyway (:mod:`boundaries.app.quit_signals`), while QtNetwork with
the Kerberos libraries it links costs ~2.6 MiB resident all day (decisions/0017). Windows has
no Unix sockets in Python: there a ``QLocalServer`` named pipe carries the same protocol
(:mod:`boundaries.app.command_pipe`). The command line talks to either with ``QLocalSocket``
(:func:`boundaries.app.ipc.send_command`).

Connections are untrusted: each has a few seconds to send its line, at most
:data:`MAX_CONNECTIONS` are open at once (a new connection closes the oldest, so a command gets
through a flood of idle ones), accepting pauses for a moment when the process runs out of file
descriptors, and a server that stopped listening anyway is restarted.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sys
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal, Slot

from boundaries.app.ipc import failure_reply, server_name
from boundaries.core.commands import ErrorCode
from boundaries.integrations.private_dir import UnsafeFolder

log = logging.getLogger(__name__)

# A reply now, or a future one (a command answered once its change is saved).
Handler = Callable[[dict[str, Any]], "dict[str, Any] | Future[dict[str, Any]]"]
MAX_REQUEST = 64 * 1024
IDLE_TIMEOUT_MS = 5_000  # a CLI sends its one line at once; a silent connection is dropped
MAX_CONNECTIONS = 16  # far more than people type commands; far below the 1024 fd limit
RELISTEN_MS = 60_000
ACCEPT_RETRY_MS = 1_000  # out of descriptors: new connections wait in the backlog meanwhile
_BACKLOG = 50  # what QLocalServer uses


class Link(QObject):
    """One client connection. It calls back ``on_data(link)`` when bytes arrived (all of them
    are in ``buffer``) and ``on_closed(link)`` once, when it is closed for whatever reason."""

    buffer: bytearray

    def stop_reading(self) -> None:
        raise NotImplementedError

    def send_and_close(self, data: bytes) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError


LinkCallback = Callable[[Link], None]


class Listener(Protocol):
    """Accepts connections on a name and hands each to ``on_link`` as a :class:`Link`."""

    def listen(self, name: str) -> bool: ...
    def error_string(self) -> str: ...
    def is_listening(self) -> bool: ...
    def close(self) -> None: ...


class CommandServer(QObject):
    """Answers commands from ``boundaries ...`` invocations on the GUI thread.

    ``transport`` is ``"unix"`` or ``"pipe"``; by default the platform's (tests run both)."""

    _answered = Signal(object, object)  # (link, reply) from the thread that saved the state

    def __init__(
        self,
        state_dir: Path,
        handler: Handler,
        parent: QObject | None = None,
        *,
        transport: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._state_dir = state_dir
        self._handler = handler
        self._answered.connect(self._reply)
        self.error_text = ""
        self._open: dict[Link, None] = {}  # insertion-ordered: oldest first
        callbacks = (self._on_link, self._on_data, self._forget)
        if (transport or ("pipe" if sys.platform == "win32" else "unix")) == "pipe":
            from boundaries.app.command_pipe import PipeListener

            self._listener: Listener = PipeListener(*callbacks, parent=self)
        else:
            self._listener = UnixListener(*callbacks, parent=self)
        # Re-listens if the server ever stops. Qt's default coarse type: one wakeup a minute
        # (Qt.TimerType would build every Qt.* enum, ~40 ms and 1 MiB).
        self._watch = QTimer(self)
        self._watch.setInterval(RELISTEN_MS)
        self._watch.timeout.connect(self._keep_listening)

    def listen(self) -> bool:
        try:
            name = server_name(self._state_dir, create=True)
        except UnsafeFolder as error:
            self.error_text = f"Commands from `boundaries ...` are off: {error}"
            log.warning("%s", self.error_text)
            return False
        ok = self._listener.listen(name)
        if ok:
            self.error_text = ""
            self._watch.start()
        else:
            self.error_text = f"cannot listen for commands: {self._listener.error_string()}"
            log.warning("%s", self.error_text)
        return ok

    def close(self) -> None:
        self._watch.stop()
        self._listener.close()
        for link in list(self._open):
            link.abort()

    @property
    def listening(self) -> bool:
        return self._listener.is_listening()

    @property
    def open_connections(self) -> int:
        return len(self._open)

    @Slot()
    def _keep_listening(self) -> None:
        if not self._listener.is_listening():
            log.warning("commands stopped (%s); listening again", self._listener.error_string())
            self.listen()

    def _on_link(self, link: Link) -> None:
        if len(self._open) >= MAX_CONNECTIONS:  # the oldest goes: a new command gets in
            next(iter(self._open)).abort()
        self._open[link] = None
        timer = QTimer(link)  # deleted with the link
        timer.setSingleShot(True)
        timer.timeout.connect(link.abort)
        timer.start(IDLE_TIMEOUT_MS)

    def _forget(self, link: Link) -> None:
        self._open.pop(link, None)

    def _on_data(self, link: Link) -> None:
        end = link.buffer.find(b"\n")
        if end < 0:
            if len(link.buffer) > MAX_REQUEST:
                link.abort()
            return
        link.stop_reading()  # one command per connection
        raw = bytes(link.buffer[: end + 1])
        try:
            request = json.loads(raw)
            if not isinstance(request, dict):
                raise ValueError("not an object")
            answer = self._handler(request)
        except (ValueError, TypeError, OverflowError, RecursionError) as error:  # "[[[[..." too
            answer = failure_reply(ErrorCode.BAD_REQUEST, f"bad request: {error}")
        except Exception as error:  # a bug must not kill the app; tell the caller
            log.exception("command %r failed", raw[:200])
            answer = failure_reply(ErrorCode.INTERNAL, f"internal error: {error}")
        if isinstance(answer, Future):  # answered once the change is saved (off this thread)
            answer.add_done_callback(lambda done: self._answered.emit(link, done.result()))
            return
        self._reply(link, answer)

    @Slot(object, object)
    def _reply(self, link: Link, reply: dict[str, Any]) -> None:
        if link not in self._open:
            return  # the caller gave up (or was timed out) meanwhile
        link.send_and_close(json.dumps(reply).encode("utf-8") + b"\n")


class ListenerBase(QObject):
    """What every transport's listener does with a new connection: wraps it in its ``Link``
    (which reports ``on_data`` and ``on_closed``) and hands it to ``on_link``."""

    def __init__(
        self,
        on_link: LinkCallback,
        on_data: LinkCallback,
        on_closed: LinkCallback,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._callbacks = (on_data, on_closed)
        self._on_link = on_link


class UnixListener(ListenerBase):
    """A listening Unix socket in the private folder; readiness comes from the event loop."""

    def __init__(
        self,
        on_link: LinkCallback,
        on_data: LinkCallback,
        on_closed: LinkCallback,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(on_link, on_data, on_closed, parent)
        self._sock: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._path = ""
        self._inode = 0
        self._error = ""
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._resume)

    def listen(self, name: str) -> bool:
        self.close()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)  # a socket left behind by a crashed instance
            sock.bind(name)
            os.chmod(name, 0o600)  # the folder is private already; the socket too
            sock.listen(_BACKLOG)
            sock.setblocking(False)
            self._inode = os.stat(name).st_ino
        except OSError as error:
            sock.close()
            self._error = f"{name}: {error.strerror or error}"
            return False
        self._sock, self._path, self._error = sock, name, ""
        self._notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)
        return True

    def error_string(self) -> str:
        return self._error or "not listening"

    def is_listening(self) -> bool:
        return self._sock is not None

    def close(self) -> None:
        self._retry.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)  # before the descriptor is closed
            self._notifier.deleteLater()
            self._notifier = None
        if self._sock is None:
            return
        self._sock.close()
        self._sock = None
        with contextlib.suppress(OSError):
            if os.stat(self._path).st_ino == self._inode:  # ours, not a newer app's
                os.unlink(self._path)

    @Slot()
    def _accept(self) -> None:
        while self._sock is not None:
            try:
                conn, _address = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue
            except OSError as error:  # EMFILE and the like: pause rather than spin
                self._error = error.strerror or str(error)
                log.warning("commands: cannot accept (%s); retrying shortly", self._error)
                if self._notifier is not None:
                    self._notifier.setEnabled(False)
                self._retry.start(ACCEPT_RETRY_MS)
                return
            self._on_link(UnixLink(conn, *self._callbacks, parent=self))

    @Slot()
    def _resume(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(True)


class UnixLink(Link):
    """One accepted connection: reads until the server has its line, then writes the reply."""

    def __init__(
        self,
        sock: socket.socket,
        on_data: LinkCallback,
        on_closed: LinkCallback,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        sock.setblocking(False)
        self.buffer = bytearray()
        self._sock: socket.socket | None = sock
        self._on_data = on_data
        self._on_closed = on_closed
        self._out = b""
        self._reader = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self)
        self._reader.activated.connect(self._readable)
        self._writer: QSocketNotifier | None = None

    @Slot()
    def _readable(self) -> None:
        closed = False
        try:
            while self._sock is not None and len(self.buffer) <= MAX_REQUEST:
                chunk = self._sock.recv(65536)
                if not chunk:
                    closed = True
                    break
                self.buffer += chunk
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            closed = True
        if self.buffer:
            self._on_data(self)
        if closed:  # the peer went away: like a disconnected QLocalSocket
            self.abort()

    def stop_reading(self) -> None:
        self._reader.setEnabled(False)

    def send_and_close(self, data: bytes) -> None:
        self._out = data
        self._flush()

    @Slot()
    def _flush(self) -> None:
        try:
            while self._out and self._sock is not None:
                sent = self._sock.send(self._out)
                self._out = self._out[sent:]
        except (BlockingIOError, InterruptedError):
            if self._writer is None and self._sock is not None:
                self._writer = QSocketNotifier(
                    self._sock.fileno(), QSocketNotifier.Type.Write, self
                )
                self._writer.activated.connect(self._flush)
            return
        except OSError:
            pass  # the caller is gone: nothing more to write
        self.abort()

    def abort(self) -> None:
        if self._sock is None:
            return
        for notifier in (self._reader, self._writer):
            if notifier is not None:
                notifier.setEnabled(False)  # before the descriptor is closed
        self._sock.close()
        self._sock = None
        self._on_closed(self)
        self.deleteLater()
