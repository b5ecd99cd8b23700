"""The Team tab: teammates with their time zone, working hours and days, and Slack user.

A new row says nothing about its empty fields until the user has edited or left each one
(OK stays disabled meanwhile): a red row the moment "Add teammate" is clicked reads as a
mistake the user has not made yet.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from datetime import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.schema import dump_table
from boundaries.core.settings import WORKWEEK, Away, Settings, Teammate, parse_settings
from boundaries.core.team_file import TeamFile
from boundaries.core.timefmt import format_hours_range
from boundaries.core.timeparse import parse_hours_range
from boundaries.ui.ports import TeamFiles, Workers, error_text
from boundaries.ui.settings_fields import SettingsPage
from boundaries.ui.settings_widgets import (
    AGREEMENT_ME_HINT,
    DayToggles,
    ErrorLabel,
    Target,
    agreement_file_row,
    reformat_text,
)
from boundaries.ui.zone_picker import ZonePicker


class _Touched(QObject):
    """The fields of a new row the user has not edited or left yet: their problems wait."""

    def __init__(
        self, owner: QWidget, widgets: Sequence[QWidget], on_change: Callable[[], None]
    ) -> None:
        super().__init__(owner)  # goes with the row's widgets
        self.pending: set[QWidget] = set(widgets)
        self._on_change = on_change
        for widget in widgets:
            widget.installEventFilter(self)

    def touch(self, widget: QWidget) -> None:
        if widget in self.pending:
            self.pending.discard(widget)
            self._on_change()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.FocusOut
            and isinstance(event, QFocusEvent)
            and event.reason() != Qt.FocusReason.PopupFocusReason  # the zone list opening
            and isinstance(watched, QWidget)
        ):
            self.touch(watched)
        return False


class _MateRow:
    """One teammate; ``new`` for a row just added, whose problems wait for the user."""

    def __init__(
        self,
        parent: QWidget,
        mate: Teammate,
        on_change: Callable[..., None],
        time_format: str,
        new: bool = False,
    ) -> None:
        self.kept_away: tuple[Away, ...] = mate.away  # time away has no field here yet
        self.name = QLineEdit(mate.name, parent)
        self.name.setAccessibleName("Teammate name")
        self.name.setPlaceholderText("Name")
        self.zone = ZonePicker(mate.timezone, parent=parent)
        zone_metrics = self.zone.line_edit.fontMetrics()
        self.zone.setMinimumWidth(
            zone_metrics.horizontalAdvance("America/New_York") + 3 * zone_metrics.height()
        )
        hours = format_hours_range(mate.hours_start, mate.hours_end, time_format)
        self.hours = QLineEdit(hours, parent)
        self.hours.setAccessibleName("Working hours")
        self._show_hours_hints(time_format)
        metrics = self.hours.fontMetrics()
        self.days = DayToggles(mate.days, "Their workdays", parent)
        self.days.setToolTip("The days they work, in their own time zone")
        self.slack_user = QLineEdit(mate.slack_user, parent)
        self.slack_user.setAccessibleName("Slack user ID")
        self.slack_user.setPlaceholderText("optional")
        self.slack_user.setToolTip("Their Slack member ID, e.g. U0123ABC (optional)")
        for edit, sample in ((self.name, "Alexandra"), (self.slack_user, "U0123ABCDE")):
            edit.setMinimumWidth(metrics.horizontalAdvance(sample) + 2 * metrics.height())
        self.remove = QPushButton("Remove", parent)
        self.remove.setAutoDefault(False)
        self.remove.setToolTip("Remove this teammate")
        self.error = ErrorLabel(parent)
        fields: list[QWidget] = [self.name, self.zone.line_edit, self.hours, self.slack_user]
        waiting = [*fields, *self.days.focus_widgets()] if new else []
        self.untouched = _Touched(self.name, waiting, on_change)
        for edit in (self.name, self.hours, self.slack_user, self.zone.line_edit):
            edit.textEdited.connect(lambda _text, e=edit: self.untouched.touch(e))
        self.days.changed.connect(self._touch_days)
        for edit in (self.name, self.hours, self.slack_user):
            edit.textChanged.connect(on_change)
        self.zone.zoneChanged.connect(on_change)
        self.days.changed.connect(on_change)

    def _show_hours_hints(self, time_format: str) -> None:
        example = format_hours_range(time(9, 0), time(17, 30), time_format)
        self.hours.setPlaceholderText(example)
        self.hours.setToolTip(f"Their working hours in their own time zone, e.g. {example}")
        metrics = self.hours.fontMetrics()
        widest = "12:30 PM-12:30 PM" if time_format == "12h" else "00:00-00:00"
        self.hours.setMinimumWidth(metrics.horizontalAdvance(widest) + 2 * metrics.height())

    def show_time_format(self, time_format: str) -> None:
        """The hours as typed, in ``time_format`` (kept as typed while they do not read)."""
        reformat_text(
            self.hours, lambda text: format_hours_range(*parse_hours_range(text), time_format)
        )
        self._show_hours_hints(time_format)

    def _touch_days(self) -> None:
        for button in self.days.focus_widgets():
            self.untouched.pending.discard(button)

    def waiting(self, widget: QWidget) -> bool:
        """Whether ``widget``'s problems wait (a new row's field not edited or left yet)."""
        if widget is self.days:
            return any(b in self.untouched.pending for b in self.days.focus_widgets())
        return widget in self.untouched.pending

    def widgets(self) -> list[QWidget]:
        return [
            self.name,
            self.zone,
            self.hours,
            self.days,
            self.slack_user,
            self.remove,
            self.error,
        ]

    def focus_widgets(self) -> list[QWidget]:
        return [
            self.name,
            self.zone.line_edit,
            self.hours,
            *self.days.focus_widgets(),
            self.slack_user,
            self.remove,
        ]


class TeamPage(SettingsPage):
    """An editable list of teammates; the zone column searches all IANA zones and cities.

    The whole ``team`` list is one hand-made editor; each row still validates through the
    schema (the dialog parses what :meth:`fill` writes).
    """

    exported = Signal(str)  # the file written by Export…

    def __init__(self, files: TeamFiles, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._files = files
        self._workers = workers
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_agreement())
        hint = QLabel(
            "People you work with: their time zone, working hours and days (in their own "
            "zone). Their local time and the hours you overlap are in the tray menu, under "
            "Teammates.",
            self,
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(8)
        layout.addLayout(self._grid)
        self.empty = QLabel("No teammates yet.", self)
        layout.addWidget(self.empty)
        self.add_mate = QPushButton("Add t&eammate", self)
        self.add_mate.setAutoDefault(False)
        self.add_mate.clicked.connect(self._on_add)
        self.import_file = QPushButton("&Import from file…", self)
        self.import_file.setAutoDefault(False)
        self.import_file.clicked.connect(self._on_import)
        self.export_file = QPushButton("E&xport…", self)
        self.export_file.setAutoDefault(False)
        self.export_file.clicked.connect(self._on_export)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_mate)
        buttons.addStretch(1)
        buttons.addWidget(self.import_file)
        buttons.addWidget(self.export_file)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._headers = [
            QLabel(text, self) for text in ("Name", "Time zone", "Hours", "Days", "Slack user")
        ]
        self.rows: list[_MateRow] = []

    def _build_agreement(self) -> QGroupBox:
        """The team agreement file (kept in the team's repo) and which member you are."""
        box = QGroupBox("Team agreement", self)
        form = QFormLayout(box)
        note = QLabel(
            "A file your team keeps in its repo: everyone's hours and time away, team focus "
            "blocks and how replies work. Start one with <tt>boundaries agreement init</tt>.",
            box,
        )
        note.setWordWrap(True)
        form.addRow(note)
        file_field = self.field("agreement.file", box)
        self.agreement_file = file_field.widget
        assert isinstance(self.agreement_file, QLineEdit)
        row, self.choose_agreement = agreement_file_row(self.agreement_file, box)
        assert file_field.label is not None
        form.addRow(file_field.label, row)
        form.addRow("", file_field.error)
        me = self.field("agreement.me", box)
        assert isinstance(me.widget, QLineEdit)
        me.widget.setPlaceholderText(AGREEMENT_ME_HINT)
        me.add_to(form)
        return box

    def _on_add(self) -> None:
        row = self._append(Teammate(name="", timezone=""), new=True)
        self._relayout()
        row.name.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def team(self) -> tuple[Teammate, ...] | None:
        """The teammates as typed, or None while a row is invalid."""
        data: dict[str, Any] = {}
        self.fill(data)
        settings, found = parse_settings({"team": data["team"]})
        return None if found else settings.team

    def load_team(self, team: Sequence[Teammate]) -> None:
        self._show_team(team)
        self.changed.emit()

    def _on_import(self) -> None:
        """Pick a file, read it on a worker, then review it before anything changes."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Import teammates", "", "Team files (*.csv *.toml)"
        )
        if not path:
            return
        chosen = Path(path)
        self._workers.submit(
            lambda: self._files.read(chosen),
            lambda parsed: self._review(chosen, parsed),
            lambda error: self._warn("Import teammates", error_text(error, "Not imported")),
            context=self,
        )

    def _review(self, path: Path, parsed: TeamFile) -> None:
        from boundaries.core.team_file import merge_team
        from boundaries.ui.team_import import TeamImportDialog

        current = self.team() or ()
        dialog = TeamImportDialog(parsed.teammates, parsed.bad_rows, current, path.name, self)
        dialog.confirmed.connect(lambda mates: self.load_team(merge_team(current, mates).team))
        dialog.open()

    def _warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    def _on_export(self) -> None:
        team = self.team()
        if team is None:
            QMessageBox.warning(self, "Export teammates", "Fix the marked fields first.")
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export teammates", "team.csv", "CSV (*.csv);;TOML (*.toml)"
        )
        if not path:
            return
        self._workers.submit(
            lambda: self._files.write(Path(path), team),
            lambda _none: self.exported.emit(path),
            lambda error: self._warn("Export teammates", error_text(error, "Not exported")),
            context=self,
        )

    def _append(self, mate: Teammate, new: bool = False) -> _MateRow:
        row = _MateRow(self, mate, self._changed, self.time_format, new)
        row.remove.clicked.connect(lambda: self._remove(row))
        self.rows.append(row)
        return row

    def _remove(self, row: _MateRow) -> None:
        index = self.rows.index(row)
        self.rows.remove(row)
        for widget in row.widgets():
            widget.deleteLater()
        self._relayout()
        if self.rows:
            self.rows[min(index, len(self.rows) - 1)].remove.setFocus()
        else:
            self.add_mate.setFocus()
        self.changed.emit()

    def _relayout(self) -> None:
        grid = self._grid
        while grid.count():
            grid.takeAt(0)
        for column, header in enumerate(self._headers):
            grid.addWidget(header, 0, column)
            header.setVisible(bool(self.rows))
        for i, row in enumerate(self.rows):
            for column, widget in enumerate(row.widgets()[:6]):
                grid.addWidget(widget, 1 + 2 * i, column)
                widget.show()  # now, not queued, so a new row can take focus at once
            grid.addWidget(row.error, 2 + 2 * i, 0, 1, 6)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(4, 2)
        self.empty.setVisible(not self.rows)
        chain: list[QWidget] = []
        for row in self.rows:
            chain.extend(row.focus_widgets())
        chain.append(self.add_mate)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _changed(self, *_args: object) -> None:
        self.changed.emit()

    def load(self, settings: Settings, data: Mapping[str, Any]) -> None:
        super().load(settings, data)
        self._show_team(settings.team)

    def _show_team(self, team: Sequence[Teammate]) -> None:
        for row in self.rows:
            for widget in row.widgets():
                widget.deleteLater()
        self.rows = []
        for mate in team:
            self._append(mate)
        self._relayout()

    def show_time_format(self, time_format: str) -> None:
        super().show_time_format(time_format)
        for row in self.rows:
            row.show_time_format(time_format)

    def fill(self, data: dict[str, Any]) -> None:
        """Write the teammates into ``data`` as the file would hold them."""
        super().fill(data)
        team: list[dict[str, Any]] = []
        for row in self.rows:
            entry: dict[str, Any] = {
                "name": row.name.text(),
                "timezone": row.zone.zone(),
                "hours": row.hours.text(),
            }
            if row.days.days() != WORKWEEK:
                entry["days"] = list(row.days.days())
            if row.kept_away:
                entry["away"] = [dump_table(away) for away in row.kept_away]
            if row.slack_user.text().strip():
                entry["slack_user"] = row.slack_user.text()
            team.append(entry)
        data["team"] = team

    def targets(self) -> dict[str, Target]:
        found = super().targets()
        for i, row in enumerate(self.rows):
            path = f"team[{i}]"
            found[path] = Target(row.error)
            for key, widget, prefix in (
                ("name", row.name, "Name: "),
                ("timezone", row.zone.line_edit, "Time zone: "),
                ("hours", row.hours, "Hours: "),
                ("slack_user", row.slack_user, "Slack user: "),
                ("days", row.days, "Days: "),
            ):
                found[f"{path}.{key}"] = Target(row.error, widget, prefix, row.waiting(widget))
        return found
