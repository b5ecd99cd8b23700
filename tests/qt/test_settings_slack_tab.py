"""Settings > Slack: the token where it is seen, and Slack's fields off while Slack is off."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from boundaries.core.settings import Settings, SlackSettings
from boundaries.ui.settings_dialog import SettingsDialog

from .conftest import shared_settings_services


def open_dialog(qtbot: QtBot, settings: Settings) -> SettingsDialog:
    dialog = SettingsDialog(settings, shared_settings_services())
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    return dialog


def shown_in_viewport(widget: QWidget, area: QScrollArea) -> bool:
    viewport = area.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, widget.size()))


def test_the_token_field_and_its_buttons_show_without_scrolling(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings(slack=SlackSettings(enabled=True)))
    dialog.select_tab("slack")
    QApplication.processEvents()
    area = dialog.tabs.currentWidget()
    assert isinstance(area, QScrollArea)
    assert area.verticalScrollBar().value() == 0
    panel = dialog.token_panel
    for widget in (panel.stored, panel.token, panel.test_button, panel.save_button):
        assert shown_in_viewport(widget, area), widget.accessibleName() or widget.objectName()


def test_unticking_use_slack_greys_out_what_only_slack_uses(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings(slack=SlackSettings(enabled=True)))
    page = dialog.slack_page
    slack_only = [
        page.api_url,
        page.focus.text,
        page.pause_notifications,
        page.set_signoff_status,
        page.fields["update.channel"].widget,
    ]
    assert all(widget.isEnabled() for widget in slack_only)
    page.enabled.click()
    assert not any(widget.isEnabled() for widget in slack_only)
    assert page.enabled.isEnabled()
    assert dialog.token_panel.token.isEnabled()  # set up and test the token before turning on
    assert page.fields["update.reminder"].widget.isEnabled()  # a reminder needs no Slack
    page.enabled.click()
    assert all(widget.isEnabled() for widget in slack_only)


def test_slack_off_in_the_file_opens_greyed_out(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings(slack=SlackSettings(enabled=False)))
    assert not dialog.slack_page.api_url.isEnabled()
    assert not dialog.slack_page.focus.text.isEnabled()


def test_no_blank_line_under_the_buttons_until_there_is_a_result(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings(slack=SlackSettings(enabled=True)))
    dialog.select_tab("slack")
    panel = dialog.token_panel
    qtbot.waitUntil(lambda: not panel.busy)
    scopes = next(label for label in panel.findChildren(QLabel) if "user scopes" in label.text())
    gap = scopes.geometry().top() - panel.test_button.geometry().bottom()
    spacing = panel.test_button.parentWidget().layout().spacing()  # type: ignore[union-attr]
    assert not panel.result.isVisible()
    assert gap <= 2 * spacing + 2  # the scopes text follows the buttons, no empty line
    panel.test_connection()  # nothing typed: says why it cannot test
    qtbot.waitUntil(lambda: not panel.busy and panel.result.text() != "Testing…")
    assert panel.result.text() and panel.result.isVisible()
