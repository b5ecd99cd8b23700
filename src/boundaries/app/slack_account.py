"""``ui.ports.SlackAccount`` for Settings: the token in the keyring and the calls made with it.

Every method blocks (keyring over D-Bus, Slack over HTTPS), so widgets call them through a
worker. Our integration errors become ``ServiceError`` with the same sentence, which never
contains the token; anything else stays itself, so a bug is not dressed up as advice.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from boundaries.ui.ports import ServiceError, SlackIdentity, SlackMember, TokenStatus

if TYPE_CHECKING:
    from boundaries.integrations.secrets import TokenStore
    from boundaries.integrations.slack import SlackClient

ClientFactory = Callable[[str, str], "SlackClient"]


def _default_tokens() -> TokenStore:
    from boundaries.integrations.secrets import TokenStore

    return TokenStore()


def _default_client(token: str, api_url: str) -> SlackClient:
    from boundaries.integrations.slack import SlackClient

    return SlackClient(token, api_url, timeout=10.0)


@contextmanager
def _explained() -> Iterator[None]:
    try:
        yield
    except Exception as error:
        if isinstance(error, _ours()):
            raise ServiceError(str(error)) from error
        raise


def _ours() -> tuple[type[BaseException], ...]:
    """Our integration errors, from the modules loaded so far.

    Only a loaded module can have raised its errors, and importing ``integrations.slack`` just
    to name ``SlackError`` loaded slack_sdk (~7 MiB, for good) on every first Settings window,
    Slack used or not.
    """
    kinds: list[type[BaseException]] = []
    secrets = sys.modules.get("boundaries.integrations.secrets")
    if secrets is not None:
        kinds += [secrets.KeyringUnavailable, secrets.InvalidToken]
    slack = sys.modules.get("boundaries.integrations.slack")
    if slack is not None:
        kinds.append(slack.SlackError)
    return tuple(kinds)


class SlackAccountService:
    """The stored token (``TokenStore``) and ``auth.test``/``users.list`` with it."""

    def __init__(
        self,
        tokens: TokenStore | None = None,
        client_factory: ClientFactory = _default_client,
    ) -> None:
        self._tokens = tokens
        self._client_factory = client_factory

    def _store(self) -> TokenStore:
        if self._tokens is None:
            self._tokens = _default_tokens()  # imports keyring: on the worker, when first used
        return self._tokens

    def token_status(self) -> TokenStatus:
        with _explained():
            store = self._store()
            return TokenStatus(store.backend_name(), store.get() is not None)

    def save_token(self, token: str) -> None:
        with _explained():
            self._store().set(token)

    def forget_token(self) -> bool:
        with _explained():
            return self._store().delete()

    def test(self, token: str | None, api_url: str) -> SlackIdentity | None:
        from boundaries.integrations.secrets import check_token

        with _explained():
            # Save's own check: a bot token is refused here, before any call to Slack.
            token = check_token(token) if token else self._store().get()
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
            token = self._store().get()
            if not token:
                raise ServiceError("No Slack token is stored: paste one in Settings → Slack first.")
            client = self._client_factory(token, api_url)
            try:
                users = client.list_users()
            finally:
                client.close()
            return [SlackMember(u.id, u.name, u.real_name, u.tz) for u in users]
