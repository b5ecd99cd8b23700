"""The Slack tab: on/off, API URL, focus and sign-off status texts with live previews."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.settings import Settings, SettingsProblem
from boundaries.ui.settings_widgets import ErrorLabel, Target


class _StatusFields:
    """Text + emoji + preview + their problems, for one status (focus or sign-off)."""

    def __init__(self, box: QGroupBox, form: QFormLayout, what: str) -> None:
        self.text = QLineEdit(box)
        self.text.setAccessibleName(f"{what} status text")
        self.text.setToolTip("{end} is when focus ends, {back} when you are back; 100 characters")
        self.emoji = QLineEdit(box)
        self.emoji.setAccessibleName(f"{what} status emoji")
        self.emoji.setPlaceholderText(":emoji_code:")
        self.emoji.setMaximumWidth(self.emoji.fontMetrics().horizontalAdvance("M" * 22))
        self.preview = QLabel(box)
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setAccessibleName(f"{what} status preview")
        self.preview.setStyleSheet("font-style: italic;")
        self.error = ErrorLabel(box)
        text_label = QLabel("Status &text" if what == "Focus" else "Status te&xt", box)
        text_label.setBuddy(self.text)
        emoji_label = QLabel("&Emoji" if what == "Focus" else "Emo&ji", box)
        emoji_label.setBuddy(self.emoji)
        form.addRow(text_label, self.text)
        form.addRow(emoji_label, self.emoji)
        form.addRow("", self.error)
        form.addRow("Preview", self.preview)

    def load(self, text: str, emoji: str) -> None:
        self.text.setText(text)
        self.emoji.setText(emoji)


class SlackPage(QWidget):
    """Slack options. ``token_area`` is left empty for the token/connection widgets."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)

        self.enabled = QCheckBox("&Use Slack: set my status and pause notifications", self)
        layout.addWidget(self.enabled)
        url_form = QFormLayout()
        self.api_url = QLineEdit(self)
        self.api_url.setAccessibleName("Slack API URL")
        self.api_url.setToolTip("Change only for Enterprise Grid / GovSlack")
        self.api_url_error = ErrorLabel(self)
        url_label = QLabel("API U&RL", self)
        url_label.setBuddy(self.api_url)
        url_form.addRow(url_label, self.api_url)
        url_form.addRow("", self.api_url_error)
        layout.addLayout(url_form)

        focus_box = QGroupBox("While focusing", self)
        focus_form = QFormLayout(focus_box)
        self.focus = _StatusFields(focus_box, focus_form, "Focus")
        self.pause_notifications = QCheckBox(
            "&Pause Slack notifications (Do Not Disturb)", focus_box
        )
        self.replace_own_status = QCheckBox(
            "Replace a status I &set myself (otherwise it is left alone)", focus_box
        )
        focus_form.addRow(self.pause_notifications)
        focus_form.addRow(self.replace_own_status)
        layout.addWidget(focus_box)

        signoff_box = QGroupBox("When I sign off", self)
        signoff_form = QFormLayout(signoff_box)
        self.set_signoff_status = QCheckBox("Set a status when I sign &off", signoff_box)
        signoff_form.addRow(self.set_signoff_status)
        self.signoff = _StatusFields(signoff_box, signoff_form, "Sign-off")
        layout.addWidget(signoff_box)

        self.token_area = QWidget(self)
        token_layout = QVBoxLayout(self.token_area)
        token_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.token_area)
        layout.addStretch(1)

        for check in (
            self.enabled,
            self.pause_notifications,
            self.replace_own_status,
            self.set_signoff_status,
        ):
            check.toggled.connect(self._changed)
        for edit in (
            self.api_url,
            self.focus.text,
            self.focus.emoji,
            self.signoff.text,
            self.signoff.emoji,
        ):
            edit.textChanged.connect(self._changed)
        self.set_signoff_status.toggled.connect(self._enable_signoff_fields)

    def _enable_signoff_fields(self, on: bool) -> None:
        for widget in (self.signoff.text, self.signoff.emoji, self.signoff.preview):
            widget.setEnabled(on)

    def _changed(self, *_args: object) -> None:
        self.changed.emit()

    def load(self, settings: Settings) -> None:
        self.enabled.setChecked(settings.slack.enabled)
        self.api_url.setText(settings.slack.api_url)
        self.focus.load(settings.focus.status_text, settings.focus.status_emoji)
        self.pause_notifications.setChecked(settings.focus.pause_notifications)
        self.replace_own_status.setChecked(settings.focus.replace_own_status)
        self.set_signoff_status.setChecked(settings.signoff.set_status)
        self._enable_signoff_fields(settings.signoff.set_status)
        self.signoff.load(settings.signoff.status_text, settings.signoff.status_emoji)

    def fill(self, data: dict[str, Any], problems: list[SettingsProblem]) -> None:
        data["slack"] = {"enabled": self.enabled.isChecked(), "api_url": self.api_url.text()}
        data["focus"].update(
            status_text=self.focus.text.text(),
            status_emoji=self.focus.emoji.text(),
            pause_notifications=self.pause_notifications.isChecked(),
            replace_own_status=self.replace_own_status.isChecked(),
        )
        data["signoff"] = {
            "set_status": self.set_signoff_status.isChecked(),
            "status_text": self.signoff.text.text(),
            "status_emoji": self.signoff.emoji.text(),
        }

    def set_previews(self, focus: str, signoff: str) -> None:
        for label, text in ((self.focus.preview, focus), (self.signoff.preview, signoff)):
            if label.text() != text:
                label.setText(text)

    def targets(self) -> dict[str, Target]:
        return {
            "slack": Target(self.api_url_error),
            "slack.api_url": Target(self.api_url_error, self.api_url),
            "focus.status_text": Target(self.focus.error, self.focus.text, "Text: "),
            "focus.status_emoji": Target(self.focus.error, self.focus.emoji, "Emoji: "),
            "signoff": Target(self.signoff.error),
            "signoff.status_text": Target(self.signoff.error, self.signoff.text, "Text: "),
            "signoff.status_emoji": Target(self.signoff.error, self.signoff.emoji, "Emoji: "),
        }
