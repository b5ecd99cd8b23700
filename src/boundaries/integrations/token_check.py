"""What a Slack user token must look like, and the keyring's errors, without ``keyring``.

The GUI process checks a pasted token and rebuilds the keyring's errors from the Slack
agent's answers (docs/decisions/0016-slack-agent.md); importing ``keyring`` for that would
load it (and secretstorage, cryptography) into the GUI for good. Messages never contain the
token.
"""

from __future__ import annotations

import re

_TOKEN_SHAPE = re.compile(r"xoxp-[A-Za-z0-9-]{8,}")


class KeyringUnavailable(Exception):
    """No secure keyring can hold the token; ``str()`` says what was found and what to do."""


class InvalidToken(ValueError):
    """The pasted text is not a Slack user token; ``str()`` says why (never the token)."""


HOW_TO_GET_A_KEYRING = (
    "Install and unlock a Secret Service keyring (GNOME Keyring or KWallet; on a minimal "
    "desktop install gnome-keyring and log in again), or use the system keychain on macOS "
    "and Windows. Boundaries does not use keyrings.alt, because it stores the token in "
    "plain text."
)


def check_token(token: str) -> str:
    """The token without surrounding whitespace, if it looks like a Slack user token."""
    token = token.strip()
    if token.startswith("xoxb-"):
        raise InvalidToken(
            "This is a bot token (xoxb-…). Slack lets only a user token (xoxp-…) set your "
            "status and pause notifications; copy the User OAuth Token from your Slack app."
        )
    if token.startswith("xoxe"):
        raise InvalidToken(
            "This token expires and needs refreshing (token rotation is on). Turn token "
            "rotation off for your Slack app and copy the User OAuth Token (xoxp-…)."
        )
    if not token.startswith("xoxp-"):
        raise InvalidToken(
            "This does not look like a Slack user token: it should start with xoxp-. Copy "
            "the User OAuth Token from your Slack app's OAuth & Permissions page."
        )
    if not _TOKEN_SHAPE.fullmatch(token):
        raise InvalidToken(
            "This Slack token looks incomplete or contains spaces or other characters; "
            "copy it again in full."
        )
    return token
