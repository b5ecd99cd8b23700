"""One running app per config folder, and the command line talking to it.

The lock file lives in the state folder and the socket name derives from that folder, so a
test or a user with a separate ``BOUNDARIES_CONFIG_DIR`` runs side by side with the default
one, and a second start with the same folder finds the first. The socket itself lives in a
folder private to the user (:mod:`boundaries.integrations.private_dir`); the command line
checks that the socket and the server on the other end belong to the user before it sends
anything. A lock left by a killed process, a power loss (empty or garbage file) or a PID now
used by an unrelated program is recognised as stale and taken over.

The app's end of the socket is :mod:`boundaries.app.command_server`. The framing is one JSON
object per line each way; what the objects say is the typed command protocol of
``core.commands`` (decoded and dispatched by ``app.dispatch``).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import struct
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLockFile

from boundaries.integrations.private_dir import (
    UnsafeFolder,
    socket_name,
    socket_path,
    socket_problem,
)

if TYPE_CHECKING:  # the protocol loads with the first command, after the tray icon
    from boundaries.core.commands import ErrorCode

log = logging.getLogger(__name__)

LOCK_FILE = "boundaries.lock"
# A lock file with no readable PID younger than this may be one being written right now.
_FRESH_LOCK_S = 5.0
STARTING_WAIT_S = 15.0  # how long a second start waits for a first one that is starting up


def server_name(state_dir: Path, *, create: bool = False) -> str:
    """The socket's name: a path in a private folder (a pipe name on Windows).

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


def failure_reply(code: ErrorCode, message: str) -> dict[str, Any]:
    """The encoded reply saying ``message`` (the app's and the command line's)."""
    from boundaries.core.commands import CommandError, Reply, encode_reply

    return encode_reply(Reply.failure(CommandError(code, message)))


def send_command(
    state_dir: Path, request: dict[str, Any], timeout_ms: int = 5000
) -> dict[str, Any] | None:
    """Send one command to the running app; ``None`` when no app is running for this folder.

    A socket, or a server behind it, that belongs to another user gets no command: the reply
    is a refusal that says so.
    """
    from PySide6.QtCore import QByteArray
    from PySide6.QtNetwork import QLocalSocket

    from boundaries.core.commands import ErrorCode

    try:
        name = server_name(state_dir)
    except UnsafeFolder as error:
        return failure_reply(ErrorCode.REFUSED, f"not talking to the app: {error}")
    problem = "" if sys.platform == "win32" else socket_problem(Path(name))
    if problem:
        return failure_reply(ErrorCode.REFUSED, f"not talking to the app: {problem}")
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return None
    peer = _peer_problem(int(socket.socketDescriptor()))
    if peer:
        socket.abort()
        return failure_reply(ErrorCode.REFUSED, f"not talking to the app: {peer}")
    socket.write(QByteArray(json.dumps(request).encode("utf-8") + b"\n"))
    socket.flush()
    data = b""
    while b"\n" not in data:
        if not socket.waitForReadyRead(timeout_ms):
            break
        data += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    if not data:
        return failure_reply(ErrorCode.INTERNAL, "the running app did not answer in time")
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
        from PySide6.QtCore import QThread  # a second start only

        QThread.msleep(200)  # not time.sleep: libfaketime breaks it in tests (see ARCHITECTURE)


def _peer_problem(descriptor: int, uid: int | None = None) -> str:
    """Why the process on the other end of a connected Unix socket is not ``uid``'s (Linux)."""
    import socket as pysocket  # the command line's check: not on the app's start path (~6 ms)

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
