"""One running app per config folder, and the command line talking to it.

The lock file lives in the state folder and the socket name derives from that folder, so a
test or a user with a separate ``BOUNDARIES_CONFIG_DIR`` runs side by side with the default
one, and a second start with the same folder finds the first. The socket itself lives in a
folder private to the user (:mod:`boundaries.integrations.private_dir`); the command line
checks that the socket and the server on the other end belong to the user before it sends
anything. A lock left by a killed process, a power loss (empty or garbage file) or a PID now
used by an unrelated program is recognised as stale and taken over.

Connections are untrusted: each has a few seconds to send its line, at most
:data:`MAX_CONNECTIONS` are open at once (Qt closes a server for good when ``accept`` runs out
of file descriptors; a new connection closes the oldest, so a command gets through a flood of
idle ones), and a server that stopped listening anyway is restarted.

The framing is one JSON object per line each way; what the objects say is the typed command
protocol of ``core.commands`` (decoded and dispatched by ``app.dispatch``).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import socket as pysocket
import struct
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QLockFile, QObject, QThread, QTimer, Signal, Slot

from boundaries.core.commands import CommandError, ErrorCode, Reply, encode_reply
from boundaries.integrations.private_dir import (
    UnsafeFolder,
    socket_name,
    socket_path,
    socket_problem,
)

if TYPE_CHECKING:  # QtNetwork is imported where used: not needed before the tray icon
    from PySide6.QtNetwork import QLocalSocket

log = logging.getLogger(__name__)

# A reply now, or a future one (a command answered once its change is saved).
Handler = Callable[[dict[str, Any]], "dict[str, Any] | Future[dict[str, Any]]"]
_MAX_REQUEST = 64 * 1024
IDLE_TIMEOUT_MS = 5_000  # a CLI sends its one line at once; a silent connection is dropped
MAX_CONNECTIONS = 16  # far more than people type commands; far below the 1024 fd limit
RELISTEN_MS = 60_000
LOCK_FILE = "boundaries.lock"
# A lock file with no readable PID younger than this may be one being written right now.
_FRESH_LOCK_S = 5.0
STARTING_WAIT_S = 15.0  # how long a second start waits for a first one that is starting up


def server_name(state_dir: Path, *, create: bool = False) -> str:
    """The ``QLocalServer`` name: a path in a private folder (a pipe name on Windows).

    Raises :class:`UnsafeFolder` when the folder is not private to the user.
    """
    if sys.platform == "win32":
        return socket_name(state_dir)
    return str(socket_path(state_dir, create=create))


def _lock_pid(path: Path) -> int | None:
    """The PID a ``QLockFile`` names on its first line, or None when there is none."""
    try:
        first = path.read_bytes()[:64].split(b"\n", 1)[0]
        pid = int(first.decode("ascii"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return pid if pid > 0 else None


def _is_boundaries(pid: int) -> bool | None:
    """Whether process ``pid`` runs Boundaries; None where the system cannot tell (no /proc)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False if Path("/proc/self").exists() else None
    except OSError:
        return None
    args = [os.path.basename(arg) for arg in cmdline.split(b"\0")]
    names = {b"boundaries", b"boundariesw"}  # the console scripts, a frozen build
    return any(arg in names for arg in args) or any(
        flag == b"-m" and module in names for flag, module in itertools.pairwise(args)
    )


