"""The typed, versioned command protocol between ``boundaries COMMAND`` and the running app.

Both sides build and read messages only through this module, so a command is checked once, at
the boundary, before it reaches the controller: a snooze of 4 193 435 804 minutes is refused
here with a sentence, never stored. On the wire each message is one JSON object (framing is
``app.ipc``'s business)::

    {"version": 1, "command": "snooze", "args": {"minutes": 15}}
    {"version": 1, "ok": true, "status": {...}}
    {"version": 1, "ok": false, "error": "invalid_argument", "message": "..."}

See docs/architecture.md ("The command protocol").
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass
from datetime import time
from enum import StrEnum
from typing import Any, ClassVar, get_args, get_type_hints

from boundaries.core.limits import (
    FOCUS_MINUTES,
    PAUSE_MINUTES,
    SNOOZE_DEFAULT_MINUTES,
    SNOOZE_MINUTES,
)
from boundaries.core.timefmt import format_time
from boundaries.core.timeparse import parse_clock

PROTOCOL_VERSION = 1
ACTIVATION_TOKEN_MAX = 512  # compositors' tokens are short (a UUID, a serial and a time)


class CommandName(StrEnum):
    ACTIVATE = "activate"  # a second `boundaries` start: open Settings
    STATUS = "status"
    FOCUS = "focus"
    FOCUS_UNTIL = "focus-until"
    END_FOCUS = "focus-end"
    SIGN_OFF = "signoff"
    BACK_TO_WORK = "back"
    SNOOZE = "snooze"
    PAUSE = "pause"
    PAUSE_FOR = "pause-for"
    RESUME = "resume"
    SKIP_BLOCK = "skip-block"
    SLACK_RESYNC = "slack-resync"  # `boundaries slack login/logout`: use the new token
    WAKE = "wake"  # tests and scripts: re-check the clock now
    SETTINGS_SAVING = "settings-saving"  # the Settings window is about to write settings.toml
    SETTINGS_SAVED = "settings-saved"  # the Settings window wrote settings.toml: run with it
    CLEAR_HISTORY = "history-clear"  # Settings → Clear history: the app owns the history


class ErrorCode(StrEnum):
    BAD_REQUEST = "bad_request"  # not a protocol message at all
    UNSUPPORTED_VERSION = "unsupported_version"
    UNKNOWN_COMMAND = "unknown_command"
    INVALID_ARGUMENT = "invalid_argument"
    REFUSED = "refused"  # valid, but not possible now (e.g. focus ending in the past)
    NOT_SAVED = "not_saved"  # done, but the state could not be written (disk full)
    INTERNAL = "internal"  # a bug in the app; it keeps running


class CommandError(Exception):
    """A refusal with a code the caller can act on and a sentence for the user."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --------------------------------------------------------------------------- commands


@dataclass(frozen=True)
class Activate:
    """``activation_token``: the launcher's ``XDG_ACTIVATION_TOKEN`` (Wayland), or ""."""

    name: ClassVar[CommandName] = CommandName.ACTIVATE
    activation_token: str = ""

    def __post_init__(self) -> None:
        token = self.activation_token
        if len(token) > ACTIVATION_TOKEN_MAX or not token.isprintable():
            raise ValueError(
                f"the activation token must be printable, at most {ACTIVATION_TOKEN_MAX} characters"
            )


@dataclass(frozen=True)
class Status:
    name: ClassVar[CommandName] = CommandName.STATUS


@dataclass(frozen=True)
class FocusFor:
    name: ClassVar[CommandName] = CommandName.FOCUS
    minutes: int

    def __post_init__(self) -> None:
        FOCUS_MINUTES.check(self.minutes)


@dataclass(frozen=True)
class FocusUntil:
    """Focus until the next occurrence of a wall time in the user's zone."""

    name: ClassVar[CommandName] = CommandName.FOCUS_UNTIL
    until: time


@dataclass(frozen=True)
class EndFocus:
    name: ClassVar[CommandName] = CommandName.END_FOCUS


@dataclass(frozen=True)
class SignOff:
    name: ClassVar[CommandName] = CommandName.SIGN_OFF


@dataclass(frozen=True)
class BackToWork:
    name: ClassVar[CommandName] = CommandName.BACK_TO_WORK


