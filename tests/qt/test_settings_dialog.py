"""The Settings window: validation as typed, OK/Apply/Cancel, round trips, and each tab's look."""

from __future__ import annotations

import dataclasses
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from boundaries.core.settings import (
    FocusBlock,
    FocusSettings,
    GeneralSettings,
    Settings,
    SignoffSettings,
    SlackSettings,
    Teammate,
    WorkdaySettings,
)
from boundaries.ui.settings_dialog import TAB_NAMES, SettingsDialog, preview_status
from tests.schema_strategies import all_settings

from .conftest import shared_settings_services

ARTIFACTS = Path(__file__).parent / "artifacts"

RICH = Settings(
    general=GeneralSettings(timezone="Europe/Berlin", time_format="12h", start_at_login=False),
    workday=WorkdaySettings(
        days=("mon", "tue", "wed", "thu", "fri", "sat"),
        start=time(8, 30),
        signoff=time(17, 0),
        signoff_by_day={"fri": time(15, 0), "wed": time(17, 0)},
        heads_up_minutes=10,
        escalate_after_minutes=(15, 45, 90),
    ),
    focus=FocusSettings(
        status_text="Deep work until {end}",
        status_emoji=":brain:",
        pause_notifications=False,
        replace_own_status=True,
        blocks=(
            FocusBlock(("mon", "wed"), time(9, 0), time(11, 0)),
            FocusBlock(("fri",), time(22, 0), time(1, 0)),
        ),
    ),
    signoff=SignoffSettings(set_status=False, status_text="Off - {back}", status_emoji=":zzz:"),
    slack=SlackSettings(enabled=True, api_url="https://example.enterprise.slack.com/api/"),
    team=(
        Teammate("Ana", "Europe/London", slack_user="U0123ABC"),
        Teammate("Bo", "America/New_York", time(7, 0), time(15, 0), ("sat", "sun")),
        Teammate("Chitra", "Asia/Kolkata", time(10, 0), time(18, 30)),
    ),
)


def open_dialog(qtbot: QtBot, settings: Settings, banner: str | None = None) -> SettingsDialog:
    dialog = SettingsDialog(settings, shared_settings_services(), banner=banner)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    return dialog


def retype(qtbot: QtBot, field: QWidget, text: str) -> None:
    """Select everything in a text field and type over it, as a user would."""
    field.setFocus()
    field.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(field, text)


def test_invalid_block_end_blocks_saving_until_fixed_then_apply_emits_only_that(
    qtbot: QtBot,
) -> None:
    dialog = open_dialog(qtbot, Settings())
    row = dialog.schedule_page.block_rows[0]

    retype(qtbot, row.end, "25:00")
    assert row.error.isVisible()
    assert row.error.text() == 'End: "25:00": hours go up to 23 (or use am/pm)'
    assert row.end.accessibleDescription() == '"25:00": hours go up to 23 (or use am/pm)'
    assert not dialog.ok_button.isEnabled()
    assert not dialog.apply_button.isEnabled()
    assert dialog.current_settings() is None

    retype(qtbot, row.end, "11:30")
    assert not row.error.isVisible()
    assert dialog.ok_button.isEnabled() and dialog.apply_button.isEnabled()
    with qtbot.waitSignal(dialog.applied) as applied:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    defaults = Settings()
    first, second = defaults.focus.blocks
    expected = dataclasses.replace(
        defaults,
        focus=dataclasses.replace(
            defaults.focus, blocks=(dataclasses.replace(first, end=time(11, 30)), second)
        ),
    )
    assert applied.args == [expected]
    assert dialog.isVisible()  # Apply stays open


