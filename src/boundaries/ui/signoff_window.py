"""The small window a sign-off nudge opens: "Sign off now" or "Snooze 15 min" (the default)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from boundaries.core.limits import SNOOZE_DEFAULT_MINUTES


class SignoffWindow(QDialog):
    """Emits ``sign_off_requested`` or ``snooze_requested``; closing it does neither."""

    sign_off_requested = Signal()
    snooze_requested = Signal()

    def __init__(self, title: str, body: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign off")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self._heading = QLabel()
        self._heading.setTextFormat(Qt.TextFormat.RichText)
        self._message = QLabel()
        self._message.setWordWrap(True)
        self.set_message(title, body)
        buttons = QDialogButtonBox()
        self.sign_off_button = buttons.addButton(
            "&Sign off now", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.snooze_button = buttons.addButton(
            f"S&nooze {SNOOZE_DEFAULT_MINUTES} min", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.sign_off_button.setDefault(True)
        self.sign_off_button.clicked.connect(self._sign_off)
        self.snooze_button.clicked.connect(self._snooze)
        layout = QVBoxLayout(self)
        layout.addWidget(self._heading)
        layout.addWidget(self._message)
        layout.addWidget(buttons)
        self.setMinimumWidth(340)

    def set_message(self, title: str, body: str) -> None:
        self._heading.setText(f"<b>{title.replace('<', '&lt;')}</b>")
        self._message.setText(body)

    def _sign_off(self) -> None:
        self.sign_off_requested.emit()
        self.accept()

    def _snooze(self) -> None:
        self.snooze_requested.emit()
        self.reject()
