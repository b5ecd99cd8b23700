"""The Schedule tab: workdays, sign-off times (with per-day overrides), nudges, focus blocks."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.settings import FocusBlock, Settings
from boundaries.core.timefmt import format_time
from boundaries.core.timeparse import WEEKDAY_NAMES, WEEKDAYS, parse_clock
from boundaries.ui.settings_fields import SettingsPage
from boundaries.ui.settings_widgets import (
    DayToggles,
    ErrorLabel,
    Target,
    reformat_time,
    show_time,
    time_field,
)


class _BlockRow:
    """One focus block: days, start, end, remove; its problems show on the line below."""

    def __init__(
        self, parent: QWidget, block: FocusBlock, on_change: Callable[..., None], time_format: str
    ) -> None:
        self.days = DayToggles(block.days, "Focus block days", parent)
        self.start = time_field("", "Focus block start", parent)
        self.end = time_field("", "Focus block end", parent)
        show_time(self.start, block.start, time_format)
        show_time(self.end, block.end, time_format)
        self._format = time_format
        self.remove = QPushButton("Remove", parent)
        self.remove.setAutoDefault(False)
        self.remove.setToolTip("Remove this focus block")
        self.error = ErrorLabel(parent)
        self.overnight = QLabel(parent)  # "Runs overnight, to 13:00 the next day"
        self.overnight.setEnabled(False)  # a quiet hint, in the theme's muted colour
        self.kept_zone = block.zone  # a block in another zone has no field here yet
        self.days.changed.connect(on_change)
        self.start.textChanged.connect(on_change)
        self.end.textChanged.connect(on_change)
        self.start.textChanged.connect(self._show_overnight)
        self.end.textChanged.connect(self._show_overnight)
        self._show_overnight()

    def show_time_format(self, time_format: str) -> None:
        self._format = time_format
        for edit in (self.start, self.end):
            reformat_time(edit, time_format)
            edit.setPlaceholderText("H:MM AM" if time_format == "12h" else "HH:MM")
        self._show_overnight()

    def _show_overnight(self, *_args: object) -> None:
        self.overnight.setText(overnight_hint(self.start.text(), self.end.text(), self._format))

    def widgets(self) -> list[QWidget]:
        return [self.days, self.start, self.end, self.remove, self.overnight, self.error]

    def focus_widgets(self) -> list[QWidget]:
        return [*self.days.focus_widgets(), self.start, self.end, self.remove]

    def to_dict(self) -> dict[str, Any]:
        entry = {"days": list(self.days.days()), "start": self.start.text(), "end": self.end.text()}
        if self.kept_zone:
            entry["zone"] = self.kept_zone
        return entry


class SchedulePage(SettingsPage):
    """Workdays, workday start, sign-off (per day), heads-up and escalation, focus blocks.

    Start, sign-off and the nudges are generic fields; the weekday grid (workdays with their
    own sign-off times) and the focus-block table are made here.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_workday())
        layout.addWidget(self._build_blocks())
        layout.addStretch(1)

    # ----------------------------------------------------------------- building

    def _build_workday(self) -> QGroupBox:
        box = QGroupBox("Workday and sign-off", self)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(12)

        start, signoff = self.field("workday.start", box), self.field("workday.signoff", box)
        self.start, self.signoff = _line_edit(start.widget), _line_edit(signoff.widget)
        self.start_error, self.signoff_error = start.error, signoff.error
        times = QHBoxLayout()
        times.setSpacing(6)
        for field in (start, signoff):
            assert field.label is not None
            times.addWidget(field.label)
            times.addWidget(field.widget)
            times.addSpacing(16)
        times.addStretch(1)
        grid.addLayout(times, 0, 0, 1, 8)
        grid.addWidget(self.start_error, 1, 0, 1, 8)
        grid.addWidget(self.signoff_error, 2, 0, 1, 8)

        grid.addWidget(QLabel("Workday", box), 4, 0)
        override_label = QLabel("Sign-off", box)
        override_label.setToolTip("Leave empty to use the usual sign-off time")
        grid.addWidget(override_label, 5, 0)
        self.workdays: dict[str, QCheckBox] = {}
        self.overrides: dict[str, QLineEdit] = {}
        for column, day in enumerate(WEEKDAYS, start=1):
            name = WEEKDAY_NAMES[day]
            grid.addWidget(QLabel(name[:3], box), 3, column, Qt.AlignmentFlag.AlignHCenter)
            check = QCheckBox(box)
            check.setAccessibleName(f"{name} is a workday")
            check.setToolTip(f"{name} is a workday")
            grid.addWidget(check, 4, column, Qt.AlignmentFlag.AlignHCenter)
            override = time_field("", f"Sign-off on {name}", box)
            override.setToolTip(f"Sign-off on {name}; empty = the usual time")
            grid.addWidget(override, 5, column)
            override.setEnabled(False)  # a sign-off only on a workday; the text is kept
            check.toggled.connect(override.setEnabled)
            check.toggled.connect(self._changed)
            override.textChanged.connect(self._changed)
            self.workdays[day], self.overrides[day] = check, override
        self.override_error = ErrorLabel(box)
        grid.addWidget(self.override_error, 6, 0, 1, 8)

        heads_up = self.field("workday.heads_up_minutes", box)
        escalate = self.field("workday.escalate_after_minutes", box)
        assert isinstance(heads_up.widget, QSpinBox)
        self.heads_up, self.escalate = heads_up.widget, _line_edit(escalate.widget)
        self.heads_up.setAccessibleName("Heads-up before sign-off, minutes")
        self.escalate.setAccessibleName("Remind again after sign-off, minutes")
        self.escalate_error = escalate.error
        heads_up.share_error_line(escalate)
        nudges = QHBoxLayout()
        nudges.setSpacing(6)
        for field, stretch in ((heads_up, 0), (escalate, 1)):
            assert field.label is not None
            nudges.addWidget(field.label)
            nudges.addWidget(field.widget, stretch)
            nudges.addSpacing(16 if stretch == 0 else 0)
        grid.addLayout(nudges, 7, 0, 1, 8)
        grid.addWidget(self.escalate_error, 8, 0, 1, 8)
        grid.setColumnStretch(8, 1)
        self.signoff.textChanged.connect(self._show_default_signoff)
        return box

    def _build_blocks(self) -> QGroupBox:
        box = QGroupBox("Focus blocks", self)
        outer = QVBoxLayout(box)
        self.blocks_hint = QLabel(box)
        self.blocks_hint.setWordWrap(True)
        outer.addWidget(self.blocks_hint)
        self._blocks_grid = QGridLayout()
        self._blocks_grid.setHorizontalSpacing(12)
        outer.addLayout(self._blocks_grid)
        self.no_blocks = QLabel("No focus blocks. Add one to protect time for deep work.", box)
        outer.addWidget(self.no_blocks)
        self.add_block = QPushButton("Add &focus block", box)
        self.add_block.setAutoDefault(False)
        self.add_block.clicked.connect(self._on_add_block)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_block)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self._block_headers = [QLabel(text, box) for text in ("Days", "Start", "End")]
        self.block_rows: list[_BlockRow] = []
        return box

    # ----------------------------------------------------------------- rows

    def _on_add_block(self) -> None:
        row = self._append_block(FocusBlock())
        self._relayout_blocks()
        row.start.setFocus(Qt.FocusReason.OtherFocusReason)
        row.start.selectAll()
        self.changed.emit()

    def _append_block(self, block: FocusBlock) -> _BlockRow:
        row = _BlockRow(self, block, self._changed, self.time_format)
        row.remove.clicked.connect(lambda: self._remove_block(row))
        self.block_rows.append(row)
        return row

    def _remove_block(self, row: _BlockRow) -> None:
        index = self.block_rows.index(row)
        self.block_rows.remove(row)
        for widget in row.widgets():
            widget.deleteLater()
        self._relayout_blocks()
        if self.block_rows:
            self.block_rows[min(index, len(self.block_rows) - 1)].remove.setFocus()
        else:
            self.add_block.setFocus()
        self.changed.emit()

    def _relayout_blocks(self) -> None:
        grid = self._blocks_grid
        while grid.count():
            grid.takeAt(0)
        for column, header in enumerate(self._block_headers):
            grid.addWidget(header, 0, column)
            header.setVisible(bool(self.block_rows))
        for i, row in enumerate(self.block_rows):
            cells = (row.days, row.start, row.end, row.remove, row.overnight)
            for column, widget in enumerate(cells):
                grid.addWidget(widget, 1 + 2 * i, column)
                widget.show()  # now, not queued, so a new row can take focus at once
            grid.addWidget(row.error, 2 + 2 * i, 0, 1, 5)
        grid.setColumnStretch(4, 1)
        self.no_blocks.setVisible(not self.block_rows)
        chain: list[QWidget] = [self.escalate]
        for row in self.block_rows:
            chain.extend(row.focus_widgets())
        chain.append(self.add_block)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # ----------------------------------------------------------------- values

    def _show_default_signoff(self, text: str) -> None:
        for edit in self.overrides.values():
            edit.setPlaceholderText(text.strip())

    def _changed(self, *_args: object) -> None:
        self.changed.emit()

    def show_focus_effects(self, data: Mapping[str, Any]) -> None:
        """Say what a focus block does with the settings as they stand (Slack only when on)."""
        self.blocks_hint.setText(focus_effects(data))

    def load(self, settings: Settings, data: Mapping[str, Any]) -> None:
        super().load(settings, data)
        self.show_focus_effects(data)
        w = settings.workday
        for day in WEEKDAYS:
            self.workdays[day].setChecked(day in w.days)
            at = w.signoff_by_day.get(day)
            text = "" if at is None else format_time(at, self.time_format)
            self.overrides[day].setText(text)  # the placeholder is the usual sign-off
        for row in self.block_rows:
            for widget in row.widgets():
                widget.deleteLater()
        self.block_rows = []
        for block in settings.focus.blocks:
            self._append_block(block)
        self._relayout_blocks()

    def show_time_format(self, time_format: str) -> None:
        super().show_time_format(time_format)
        for edit in self.overrides.values():
            reformat_time(edit, time_format)  # the placeholder follows the usual sign-off
        for row in self.block_rows:
            row.show_time_format(time_format)

    def fill(self, data: dict[str, Any]) -> None:
        """Write this page's values into the TOML-shaped ``data``."""
        super().fill(data)
        workday = data["workday"]
        workday["days"] = [day for day in WEEKDAYS if self.workdays[day].isChecked()]
        workday["signoff_by_day"] = {
            day: edit.text() for day, edit in self.overrides.items() if edit.text().strip()
        }
        data["focus"]["blocks"] = [row.to_dict() for row in self.block_rows]

    def targets(self) -> dict[str, Target]:
        found = super().targets()
        found.update(
            {
                "workday.start": self.fields["workday.start"].target("Workday start: "),
                "workday.signoff": self.fields["workday.signoff"].target("Sign-off: "),
                "workday.days": Target(self.override_error, None, "Workdays: "),
                "workday.escalate_after_minutes": self.fields[
                    "workday.escalate_after_minutes"
                ].target("Remind again: "),
                "workday.signoff_by_day": Target(self.override_error),
                "workday.heads_up_minutes": Target(
                    self.escalate_error, self.heads_up, "Heads-up: "
                ),
            }
        )
        for day, edit in self.overrides.items():
            found[f"workday.signoff_by_day.{day}"] = Target(
                self.override_error, edit, f"{WEEKDAY_NAMES[day]}: "
            )
        for i, row in enumerate(self.block_rows):
            path = f"focus.blocks[{i}]"
            found[path] = Target(row.error)
            found[f"{path}.days"] = Target(row.error, row.days, "Days: ")
            found[f"{path}.start"] = Target(row.error, row.start, "Start: ")
            found[f"{path}.end"] = Target(row.error, row.end, "End: ")
        return found


def focus_effects(data: Mapping[str, Any]) -> str:
    """What happens during a focus block, from the TOML-shaped settings: never a word about
    Slack while Slack is off."""
    focus = data["focus"]
    text = "Time kept for deep work: the tray shows you focusing until the block ends."
    if data["slack"]["enabled"]:
        text += " Your Slack status says so"
        text += " and Slack notifications pause." if focus["pause_notifications"] else "."
    if focus["silence_desktop"]:
        text += " The desktop's notifications are silenced."
    return text


def overnight_hint(start: str, end: str, time_format: str = "24h") -> str:
    """ "runs overnight" beside a block whose end is before its start (a hint, not an error)."""
    try:
        begins, ends = parse_clock(start), parse_clock(end)
    except ValueError:
        return ""  # the error line says what is wrong
    if ends >= begins:
        return ""
    return f"Runs overnight, to {format_time(ends, time_format)} the next day"


def _line_edit(widget: QWidget) -> QLineEdit:
    assert isinstance(widget, QLineEdit)
    return widget