def test_12_hour_format_shows_12_hour_times_and_reads_what_people_type(qtbot: QtBot) -> None:
    settings = Settings(
        general=GeneralSettings(time_format="12h"),
        workday=WorkdaySettings(start=time(8, 30), signoff_by_day={"fri": time(15, 0)}),
        focus=FocusSettings(blocks=(FocusBlock(("mon",), time(9, 0), time(11, 0)),)),
        team=(Teammate("Bo", "America/New_York", time(7, 0), time(15, 30)),),
    )
    dialog = open_dialog(qtbot, settings)
    page = dialog.schedule_page
    assert (page.start.text(), page.signoff.text()) == ("8:30 AM", "5:30 PM")
    assert page.overrides["fri"].text() == "3:00 PM"
    row = page.block_rows[0]
    assert (row.start.text(), row.end.text()) == ("9:00 AM", "11:00 AM")
    assert dialog.team_page.rows[0].hours.text() == "7:00 AM-3:30 PM"
    for typed, wall in (("5pm", time(17, 0)), ("5:30 PM", time(17, 30)), ("17:45", time(17, 45))):
        retype(qtbot, page.signoff, typed)
        result = dialog.current_settings()
        assert result is not None, page.signoff_error.text()
        assert result.workday.signoff == wall
    retype(qtbot, dialog.team_page.rows[0].hours, "8am-4:30pm")
    result = dialog.current_settings()
    assert result is not None and result.team[0].hours_end == time(16, 30)


def test_changing_show_times_as_rewrites_every_time_at_once_and_keeps_typed_edits(
    qtbot: QtBot,
) -> None:
    settings = Settings(
        workday=WorkdaySettings(signoff_by_day={"fri": time(15, 0)}),
        focus=FocusSettings(blocks=(FocusBlock(("mon",), time(22, 0), time(1, 0)),)),
        team=(Teammate("Bo", "America/New_York", time(7, 0), time(15, 30)),),
    )
    dialog = open_dialog(qtbot, settings)
    page, team = dialog.schedule_page, dialog.team_page
    retype(qtbot, page.signoff, "18:15")  # typed edits, not saved yet
    retype(qtbot, team.rows[0].hours, "08:00-16:30")
    retype(qtbot, page.overrides["thu"], "16:")  # half typed: does not read yet
    update = dialog.slack_page.fields["update.post_time"].widget
    combo = dialog.general_page.fields["general.time_format"].widget
    combo.setCurrentIndex(combo.findData("12h"))  # type: ignore[attr-defined]

    assert (page.start.text(), page.signoff.text()) == ("9:00 AM", "6:15 PM")
    assert page.overrides["fri"].text() == "3:00 PM"
    assert page.overrides["thu"].text() == "16:"  # kept as typed; its error still shows
    row = page.block_rows[0]
    assert (row.start.text(), row.end.text()) == ("10:00 PM", "1:00 AM")
    assert row.overnight.text() == "Runs overnight, to 1:00 AM the next day"
    assert team.rows[0].hours.text() == "8:00 AM-4:30 PM"
    assert team.rows[0].hours.placeholderText() == "9:00 AM-5:30 PM"
    assert update.text() == "9:00 AM"  # type: ignore[attr-defined]
    retype(qtbot, page.overrides["thu"], "4pm")
    result = dialog.current_settings()
    assert result is not None
    assert result.general.time_format == "12h"
    assert result.workday.signoff == time(18, 15)
    assert result.workday.signoff_by_day == {"fri": time(15, 0), "thu": time(16, 0)}
    assert (result.team[0].hours_start, result.team[0].hours_end) == (time(8), time(16, 30))

    combo.setCurrentIndex(combo.findData("24h"))  # type: ignore[attr-defined]
    assert (page.signoff.text(), page.overrides["thu"].text()) == ("18:15", "16:00")
    assert team.rows[0].hours.text() == "08:00-16:30"


def test_in_12_hour_mode_a_sign_off_before_the_start_says_so_in_12_hours(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings(general=GeneralSettings(time_format="12h")))
    page = dialog.schedule_page
    retype(qtbot, page.start, "6pm")
    assert page.signoff_error.text() == (
        "Sign-off: 5:30 PM must be after the workday start (6:00 PM)"
    )


