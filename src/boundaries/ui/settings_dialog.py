"""The Settings window: four tabs over the settings schema, validated by the core as you type.

Each page writes the paths it edits into the TOML-shaped dict of the settings being edited
(so a setting no page shows keeps its value), which runs through
``core.settings.parse_settings``; each problem's path names the field that shows its reason.
The dialog never saves: Apply/OK emit ``applied(Settings)`` and the app saves and re-plans.
It is built on demand and cheap to build (the zone list loads on first use of a zone field).

What it needs from outside (the keyring and Slack for the token panel, team files, a worker
pool) comes in as ``ui.ports.SettingsServices``; the app uses only the public API below
(signals ``applied``, ``token_changed``, ``clear_history_requested`` and the methods under
"public API"), never the pages inside.
"""

from __future__ import annotations

import re
from collections.abc import Container
from datetime import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.settings import (
    Settings,
    SettingsProblem,
    TimeFormat,
    parse_settings,
    settings_to_dict,
)
from boundaries.core.settings_merge import Conflict, Side, merge_edits
from boundaries.core.timefmt import format_time
from boundaries.core.timeparse import WEEKDAY_NAMES, WEEKDAYS, parse_clock
from boundaries.ui.ports import SettingsServices
from boundaries.ui.settings_fields import SettingsPage
from boundaries.ui.settings_general import GeneralPage
from boundaries.ui.settings_schedule import SchedulePage
from boundaries.ui.settings_slack import SlackPage
from boundaries.ui.settings_team import TeamPage
from boundaries.ui.settings_widgets import ErrorLabel, Target, error_color, mark_invalid

if TYPE_CHECKING:
    from boundaries.ui.slack_panel import SlackTokenPanel

TAB_NAMES = ("schedule", "team", "slack", "general")
_TAB_LABELS = ("Sche&dule", "Tea&m", "Slac&k", "&General")

# A few glyphs so the preview looks like Slack; any other code is shown as typed.
EMOJI_GLYPHS = {
    ":headphones:": "🎧",
    ":house_with_garden:": "🏡",
    ":house:": "🏠",
    ":no_bell:": "🔕",
    ":zzz:": "💤",
    ":palm_tree:": "🌴",
    ":computer:": "💻",
    ":brain:": "🧠",
    ":red_circle:": "🔴",
    ":calendar:": "📆",
    ":wave:": "👋",
    ":crescent_moon:": "🌙",
}


def preview_status(
    text: str,
    emoji: str,
    *,
    end: time = time(11, 0),
    back_day: str = "mon",
    back_at: time = time(9, 0),
    time_format: TimeFormat = "24h",
) -> str:
    """What Slack would show, with example times: "🎧 :headphones: Focusing until 11:00 - ..."."""
    try:
        rendered = text.format(
            end=format_time(end, time_format),
            back=f"{WEEKDAY_NAMES[back_day][:3]} {format_time(back_at, time_format)}",
        )
    except (KeyError, IndexError, ValueError):
        rendered = text  # the field's own error explains why
    emoji = emoji.strip()
    glyph = EMOJI_GLYPHS.get(emoji, "")
    return " ".join(part for part in (glyph, emoji, rendered) if part)


def _parent_path(path: str) -> str:
    """ "focus.blocks[1].end" -> "focus.blocks[1]" -> "focus.blocks" -> "focus" -> ""."""
    return re.sub(r"(\[\d+\]|\.?[^.\[\]]+)$", "", path)


def find_target_path(targets: Container[str], path: str) -> str | None:
    """``path`` if it has a target, else its closest parent that has one."""
    candidate = path
    while candidate:
        if candidate in targets:
            return candidate
        candidate = _parent_path(candidate)
    return None


