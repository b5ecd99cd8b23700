"""The tray icon and its menu: the app's main surface.

The menu is built once; its texts are refreshed in ``aboutToShow`` so times are fresh each time
it opens and nothing ticks while it is closed. It only emits intents through its ``TrayModel``
(the app's controller) and the ``TrayIntents`` callbacks; it never touches Slack or files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QGuiApplication, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from boundaries.core.focus import AppState, Mode
from boundaries.core.status import summary_line
from boundaries.core.timefmt import format_time
from boundaries.ui.minute_memo import MinuteMemo

if TYPE_CHECKING:
    from boundaries.ui.ports import MeetingTimes, TrayModel

FOCUS_PRESETS = (25, 50, 90)
SNOOZE_PRESETS = (15, 30, 60)
PAUSE_PRESETS = ((60, "For 1 hour"), (120, "For 2 hours"))


@dataclass(frozen=True, eq=False)  # callbacks: never compared (eq=False: cheaper import)
class TrayIntents:
    """What the tray asks of the app beyond the controller."""

    open_settings: Callable[[], None]
    copy_time: Callable[[], None]
    team_day: Callable[[], None]
    week: Callable[[], None]
    quit: Callable[[], None]
    release_held: Callable[[], None] = lambda: None  # deliver a held nudge now
    weekly_update: Callable[[], None] | None = None
    plan_meeting: Callable[[], None] | None = None


class Tray(QObject):
    def __init__(
        self,
        controller: TrayModel,
        intents: TrayIntents,
        icon_for_state: Callable[[str], QIcon],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._meetings: MeetingTimes | None = None
        self._intents = intents
        self._icon_for_state = icon_for_state
        self._problem = ""
        # What the Teammates submenu lists: (meeting lines, overlap and teammate lines).
        self._team_shown: tuple[tuple[str, ...], tuple[str, ...]] | None = None
        self._team_texts_memo: MinuteMemo[tuple[str, ...]] = MinuteMemo()
        # (status line, next block end, whether a snooze applies): what each open shows.
        self._schedule_memo: MinuteMemo[tuple[str, datetime | None, bool]] = MinuteMemo()
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu()
        self._build_menu()
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        controller.state_changed.connect(self._on_state_changed)
        controller.settings_changed.connect(lambda _settings: self.refresh())
        self.refresh()

    # ------------------------------------------------------------------ building
    def _action(self, menu: QMenu, text: str, slot: Callable[[], object]) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(lambda _checked=False: self._run(text, slot))
        return action

    def _run(self, text: str, slot: Callable[[], object]) -> None:
        """Run a menu intent; one that no longer applies (the menu was open while the state
        changed) is explained, never a traceback."""
        try:
            slot()
        except ValueError as error:
            self.show_message(text.replace("&", "").rstrip("…"), f"{error}.")

    def _build_menu(self) -> None:
        menu = self.menu
        self.held = menu.addAction("")  # "Sign-off nudge held: Do Not Disturb"
        self.held.setEnabled(False)
        self.held.setVisible(False)
        self.release_held = self._action(menu, "Show the held &nudge now", self._release_held)
        self.release_held.setVisible(False)
        self.header = menu.addAction("")
        self.header.setEnabled(False)
        self.problem = menu.addAction("")
        self.problem.setEnabled(False)
        self.problem.setVisible(False)
        menu.addSeparator()

        self.focus_menu = menu.addMenu("Start &focus")
        for minutes in FOCUS_PRESETS:
            self._action(
                self.focus_menu,
                f"{minutes} min",
                partial(self._controller.start_focus_minutes, minutes),
            )
        self.until_block_end = self._action(
            self.focus_menu, "Until next block end", self._focus_until_block_end
        )
        self._action(self.focus_menu, "Custom…", self._focus_custom)
        self.extend_action = self._action(
            menu, "E&xtend focus 15 min", lambda: self._controller.extend_focus(15)
        )
        self.end_focus = self._action(menu, "&End focus", self._controller.end_focus)

        self.snooze_menu = menu.addMenu("S&nooze sign-off")
        for minutes in SNOOZE_PRESETS:
            self._action(
                self.snooze_menu, f"{minutes} min", partial(self._controller.snooze, minutes)
            )
        self.sign_off = self._action(menu, "&Sign off now", self._controller.sign_off)
        self.back = self._action(menu, "I'm &back", self._controller.back_to_work)
        menu.addSeparator()

        self.team_menu = menu.addMenu("&Teammates")
        self.team_menu.aboutToShow.connect(self._refresh_team)
        self._action(menu, "&Copy a time for the team…", self._intents.copy_time)
        self._action(menu, "This &week…", self._intents.week)
        if self._intents.weekly_update is not None:
            self._action(menu, "Weekly &update…", self._intents.weekly_update)
        menu.addSeparator()
        self.pause_menu = menu.addMenu("&Pause Boundaries")
        for minutes, label in PAUSE_PRESETS:
            self._action(self.pause_menu, label, partial(self._controller.pause_for, minutes))
        self._action(self.pause_menu, "Until tomorrow", self._controller.pause_today)
        self.pause = self.pause_menu.menuAction()
        self.skip_block = self._action(
            menu, "Skip the next focus block", self._controller.skip_next_block
        )
        self.resume = self._action(menu, "&Resume Boundaries", self._controller.back_to_work)
        self._action(menu, "Settin&gs…", self._intents.open_settings)
        self._action(menu, "&Quit", self._intents.quit)
        menu.aboutToShow.connect(self._about_to_show)

    # ------------------------------------------------------------------ refreshing
    @Slot()
    def refresh(self) -> None:
        controller = self._controller
        state = controller.state
        summary, block_end, snooze = self._schedule(state, controller.now())
        self.header.setText(summary)
        tooltip = f"Boundaries — {summary}"
        if self.held.isVisible():
            tooltip += f"\n{self.held.text()}"
        if self._problem:
            tooltip += f"\n⚠ {self._problem}"
        self.icon.setToolTip(tooltip)
        self.icon.setIcon(self._icon_for_state(state.mode.value))

        focusing = state.mode is Mode.FOCUSING
        signed_off = state.mode is Mode.SIGNED_OFF
        paused = state.mode is Mode.PAUSED
        self.end_focus.setVisible(focusing)
        self.extend_action.setVisible(focusing)
        self.sign_off.setVisible(not signed_off)
        self.back.setVisible(signed_off)
        self.snooze_menu.menuAction().setVisible(snooze)
        self.pause.setVisible(not paused)
        self.resume.setVisible(paused)
        self.until_block_end.setEnabled(block_end is not None)
        if block_end is not None:
            fmt = controller.settings.general.time_format
            self.until_block_end.setText(f"Until next block end ({format_time(block_end, fmt)})")
        self.skip_block.setVisible(not paused and not signed_off and block_end is not None)
        self.team_menu.menuAction().setVisible(bool(controller.settings.team))

    @Slot()
    def _about_to_show(self) -> None:
        """The main menu opens. Teammates ▸ (hundreds of lines in a big team) is filled when
        it opens itself where Qt draws the menu (XEmbed on X11, checked end to end); a D-Bus
        host (StatusNotifierItem) reads the whole menu, submenus too, right after this, and
        macOS and Windows were never checked lazily: there it is filled now."""
        self.refresh()
        xembed = QGuiApplication.platformName() == "xcb" and self.menu_pops_up_at_icon()
        if not xembed:
            self._refresh_team()

    def _schedule(self, state: AppState, now: datetime) -> tuple[str, datetime | None, bool]:
        """The status line, the next block end and whether a snooze applies, worked out once
        a minute per state and settings (the state's own instants, e.g. a snooze's end, are
        steps too): the same questions every open asks, over every focus block."""
        c = self._controller
        settings, tz = c.settings, c.tz

        def compute() -> tuple[str, datetime | None, bool]:
            summary = summary_line(state, settings, now, tz)
            return summary, c.next_block_end(now), c.snooze_available(now)

        instants = (getattr(state, f.name) for f in fields(state))
        steps = (v for v in instants if isinstance(v, datetime))
        return self._schedule_memo.get((state, settings, tz), now, compute, steps)

    @Slot()
    def _refresh_team(self) -> None:
        now = self._controller.now()
        texts = self._team_texts(now)
        meetings = self._meeting_lines(now) if texts else ()
        if (meetings, texts) == self._team_shown:
            return  # the same lines: a team of hundreds is not rebuilt on every refresh
        self._team_shown = (meetings, texts)
        self.team_menu.clear()
        if not texts:
            return
        header = self.team_menu.addAction(texts[0])
        header.setEnabled(False)
        self.team_menu.addSeparator()
        for line in meetings:
            self.team_menu.addAction(line)  # readable, does nothing when clicked
        if meetings:
            self.team_menu.addSeparator()
        for line in texts[1:]:
            if not line:  # between the agreement's members and personal teammates
                self.team_menu.addSeparator()
                continue
            self.team_menu.addAction(line)  # enabled (readable), does nothing when clicked
        self.team_menu.addSeparator()
        self._action(self.team_menu, "Team &day…", self._intents.team_day)
        if self._intents.plan_meeting is not None:
            self._action(self.team_menu, "&Plan a meeting…", self._intents.plan_meeting)

    def _meeting_lines(self, now: datetime) -> tuple[str, ...]:
        """The agreement's meetings, next occurrence and whose turn, above the teammates."""
        if self._meetings is None:
            return ()
        found = self._meetings.next_occurrences(now)
        refused = self._meetings.refused()
        if not found and not refused:
            return ()
        from boundaries.core.meeting_view import next_meeting_line, refused_line

        c = self._controller
        lines = [
            next_meeting_line(
                occurrence, now, c.tz, c.settings.general.time_format, c.settings.agreement.me
            )
            for occurrence in found
        ]
        return (*lines, *(refused_line(name) for name in refused))

    def set_meetings(self, meetings: MeetingTimes) -> None:
        """Show the team agreement's next meetings in Teammates ▸ (set when one is used)."""
        self._meetings = meetings

    def _team_texts(self, now: datetime) -> tuple[str, ...]:
        """The overlap line, then the teammates' lines; worked out once a minute per settings.

        Every line is a function of the settings, the zone and the minute (times are shown to
        the minute, and working hours, nights and time away change on whole minutes), while
        the menu refreshes on every state change and every open.
        """
        controller = self._controller
        settings, tz = controller.settings, controller.tz
        if not settings.team:
            return ()

        def compute() -> tuple[str, ...]:
            from boundaries.core.team_view import overlap_line, teammate_lines  # after the icon

            return (overlap_line(settings, now, tz), *teammate_lines(settings, now, tz))

        return self._team_texts_memo.get((settings, tz), now, compute)

    def clear_problem(self, text: str) -> None:
        """Take ``text`` off the problem line, unless another problem has replaced it since."""
        if self._problem == text:
            self.set_problem(None)

    def set_problem(self, text: str | None) -> None:
        """Show a lasting problem (e.g. "Slack: token revoked") in the menu and tooltip."""
        self._problem = text or ""
        self.problem.setText(f"⚠ {self._problem}")
        self.problem.setVisible(bool(self._problem))
        self.refresh()

    def set_held(self, line: str | None) -> None:
        """Say why a nudge is held, first in the menu, and offer to release it."""
        self.held.setText(line or "")
        self.held.setVisible(bool(line))
        self.release_held.setVisible(bool(line))
        self.refresh()

    def _release_held(self) -> None:
        self._intents.release_held()

    def _on_state_changed(self, _old: AppState, _new: AppState) -> None:
        self.refresh()

    # ------------------------------------------------------------------ intents
    def _focus_until_block_end(self) -> None:
        end = self._controller.next_block_end()
        if end is not None:
            self._controller.start_focus_until(end)

    def _focus_custom(self) -> None:
        from PySide6.QtWidgets import QInputDialog  # on first use: not at start

        text, ok = QInputDialog.getText(
            None,
            "Start focus",
            "Focus for how many minutes, or until when (11:30, 5pm)?",
            text="45",
        )
        if not ok or not text.strip():
            return
        text = text.strip()
        try:
            if text.isdigit():
                self._controller.start_focus_minutes(int(text))
            else:
                self._controller.start_focus_until(self._controller.until_time(text))
        except ValueError as error:
            self.show_message("Focus not started", f"{error}. Try 50 or 11:30.")

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        """A left click: the menu at the icon where it can pop up there, else Settings.

        Middle and double clicks do nothing more (a double click has already been a left
        click). Why Settings: docs/decisions/0010-tray-activation.md.
        """
        if reason != QSystemTrayIcon.ActivationReason.Trigger:
            return
        if self.menu_pops_up_at_icon():
            self.refresh()
            self.menu.popup(self.icon.geometry().center())
        else:
            self._intents.open_settings()

    def menu_pops_up_at_icon(self) -> bool:
        """True on an XEmbed tray (X11): the icon is a window of ours, with a place on screen.

        A StatusNotifierItem host (KDE, GNOME's AppIndicator, XFCE, waybar) shows the icon
        itself: its geometry is empty, and on Wayland a menu without a parent window that
        got the click is refused. Those hosts show the right-click menu themselves.
        """
        wayland = QGuiApplication.platformName().startswith("wayland")
        return not wayland and not self.icon.geometry().isEmpty()

    def show_message(self, title: str, body: str) -> None:
        """Fallback balloon when no notification service is there."""
        self.icon.showMessage(title, body, self.icon.icon(), 10_000)

    def show(self) -> None:
        self.icon.show()
