"""The General tab: your time zone, 12/24-hour times, notifications and sound, start at login."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QMessageBox, QPushButton, QWidget

from boundaries.core.settings import Settings
from boundaries.ui.settings_fields import SettingsPage

GENERAL_FIELDS = (
    "general.timezone",
    "general.time_format",
    "general.notifications",
    "general.sound",
    "general.start_at_login",
    "quiet.hold_nudges",
    "quiet.hold_cap_minutes",
    "focus.silence_desktop",
)


class GeneralPage(SettingsPage):
    clear_history_requested = Signal()  # the app clears it and calls history_cleared()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        for path in GENERAL_FIELDS:
            self.field(path).add_to(form)

        self.clear_history = QPushButton("&Clear sign-off history…", self)
        self.clear_history.setAutoDefault(False)
        self.clear_history.setToolTip(
            "Your sign-off history stays on this computer; this deletes it."
        )
        self.clear_history.clicked.connect(self._on_clear_history)
        self.history_note = QLabel("", self)
        form.addRow(self.clear_history, self.history_note)
        notifications = self.fields["general.notifications"].widget
        assert isinstance(notifications, QCheckBox)
        notifications.toggled.connect(self._enable_sound)

    def load(self, settings: Settings, data: Mapping[str, Any]) -> None:
        super().load(settings, data)
        self._enable_sound(settings.general.notifications)

    def _enable_sound(self, notifications_on: bool) -> None:
        self.fields["general.sound"].widget.setEnabled(notifications_on)

    @property
    def start_at_login(self) -> QCheckBox:
        """The start-at-login box, which the app ticks from what is really on disk."""
        box = self.fields["general.start_at_login"].widget
        assert isinstance(box, QCheckBox)
        return box

    def _on_clear_history(self) -> None:
        answer = QMessageBox.question(
            self,
            "Clear sign-off history",
            "Delete the record of when you signed off and focused? This cannot be undone.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.clear_history.setEnabled(False)
            self.history_note.setText("Clearing…")
            self.clear_history_requested.emit()

    def history_cleared(self) -> None:
        self.clear_history.setEnabled(True)
        self.history_note.setText("History cleared.")

    def history_not_cleared(self, reason: str) -> None:
        self.clear_history.setEnabled(True)
        self.history_note.setText(f"Not cleared: {reason}")
