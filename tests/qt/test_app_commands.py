"""Commands through the app's real command socket: refused ones change nothing, and say why."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from boundaries.app.application import BoundariesApp
from boundaries.app.ipc import server_name
from boundaries.core import commands as cmd
from boundaries.core.focus import Mode
from boundaries.integrations.state_file import StateFile

from .conftest import MakeApp

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 24, 16, 0, tzinfo=BERLIN)  # Tuesday afternoon, no focus block
SETTINGS = 'version = 1\n[general]\ntimezone = "Europe/Berlin"\n'


def ask(app: BoundariesApp, qtbot: QtBot, message: dict[str, Any]) -> dict[str, Any]:
    """One request over the app's real socket, as ``boundaries ...`` sends it (JSON line)."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtNetwork import QLocalSocket

    qtbot.waitUntil(lambda: app.server is not None)
    socket = QLocalSocket()
    socket.connectToServer(server_name(app.dirs.state))
    qtbot.waitUntil(lambda: socket.state() == QLocalSocket.LocalSocketState.ConnectedState)
    socket.write(QByteArray(json.dumps(message).encode() + b"\n"))
    qtbot.waitUntil(socket.canReadLine, timeout=10_000)
    reply: dict[str, Any] = json.loads(bytes(socket.readLine().data()))
    socket.abort()
    return reply


def test_a_huge_snooze_is_refused_and_never_stored(make_app: MakeApp, qtbot: QtBot) -> None:
    app = make_app(SETTINGS, NOW)
    raw = {"version": 1, "command": "snooze", "args": {"minutes": 4193435804}}
    reply = ask(app, qtbot, raw)
    assert reply == {
        "version": 1,
        "ok": False,
        "error": "invalid_argument",
        "message": "snooze minutes must be between 1 and 720 minutes, not 4193435804",
    }
    assert app.controller.state.snoozed_until is None
    app.controller.shutdown()  # flushes the state writer
    saved = StateFile(app.dirs.state).read()
    assert saved is not None and saved.snoozed_until is None


def test_typed_commands_drive_the_controller(make_app: MakeApp, qtbot: QtBot) -> None:
    app = make_app(SETTINGS, NOW)
    reply = cmd.decode_reply(ask(app, qtbot, cmd.encode_request(cmd.PauseFor(30))))
    assert reply.ok and reply.status is not None
    assert reply.status["summary"] == "Paused until 16:30"
    assert app.controller.state.paused_until == NOW + timedelta(minutes=30)
    reply = cmd.decode_reply(ask(app, qtbot, cmd.encode_request(cmd.Resume())))
    assert reply.ok and app.controller.state.mode is Mode.IDLE
    reply = cmd.decode_reply(ask(app, qtbot, cmd.encode_request(cmd.FocusFor(25))))
    assert reply.status is not None and reply.status["state"] == "focusing"
    assert app.controller.state.mode is Mode.FOCUSING


def test_an_impossible_command_is_refused_by_the_app(make_app: MakeApp, qtbot: QtBot) -> None:
    app = make_app(SETTINGS, NOW)
    reply = cmd.decode_reply(app.handle_command({"version": 1, "command": "nonsense"}))
    assert reply.error is cmd.ErrorCode.UNKNOWN_COMMAND
    untyped = cmd.decode_reply(app.handle_command({"command": "focus", "minutes": 50}))
    assert untyped.error is cmd.ErrorCode.UNSUPPORTED_VERSION
    assert app.controller.state.mode is Mode.IDLE


def test_a_change_that_cannot_be_saved_is_reported_and_saved_once_it_can(
    make_app: MakeApp, qtbot: QtBot
) -> None:
    app = make_app(SETTINGS, NOW)
    qtbot.waitUntil(lambda: (app.dirs.state / "state.json").is_file())
    state_file = app.dirs.state / "state.json"
    state_file.unlink()
    state_file.mkdir()  # the real file system refuses to replace it: like a full disk, as root
    (state_file / "keep").write_text("")

    reply = cmd.decode_reply(ask(app, qtbot, cmd.encode_request(cmd.FocusFor(25))))
    assert not reply.ok and reply.error is cmd.ErrorCode.NOT_SAVED
    assert reply.message.startswith("done, but the app state could not be saved (Is a directory)")
    assert app.controller.state.mode is Mode.FOCUSING  # done in the app, only not on disk
    qtbot.waitUntil(lambda: "State not saved (Is a directory); retrying" in app.tray.problem.text())

    (state_file / "keep").unlink()
    state_file.rmdir()  # the disk has room again: the retry saves the newest state
    qtbot.waitUntil(lambda: state_file.is_file(), timeout=10_000)
    saved = StateFile(app.dirs.state).read()
    assert saved is not None and saved.mode is Mode.FOCUSING
    qtbot.waitUntil(lambda: not app.tray.problem.isVisible())
    ok = cmd.decode_reply(ask(app, qtbot, cmd.encode_request(cmd.EndFocus())))
    assert ok.ok
