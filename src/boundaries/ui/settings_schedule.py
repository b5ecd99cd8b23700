"""The Schedule tab: workdays, sign-off times (with per-day overrides), nudges, focus blocks."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
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

from boundaries.core.settings import FocusBlock, Settings, SettingsProblem
from boundaries.core.timeparse import WEEKDAY_NAMES, WEEKDAYS, format_hhmm
from boundaries.ui.settings_widgets import DayToggles, ErrorLabel, Target, time_field


def parse_minutes_list(text: str) -> list[Any]:
    """ "30, 60" -> [30, 60]; a word that is not a number is passed on for the validator to name."""
    items: list[Any] = []
    for token in text.replace(",", " ").split():
        try:
            items.append(int(token))
        except ValueError:
            items.append(token)
    return items


class _BlockRow:
    """One focus block: days, start, end, remove; its problems show on the line below."""

    def __init__(self, parent: QWidget, block: FocusBlock, on_change: Callable[..., None]) -> None:
        self.days = DayToggles(block.days, "Focus block days", parent)
        self.start = time_field(format_hhmm(block.start), "Focus block start", parent)
        self.end = time_field(format_hhmm(block.end), "Focus block end", parent)
        self.remove = QPushButton("Remove", parent)
        self.remove.setAutoDefault(False)
        self.remove.setToolTip("Remove this focus block")
        self.error = ErrorLabel(parent)
        self.days.changed.connect(on_change)
        self.start.textChanged.connect(on_change)
        self.end.textChanged.connect(on_change)

    def widgets(self) -> list[QWidget]:
        return [self.days, self.start, self.end, self.remove, self.error]

    def focus_widgets(self) -> list[QWidget]:
        return [*self.days.focus_widgets(), self.start, self.end, self.remove]

    def to_dict(self) -> dict[str, Any]:
        return {"days": list(self.days.days()), "start": self.start.text(), "end": self.end.text()}


class SchedulePage(QWidget):
    """Workdays, workday start, sign-off (per day), heads-up and escalation, focus blocks."""

    changed = Signal()

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

        self.start = time_field("", "Workday starts", box)
        self.signoff = time_field("", "Sign off at", box)
        self.start_error, self.signoff_error = ErrorLabel(box), ErrorLabel(box)
        start_label = QLabel("Workday &starts at", box)
        start_label.setBuddy(self.start)
        signoff_label = QLabel("Sign &off at", box)
        signoff_label.setBuddy(self.signoff)
        times = QHBoxLayout()
        times.setSpacing(6)
        times.addWidget(start_label)
        times.addWidget(self.start)
        times.addSpacing(16)
        times.addWidget(signoff_label)
        times.addWidget(self.signoff)
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
            check.toggled.connect(self._changed)
            override.textChanged.connect(self._changed)
            self.workdays[day], self.overrides[day] = check, override
        self.override_error = ErrorLabel(box)
        grid.addWidget(self.override_error, 6, 0, 1, 8)

        self.heads_up = QSpinBox(box)
        self.heads_up.setRange(0, 24 * 60)
        self.heads_up.setSuffix(" min")
        self.heads_up.setAccessibleName("Heads-up before sign-off, minutes")
        self.escalate = QLineEdit(box)
        self.escalate.setPlaceholderText("e.g. 30, 60")
        self.escalate.setAccessibleName("Remind again after sign-off, minutes")
        self.escalate.setToolTip("Minutes after sign-off to remind you again, e.g. 30, 60")
        self.escalate_error = ErrorLabel(box)
        heads_up_label = QLabel("&Heads-up before sign-off", box)
        heads_up_label.setBuddy(self.heads_up)
        escalate_label = QLabel("&Remind again after (min)", box)
        escalate_label.setBuddy(self.escalate)
        nudges = QHBoxLayout()
        nudges.setSpacing(6)
        nudges.addWidget(heads_up_label)
        nudges.addWidget(self.heads_up)
        nudges.addSpacing(16)
        nudges.addWidget(escalate_label)
        nudges.addWidget(self.escalate, 1)
        grid.addLayout(nudges, 7, 0, 1, 8)
        grid.addWidget(self.escalate_error, 8, 0, 1, 8)
        grid.setColumnStretch(8, 1)

        for edit in (self.start, self.signoff, self.escalate):
            edit.textChanged.connect(self._changed)
        self.signoff.textChanged.connect(self._show_default_signoff)
        self.heads_up.valueChanged.connect(self._changed)
        return box

    def _build_blocks(self) -> QGroupBox:
        box = QGroupBox("Focus blocks", self)
        outer = QVBoxLayout(box)
        hint = QLabel("Notifications pause and your Slack status says so during these times.", box)
        hint.setWordWrap(True)
        outer.addWidget(hint)
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
        row = _BlockRow(self, block, self._changed)
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
            for column, widget in enumerate((row.days, row.start, row.end, row.remove)):
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

    def load(self, settings: Settings) -> None:
        w = settings.workday
        self.start.setText(format_hhmm(w.start))
        self.signoff.setText(format_hhmm(w.signoff))
        for day in WEEKDAYS:
            self.workdays[day].setChecked(day in w.days)
            at = w.signoff_by_day.get(day)
            self.overrides[day].setText(format_hhmm(at) if at is not None else "")
        self.heads_up.setValue(w.heads_up_minutes)
        self.escalate.setText(", ".join(str(m) for m in w.escalate_after_minutes))
        for row in self.block_rows:
            for widget in row.widgets():
                widget.deleteLater()
        self.block_rows = []
        for block in settings.focus.blocks:
            self._append_block(block)
        self._relayout_blocks()

    def fill(self, data: dict[str, Any], problems: list[SettingsProblem]) -> None:
        """Write this page's values into the TOML-shaped ``data``."""
        data["workday"] = {
            "days": [day for day in WEEKDAYS if self.workdays[day].isChecked()],
            "start": self.start.text(),
            "signoff": self.signoff.text(),
            "signoff_by_day": {
                day: edit.text() for day, edit in self.overrides.items() if edit.text().strip()
            },
            "heads_up_minutes": self.heads_up.value(),
            "escalate_after_minutes": parse_minutes_list(self.escalate.text()),
        }
        data["focus"]["blocks"] = [row.to_dict() for row in self.block_rows]

    def targets(self) -> dict[str, Target]:
        found = {
            "workday.start": Target(self.start_error, self.start, "Workday start: "),
            "workday.signoff": Target(self.signoff_error, self.signoff, "Sign-off: "),
            "workday.days": Target(self.override_error),
            "workday.signoff_by_day": Target(self.override_error),
            "workday.heads_up_minutes": Target(self.escalate_error, self.heads_up, "Heads-up: "),
            "workday.escalate_after_minutes": Target(self.escalate_error, self.escalate),
        }
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
