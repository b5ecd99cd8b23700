"""What the app and its Slack agent say to each other: one JSON object per line.

A request is ``{"id": 7, "op": "token_status", "args": {...}}``; its answer is
``{"id": 7, "ok": <value>}`` or ``{"id": 7, "error": {"type": ..., "message": ..., "attrs":
{...}}}``. ``{"bye": true}`` says the agent read no request after its last answer and is
leaving (idle); a request written after it was never read and may be sent to a new agent.
Errors travel as our own exception classes (light modules: no keyring, no slack_sdk), so the
app shows exactly the sentences it showed when the calls ran in its own process.
See docs/decisions/0016-slack-agent.md.
"""

from __future__ import annotations

import json
from typing import Any

from boundaries.integrations import slack_errors, token_check

IDLE_S = 30.0
"""How long an agent with nothing to do stays: a Settings visit's clicks and the first Slack
retries (5, 10, 20 s) reuse it; after that its memory goes back to the system."""

# Exceptions that cross the pipe as themselves: the sentences users already know.
_KNOWN: dict[str, type[BaseException]] = {
    cls.__name__: cls
    for cls in (
        token_check.KeyringUnavailable,
        token_check.InvalidToken,
        slack_errors.SlackError,
        slack_errors.SlackAuthError,
        slack_errors.SlackScopeError,
        slack_errors.SlackRateLimited,
        slack_errors.SlackUnavailable,
        slack_errors.SlackPostRefused,
        ValueError,
    )
}


class AgentFailed(RuntimeError):
    """The agent raised something that is not one of our errors: a bug, said as one."""


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\n"


def error_message(request_id: int, error: BaseException) -> dict[str, Any]:
    """The answer carrying ``error``: its class name, sentence and plain attributes."""
    attrs = {
        key: value
        for key, value in vars(error).items()
        if isinstance(value, str | int | float | bool) or value is None
    }
    kind = type(error).__name__ if type(error) in _KNOWN.values() else "unexpected"
    text = str(error) if kind != "unexpected" else f"{type(error).__name__}: {error}"
    return {"id": request_id, "error": {"type": kind, "message": text, "attrs": attrs}}


def rebuild_error(data: dict[str, Any]) -> BaseException:
    """The exception an agent's error answer describes, of the same class and sentence."""
    cls = _KNOWN.get(str(data.get("type", "")))
    message = str(data.get("message", ""))
    if cls is None:
        return AgentFailed(f"The Slack agent failed: {message}")
    error = cls.__new__(cls)
    BaseException.__init__(error, message)  # the sentence as it was, already redacted
    attrs = data.get("attrs")
    if isinstance(attrs, dict):
        for key, value in attrs.items():
            setattr(error, str(key), value)
    return error