class InstanceLock:
    """``QLockFile`` in the state folder; ``acquire`` is False while another app holds it."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / LOCK_FILE
        self._mkdir_error = ""
        try:
            state_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self._mkdir_error = error.strerror or str(error)
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # held all session; staleness is decided below

    def acquire(self) -> bool:
        if self._lock.tryLock(0):
            return True
        if self._lock.error() is QLockFile.LockError.LockFailedError and self._stale():
            log.warning("taking over the stale lock %s", self.path)
            self._lock.removeStaleLockFile()
            return bool(self._lock.tryLock(0))
        return False

    def holder(self) -> int | None:
        """The PID of the process holding the lock, if the file names one."""
        return _lock_pid(self.path)

    def failure(self) -> str:
        """Why the lock could not even be tried (read-only or full folder); empty otherwise."""
        if self._lock.error() is QLockFile.LockError.LockFailedError:
            return ""
        reason = self._mkdir_error or _write_problem(self.path.parent)
        return f"cannot create the lock file {self.path}: {reason or 'unknown error'}"

    def release(self) -> None:
        self._lock.unlock()

    def _stale(self) -> bool:
        """Empty or garbage (a power loss), or naming a live process that is not Boundaries."""
        pid = _lock_pid(self.path)
        if pid is None:
            try:
                age = time.time() - self.path.stat().st_mtime
            except OSError:
                return True
            return abs(age) > _FRESH_LOCK_S  # not one another start is writing right now
        if pid == os.getpid():
            return True  # ours from an earlier life of this PID (a container restart)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False  # another user's live process: theirs, not ours to judge
        return _is_boundaries(pid) is False


def _write_problem(folder: Path) -> str:
    """Why nothing can be written in ``folder`` (read-only, full, no permission), if so."""
    try:
        probe = folder / f".boundaries-probe-{os.getpid()}"
        with probe.open("wb") as handle:
            handle.write(b"x")
            handle.flush()
            os.fsync(handle.fileno())
        probe.unlink()
    except OSError as error:
        return f"the folder {folder} cannot be written ({error.strerror})"
    return ""


class CommandServer(QObject):
    """Answers commands from ``boundaries ...`` invocations on the GUI thread."""

    _answered = Signal(object, object)  # (socket, reply) from the thread that saved the state

    def __init__(self, state_dir: Path, handler: Handler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state_dir = state_dir
        self._handler = handler
        self._answered.connect(self._reply)
        self.error_text = ""
        from PySide6.QtNetwork import QLocalServer

        self._open: dict[QLocalSocket, None] = {}  # insertion-ordered: oldest first
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)
        # Re-listens if the server ever stops (see module doc). Qt's default coarse type: still
        # one wakeup a minute, and Qt.TimerType would build every Qt.* enum (~40 ms, 1 MiB).
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
        self._server.removeServer(name)  # a socket left behind by a crashed instance
        ok = bool(self._server.listen(name))
        if ok:
            self.error_text = ""
            self._watch.start()
        else:
            self.error_text = f"cannot listen for commands: {self._server.errorString()}"
            log.warning("%s", self.error_text)
        return ok

    def close(self) -> None:
        self._watch.stop()
        self._server.close()
        for socket in list(self._open):
            socket.abort()

    @property
    def listening(self) -> bool:
        return bool(self._server.isListening())

    @property
    def open_connections(self) -> int:
        return len(self._open)

    @Slot()
    def _keep_listening(self) -> None:
        if not self._server.isListening():
            log.warning("commands stopped (%s); listening again", self._server.errorString())
            self.listen()

    @Slot()
    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if len(self._open) >= MAX_CONNECTIONS:  # the oldest goes: a new command gets in
                oldest = next(iter(self._open))
                self._open.pop(oldest)
                oldest.abort()
                oldest.deleteLater()
            self._open[socket] = None
            timer = QTimer(socket)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda s=socket: s.abort())
            timer.start(IDLE_TIMEOUT_MS)
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _forget(self, socket: QLocalSocket) -> None:
        self._open.pop(socket, None)
        socket.deleteLater()

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
            answer = self._handler(request)
        except (ValueError, TypeError, OverflowError, RecursionError) as error:  # "[[[[..." too
            answer = _failure(ErrorCode.BAD_REQUEST, f"bad request: {error}")
        except Exception as error:  # a bug must not kill the app; tell the caller
            log.exception("command %r failed", raw[:200])
            answer = _failure(ErrorCode.INTERNAL, f"internal error: {error}")
        if isinstance(answer, Future):  # answered once the change is saved (off this thread)
            answer.add_done_callback(lambda done: self._answered.emit(socket, done.result()))
            return
        self._reply(socket, answer)

    @Slot(object, object)
    def _reply(self, socket: QLocalSocket, reply: dict[str, Any]) -> None:
        if socket not in self._open:
            return  # the caller gave up (or was timed out) meanwhile
        socket.write(QByteArray(json.dumps(reply).encode("utf-8") + b"\n"))
        socket.flush()
        socket.disconnectFromServer()


def _failure(code: ErrorCode, message: str) -> dict[str, Any]:
    return encode_reply(Reply.failure(CommandError(code, message)))


def send_command(
    state_dir: Path, request: dict[str, Any], timeout_ms: int = 5000
) -> dict[str, Any] | None:
    """Send one command to the running app; ``None`` when no app is running for this folder.

    A socket, or a server behind it, that belongs to another user gets no command: the reply
    is a refusal that says so.
    """
    from PySide6.QtNetwork import QLocalSocket

    try:
        name = server_name(state_dir)
    except UnsafeFolder as error:
        return _failure(ErrorCode.REFUSED, f"not talking to the app: {error}")
    problem = "" if sys.platform == "win32" else socket_problem(Path(name))
    if problem:
        return _failure(ErrorCode.REFUSED, f"not talking to the app: {problem}")
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return None
    peer = _peer_problem(int(socket.socketDescriptor()))
    if peer:
        socket.abort()
        return _failure(ErrorCode.REFUSED, f"not talking to the app: {peer}")
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


def wait_for_app(
    state_dir: Path, request: dict[str, Any], seconds: float = STARTING_WAIT_S
) -> dict[str, Any] | None:
    """``send_command``, retried for ``seconds`` while nobody listens (an app starting up)."""
    deadline = time.monotonic() + seconds
    while True:
        reply = send_command(state_dir, request)
        if reply is not None or time.monotonic() >= deadline:
            return reply
        QThread.msleep(200)  # not time.sleep: libfaketime breaks it in tests (see ARCHITECTURE)


def _peer_problem(descriptor: int, uid: int | None = None) -> str:
    """Why the process on the other end of a connected Unix socket is not ``uid``'s (Linux)."""
    if descriptor < 0 or not hasattr(pysocket, "SO_PEERCRED"):
        return ""
    sock = pysocket.socket(fileno=os.dup(descriptor))
    try:
        creds = sock.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return ""
    finally:
        sock.close()  # the duplicate only; Qt's descriptor stays open
    pid, peer, _gid = struct.unpack("3i", creds)
    mine = os.getuid() if uid is None else uid
    if peer != mine:
        return f"the server (pid {pid}) belongs to user {peer}, not to you ({mine})"
    return ""
