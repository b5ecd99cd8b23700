"""The tray menu for a fixed now: what each state shows, and that actions reach the controller."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from boundaries.app.controller import Controller
from boundaries.core.focus import Mode
from boundaries.core.settings import Settings, Teammate
from boundaries.ui.tray import Tray, TrayIntents

from .fakes import FakeClock, MemorySink, RecordingWaker

BERLIN = ZoneInfo("Europe/Berlin")
TEAM = (
    Teammate("Ana", "Europe/London"),
    Teammate("Bo", "America/New_York"),
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


class TrayRig:
    def __init__(self, now: datetime, settings: Settings) -> None:
        self.clock = FakeClock(now)
        self.controller = Controller(
            settings,
            zone=lambda s: BERLIN,
            clock=self.clock,
            waker=RecordingWaker(),
            state_sink=MemorySink(),
        )
        self.calls: list[str] = []
        self.icons: list[str] = []
        intents = TrayIntents(
            open_settings=lambda: self.calls.append("settings"),
            copy_time=lambda: self.calls.append("copy"),
            team_day=lambda: self.calls.append("day"),
            week=lambda: self.calls.append("week"),
            quit=lambda: self.calls.append("quit"),
        )
        self.tray = Tray(self.controller, intents, self._icon)
        self.controller.start()

    def _icon(self, state: str) -> QIcon:
        self.icons.append(state)
        return QIcon()

    def visible(self, menu: QMenu | None = None) -> list[str]:
        menu = menu or self.tray.menu
        menu.aboutToShow.emit()
        return [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]

    def action(self, text: str, menu: QMenu | None = None) -> QAction:
        menu = menu or self.tray.menu
        for action in menu.actions():
            if action.text() == text:
                return action
        raise AssertionError(f"no action {text!r} in {[a.text() for a in menu.actions()]}")


@pytest.fixture
def rig(qtbot: QtBot) -> TrayRig:
    rig = TrayRig(at(24, 12, 0), Settings(team=TEAM))  # Tuesday noon, between blocks
    yield rig
    rig.controller.shutdown()


def test_idle_menu_says_what_is_next(rig: TrayRig) -> None:
    assert rig.visible() == [
        "Next focus 14:00 · Sign-off 17:30",
        "Start &focus",
        "&Sign off now",
        "&Teammates",
        "&Copy a time for the team…",
        "This &week…",
        "&Pause Boundaries",
        "Skip the next focus block",
        "Settin&gs…",
        "&Quit",
    ]
    assert rig.tray.icon.toolTip() == "Boundaries — Next focus 14:00 · Sign-off 17:30"
    assert rig.icons[-1] == "idle"


def test_start_focus_50_from_the_menu(rig: TrayRig) -> None:
    rig.action("50 min", rig.tray.focus_menu).trigger()
    assert rig.controller.state.mode is Mode.FOCUSING
    assert rig.controller.state.focus_until == at(24, 12, 50)
    items = rig.visible()
    assert items[0] == "Focus until 12:50 · Sign-off 17:30"
    assert "&End focus" in items and "E&xtend focus 15 min" in items
    assert rig.icons[-1] == "focusing"
    rig.action("&End focus").trigger()
    assert rig.controller.state.mode is Mode.IDLE


def typed_into_custom(rig: TrayRig, text: str) -> None:
    """Custom… with ``text`` typed into its real dialog and OK pressed."""

    def answer() -> None:
        for dialog in QApplication.topLevelWidgets():
            if isinstance(dialog, QInputDialog) and dialog.isVisible():
                timer.stop()
                dialog.setTextValue(text)
                dialog.accept()

    timer = QTimer(rig.tray)  # owned, and stopped once used: nothing outlives the test
    timer.timeout.connect(answer)
    timer.start(10)
    rig.action("Custom…", rig.tray.focus_menu).trigger()  # returns once the dialog is closed
    assert not timer.isActive()


@pytest.mark.parametrize(
    ("typed", "until"), [("25", at(24, 12, 25)), ("17:30", at(24, 17, 30)), ("5pm", at(24, 17))]
)
def test_custom_focus_reads_minutes_and_times_with_or_without_a_colon(
    rig: TrayRig, typed: str, until: datetime
) -> None:
    typed_into_custom(rig, typed)
    assert rig.controller.state.mode is Mode.FOCUSING
    assert rig.controller.state.focus_until == until


def test_until_next_block_end_names_the_time(rig: TrayRig) -> None:
    rig.visible()
    action = rig.action("Until next block end (16:00)", rig.tray.focus_menu)
    action.trigger()
    assert rig.controller.state.focus_until == at(24, 16, 0)


def test_signed_off_menu_offers_back(rig: TrayRig) -> None:
    rig.action("&Sign off now").trigger()
    items = rig.visible()
    assert items[0] == "Signed off · back Wed 09:00"
    assert "I'm &back" in items and "&Sign off now" not in items
    assert "S&nooze sign-off" not in items
    assert rig.icons[-1] == "signed_off"
    rig.action("I'm &back").trigger()
    assert rig.controller.state.mode is Mode.IDLE


def test_pause_and_resume(rig: TrayRig) -> None:
    rig.action("Until tomorrow", rig.tray.pause_menu).trigger()
    items = rig.visible()
    assert items[0] == "Paused for today, until 00:00"
    assert "&Resume Boundaries" in items
    rig.action("&Resume Boundaries").trigger()
    assert rig.controller.state.mode is Mode.IDLE


def test_teammates_submenu_is_fresh_each_time_it_opens(rig: TrayRig) -> None:
    lines = rig.visible(rig.tray.team_menu)
    assert lines == [
        "Overlap today 15:00–17:30",
        "☾ Bo — 06:00 New York (EST) · asleep",
        "● Ana — 11:00 London (GMT) · working",
        "Team &day…",
    ]
    rig.clock.advance(hours=4)
    lines = rig.visible(rig.tray.team_menu)
    assert lines[1:3] == [
        "● Bo — 10:00 New York (EST) · working",
        "● Ana — 15:00 London (GMT) · working",
    ]


def test_intents_reach_the_app(rig: TrayRig) -> None:
    rig.action("Settin&gs…").trigger()
    rig.action("&Copy a time for the team…").trigger()
    rig.action("This &week…").trigger()
    rig.visible(rig.tray.team_menu)
    rig.action("Team &day…", rig.tray.team_menu).trigger()
    rig.action("&Quit").trigger()
    assert rig.calls == ["settings", "copy", "week", "day", "quit"]


def test_no_teammates_hides_the_submenu(qtbot: QtBot) -> None:
    rig = TrayRig(at(24, 12, 0), Settings())
    assert "&Teammates" not in rig.visible()
    rig.controller.shutdown()


def test_a_lasting_problem_shows_in_menu_and_tooltip(rig: TrayRig) -> None:
    rig.tray.set_problem("Slack: the token was revoked")
    assert rig.visible()[1] == "⚠ Slack: the token was revoked"
    assert rig.tray.icon.toolTip().endswith("\n⚠ Slack: the token was revoked")
    rig.tray.set_problem(None)
    assert "⚠" not in " ".join(rig.visible())


def test_menu_mnemonics_are_unique(rig: TrayRig) -> None:
    """Each letter opens one item; a clash makes the key cycle instead of act."""
    for menu in (rig.tray.menu, rig.tray.focus_menu, rig.tray.team_menu):
        menu.aboutToShow.emit()
        keys = [
            a.text().split("&", 1)[1][0].lower()
            for a in menu.actions()
            if "&" in a.text() and a.isVisible()
        ]
        assert len(keys) == len(set(keys)), keys


def test_left_click_on_a_tray_without_a_place_for_the_menu_opens_settings(rig: TrayRig) -> None:
    """A D-Bus tray (the icon has no geometry of ours) gets Settings; the menu stays closed."""
    reason = QSystemTrayIcon.ActivationReason
    assert rig.tray.icon.geometry().isEmpty()
    assert not rig.tray.menu_pops_up_at_icon()
    rig.tray.icon.activated.emit(reason.Trigger)
    assert rig.calls == ["settings"]
    assert not rig.tray.menu.isVisible()


def test_middle_and_double_clicks_do_nothing_more(rig: TrayRig) -> None:
    reason = QSystemTrayIcon.ActivationReason
    for other in (reason.MiddleClick, reason.DoubleClick, reason.Context, reason.Unknown):
        rig.tray.icon.activated.emit(other)
    assert rig.calls == []


def counted_status_lines(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The instants the tray worked its status line out at (the schedule, over every block)."""
    import boundaries.ui.tray as tray_module

    asked: list[datetime] = []
    real = tray_module.summary_line

    def counting(*args: Any) -> str:
        asked.append(args[2])
        return real(*args)

    monkeypatch.setattr(tray_module, "summary_line", counting)
    return asked


