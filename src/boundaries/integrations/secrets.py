"""The Slack token in the OS keyring, and only there.

``keyring`` falls back to backends that fail, do nothing, or (with keyrings.alt) store the
secret in a plain file; none of those may hold the token, so we refuse them and say how to
get a real one. Messages never contain the token.
"""

from __future__ import annotations

import logging
from typing import Any

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from boundaries.integrations.token_check import (
    HOW_TO_GET_A_KEYRING,
    InvalidToken,
    KeyringUnavailable,
    check_token,
)

__all__ = ["InvalidToken", "KeyringUnavailable", "TokenStore", "check_token", "keyring_words"]

log = logging.getLogger(__name__)


def _name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


# What people call the keyrings keyring can use; a class path is for the log, not for them.
_KEYRING_WORDS = {
    "keyring.backends.SecretService": "Secret Service (GNOME Keyring or KWallet)",
    "keyring.backends.libsecret": "Secret Service (GNOME Keyring or KWallet)",
    "keyring.backends.kwallet": "KWallet",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.Windows": "Windows Credential Manager",
}


def keyring_words(backend: Any) -> str:
    """``"macOS Keychain"``: how Settings and the CLI name the keyring holding the token."""
    return _KEYRING_WORDS.get(type(backend).__module__, "your system keyring")


def _is_secure(backend: Any) -> bool:
    module = type(backend).__module__
    if module.startswith("keyrings.alt") or module in (
        "keyring.backends.fail",
        "keyring.backends.null",
    ):
        return False
    try:
        return float(backend.priority) >= 1  # keyring's own "recommended" threshold
    except Exception:  # an unavailable backend raises from .priority
        return False


def secure_backend(candidate: Any | None = None) -> KeyringBackend:
    """The backend to use: ``candidate`` (default keyring's choice) or, for a chain, its
    first secure member. Raises KeyringUnavailable naming what was found."""
    chosen = candidate if candidate is not None else keyring.get_keyring()
    members = list(chosen.backends) if isinstance(chosen, ChainerBackend) else [chosen]
    for backend in members:
        if _is_secure(backend):
            return backend
    found = ", ".join(_name(b) for b in members) or f"{_name(chosen)} with no backends"
    log.info("no secure keyring for the Slack token (found: %s)", found)
    plain = any(type(b).__module__.startswith("keyrings.alt") for b in members)
    refused = "A keyring that keeps passwords in a plain file was found and is not used. "
    raise KeyringUnavailable(
        "No keyring is available to keep the Slack token safe. "
        + (refused if plain else "")
        + HOW_TO_GET_A_KEYRING
    )


class TokenStore:
    """get/set/delete the Slack user token in the OS keyring; blocking (D-Bus)."""

    def __init__(
        self,
        service: str = "boundaries",
        account: str = "slack-user-token",
        backend: KeyringBackend | None = None,
    ) -> None:
        self.service = service
        self.account = account
        self._candidate = backend

    def __repr__(self) -> str:
        return f"TokenStore(service={self.service!r}, account={self.account!r})"

    def backend_name(self) -> str:
        """Which keyring holds the token, in words (for Settings); raises KeyringUnavailable."""
        return keyring_words(secure_backend(self._candidate))

    def get(self) -> str | None:
        backend = secure_backend(self._candidate)
        try:
            value = backend.get_password(self.service, self.account)
        except Exception as exc:
            raise _unavailable("read the Slack token from", backend, exc) from None
        return value if isinstance(value, str) and value else None

    def set(self, token: str) -> None:
        """Store ``token`` after checking it is a user token (InvalidToken otherwise)."""
        token = check_token(token)
        backend = secure_backend(self._candidate)
        try:
            backend.set_password(self.service, self.account, token)
        except Exception as exc:
            raise _unavailable("store the Slack token in", backend, exc, token) from None
        log.info("Slack token stored in %s", _name(backend))

    def delete(self) -> bool:
        """Forget the token; False (and nothing to do) if none was stored."""
        backend = secure_backend(self._candidate)
        try:
            backend.delete_password(self.service, self.account)
        except keyring.errors.PasswordDeleteError:
            return False
        except Exception as exc:
            raise _unavailable("remove the Slack token from", backend, exc) from None
        log.info("Slack token removed from %s", _name(backend))
        return True


def _unavailable(what: str, backend: Any, exc: Exception, secret: str = "") -> KeyringUnavailable:
    detail = str(exc) or type(exc).__name__
    if secret:
        detail = detail.replace(secret, "(token)")
    if isinstance(exc, keyring.errors.KeyringLocked):
        hint = "Unlock your keyring (log in to the desktop session) and try again."
    else:
        hint = HOW_TO_GET_A_KEYRING
    log.warning("could not %s %s: %s", what, _name(backend), detail)
    where = keyring_words(backend)
    return KeyringUnavailable(f"Could not {what} the keyring ({where}): {detail}. {hint}")
