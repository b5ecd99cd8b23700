"""``ui.ports.SlackAccount`` for Settings: the token in the keyring and the calls made with it.

Every method blocks (the Slack agent's keyring over D-Bus, Slack over HTTPS), so widgets call
them through a worker. The keyring is the agent's (docs/decisions/0016-slack-agent.md): this
process never imports it. Our integration errors become ``ServiceError`` with the same
sentence, which never contains the token; anything else stays itself, so a bug is not dressed
up as advice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from boundaries.ui.ports import ServiceError, SlackIdentity, SlackMember, TokenStatus

if TYPE_CHECKING:
    from boundaries.app.agent_client import SlackAgentClient
    from boundaries.integrations.slack import SlackClient

ClientFactory = Callable[[str, str], "SlackClient"]


def _default_client(token: str, api_url: str) -> SlackClient:
    from boundaries.integrations.slack import SlackClient

    return SlackClient(token, api_url, timeout=10.0)


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

    def __init__(
        self,
        agent: SlackAgentClient | None = None,
        client_factory: ClientFactory = _default_client,
    ) -> None:
        self._agent = agent
        self._client_factory = client_factory

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

    def _stored(self) -> str | None:
        token = self._ask("token_get")
        return token if isinstance(token, str) and token else None

    def test(self, token: str | None, api_url: str) -> SlackIdentity | None:
        with _explained():
            # Save's own check: a bot token is refused here, before any call to Slack.
            token = check_token(token) if token else self._stored()
            if not token:
                return None
            client = self._client_factory(token, api_url)
            try:
                identity = client.auth_test()
            finally:
                client.close()
            return SlackIdentity(identity.team, identity.user)

    def members(self, api_url: str) -> list[SlackMember]:
        with _explained():
            token = self._stored()
            if not token:
                raise ServiceError("No Slack token is stored: paste one in Settings → Slack first.")
            client = self._client_factory(token, api_url)
            try:
                users = client.list_users()
            finally:
                client.close()
            return [SlackMember(u.id, u.name, u.real_name, u.tz) for u in users]
