"""One running app per config folder, and the command line talking to it.

The lock file lives in the state folder and the local-server name derives from that folder, so
a test or a user with a separate ``BOUNDARIES_CONFIG_DIR`` runs side by side with the default
one, and a second start with the same folder finds the first. A lock left by a killed process
is detected (its PID is gone) and taken over.

The framing is one JSON object per line each way; what the objects say is the typed command
protocol of ``core.commands`` (decoded and dispatched by ``app.dispatch``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QLockFile, QObject, Slot

from boundaries.core.commands import CommandError, ErrorCode, Reply, encode_reply

if TYPE_CHECKING:  # QtNetwork is imported where used: not needed before the tray icon
    from PySide6.QtNetwork import QLocalSocket

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], dict[str, Any]]
_MAX_REQUEST = 64 * 1024


def server_name(state_dir: Path) -> str:
    digest = hashlib.sha256(str(state_dir.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"boundaries-{digest}"


class InstanceLock:
    """``QLockFile`` in the state folder; ``acquire`` is False while another app holds it."""

    def __init__(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self._lock = QLockFile(str(state_dir / "boundaries.lock"))
        self._lock.setStaleLockTime(0)  # held all session; staleness is decided by the PID

    def acquire(self) -> bool:
        return bool(self._lock.tryLock(0))

    def release(self) -> None:
        self._lock.unlock()


class CommandServer(QObject):
    """Answers commands from ``boundaries ...`` invocations on the GUI thread."""

    def __init__(self, state_dir: Path, handler: Handler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = server_name(state_dir)
        self._handler = handler
        from PySide6.QtNetwork import QLocalServer

        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)

    def listen(self) -> bool:
        self._server.removeServer(self._name)  # a socket left behind by a crashed instance
        ok = bool(self._server.listen(self._name))
        if not ok:
            log.warning("cannot listen for commands: %s", self._server.errorString())
        return ok

    def close(self) -> None:
        self._server.close()

    @Slot()
    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            if socket.bytesAvailable() > _MAX_REQUEST:
                socket.abort()
            return
        raw = bytes(socket.readLine().data())
        try:
            request = json.loads(raw)
            if not isinstance(request, dict):
                raise ValueError("not an object")
            reply = self._handler(request)
        except (ValueError, TypeError) as error:
            reply = _failure(ErrorCode.BAD_REQUEST, f"bad request: {error}")
        except Exception as error:  # a bug must not kill the app; tell the caller
            log.exception("command %r failed", raw[:200])
            reply = _failure(ErrorCode.INTERNAL, f"internal error: {error}")
        socket.write(QByteArray(json.dumps(reply).encode("utf-8") + b"\n"))
        socket.flush()
        socket.disconnectFromServer()


def _failure(code: ErrorCode, message: str) -> dict[str, Any]:
    return encode_reply(Reply.failure(CommandError(code, message)))


def send_command(
    state_dir: Path, request: dict[str, Any], timeout_ms: int = 5000
) -> dict[str, Any] | None:
    """Send one command to the running app; ``None`` when no app is running for this folder."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(server_name(state_dir))
    if not socket.waitForConnected(timeout_ms):
        return None
    socket.write(QByteArray(json.dumps(request).encode("utf-8") + b"\n"))
    socket.flush()
    data = b""
    while b"\n" not in data:
        if not socket.waitForReadyRead(timeout_ms):
            break
        data += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    if not data:
        return _failure(ErrorCode.INTERNAL, "the running app did not answer in time")
    reply: dict[str, Any] = json.loads(data.split(b"\n", 1)[0])
    return reply