def test_opens_within_a_minute_work_the_schedule_out_once_and_the_next_minute_is_fresh(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = counted_status_lines(monkeypatch)
    rig = TrayRig(at(24, 13, 59).replace(second=10), Settings(team=TEAM))  # refreshes too
    for _ in range(5):  # every open asks; the answers cannot change before 14:00
        assert rig.visible()[0] == "Next focus 14:00 · Sign-off 17:30"
        rig.clock.advance(seconds=9)
    assert len(asked) == 1
    rig.clock.now = at(24, 14, 0)  # the block's start: the next one is tomorrow's
    assert rig.visible()[0] == "Next focus Wed 09:00 · Sign-off 17:30"
    assert len(asked) == 2
    rig.controller.shutdown()


def test_a_snooze_ending_inside_a_minute_is_over_on_the_next_open(qtbot: QtBot) -> None:
    rig = TrayRig(at(24, 17, 30).replace(second=27), Settings(team=TEAM))
    rig.action("15 min", rig.tray.snooze_menu).trigger()  # until 17:45:27
    rig.clock.now = at(24, 17, 45).replace(second=10)
    assert rig.visible()[0] == "Next focus Wed 09:00 · Sign-off snoozed until 17:45"
    rig.clock.now = at(24, 17, 45).replace(second=30)
    assert rig.visible()[0] == "Next focus Wed 09:00 · Past sign-off (17:30)"
    rig.controller.shutdown()


def test_an_open_on_the_minute_a_snooze_stops_applying_is_not_kept(qtbot: QtBot) -> None:
    """At 05:30:00 the 17:30 sign-off is 12 hours old: the snooze's last instant."""
    rig = TrayRig(at(25, 5, 30), Settings(team=TEAM))
    assert "S&nooze sign-off" in rig.visible()
    rig.clock.advance(seconds=20)
    assert "S&nooze sign-off" not in rig.visible()
    rig.controller.shutdown()


def lines(menu: QMenu) -> list[str]:
    """What a menu holds right now, without telling it that it is about to show."""
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_teammates_are_worked_out_when_the_submenu_opens_not_on_every_refresh(
    rig: TrayRig,
) -> None:
    assert lines(rig.tray.team_menu) == []  # started: nothing built for the icon
    rig.action("50 min", rig.tray.focus_menu).trigger()  # state changes refresh the menu
    rig.action("&End focus").trigger()
    assert lines(rig.tray.team_menu) == []
    rig.tray.team_menu.aboutToShow.emit()
    assert lines(rig.tray.team_menu)[1:3] == [
        "☾ Bo — 06:00 New York (EST) · asleep",
        "● Ana — 11:00 London (GMT) · working",
    ]


def test_a_dbus_host_reads_teammates_filled_when_the_main_menu_opens(rig: TrayRig) -> None:
    """A StatusNotifierItem host (here: no icon geometry of ours, as on Wayland) reads the
    whole menu, submenus too, after telling the app the main menu is about to show."""
    assert not rig.tray.menu_pops_up_at_icon()
    rig.tray.menu.aboutToShow.emit()
    assert lines(rig.tray.team_menu)[0] == "Overlap today 15:00–17:30"
    rig.clock.advance(hours=4)
    rig.tray.menu.aboutToShow.emit()
    assert lines(rig.tray.team_menu)[1] == "● Bo — 10:00 New York (EST) · working"
