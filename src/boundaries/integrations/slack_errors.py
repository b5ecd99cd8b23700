"""Slack's errors as our own exceptions, importable without slack_sdk.

``str()`` of each is a sentence a user can act on, ``reason`` Slack's code; the token never
appears in one (``redact``). The GUI process rebuilds them from the Slack agent's answers
(docs/decisions/0016-slack-agent.md), so it must not need slack_sdk to name them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

AUTH_ERRORS = frozenset(
    {
        "invalid_auth",
        "token_revoked",
        "not_authed",
        "account_inactive",
        "token_expired",
        "no_permission",
    }
)

_TOKEN_RE = re.compile(r"xox[a-zA-Z.]*-[A-Za-z0-9-]+")


def redact(text: str) -> str:
    """Replace anything shaped like a Slack token with a placeholder."""
    return _TOKEN_RE.sub("xox…(redacted)", text)


# --------------------------------------------------------------------------- errors


class SlackError(Exception):
    """A Slack call failed; ``str()`` is a user-facing sentence, ``reason`` Slack's code."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(redact(message))
        self.reason = reason


class SlackAuthError(SlackError):
    """The token is not (or no longer) accepted: the user must paste a new one."""

    _TEXT: ClassVar[Mapping[str, str]] = {
        "invalid_auth": "Slack does not accept the saved token",
        "not_authed": "No Slack token was sent",
        "token_revoked": "The Slack token was revoked",
        "token_expired": "The Slack token has expired",
        "account_inactive": "The Slack account for this token is deactivated",
        "no_permission": "The Slack token has no permission for this workspace",
    }

    def __init__(self, reason: str) -> None:
        what = self._TEXT.get(reason, "Slack rejected the token")
        super().__init__(f"{what} ({reason}). Paste a new user token in Settings → Slack.", reason)


class SlackScopeError(SlackError):
    """The token works but lacks a scope; ``needed`` names it (e.g. ``dnd:write``)."""

    def __init__(self, needed: str, provided: str = "") -> None:
        scope = needed or "an additional scope"
        super().__init__(
            f"The Slack token is missing the scope {scope}. Add it to your Slack app's user "
            "token scopes, reinstall the app and paste the new token in Settings → Slack.",
            "missing_scope",
        )
        self.needed = needed
        self.provided = provided


class SlackRateLimited(SlackError):
    """Slack kept answering 429; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(
            f"Slack is limiting how often Boundaries may call it; retrying in {retry_after:.0f} s.",
            "ratelimited",
        )
        self.retry_after = retry_after


class SlackUnavailable(SlackError):
    """Slack could not be reached or failed on its side (5xx, timeout, network down)."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"Slack cannot be reached right now ({reason}). Local features keep working; "
            "Boundaries will try again.",
            reason,
        )


class SlackPostRefused(SlackError):
    """Slack refused a message (not in the channel, no such channel, a time in the past)."""

    _TEXT: ClassVar[Mapping[str, str]] = {
        "not_in_channel": "You are not a member of {channel}: join it in Slack, then post again.",
        "channel_not_found": "Slack has no channel {channel} that you can see: check the "
        "channel in Settings → Slack.",
        "is_archived": "The channel {channel} is archived: pick another one in Settings → Slack.",
        "restricted_action": "This workspace does not let you post in {channel}.",
        "msg_too_long": "The update is too long for one Slack message.",
        "no_text": "The update is empty.",
        "time_in_past": "The time to post is in the past: pick a later one.",
        "time_too_far": "Slack schedules messages at most 120 days ahead: pick an earlier time.",
        "invalid_time": "Slack did not accept the time to post.",
    }

    def __init__(self, reason: str, channel: str) -> None:
        template = self._TEXT.get(reason, "Slack refused the message ({reason}).")
        super().__init__(template.format(channel=channel or "the channel", reason=reason), reason)
