"""The Slack tab: on/off, the token, API URL, focus and sign-off status texts with previews.

The token section comes right after "Use Slack", so it shows without scrolling at the
window's default size; everything that only Slack uses is greyed out while Slack is off.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.settings import Settings
from boundaries.ui.settings_fields import FieldEditor, SettingsPage
from boundaries.ui.settings_widgets import Target


class _StatusFields:
    """Text + emoji + preview for one status (``focus`` or ``signoff``), problems on one line."""

    def __init__(self, page: SettingsPage, box: QGroupBox, form: QFormLayout, section: str) -> None:
        what = "Focus" if section == "focus" else "Sign-off"
        self.text_field = page.field(f"{section}.status_text", box)
        self.emoji_field = page.field(f"{section}.status_emoji", box)
        self.text = _line_edit(self.text_field)
        self.emoji = _line_edit(self.emoji_field)
        self.text.setAccessibleName(f"{what} status text")
        self.text.setToolTip("{end} is when focus ends, {back} when you are back; 100 characters")
        self.emoji.setAccessibleName(f"{what} status emoji")
        self.emoji.setPlaceholderText(":emoji_code:")
        self.emoji.setMaximumWidth(self.emoji.fontMetrics().horizontalAdvance("M" * 22))
        self.emoji_field.share_error_line(self.text_field)
        self.error = self.text_field.error
        self.preview = QLabel(box)
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setAccessibleName(f"{what} status preview")
        self.preview.setStyleSheet("font-style: italic;")
        for field in (self.text_field, self.emoji_field):
            assert field.label is not None
            form.addRow(field.label, field.widget)
        form.addRow("", self.error)
        form.addRow("Preview", self.preview)

    def targets(self) -> dict[str, Target]:
        return {
            self.text_field.path: self.text_field.target("Text: "),
            self.emoji_field.path: self.emoji_field.target("Emoji: "),
        }


class SlackPage(SettingsPage):
    """Slack options. ``token_area`` is left empty for the token/connection widgets.

    ``create_app_requested``: the user wants Slack's create-app page, filled in.
    """

    create_app_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.create_app = QPushButton("&Create the Slack app…", self)
        self.create_app.setToolTip(
            "Opens Slack's page to create the Boundaries app, with its name and scopes filled "
            "in; then install it and paste the user token below"
        )
        self.create_app.clicked.connect(self.create_app_requested)
        layout.addWidget(self.create_app, 0, Qt.AlignmentFlag.AlignLeft)

        self.enabled = _check_box(self.field("slack.enabled"))
        layout.addWidget(self.enabled)
        self.token_area = QWidget(self)
        token_layout = QVBoxLayout(self.token_area)
        token_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.token_area)

        url_form = QFormLayout()
        api_url = self.field("slack.api_url")
        self.api_url = _line_edit(api_url)
        self.api_url.setAccessibleName("Slack API URL")
        self.api_url.setToolTip("Change only for Enterprise Grid / GovSlack")
        self.api_url_error = api_url.error
        api_url.add_to(url_form)
        layout.addLayout(url_form)

        focus_box = QGroupBox("While focusing", self)
        focus_form = QFormLayout(focus_box)
        self.focus = _StatusFields(self, focus_box, focus_form, "focus")
        self.pause_notifications = _check_box(self.field("focus.pause_notifications", focus_box))
        self.replace_own_status = _check_box(self.field("focus.replace_own_status", focus_box))
        focus_form.addRow(self.pause_notifications)
        focus_form.addRow(self.replace_own_status)
        layout.addWidget(focus_box)

        signoff_box = QGroupBox("When I sign off", self)
        signoff_form = QFormLayout(signoff_box)
        self.set_signoff_status = _check_box(self.field("signoff.set_status", signoff_box))
        signoff_form.addRow(self.set_signoff_status)
        self.signoff = _StatusFields(self, signoff_box, signoff_form, "signoff")
        layout.addWidget(signoff_box)

        update_box = QGroupBox("Weekly update", self)
        update_form = QFormLayout(update_box)
        self.update_fields = [
            self.field(f"update.{name}", update_box)
            for name in (
                "reminder",
                "reminder_day",
                "reminder_before_signoff",
                "channel",
                "post_day",
                "post_time",
                "post_timezone",
            )
        ]
        for update_field in self.update_fields:
            update_field.add_to(update_form)
        layout.addWidget(update_box)
        layout.addStretch(1)

        slack_posts = (
            "update.channel",
            "update.post_day",
            "update.post_time",
            "update.post_timezone",
        )
        posting = [field for field in self.update_fields if field.path in slack_posts]
        # The token stays usable: it can be tested (and teammates imported) before Slack is on.
        self.slack_only: list[QWidget] = [focus_box, signoff_box]
        for editor in (api_url, *posting):
            self.slack_only.append(editor.widget)
            if editor.label is not None:
                self.slack_only.append(editor.label)
        self.enabled.toggled.connect(self._enable_slack_fields)
        self.set_signoff_status.toggled.connect(self._enable_signoff_fields)

    def _enable_slack_fields(self, on: bool) -> None:
        for widget in self.slack_only:
            widget.setEnabled(on)

    def _enable_signoff_fields(self, on: bool) -> None:
        for widget in (self.signoff.text, self.signoff.emoji, self.signoff.preview):
            widget.setEnabled(on)

    def load(self, settings: Settings, data: Mapping[str, Any]) -> None:
        super().load(settings, data)
        self._enable_slack_fields(settings.slack.enabled)
        self._enable_signoff_fields(settings.signoff.set_status)

    def set_previews(self, focus: str, signoff: str) -> None:
        for label, text in ((self.focus.preview, focus), (self.signoff.preview, signoff)):
            if label.text() != text:
                label.setText(text)

    def targets(self) -> dict[str, Target]:
        found = super().targets()
        found.update(self.focus.targets())
        found.update(self.signoff.targets())
        found["slack"] = Target(self.api_url_error)
        found["signoff"] = Target(self.signoff.error)
        return found


def _line_edit(field: FieldEditor) -> QLineEdit:
    assert isinstance(field.widget, QLineEdit)
    return field.widget


def _check_box(field: FieldEditor) -> QCheckBox:
    assert isinstance(field.widget, QCheckBox)
    return field.widget
