"""The command protocol shared by the CLI and the app: every argument is checked at the boundary,
and every refusal says why in a sentence the CLI can print."""

from __future__ import annotations

import json
from datetime import time
from typing import Any

import pytest

from boundaries.core import commands as cmd
from boundaries.core.commands import CommandError, ErrorCode


@pytest.mark.parametrize(
    "command",
    [
        cmd.Activate(),
        cmd.Status(),
        cmd.FocusFor(50),
        cmd.FocusUntil(time(11, 30)),
        cmd.EndFocus(),
        cmd.SignOff(),
        cmd.BackToWork(),
        cmd.Snooze(),
        cmd.Snooze(30),
        cmd.Pause(),
        cmd.SlackResync(),
        cmd.Wake(),
    ],
)
def test_every_command_survives_the_wire(command: cmd.Command) -> None:
    wire = json.loads(json.dumps(cmd.encode_request(command)))
    assert wire["version"] == cmd.PROTOCOL_VERSION
    assert cmd.decode_request(wire) == command


def test_every_command_name_has_one_class() -> None:
    assert set(cmd.COMMANDS) == set(cmd.CommandName)


def _refusal(message: Any) -> CommandError:
    with pytest.raises(CommandError) as refused:
        cmd.decode_request(message)
    return refused.value


def test_a_snooze_of_four_billion_minutes_is_refused_with_a_sentence() -> None:
    error = _refusal({"version": 1, "command": "snooze", "args": {"minutes": 4193435804}})
    assert error.code is ErrorCode.INVALID_ARGUMENT
    assert error.message == "snooze minutes must be between 1 and 720 minutes, not 4193435804"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ({"minutes": 0}, "focus minutes must be between 1 and 1440 minutes, not 0"),
        ({"minutes": 1441}, "focus minutes must be between 1 and 1440 minutes, not 1441"),
        ({"minutes": True}, "focus: minutes must be a whole number"),
        ({"minutes": "50"}, "focus: minutes must be a whole number"),
        ({"minutes": 50.5}, "focus: minutes must be a whole number"),
        ({}, "focus needs the argument 'minutes'"),
        ({"minutes": 50, "end": True}, "focus takes no argument 'end'"),
    ],
)
def test_focus_arguments_are_checked(args: dict[str, Any], reason: str) -> None:
    error = _refusal({"version": 1, "command": "focus", "args": args})
    assert (error.code, error.message) == (ErrorCode.INVALID_ARGUMENT, reason)


def test_focus_until_must_be_a_wall_time() -> None:
    error = _refusal({"version": 1, "command": "focus-until", "args": {"until": "25:00"}})
    assert error.code is ErrorCode.INVALID_ARGUMENT
    assert error.message.startswith("until ")


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ([1, 2], ErrorCode.BAD_REQUEST),
        ({"command": "focus", "minutes": 50}, ErrorCode.UNSUPPORTED_VERSION),  # before version 1
        ({"version": 2, "command": "status"}, ErrorCode.UNSUPPORTED_VERSION),
        ({"version": 1, "command": "format-disk"}, ErrorCode.UNKNOWN_COMMAND),
        ({"version": 1, "command": ["status"]}, ErrorCode.UNKNOWN_COMMAND),
        ({"version": 1, "command": "status", "args": [1]}, ErrorCode.BAD_REQUEST),
    ],
)
def test_malformed_messages_are_refused_by_kind(message: Any, code: ErrorCode) -> None:
    assert _refusal(message).code is code


def test_commands_cannot_be_built_out_of_range() -> None:
    with pytest.raises(ValueError, match="snooze minutes"):
        cmd.Snooze(4193435804)
    with pytest.raises(ValueError, match="focus minutes"):
        cmd.FocusFor(-5)


def test_replies_round_trip_and_a_garbled_one_is_a_failure_not_a_crash() -> None:
    ok = cmd.Reply(status={"state": "idle"})
    assert cmd.decode_reply(json.loads(json.dumps(cmd.encode_reply(ok)))) == ok
    refused = cmd.Reply(error=ErrorCode.REFUSED, message="focus must end in the future")
    assert cmd.decode_reply(cmd.encode_reply(refused)) == refused
    assert cmd.decode_reply("nonsense").error is ErrorCode.BAD_REQUEST
    assert cmd.decode_reply({"version": 1, "ok": True}).error is ErrorCode.BAD_REQUEST
    newer = cmd.decode_reply({"version": 7, "ok": True, "status": {}})
    assert newer.error is ErrorCode.UNSUPPORTED_VERSION
    assert "quit Boundaries and start it again" in newer.message
