"""The Slack token in the keyring: a real Secret Service, and no usable backend at all."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import keyring
import pytest
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from boundaries.integrations.secrets import (
    InvalidToken,
    KeyringUnavailable,
    TokenStore,
    check_token,
)
from tests.fakes.secret_service import SecretServiceSession
from tests.fakes.slack_api import FAKE_TOKEN


def test_round_trip_in_gnome_keyring(
    secret_keyring: SecretServiceKeyring, secret_service_session: SecretServiceSession
) -> None:
    store = TokenStore(account="round-trip", backend=secret_keyring)
    assert store.get() is None
    store.set(f"  {FAKE_TOKEN}\n")  # pasted with whitespace around it
    assert store.get() == FAKE_TOKEN
    # a second client of the same keyring (a restarted app) finds it
    assert SecretServiceKeyring().get_password("boundaries", "round-trip") == FAKE_TOKEN
    assert store.delete() is True
    assert store.get() is None
    assert store.delete() is False  # forgetting twice is fine, and says nothing was there
    # the keyring file on disk is encrypted: the token is not in it as plain text
    for path in secret_service_session.keyring_dir.rglob("*"):
        if path.is_file():
            assert FAKE_TOKEN.encode() not in path.read_bytes()


def test_default_backend_is_used_when_none_is_given(
    secret_keyring: SecretServiceKeyring, global_keyring: None
) -> None:
    keyring.set_keyring(secret_keyring)
    store = TokenStore(account="default-backend")
    store.set(FAKE_TOKEN)
    try:
        assert store.backend_name() == "Secret Service (GNOME Keyring or KWallet)"
        assert TokenStore(account="default-backend").get() == FAKE_TOKEN
    finally:
        store.delete()


def test_no_backend_says_in_words_what_is_missing_and_what_to_do(
    global_keyring: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="boundaries.integrations.secrets")  # a debug detail
    keyring.set_keyring(fail.Keyring())
    store = TokenStore()
    for action in (store.get, lambda: store.set(FAKE_TOKEN), store.delete):
        with pytest.raises(KeyringUnavailable) as caught:
            action()
        message = str(caught.value)
        assert message.startswith("No keyring is available to keep the Slack token safe")
        assert "keyring.backends" not in message  # a class path is for the log
        assert "keyring.backends.fail.Keyring" in caplog.text
        assert "GNOME Keyring" in message and "KWallet" in message
        assert "plain text" in message
        assert FAKE_TOKEN not in message


def test_null_backend_is_refused() -> None:
    with pytest.raises(KeyringUnavailable, match="No keyring is available"):
        TokenStore(backend=null.Keyring()).set(FAKE_TOKEN)


class _Plaintext:
    """Stands in for keyrings.alt.file.PlaintextKeyring (not installed here). Not a
    KeyringBackend subclass, so keyring's global backend registry never sees it."""

    priority = 0.5

    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.stored.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.stored[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.stored.pop((service, username), None)


_Plaintext.__module__ = "keyrings.alt.file"


@pytest.fixture
def chain_of() -> Iterator[Callable[..., ChainerBackend]]:
    """A ChainerBackend over the given members (its member discovery is replaced)."""
    discover = ChainerBackend.__dict__["backends"]

    def make(*members: Any) -> ChainerBackend:
        ChainerBackend.backends = list(members)
        return ChainerBackend()

    yield make
    ChainerBackend.backends = discover


def test_plaintext_backend_is_refused_even_with_a_high_priority() -> None:
    backend: Any = _Plaintext()
    backend.priority = 10
    with pytest.raises(KeyringUnavailable, match="keeps passwords in a plain file was found"):
        TokenStore(backend=backend).set(FAKE_TOKEN)
    assert backend.stored == {}


def test_chain_without_a_secure_member_is_refused(chain_of: Callable[..., ChainerBackend]) -> None:
    plaintext = _Plaintext()
    with pytest.raises(KeyringUnavailable) as caught:
        TokenStore(backend=chain_of(plaintext, fail.Keyring())).set(FAKE_TOKEN)
    assert "keeps passwords in a plain file was found and is not used" in str(caught.value)
    assert "keyrings.alt.file" not in str(caught.value)
    assert plaintext.stored == {}


def test_chain_uses_its_secure_member_only(
    chain_of: Callable[..., ChainerBackend], secret_keyring: SecretServiceKeyring
) -> None:
    plaintext = _Plaintext()
    store = TokenStore(account="chained", backend=chain_of(plaintext, secret_keyring))
    store.set(FAKE_TOKEN)
    try:
        assert plaintext.stored == {}
        assert secret_keyring.get_password("boundaries", "chained") == FAKE_TOKEN
    finally:
        store.delete()


def test_secret_service_gone_is_unavailable(
    secret_keyring: SecretServiceKeyring, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    with pytest.raises(KeyringUnavailable):
        TokenStore(backend=secret_keyring).set(FAKE_TOKEN)


@pytest.mark.parametrize(
    ("pasted", "reason"),
    [
        ("xoxb-1234-5678-abcdefgh", "bot token"),
        ("xoxe.xoxp-1-abcdefghij", "rotation"),
        ("hunter2", "should start with xoxp-"),
        ("xoxp-12 34", "incomplete"),
        ("", "should start with xoxp-"),
    ],
)
def test_token_shape_is_checked_with_a_reason(pasted: str, reason: str) -> None:
    with pytest.raises(InvalidToken, match=reason) as caught:
        check_token(pasted)
    if pasted:
        assert pasted not in str(caught.value)


def test_invalid_token_is_not_stored(secret_keyring: SecretServiceKeyring) -> None:
    store = TokenStore(account="invalid", backend=secret_keyring)
    with pytest.raises(InvalidToken):
        store.set("xoxb-1234-5678-abcdefgh")
    assert store.get() is None
