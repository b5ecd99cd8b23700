"""The command protocol shared by the CLI and the app: every argument is checked at the boundary,
and every refusal says why in a sentence the CLI can print."""

from __future__ import annotations

import dataclasses
import json
from datetime import time
from typing import Any, get_type_hints

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# The wire as the CLI and an already-running older app speak it: it must not change.
@pytest.mark.parametrize(
    ("command", "wire"),
    [
        (cmd.Activate("tok-1"), ("activate", {"activation_token": "tok-1"})),
        (cmd.Status(), ("status", {})),
        (cmd.FocusFor(50), ("focus", {"minutes": 50})),
        (cmd.FocusUntil(time(9, 5)), ("focus-until", {"until": "09:05"})),
        (cmd.EndFocus(), ("focus-end", {})),
        (cmd.SignOff(), ("signoff", {})),
        (cmd.BackToWork(), ("back", {})),
        (cmd.Snooze(), ("snooze", {"minutes": 15})),
        (cmd.Pause(), ("pause", {})),
        (cmd.PauseFor(90), ("pause-for", {"minutes": 90})),
        (cmd.Resume(), ("resume", {})),
        (cmd.SkipBlock(), ("skip-block", {})),
        (cmd.SlackResync(), ("slack-resync", {})),
        (cmd.Wake(), ("wake", {})),
    ],
)
def test_the_wire_format_is_the_one_older_apps_speak(
    command: cmd.Command, wire: tuple[str, dict[str, Any]]
) -> None:
    name, args = wire
    assert cmd.encode_request(command) == {"version": 1, "command": name, "args": args}
    assert cmd.decode_request({"version": 1, "command": name, "args": args}) == command


_VALUES: dict[object, st.SearchStrategy[Any]] = {
    int: st.integers(-10, 2000),  # around every range, so edges and refusals both come up
    str: st.text(max_size=600),
    time: st.times().map(lambda t: t.replace(second=0, microsecond=0)),  # the wire has minutes
}


def _build(cls: type[cmd.Command], values: dict[str, Any]) -> cmd.Command | None:
    try:
        return cls(**values)
    except ValueError:  # out of range: such a command cannot exist
        return None


def _any_command(cls: type[cmd.Command]) -> st.SearchStrategy[cmd.Command | None]:
    hints = get_type_hints(cls)
    fields = {f.name: _VALUES[hints[f.name]] for f in dataclasses.fields(cls)}
    return st.fixed_dictionaries(fields).map(lambda values: _build(cls, values))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(cmd.COMMANDS.values())).flatmap(_any_command))
def test_any_valid_command_survives_the_wire(command: cmd.Command | None) -> None:
    if command is None:
        return
    wire = json.loads(json.dumps(cmd.encode_request(command)))
    assert cmd.decode_request(wire) == command


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=6,
)
_NEAR_MISS = st.fixed_dictionaries(
    {
        "version": st.sampled_from([1, 1, 2, None, "1"]),
        "command": st.sampled_from([name.value for name in cmd.CommandName]) | _JSON,
        "args": st.dictionaries(
            st.sampled_from(["minutes", "until", "activation_token"]) | st.text(max_size=12),
            _JSON | st.sampled_from(["17:30", "5pm", "25:00", " noon "]) | st.integers(-5, 2000),
            max_size=3,
        ),
    }
)


@settings(max_examples=200, deadline=None)
@given(_JSON | _NEAR_MISS)
def test_any_request_from_the_socket_is_a_command_or_a_refusal_never_a_crash(
    message: Any,
) -> None:
    try:
        command = cmd.decode_request(message)
    except CommandError as error:
        assert error.message and isinstance(error.code, ErrorCode)
    else:
        assert cmd.decode_request(cmd.encode_request(command)) == command


def test_a_huge_request_is_not_echoed_back() -> None:
    unknown = _refusal({"version": 1, "command": "x" * 60_000})
    assert unknown.code is ErrorCode.UNKNOWN_COMMAND and len(unknown.message) < 80
    until = _refusal({"version": 1, "command": "focus-until", "args": {"until": "9" * 60_000}})
    assert until.code is ErrorCode.INVALID_ARGUMENT and len(until.message) < 80
    assert until.message == "until is not a time (like 17:30 or 5:30 PM)"


def test_wrong_types_are_refused_in_words() -> None:
    until = _refusal({"version": 1, "command": "focus-until", "args": {"until": 1730}})
    assert until.message == "focus-until: until must be a time like 17:30"
    token = _refusal({"version": 1, "command": "activate", "args": {"activation_token": 7}})
    assert token.message == "activate: activation_token must be text"
