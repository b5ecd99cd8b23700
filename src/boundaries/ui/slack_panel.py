"""The token part of Settings > Slack: paste, test, save or forget the user token.

The keyring and Slack are behind ``SlackAccount`` and run through ``Workers`` (both from the
app); the token is only ever in the masked field (until saved) and the keyring. Messages shown
here are ``ServiceError`` sentences, which never carry it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boundaries.ui.ports import SlackAccount, SlackIdentity, TokenStatus, Workers, error_text

SCOPES = ("users.profile:read", "users.profile:write", "dnd:read", "dnd:write", "users:read")
SCOPES_TEXT = (
    "Needs a Slack user token (xoxp-…) with the user scopes "
    + ", ".join(SCOPES)
    + ": to read and set your status, pause notifications while you focus, and read "
    "teammates' time zones."
)


class _Note(QLabel):
    """A line that is there only while it says something (no blank gap under the buttons)."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


class SlackTokenPanel(QWidget):
    """Token field with Test connection / Save token / Forget token and what is stored.

    ``api_url`` is asked at each test (the URL field may have been edited); ``token_changed``
    fires after a save or a forget, so the app can retry Slack with the new token.
    """

    token_changed = Signal()
    import_requested = Signal()

    def __init__(
        self,
        api_url: Callable[[], str],
        account: SlackAccount,
        workers: Workers,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._api_url = api_url
        self._account = account
        self._workers = workers
        self._busy = 0

        box = QGroupBox("Slack connection", self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(box)
        layout = QVBoxLayout(box)

        self.stored = QLabel("Checking the keyring…", box)
        self.stored.setWordWrap(True)
        self.stored.setAccessibleName("Token stored")
        layout.addWidget(self.stored)

        self.token = QLineEdit(box)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("Paste a user token: xoxp-…")
        self.token.setAccessibleName("Slack user token")
        self.token.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no "copy"
        layout.addWidget(self.token)

        buttons = QHBoxLayout()
        self.test_button = QPushButton("&Test connection", box)
        self.save_button = QPushButton("Sa&ve token", box)
        self.forget_button = QPushButton("&Forget token", box)
        self.import_button = QPushButton("&Import teammates from Slack…", box)
        for button in (self.test_button, self.save_button, self.forget_button, self.import_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.result = _Note(box)
        self.result.hide()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setAccessibleName("Slack connection result")
        layout.addWidget(self.result)

        scopes = QLabel(SCOPES_TEXT, box)
        scopes.setWordWrap(True)
        layout.addWidget(scopes)

        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save_token)
        self.forget_button.clicked.connect(self.forget_token)
        self.import_button.clicked.connect(self.import_requested)
        self.token.textChanged.connect(self._update_buttons)
        self._update_buttons()
        self.refresh()

    # ------------------------------------------------------------------ actions
    def refresh(self) -> None:
        """Re-read whether a token is stored (on a worker)."""

        def shown(answer: TokenStatus) -> None:
            has = answer.stored
            self.stored.setText(
                f"A token is stored in your keyring: {answer.keyring}."
                if has
                else "No token stored. Paste one below and save it."
            )
            self._has_token = has
            self._update_buttons()

        self._run(self._account.token_status, shown, self._keyring_failed)

    def test_connection(self) -> None:
        """auth.test with the typed token, else the stored one; shows workspace and user."""
        typed = self.token.text().strip()
        api_url = self._api_url()

        def test() -> SlackIdentity | None:
            return self._account.test(typed or None, api_url)

        def shown(identity: SlackIdentity | None) -> None:
            if identity is None:
                self.result.setText("No token to test: paste one first.")
            else:
                self.result.setText(
                    f"Connected to the workspace {identity.team} as {identity.user}."
                )

        self.result.setText("Testing…")
        self._run(test, shown, self._show_failure)

    def save_token(self) -> None:
        typed = self.token.text()

        def save() -> None:
            self._account.save_token(typed)

        def saved(_: None) -> None:
            self.token.clear()
            self.result.setText("Token saved in the keyring.")
            self.refresh()
            self.token_changed.emit()

        self._run(save, saved, self._show_failure)

    def forget_token(self) -> None:
        def forget() -> bool:
            return self._account.forget_token()

        def forgotten(removed: bool) -> None:
            self.result.setText(
                "Token removed from the keyring." if removed else "No token was stored."
            )
            self.refresh()
            self.token_changed.emit()

        self._run(forget, forgotten, self._show_failure)

    # ------------------------------------------------------------------ plumbing
    _has_token = False

    def _show_failure(self, error: BaseException) -> None:
        self.result.setText(error_text(error))

    def _keyring_failed(self, error: BaseException) -> None:
        self.stored.setText(error_text(error))
        self._has_token = False
        self._update_buttons()

    def _run(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        self._busy += 1
        self._update_buttons()

        def finish(then: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                self._busy -= 1
                self._update_buttons()
                then(value)

            return call

        self._workers.submit(fn, finish(done), finish(failed), context=self)

    def _update_buttons(self, *_args: object) -> None:
        idle = self._busy == 0
        typed = bool(self.token.text().strip())
        self.test_button.setEnabled(idle and (typed or self._has_token))
        self.save_button.setEnabled(idle and typed)
        self.forget_button.setEnabled(idle and self._has_token)
        self.import_button.setEnabled(idle and self._has_token)

    @property
    def busy(self) -> bool:
        return self._busy > 0