def test_enter_is_ok_only_while_valid(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    end = dialog.schedule_page.block_rows[1].end
    retype(qtbot, end, "16:")
    with qtbot.assertNotEmitted(dialog.applied):
        qtbot.keyClick(end, Qt.Key.Key_Return)
    assert dialog.isVisible()

    qtbot.keyClicks(end, "45")
    with qtbot.waitSignal(dialog.applied) as applied:
        qtbot.keyClick(end, Qt.Key.Key_Return)
    assert applied.args[0].focus.blocks[1].end == time(16, 45)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_cancel_emits_nothing_and_closes(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    retype(qtbot, dialog.schedule_page.signoff, "18:00")
    with qtbot.assertNotEmitted(dialog.applied):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_escape_closes_without_applying(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    retype(qtbot, dialog.schedule_page.start, "08:00")
    with qtbot.assertNotEmitted(dialog.applied):
        qtbot.keyClick(dialog.schedule_page.start, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_ok_stays_open_when_the_app_reports_a_save_error(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    dialog.applied.connect(lambda _s: dialog.show_error("Could not save: disk full"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.save_error.isVisible() and "disk full" in dialog.save_error.text()


def test_unknown_teammate_zone_shows_did_you_mean(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, RICH)
    dialog.select_tab("team")
    row = dialog.team_page.rows[1]
    retype(qtbot, row.zone.line_edit, "America/New_Yrok")
    assert row.error.isVisible()
    assert row.error.text() == (
        'Time zone: "America/New_Yrok" is not a known time zone; did you mean "America/New_York"?'
    )
    assert not dialog.ok_button.isEnabled()
    assert "Team" in dialog.other_errors.text()  # says which tab to look at

    retype(qtbot, row.zone.line_edit, "Europe")  # a folder of zones, not a zone: no crash
    assert "not a known time zone" in row.error.text()

    retype(qtbot, row.zone.line_edit, "America/Chicago")
    assert not row.error.isVisible() and dialog.ok_button.isEnabled()
    result = dialog.current_settings()
    assert result is not None
    assert result.team[1] == dataclasses.replace(RICH.team[1], timezone="America/Chicago")


def test_a_teammate_without_a_zone_is_not_silently_dropped(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    dialog.select_tab("team")
    qtbot.mouseClick(dialog.team_page.add_mate, Qt.MouseButton.LeftButton)
    row = dialog.team_page.rows[0]
    qtbot.keyClicks(row.name, "Dana")
    assert row.error.text() == ""  # the zone field is not reached yet
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClick(row.name, Qt.Key.Key_Tab)
    qtbot.keyClick(row.zone.line_edit, Qt.Key.Key_Tab)  # left empty
    assert row.error.text() == "Time zone: is required"
    qtbot.keyClicks(row.zone.line_edit, "Asia/Tokyo")
    result = dialog.current_settings()
    assert result is not None and result.team == (Teammate("Dana", "Asia/Tokyo"),)


def test_banner_shows_what_was_wrong_and_where_the_backup_is(qtbot: QtBot) -> None:
    message = (
        'settings.toml line 7: workday.signoff: "25:00": hours go up to 23 (or use am/pm). '
        "Started with defaults; your file is kept at /home/me/.config/boundaries/settings.toml.bak"
    )
    dialog = open_dialog(qtbot, Settings(), banner=message)
    assert dialog.banner.isVisible()
    assert dialog.banner.text() == message

    plain = open_dialog(qtbot, Settings())
    assert not plain.banner.isVisible()


def test_set_settings_reloads_every_tab(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    dialog.set_settings(RICH)
    assert dialog.schedule_page.start.text() == "8:30 AM"  # RICH shows times as 12h
    assert dialog.schedule_page.overrides["fri"].text() == "3:00 PM"
    assert len(dialog.schedule_page.block_rows) == 2
    assert [row.name.text() for row in dialog.team_page.rows] == ["Ana", "Bo", "Chitra"]
    assert dialog.general_page.fields["general.timezone"].raw() == "Europe/Berlin"
    assert dialog.current_settings() == RICH


def test_every_setting_round_trips_unchanged(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, RICH)
    assert dialog.schedule_page.escalate.text() == "15, 45, 90"
    assert dialog.schedule_page.overrides["wed"].text() == "5:00 PM"
    assert dialog.schedule_page.overrides["mon"].text() == ""
    with qtbot.waitSignal(dialog.applied) as applied:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert applied.args == [RICH]


def test_per_day_signoff_override_is_added_and_removed(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    page = dialog.schedule_page
    retype(qtbot, page.overrides["fri"], "16:00")
    result = dialog.current_settings()
    assert result is not None and result.workday.signoff_by_day == {"fri": time(16, 0)}

    retype(qtbot, page.overrides["thu"], "08:00")  # before the workday starts
    assert page.override_error.text() == ("Thursday: 08:00 must be after the workday start (09:00)")
    assert dialog.current_settings() is None

    page.overrides["thu"].clear()
    page.overrides["fri"].clear()
    assert dialog.current_settings() == Settings()


def test_a_sign_off_time_can_be_typed_only_for_a_workday_and_is_kept(qtbot: QtBot) -> None:
    settings = Settings(workday=WorkdaySettings(signoff_by_day={"fri": time(15, 0)}))
    dialog = open_dialog(qtbot, settings)
    page = dialog.schedule_page
    assert [day for day, edit in page.overrides.items() if edit.isEnabled()] == [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
    ]
    page.workdays["fri"].setChecked(False)  # Friday off: its 15:00 waits greyed, not lost
    assert not page.overrides["fri"].isEnabled() and page.overrides["fri"].text() == "15:00"
    page.workdays["sat"].setChecked(True)
    assert page.overrides["sat"].isEnabled()
    page.workdays["fri"].setChecked(True)
    assert page.overrides["fri"].isEnabled() and page.overrides["fri"].text() == "15:00"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("30, soon", "must be a whole number of minutes, not text ('soon')"),
        ("60, 30", "must be increasing, like [30, 60]"),
    ],
)
def test_escalation_minutes_are_validated_as_typed(qtbot: QtBot, typed: str, reason: str) -> None:
    dialog = open_dialog(qtbot, Settings())
    page = dialog.schedule_page
    retype(qtbot, page.escalate, typed)
    assert page.escalate_error.text() == f"Remind again: {reason}"
    assert not dialog.apply_button.isEnabled()
    retype(qtbot, page.escalate, "20 40")
    result = dialog.current_settings()
    assert result is not None and result.workday.escalate_after_minutes == (20, 40)


def test_adding_and_removing_focus_blocks(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    page = dialog.schedule_page
    qtbot.mouseClick(page.add_block, Qt.MouseButton.LeftButton)
    new = page.block_rows[2]
    assert new.start.hasFocus()
    retype(qtbot, new.start, "19:00")
    retype(qtbot, new.end, "20:00")
    qtbot.mouseClick(new.days.buttons["sat"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.block_rows[0].remove, Qt.MouseButton.LeftButton)
    result = dialog.current_settings()
    assert result is not None
    assert result.focus.blocks == (
        Settings().focus.blocks[1],
        FocusBlock(("mon", "tue", "wed", "thu", "fri", "sat"), time(19, 0), time(20, 0)),
    )


def test_tab_moves_through_a_new_block_in_reading_order(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    page = dialog.schedule_page
    qtbot.mouseClick(page.add_block, Qt.MouseButton.LeftButton)
    new = page.block_rows[-1]
    assert next_tab_stop(new.start) is new.end
    assert next_tab_stop(new.end) is new.remove
    assert next_tab_stop(new.remove) is page.add_block
    assert next_tab_stop(page.block_rows[0].remove) is page.block_rows[1].days.buttons["mon"]


def next_tab_stop(widget: QWidget) -> QWidget:
    """Where Tab goes from ``widget``: the next widget in the focus chain that takes Tab focus."""
    candidate = widget.nextInFocusChain()
    while not candidate.focusPolicy() & Qt.FocusPolicy.TabFocus:
        candidate = candidate.nextInFocusChain()
    return candidate


def test_status_preview_follows_text_emoji_and_time_format(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings(slack=SlackSettings(enabled=True)))
    slack = dialog.slack_page
    assert slack.focus.preview.text() == (
        "🎧 :headphones: Focusing until 11:00 - replies after that; urgent? say 'urgent'"
    )
    assert slack.signoff.preview.text() == "🏡 :house_with_garden: Signed off - back Mon 09:00"

    retype(qtbot, slack.focus.text, "Heads down till {end}")
    dialog.general_page.fields["general.time_format"].show_value("12h")  # 12-hour
    assert slack.focus.preview.text() == "🎧 :headphones: Heads down till 11:00 AM"

    retype(qtbot, slack.focus.text, "Until {when}")
    assert "unknown placeholder {when}" in slack.focus.error.text()
    assert not dialog.ok_button.isEnabled()


def test_preview_status_renders_example_times() -> None:
    text = "Focusing until {end} - replies after that"
    assert preview_status(text, ":headphones:") == (
        "🎧 :headphones: Focusing until 11:00 - replies after that"
    )
    assert preview_status(text, "", end=time(14, 5), time_format="12h") == (
        "Focusing until 2:05 PM - replies after that"
    )
    assert preview_status("Back {back}", ":sunny:", back_day="tue", back_at=time(8, 0)) == (
        ":sunny: Back Tue 08:00"
    )


def test_select_tab_shows_the_named_tab(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, Settings())
    for index, name in enumerate(TAB_NAMES):
        dialog.select_tab(name)
        assert dialog.tabs.currentIndex() == index


def test_the_token_panel_is_on_the_slack_tab_and_reads_the_keyring_off_the_gui_thread(
    qtbot: QtBot,
) -> None:
    dialog = open_dialog(qtbot, Settings())
    assert dialog.slack_page.isAncestorOf(dialog.token_panel)
    # keyring's "no keyring" backend (tests/qt/conftest.py): the panel says so once it knows
    qtbot.waitUntil(lambda: "No keyring is available" in dialog.token_panel.stored.text())


def test_zone_lists_are_not_loaded_when_the_dialog_opens(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, RICH)
    assert not dialog.general_page.fields["general.timezone"].widget.is_loaded()  # type: ignore[attr-defined]
    assert not any(row.zone.is_loaded() for row in dialog.team_page.rows)


def test_render_each_tab(qtbot: QtBot) -> None:
    """Screenshots for a human to look at (tests/qt/artifacts/, not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    dialog = open_dialog(qtbot, RICH)
    for name in TAB_NAMES:
        dialog.select_tab(name)
        QApplication.processEvents()  # let the newly shown tab lay itself out
        image = dialog.grab()
        assert not image.isNull()
        assert image.save(str(ARTIFACTS / f"settings_{name}.png"))

    broken = open_dialog(
        qtbot,
        Settings(),
        banner="settings.toml line 7: workday.signoff: "
        '"25:00": hours go up to 23 (or use am/pm). Started with defaults; your file is '
        "kept at /home/me/.config/boundaries/settings.toml.bak",
    )
    retype(qtbot, broken.schedule_page.block_rows[0].end, "25:00")
    QApplication.processEvents()
    assert broken.grab().save(str(ARTIFACTS / "settings_schedule_invalid.png"))


@hyp_settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=all_settings)
def test_every_setting_survives_the_window_unedited(qtbot: QtBot, value: Settings) -> None:
    """Each value the schema allows shows in some field and comes back as it was: no page
    resets a setting it forgot, and no widget's range is narrower than the schema's."""
    dialog = SettingsDialog(value, shared_settings_services())
    qtbot.addWidget(dialog)
    assert dialog.current_settings() == value
