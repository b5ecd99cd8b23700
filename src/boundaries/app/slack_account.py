"""``ui.ports.SlackAccount`` for Settings: the token in the keyring and the calls made with it.

Every method blocks (the Slack agent's keyring over D-Bus, Slack over HTTPS), so widgets call
them through a worker. The keyring and the Slack calls are the agent's
(docs/decisions/0016-slack-agent.md): this process imports neither keyring nor slack_sdk, and
a stored token never comes here. Our integration errors become ``ServiceError`` with the same
sentence, which never contains the token; anything else stays itself, so a bug is not dressed
up as advice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from boundaries.ui.ports import ServiceError, SlackIdentity, SlackMember, TokenStatus

if TYPE_CHECKING:
    from boundaries.app.agent_client import SlackAgentClient


@contextmanager
def _explained() -> Iterator[None]:
    from boundaries.integrations.slack_errors import SlackError  # first use: not at start-up
    from boundaries.integrations.token_check import InvalidToken, KeyringUnavailable

    try:
        yield
    except (KeyringUnavailable, InvalidToken, SlackError) as error:
        raise ServiceError(str(error)) from error


def check_token(token: str) -> str:
    """The pasted token, checked here (no keyring needed to refuse a bot token)."""
    from boundaries.integrations.token_check import check_token as check

    return check(token)


class SlackAccountService:
    """The stored token (in the Slack agent) and ``auth.test``/``users.list`` with it."""

    def __init__(self, agent: SlackAgentClient | None = None) -> None:
        self._agent = agent  # the app's shared agent when first needed

    def _ask(self, op: str, **args: object) -> object:
        if self._agent is None:
            from boundaries.app.agent_client import shared_agent

            self._agent = shared_agent()
        return self._agent.call(op, **args)

    def token_status(self) -> TokenStatus:
        with _explained():
            answer = self._ask("token_status")
            assert isinstance(answer, dict)
            return TokenStatus(str(answer["keyring"]), bool(answer["stored"]))

    def save_token(self, token: str) -> None:
        with _explained():
            self._ask("token_set", token=check_token(token))

    def forget_token(self) -> bool:
        with _explained():
            return bool(self._ask("token_delete"))

    def test(self, token: str | None, api_url: str) -> SlackIdentity | None:
        with _explained():
            # Save's own check: a bot token is refused here, before any call to Slack.
            pasted = check_token(token) if token else None
            answer = self._ask("auth_test", token=pasted, api_url=api_url)
            if not isinstance(answer, dict):
                return None  # nothing pasted and nothing stored
            return SlackIdentity(str(answer["team"]), str(answer["user"]))

    def members(self, api_url: str) -> list[SlackMember]:
        with _explained():
            answer = self._ask("list_users", api_url=api_url)
            if not isinstance(answer, list):
                raise ServiceError("No Slack token is stored: paste one in Settings → Slack first.")
            return [SlackMember(m["id"], m["name"], m["real_name"], m["tz"]) for m in answer]