class SettingsDialog(QDialog):
    """Every setting, editable; OK/Apply are enabled only while everything is valid.

    Signals: ``applied(Settings)`` on OK/Apply; ``token_changed()`` after the Slack token was
    saved or forgotten; ``clear_history_requested()`` once the user confirmed (the app clears
    the history, then calls :meth:`history_cleared`).
    """

    applied = Signal(object)
    token_changed = Signal()
    clear_history_requested = Signal()
    create_slack_app_requested = Signal()

    def __init__(
        self,
        settings: Settings,
        services: SettingsServices,
        *,
        banner: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Settings")
        self._base = settings
        self._current: Settings | None = None
        self._loading = False
        self._error_shown_during_apply = False
        self._bad_tabs: set[int] = set()
        self._from_disk: Settings | None = None  # a file change waiting for valid fields
        self.disk_question: QMessageBox | None = None  # open while asking about a conflict
        self._disk_choice: tuple[Any, Settings, Settings, Settings] | None = None

        layout = QVBoxLayout(self)
        self.banner = self._build_banner(banner)
        layout.addWidget(self.banner)

        self.schedule_page = SchedulePage()
        self.team_page = TeamPage(services.team_files, services.workers)
        self.slack_page = SlackPage()
        self.slack_page.create_app_requested.connect(self.create_slack_app_requested)
        self.general_page = GeneralPage()
        self._pages: list[SettingsPage] = [
            self.schedule_page,
            self.team_page,
            self.slack_page,
            self.general_page,
        ]
        self.tabs = QTabWidget(self)
        for page, label in zip(self._pages, _TAB_LABELS, strict=True):
            self.tabs.addTab(_PageScroll(page, self.tabs), label)
        layout.addWidget(self.tabs, 1)
        self.token_panel = self._build_token_panel()
        self.general_page.clear_history_requested.connect(self.clear_history_requested)

        self.other_errors = ErrorLabel(self)  # problems no field owns, and which tabs have some
        layout.addWidget(self.other_errors)
        self.disk_note = QLabel(self)
        self.disk_note.setWordWrap(True)
        self.disk_note.setAccessibleName("Settings file changed")
        self.disk_note.hide()
        layout.addWidget(self.disk_note)
        self.save_error = ErrorLabel(self)
        self.save_error.setAccessibleName("Could not save")
        layout.addWidget(self.save_error)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.ok_button = self._button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button = self._button(QDialogButtonBox.StandardButton.Apply)
        self.cancel_button = self._button(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button.setText("&Apply")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self._on_ok)
        self.apply_button.clicked.connect(self._on_apply)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

        for page in self._pages:
            page.changed.connect(self._revalidate)
        self._load(settings, settings)
        screen = self.screen().availableGeometry().size() * 0.9
        self.resize(self.sizeHint().boundedTo(screen))

    # ----------------------------------------------------------------- public API

    def set_settings(self, settings: Settings) -> None:
        """Show these values (the file changed on disk); unsaved edits are kept.

        What only the file changed is shown, what only the user changed stays, and a field
        both changed differently is asked about. While a field is invalid the merge waits
        (its text does not read as a value yet), so nothing the user typed is lost.
        """
        if self._current is None and self._edited_data() != settings_to_dict(self._base):
            self._from_disk = settings
            self.disk_note.setText(
                "The settings file changed on disk. Your edits are kept; its changes are "
                "added once the fields marked in red are fixed."
            )
            self.disk_note.show()
            return
        self._merge_from_disk(settings)

    def refresh_token(self) -> None:
        """The token changed outside this window (``boundaries slack login``): re-read it."""
        self.token_panel.refresh()

    def set_banner(self, text: str) -> None:
        """Say what is wrong with the settings file (and what OK will do); empty hides it."""
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def current_settings(self) -> Settings | None:
        """The settings as edited, or None while any field is invalid."""
        return self._current

    def show_error(self, text: str) -> None:
        """Show why saving failed (e.g. a read-only config folder); the dialog stays open."""
        self.save_error.set_reasons([text])
        self._error_shown_during_apply = True

    def select_tab(self, name: str) -> None:
        """Show the "schedule", "team", "slack" or "general" tab."""
        self.tabs.setCurrentIndex(TAB_NAMES.index(name))

    def history_cleared(self) -> None:
        """The app finished clearing the sign-off history (after ``clear_history_requested``)."""
        self.general_page.history_cleared()

    def history_not_cleared(self, reason: str) -> None:
        """Clearing the history failed (or the app was not there to do it): say why."""
        self.general_page.history_not_cleared(reason)

    def show_start_at_login(self, enabled: bool | None, where: str) -> None:
        """What is really on disk (a user may have removed the entry); ``where`` says where
        the entry lives (a tooltip). ``None``: not known yet, leave the box as it is."""
        box = self.general_page.start_at_login
        box.setToolTip(where)
        if enabled is not None:
            box.setChecked(enabled)

    # ----------------------------------------------------------------- building

    def _build_token_panel(self) -> SlackTokenPanel:
        """Test/save/forget the token and Import teammates from Slack…, in the Slack tab."""
        from boundaries.ui.slack_panel import SlackTokenPanel

        area = self.slack_page.token_area
        panel = SlackTokenPanel(
            self._api_url, self._services.slack, self._services.workers, parent=area
        )
        layout = area.layout()
        assert layout is not None
        layout.addWidget(panel)
        panel.token_changed.connect(self.token_changed)
        panel.import_requested.connect(self._import_from_slack)
        return panel

    def _api_url(self) -> str:
        """The Slack API URL as typed (the field may have been edited), else the saved one."""
        return self.slack_page.api_url.text().strip() or self._base.slack.api_url

    def _import_from_slack(self) -> None:
        from boundaries.ui.slack_import import SlackImportDialog

        slack, url = self._services.slack, self._api_url()
        team = self.team_page.team()
        importer = SlackImportDialog(
            self._base.team if team is None else team,
            lambda: slack.members(url),
            self._services.workers,
            parent=self,
        )
        importer.team_chosen.connect(self.team_page.load_team)
        importer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        importer.open()

    def _button(self, which: QDialogButtonBox.StandardButton) -> QPushButton:
        button = self.buttons.button(which)
        assert button is not None
        return button

    def _build_banner(self, text: str | None) -> QLabel:
        banner = QLabel(text or "", self)
        banner.setWordWrap(True)
        banner.setTextFormat(Qt.TextFormat.PlainText)
        banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner.setAccessibleName("Settings file problem")
        border = error_color(self)
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        background, foreground = ("#4a1c1c", "#ffdad6") if dark else ("#fdecea", "#5f2120")
        banner.setStyleSheet(
            f"QLabel {{ background: {background}; color: {foreground};"
            f" border: 1px solid {border}; border-radius: 4px; padding: 8px; }}"
        )
        banner.setVisible(bool(text))
        return banner

    # ----------------------------------------------------------------- the file on disk

    def _load(self, shown: Settings, base: Settings) -> None:
        """Show ``shown`` in every tab; ``base`` is what the file says (what Apply diffs)."""
        self._base = base
        self._loading = True
        try:
            for page in self._pages:
                page.load(shown, settings_to_dict(shown))
        finally:
            self._loading = False
        self._revalidate()

    def _merge_from_disk(self, disk: Settings, prefer: Side = "mine") -> None:
        self._from_disk = None
        self.disk_note.hide()
        mine = self._current
        if mine is None or mine == self._base:  # nothing typed (or nothing that reads yet)
            self._load(disk, disk)
            return
        base, edited = settings_to_dict(self._base), settings_to_dict(mine)
        merged, conflicts = merge_edits(base, edited, settings_to_dict(disk), prefer)
        shown, problems = parse_settings(merged)
        if problems:  # each side is valid, not both together (a start after the sign-off)
            shown = mine if prefer == "mine" else disk
            conflicts = [Conflict("", edited, None)]
        started_from = self._base
        self._load(shown, disk)
        if conflicts and prefer == "mine":
            self._ask_about(conflicts, started_from, mine, disk)

    def _ask_about(
        self, conflicts: list[Conflict], base: Settings, mine: Settings, disk: Settings
    ) -> None:
        fields = "\n".join(f"• {c.path}" for c in conflicts if c.path) or "• several fields"
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Settings changed on disk",
            "The settings file changed while you were editing. Its other changes are shown "
            f"now; these you changed too:\n{fields}\nKeep what you typed, or use the file's?",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        keep = box.addButton("&Keep mine", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Use the &file's", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        self.disk_question = box
        self._disk_choice = (keep, base, mine, disk)
        box.finished.connect(self._on_disk_answer)  # a method: no closure holds the box
        box.open()

    def _on_disk_answer(self) -> None:
        box, self.disk_question = self.disk_question, None
        choice, self._disk_choice = self._disk_choice, None
        if box is None or choice is None:
            return
        keep, base, mine, disk = choice
        use_file = box.clickedButton() is not keep
        box.deleteLater()
        if use_file:
            self._base, self._current = base, mine
            self._merge_from_disk(disk, prefer="theirs")

    def _edited_data(self) -> dict[str, Any]:
        """The settings as typed, in TOML form (raw text where a field does not read)."""
        data = settings_to_dict(self._base)
        for page in self._pages:
            page.fill(data)
        return data

    # ----------------------------------------------------------------- validation

    def _revalidate(self) -> None:
        if self._loading:
            return
        data = self._edited_data()
        if data["general"]["time_format"] != self.general_page.time_format:
            self._show_time_format(data["general"]["time_format"])
            data = self._edited_data()
        settings, problems = parse_settings(data)
        self._current = None if problems else settings
        self._show_problems(problems)
        valid = self._current is not None
        if self.ok_button.isEnabled() != valid:
            self.ok_button.setEnabled(valid)
            self.apply_button.setEnabled(valid)
        self._update_previews(data)
        if self._from_disk is not None and self._current is not None:
            self._merge_from_disk(self._from_disk)  # the typed text reads now

    def _show_time_format(self, time_format: str) -> None:
        """Show times as… changed: every time on every tab is shown the new way at once."""
        self._loading = True  # one revalidation for all the rewritten fields
        try:
            for page in self._pages:
                page.show_time_format(time_format)
        finally:
            self._loading = False

    def _show_problems(self, problems: list[SettingsProblem]) -> None:
        targets: dict[str, Target] = {}
        tab_of: dict[str, int] = {}
        for index, page in enumerate(self._pages):
            for path, target in page.targets().items():
                targets[path], tab_of[path] = target, index
        reasons: dict[ErrorLabel, list[str]] = {}
        marks: dict[QWidget, list[str]] = {}
        bad_tabs: set[int] = set()
        summary: list[str] = []
        for problem in problems:
            owner = find_target_path(targets, problem.path)
            if owner is None:
                summary.append(str(problem))
                continue
            target = targets[owner]
            if target.waiting:
                continue
            reasons.setdefault(target.label, []).append(target.prefix + problem.reason)
            if target.widget is not None:
                marks.setdefault(target.widget, []).append(problem.reason)
            bad_tabs.add(tab_of[owner])
        for target in targets.values():
            target.label.set_reasons(reasons.get(target.label, []))
            if target.widget is not None:
                found = marks.get(target.widget)
                mark_invalid(target.widget, "; ".join(found) if found else None)
        if bad_tabs != self._bad_tabs:
            self._bad_tabs = bad_tabs
            for index in range(self.tabs.count()):
                color = QColor(error_color(self)) if index in bad_tabs else QColor()
                self.tabs.tabBar().setTabTextColor(index, color)
        if bad_tabs:
            names = ", ".join(_TAB_LABELS[i].replace("&", "") for i in sorted(bad_tabs))
            summary.append(f"Fix the fields marked in red to save ({names}).")
        self.other_errors.set_reasons(summary)

    def _update_previews(self, data: dict[str, Any]) -> None:
        time_format: TimeFormat = "12h" if data["general"]["time_format"] == "12h" else "24h"
        blocks = data["focus"]["blocks"]
        end = _time_or(blocks[0]["end"] if blocks else "", time(11, 0))
        days = data["workday"]["days"] or list(WEEKDAYS)
        back_at = _time_or(data["workday"]["start"], time(9, 0))
        focus = preview_status(
            data["focus"]["status_text"],
            data["focus"]["status_emoji"],
            end=end,
            time_format=time_format,
        )
        signoff = preview_status(
            data["signoff"]["status_text"],
            data["signoff"]["status_emoji"],
            back_day=days[0],
            back_at=back_at,
            time_format=time_format,
        )
        self.slack_page.set_previews(focus, signoff)
        self.schedule_page.show_focus_effects(data)

    # ----------------------------------------------------------------- buttons

    def _on_apply(self) -> bool:
        """Emit the settings; False if they are invalid or the app reported a save error."""
        settings = self._current
        if settings is None:
            return False
        self.save_error.set_reasons([])
        self._error_shown_during_apply = False
        self.applied.emit(settings)
        if self._error_shown_during_apply:
            return False
        self._base = settings
        return True

    def _on_ok(self) -> None:
        if self._on_apply():
            self.accept()


class _PageScroll(QScrollArea):
    """Scrolls a tab page vertically only: never narrower than the page, as tall as it likes."""

    def __init__(self, page: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(page)

    def _scrollbar(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)

    def sizeHint(self) -> QSize:
        page = self.widget()
        return page.sizeHint() + QSize(self._scrollbar(), 0) if page else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.widget()
        if page is None:
            return super().minimumSizeHint()
        return QSize(
            page.minimumSizeHint().width() + self._scrollbar(), 6 * self.fontMetrics().height()
        )


def _time_or(text: str, default: time) -> time:
    try:
        return parse_clock(text)
    except ValueError:
        return default
