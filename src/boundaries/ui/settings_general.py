"""The General tab: your time zone, 12/24-hour times, notifications, start at login."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from boundaries.core.settings import Settings, SettingsProblem
from boundaries.ui.settings_widgets import ErrorLabel, Target
from boundaries.ui.zone_picker import ZonePicker, zone_problem

TIME_FORMATS = (("24h", "24-hour (17:30)"), ("12h", "12-hour (5:30 PM)"))


class GeneralPage(QWidget):
    changed = Signal()
    clear_history_requested = Signal()  # the app clears it and calls history_cleared()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.zone = ZonePicker(allow_system_default=True, parent=self)
        self.zone.line_edit.setAccessibleName("Your time zone")
        self.zone.line_edit.setToolTip("Empty uses the system's time zone; type a city to search")
        self.zone_error = ErrorLabel(self)
        zone_label = QLabel("Your time &zone", self)
        zone_label.setBuddy(self.zone)
        form.addRow(zone_label, self.zone)
        form.addRow("", self.zone_error)

        self.time_format = QComboBox(self)
        for key, label in TIME_FORMATS:
            self.time_format.addItem(label, key)
        format_label = QLabel("Show &times as", self)
        format_label.setBuddy(self.time_format)
        form.addRow(format_label, self.time_format)

        self.notifications = QCheckBox("Show desktop &notifications", self)
        self.start_at_login = QCheckBox("Start Boundaries when I &log in", self)
        form.addRow(self.notifications)
        form.addRow(self.start_at_login)

        self.clear_history = QPushButton("&Clear sign-off history…", self)
        self.clear_history.setAutoDefault(False)
        self.clear_history.setToolTip(
            "Your sign-off history stays on this computer; this deletes it."
        )
        self.clear_history.clicked.connect(self._on_clear_history)
        self.history_note = QLabel("", self)
        form.addRow(self.clear_history, self.history_note)

        self.zone.zoneChanged.connect(self._changed)
        self.time_format.currentIndexChanged.connect(self._changed)
        self.notifications.toggled.connect(self._changed)
        self.start_at_login.toggled.connect(self._changed)

    def _changed(self, *_args: object) -> None:
        self.changed.emit()

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

    def load(self, settings: Settings) -> None:
        g = settings.general
        self.zone.setZone(g.timezone)
        self.time_format.setCurrentIndex(max(0, self.time_format.findData(g.time_format)))
        self.notifications.setChecked(g.notifications)
        self.start_at_login.setChecked(g.start_at_login)

    def fill(self, data: dict[str, Any], problems: list[SettingsProblem]) -> None:
        zone = self.zone.zone()
        reason = zone_problem(zone)
        if reason:
            problems.append(SettingsProblem("general.timezone", reason))
            zone = ""
        data["general"] = {
            "timezone": zone,
            "time_format": self.time_format.currentData(),
            "notifications": self.notifications.isChecked(),
            "start_at_login": self.start_at_login.isChecked(),
        }

    def targets(self) -> dict[str, Target]:
        return {
            "general": Target(self.zone_error),
            "general.timezone": Target(self.zone_error, self.zone.line_edit),
        }
