"""The command server with real sockets: idle connections time out, their number is capped,
it listens again if it ever stops, and no bytes or JSON a client sends make it raise.

Both transports run here: the Unix socket of Linux and macOS, and the ``QLocalServer`` that
Windows uses (on Linux it is a Unix socket too, so the same raw client reaches it)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from boundaries.app import command_server as ipc
from boundaries.app.application import BoundariesApp
from boundaries.app.command_server import MAX_CONNECTIONS, CommandServer
from boundaries.app.ipc import server_name
from boundaries.integrations.config_store import ConfigStore
from boundaries.integrations.paths import resolve_dirs

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=15,
)
COMMANDS = st.sampled_from(
    [
        "status",
        "focus",
        "focus-until",
        "focus-end",
        "signoff",
        "back",
        "snooze",
        "pause",
        "wake",
        "activate",
        "slack-resync",
        "settings-saving",
        "settings-saved",
        "history-clear",
        "nope",
        "",
    ]
)
KEYS = st.sampled_from(["minutes", "until", "version", "args", "command", "x"])
ARGS = st.dictionaries(st.sampled_from(["minutes", "until", "x"]), JSON | st.integers())


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="bnd-", dir="/tmp"))  # short: a socket path
    folder.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


class Client:
    """A raw, non-blocking client: what any local program could do to the socket."""

    def __init__(self, path: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.setblocking(False)  # a full backlog must not block the loop that accepts
        self.data = b""
        self.closed = False
        self.refused = self.sock.connect_ex(path) != 0  # EAGAIN: the backlog is full

    def poll(self) -> bool:
        """Read what arrived; True once the server closed the connection."""
        if self.refused:
            return True
        try:
            while chunk := self.sock.recv(65536):
                self.data += chunk
            self.closed = True
        except BlockingIOError:
            pass
        except OSError:
            self.closed = True
        return self.closed


BIG = "x" * 2_000_000  # far more than a socket buffer holds: written as the client reads


def echo(request: dict[str, Any]) -> dict[str, Any]:
    if request.get("command") == "big":
        return {"ok": True, "echo": BIG}
    return {"ok": True, "echo": request.get("command")}


@pytest.fixture(params=["unix", "pipe"])
def server(
    qtbot: QtBot, runtime: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[CommandServer, str]]:
    server = CommandServer(tmp_path / "state", echo, transport=request.param)
    assert server.listen(), server.error_text
    yield server, server_name(tmp_path / "state")
    server.close()


def test_the_socket_is_in_the_private_runtime_folder(
    server: tuple[CommandServer, str], runtime: Path
) -> None:
    _server, path = server
    assert Path(path).parent == runtime
    assert os.stat(path).st_uid == os.getuid()
    assert os.stat(path).st_mode & 0o077 == 0  # nobody else may even connect


def test_a_reply_larger_than_the_socket_buffer_arrives_whole(
    qtbot: QtBot, server: tuple[CommandServer, str]
) -> None:
    command_server, path = server
    asker = Client(path)
    asker.sock.sendall(b'{"command": "big"}\n')
    qtbot.waitUntil(asker.poll, timeout=ipc.IDLE_TIMEOUT_MS)
    assert json.loads(asker.data)["echo"] == BIG
    qtbot.waitUntil(lambda: command_server.open_connections == 0)


def test_an_idle_connection_times_out(
    qtbot: QtBot, server: tuple[CommandServer, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    command_server, path = server
    silent = Client(path)
    qtbot.waitUntil(lambda: command_server.open_connections == 1)
    qtbot.waitUntil(silent.poll, timeout=ipc.IDLE_TIMEOUT_MS + 3000)
    assert command_server.open_connections == 0


def test_connections_beyond_the_cap_are_closed_and_commands_still_work(
    qtbot: QtBot, server: tuple[CommandServer, str]
) -> None:
    command_server, path = server
    idle = [Client(path) for _ in range(MAX_CONNECTIONS + 30)]  # within the listen backlog
    qtbot.waitUntil(lambda: sum(c.poll() for c in idle) >= 30)
    assert command_server.open_connections <= MAX_CONNECTIONS
    for client in idle:  # the idle ones go away; a real command then gets its answer
        client.sock.close()
    qtbot.waitUntil(lambda: command_server.open_connections == 0)
    asker = Client(path)
    asker.sock.sendall(b'{"command": "status"}\n')
    qtbot.waitUntil(asker.poll)
    assert json.loads(asker.data) == {"ok": True, "echo": "status"}


def test_a_server_that_stopped_listens_again(
    qtbot: QtBot, server: tuple[CommandServer, str]
) -> None:
    command_server, path = server
    command_server._listener.close()  # what QLocalServer does when accept() lacks descriptors
    assert not command_server.listening
    command_server._keep_listening()  # what its minute timer does
    assert command_server.listening
    asker = Client(path)
    asker.sock.sendall(b'{"command": "wake"}\n')
    qtbot.waitUntil(asker.poll)
    assert json.loads(asker.data)["echo"] == "wake"


def _exchange(qtbot: QtBot, path: str, payload: bytes) -> Client:
    client = Client(path)
    with contextlib.suppress(BlockingIOError):  # a big payload: the rest times out
        client.sock.sendall(payload + b"\n")
    qtbot.waitUntil(client.poll, timeout=ipc.IDLE_TIMEOUT_MS + 3000)
    client.sock.close()
    return client


@FUZZ
@given(st.binary(max_size=300) | st.just(b"[" * 50_000))
def test_any_bytes_get_an_answer_or_a_close_never_an_exception(
    qtbot: QtBot, server: tuple[CommandServer, str], payload: bytes
) -> None:
    _server, path = server
    client = _exchange(qtbot, path, payload.replace(b"\n", b" "))
    if client.data:
        reply = json.loads(client.data)
        assert "ok" in reply
        assert not str(reply.get("error", "")).startswith("internal error"), reply


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, runtime: Path) -> Iterator[BoundariesApp]:
    dirs = resolve_dirs(tmp_path / "config")
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    now = datetime(2026, 11, 24, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    app = BoundariesApp(qapp, dirs, ConfigStore(dirs.config).load(), clock=lambda: now)
    app.notifier.notify = lambda note: None  # type: ignore[method-assign]
    app.open_settings = lambda activation_token="": None  # type: ignore[method-assign]
    app.start()
    qtbot.waitUntil(lambda: app.server is not None and app.server.listening)
    yield app
    app.shutdown()


@FUZZ
@given(
    st.dictionaries(KEYS, JSON)
    | st.fixed_dictionaries(
        {"version": st.just(1) | JSON, "command": COMMANDS}, optional={"args": ARGS | JSON}
    )
    | JSON
)
def test_any_json_to_the_running_app_gets_an_answer(
    qtbot: QtBot, app: BoundariesApp, tmp_path: Path, request_data: object
) -> None:
    path = server_name(app.dirs.state)
    client = _exchange(qtbot, path, json.dumps(request_data).encode())
    reply = json.loads(client.data)
    assert isinstance(reply["ok"], bool)
    assert not str(reply.get("error", "")).startswith("internal error"), (request_data, reply)