@dataclass(frozen=True)
class Snooze:
    name: ClassVar[CommandName] = CommandName.SNOOZE
    minutes: int = SNOOZE_DEFAULT_MINUTES

    def __post_init__(self) -> None:
        SNOOZE_MINUTES.check(self.minutes)


@dataclass(frozen=True)
class Pause:
    name: ClassVar[CommandName] = CommandName.PAUSE


@dataclass(frozen=True)
class PauseFor:
    """Pause for some minutes (the pause also ends at midnight)."""

    name: ClassVar[CommandName] = CommandName.PAUSE_FOR
    minutes: int

    def __post_init__(self) -> None:
        PAUSE_MINUTES.check(self.minutes)


@dataclass(frozen=True)
class Resume:
    """End a pause (refused when not paused; "I'm back" after a sign-off is BackToWork)."""

    name: ClassVar[CommandName] = CommandName.RESUME


@dataclass(frozen=True)
class SkipBlock:
    """Skip the next scheduled focus block that has not started yet."""

    name: ClassVar[CommandName] = CommandName.SKIP_BLOCK


@dataclass(frozen=True)
class SlackResync:
    name: ClassVar[CommandName] = CommandName.SLACK_RESYNC


@dataclass(frozen=True)
class Wake:
    name: ClassVar[CommandName] = CommandName.WAKE


@dataclass(frozen=True)
class SettingsSaving:
    """The Settings window (docs/decisions/0018) writes settings.toml once this is answered:
    until ``SettingsSaved`` the app takes no change of the file for a hand edit."""

    name: ClassVar[CommandName] = CommandName.SETTINGS_SAVING


@dataclass(frozen=True)
class SettingsSaved:
    """The Settings window (its own process, docs/decisions/0018) saved settings.toml: the app
    re-reads it and runs with it, like its own save (a partly broken file included)."""

    name: ClassVar[CommandName] = CommandName.SETTINGS_SAVED


@dataclass(frozen=True)
class ClearHistory:
    """Forget the whole sign-off history; answered once it is gone."""

    name: ClassVar[CommandName] = CommandName.CLEAR_HISTORY


Command = (
    Activate
    | Status
    | FocusFor
    | FocusUntil
    | EndFocus
    | SignOff
    | BackToWork
    | Snooze
    | Pause
    | PauseFor
    | Resume
    | SkipBlock
    | SlackResync
    | Wake
    | SettingsSaving
    | SettingsSaved
    | ClearHistory
)

COMMANDS: Mapping[CommandName, type[Command]] = {cls.name: cls for cls in get_args(Command)}


# --------------------------------------------------------------------------- replies


@dataclass(frozen=True)
class Reply:
    """The app's answer: the status report on success, else an error code and a sentence.

    ``status`` has the shape of ``core.report.status_report`` (``boundaries status --json``);
    on success ``message`` may say what the command did (empty when the status says it all).
    """

    status: Mapping[str, Any] | None = None
    error: ErrorCode | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def failure(cls, error: CommandError) -> Reply:
        return cls(error=error.code, message=error.message)


# --------------------------------------------------------------------------- the wire


@dataclass(frozen=True)
class _Wire:
    """How values of one argument type travel: their JSON type, what a refusal calls them,
    and how they are written and read back (``read`` raises ValueError saying why)."""

    json_type: type
    called: str
    write: Callable[[Any], object] = lambda value: value
    read: Callable[[Any], object] = lambda value: value


_CLOCK_MAX = 16  # "12:30 PM" with room for spaces


def _read_clock(text: str) -> time:
    if len(text) > _CLOCK_MAX:  # not echoed back: a request may be up to 64 KiB
        raise ValueError("is not a time (like 17:30 or 5:30 PM)")
    return parse_clock(text)


_WIRES: Mapping[object, _Wire] = {
    int: _Wire(int, "a whole number"),
    str: _Wire(str, "text"),
    time: _Wire(str, "a time like 17:30", format_time, _read_clock),
}


@dataclass(frozen=True)
class _Argument:
    name: str
    wire: _Wire
    required: bool


def _arguments(cls: type[Command]) -> tuple[_Argument, ...]:
    """A command's arguments from its dataclass fields and their annotated types."""
    hints = get_type_hints(cls)
    out = []
    for field in dataclasses.fields(cls):
        wire = _WIRES.get(hints[field.name])
        if wire is None:
            raise TypeError(f"{cls.__name__}.{field.name}: no wire form for {hints[field.name]}")
        required = field.default is MISSING and field.default_factory is MISSING
        out.append(_Argument(field.name, wire, required))
    return tuple(out)


