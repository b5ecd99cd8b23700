"""Settings → Schedule says what a focus block does and names the field a problem is in
(#18 items 4 and 16)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dataclasses

from pytestqt.qtbot import QtBot

from boundaries.core.settings import Settings, SlackSettings

from .test_settings_dialog import open_dialog, retype


def test_remind_again_problem_names_its_field(qtbot: QtBot) -> None:
    page = open_dialog(qtbot, Settings()).schedule_page
    retype(qtbot, page.escalate, "60, 30")
    assert page.escalate_error.text() == "Remind again: must be increasing, like [30, 60]"


def test_unticking_every_workday_is_refused_with_a_reason(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    page = dialog.schedule_page
    for check in page.workdays.values():
        check.setChecked(False)
    assert page.override_error.text().startswith("Workdays: needs at least one day")
    assert not dialog.ok_button.isEnabled()


def test_a_focus_block_with_no_days_is_refused_with_a_reason(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    row = dialog.schedule_page.block_rows[0]
    row.days.set_days(())
    assert row.error.text().startswith("Days: needs at least one day")
    assert dialog.current_settings() is None


def test_focus_blocks_text_mentions_slack_only_while_slack_is_on(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    assert "Slack" not in dialog.schedule_page.blocks_hint.text()
    on = dataclasses.replace(Settings(), slack=SlackSettings(enabled=True))
    dialog = open_dialog(qtbot, on)
    assert "Slack status" in dialog.schedule_page.blocks_hint.text()
    dialog.slack_page.fields["slack.enabled"].widget.setChecked(False)  # type: ignore[attr-defined]
    assert "Slack" not in dialog.schedule_page.blocks_hint.text()


def test_a_block_ending_before_it_starts_says_it_runs_overnight(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    row = dialog.schedule_page.block_rows[1]  # 14:00-16:00
    assert row.overnight.text() == ""
    retype(qtbot, row.end, "13:00")
    assert row.overnight.isVisible()
    assert row.overnight.text() == "Runs overnight, to 13:00 the next day"
    assert not row.error.isVisible()  # a hint, not an error: it can be saved
    assert dialog.ok_button.isEnabled()