_ARGUMENTS: Mapping[type[Command], tuple[_Argument, ...]] = {
    cls: _arguments(cls) for cls in COMMANDS.values()
}


def encode_request(command: Command) -> dict[str, Any]:
    values = dataclasses.asdict(command)
    args = {arg.name: arg.wire.write(values[arg.name]) for arg in _ARGUMENTS[type(command)]}
    return {"version": PROTOCOL_VERSION, "command": command.name.value, "args": args}


def decode_request(message: object) -> Command:
    """The command in ``message`` (parsed JSON), or CommandError saying what is wrong."""
    if not isinstance(message, dict):
        raise CommandError(ErrorCode.BAD_REQUEST, "a command must be a JSON object")
    _check_version(message.get("version"), "command line")
    raw_name = message.get("command")
    try:
        cls = COMMANDS[CommandName(str(raw_name))]
    except (ValueError, TypeError):
        raise CommandError(
            ErrorCode.UNKNOWN_COMMAND, f"unknown command {reprlib.repr(raw_name)}"
        ) from None
    args = message.get("args", {})
    if not isinstance(args, dict):
        raise CommandError(ErrorCode.BAD_REQUEST, "args must be a JSON object")
    name = cls.name.value
    arguments = {arg.name: arg for arg in _ARGUMENTS[cls]}
    unknown = sorted(str(key) for key in set(args) - set(arguments))
    if unknown:
        reason = f"{name} takes no argument {reprlib.repr(unknown[0])}"
        raise CommandError(ErrorCode.INVALID_ARGUMENT, reason)
    values: dict[str, Any] = {k: _read(name, arguments[k], v) for k, v in args.items()}
    missing = [arg.name for arg in arguments.values() if arg.required and arg.name not in values]
    if missing:
        reason = f"{name} needs the argument {missing[0]!r}"
        raise CommandError(ErrorCode.INVALID_ARGUMENT, reason)
    try:
        return cls(**values)
    except ValueError as error:  # out of range (__post_init__)
        raise CommandError(ErrorCode.INVALID_ARGUMENT, str(error)) from None


def _read(command: str, arg: _Argument, value: object) -> object:
    """One argument, type-checked and read; ranges are checked by the command's constructor."""
    if type(value) is not arg.wire.json_type:  # exactly: True is no whole number
        reason = f"{command}: {arg.name} must be {arg.wire.called}"
        raise CommandError(ErrorCode.INVALID_ARGUMENT, reason)
    try:
        return arg.wire.read(value)
    except ValueError as error:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, f"{arg.name} {error}") from None


def encode_reply(reply: Reply) -> dict[str, Any]:
    if reply.error is None:
        out = {"version": PROTOCOL_VERSION, "ok": True, "status": dict(reply.status or {})}
        if reply.message:
            out["message"] = reply.message
        return out
    return {
        "version": PROTOCOL_VERSION,
        "ok": False,
        "error": reply.error.value,
        "message": reply.message,
    }


def decode_reply(message: object) -> Reply:
    """The reply in ``message``; a malformed one becomes a BAD_REQUEST failure, not a crash."""
    try:
        if not isinstance(message, dict):
            raise CommandError(ErrorCode.BAD_REQUEST, "the app's answer is not a JSON object")
        _check_version(message.get("version"), "running app")
        if message.get("ok") is True:
            status = message.get("status")
            if not isinstance(status, dict):
                raise CommandError(ErrorCode.BAD_REQUEST, "the app's answer has no status")
            return Reply(status=status, message=str(message.get("message") or ""))
        try:
            code = ErrorCode(str(message.get("error")))
        except ValueError:
            code = ErrorCode.INTERNAL
        return Reply(error=code, message=str(message.get("message") or "the app refused"))
    except CommandError as error:
        return Reply.failure(error)


def _check_version(version: object, sender: str) -> None:
    if version != PROTOCOL_VERSION:
        raise CommandError(
            ErrorCode.UNSUPPORTED_VERSION,
            f"the {sender} speaks command protocol version {version!r}, this side speaks "
            f"{PROTOCOL_VERSION}: quit Boundaries and start it again after an upgrade",
        )
