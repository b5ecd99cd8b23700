"""Small building blocks the Settings tab pages share: error labels, time fields, day toggles.

Each page tells the dialog which widget shows the problems of which settings path
(:class:`Target`); the dialog runs the core validation and routes each reason to its label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from boundaries.core.timefmt import format_time
from boundaries.core.timeparse import WEEKDAY_NAMES, WEEKDAYS, parse_clock


def error_color(widget: QWidget) -> str:
    """A red that stays readable on both light and dark themes."""
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return "#ff8a80" if dark else "#c62828"


class ErrorLabel(QLabel):
    """The reason a field is invalid, in red under or beside it; hidden while there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(f"color: {error_color(self)};")
        self.setAccessibleName("Problem")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def set_reasons(self, reasons: Iterable[str]) -> None:
        text = "\n".join(reasons)
        if text == self.text():
            return  # most keystrokes change nothing here; skip the relayout
        self.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(bool(text))


@dataclass(frozen=True)
class Target:
    """Where a settings path's problems go: a label, the field to mark, a prefix ("End: ").

    ``waiting``: the user has not reached this field yet (a new row): its problems keep OK
    disabled but are not shown until they do.
    """

    label: ErrorLabel
    widget: QWidget | None = None
    prefix: str = ""
    waiting: bool = False


def mark_invalid(widget: QWidget, reason: str | None) -> None:
    """Put the reason in a field's accessible description and outline a text field in red."""
    description = reason or ""
    if widget.accessibleDescription() != description:
        widget.setAccessibleDescription(description)
    if not isinstance(widget, QLineEdit | QAbstractSpinBox):
        return  # composite widgets keep their own style sheet
    style = f"border: 1px solid {error_color(widget)};" if reason is not None else ""
    if widget.styleSheet() != style:
        widget.setStyleSheet(style)


def time_field(text: str, name: str, parent: QWidget | None = None) -> QLineEdit:
    """A free-text time field, wide enough for "12:30 PM" at any scale, that accepts anything.

    Free text (not QTimeEdit) so a typo shows the validator's reason instead of being swallowed;
    "17:30", "5:30 PM" and "5pm" all read (``parse_clock``), whichever format the user shows.
    """
    edit = QLineEdit(text, parent)
    edit.setPlaceholderText("HH:MM")
    edit.setAccessibleName(name)
    edit.setToolTip(f"{name} (e.g. 17:30 or 5:30 PM)")
    edit.setMaxLength(10)
    metrics = edit.fontMetrics()
    width = metrics.horizontalAdvance("12:30 PM") + 2 * metrics.height()  # text, frame, margins
    edit.setMinimumWidth(width)
    edit.setMaximumWidth(int(width * 1.3))
    return edit


def show_time(edit: QLineEdit, value: time | None, time_format: str) -> None:
    """Show a wall time the way the user reads times (General → Show times as)."""
    edit.setText("" if value is None else format_time(value, time_format))
    edit.setPlaceholderText("H:MM AM" if time_format == "12h" else "HH:MM")


def reformat_text(edit: QLineEdit, reformat: Callable[[str], str]) -> None:
    """Rewrite a field's text in another format; text that does not read stays as typed."""
    try:
        text = reformat(edit.text())
    except ValueError:
        return  # empty, or a typo the error line explains: the user's own text
    if text != edit.text():
        edit.setText(text)


def reformat_time(edit: QLineEdit, time_format: str) -> None:
    """Show the time already in a field in ``time_format`` (Show times as changed)."""
    reformat_text(edit, lambda text: format_time(parse_clock(text), time_format))


class DayToggles(QWidget):
    """Seven toggle buttons, Mo..Su, for the weekdays a block or workday applies to."""

    changed = Signal()

    def __init__(self, days: Iterable[str] = (), name: str = "Days", parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.setStyleSheet(
            "QToolButton { border: 1px solid palette(mid); border-radius: 3px;"
            " padding: 2px 5px; background: palette(button); }"
            " QToolButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text); border-color: palette(highlight); }"
            " QToolButton:focus { border: 2px solid palette(highlight); }"
        )
        self.buttons: dict[str, QToolButton] = {}
        for day in WEEKDAYS:
            button = QToolButton(self)
            button.setText(WEEKDAY_NAMES[day][:2])
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setToolTip(WEEKDAY_NAMES[day])
            button.setAccessibleName(f"{name}: {WEEKDAY_NAMES[day]}")
            button.toggled.connect(lambda _on: self.changed.emit())
            layout.addWidget(button)
            self.buttons[day] = button
        self.set_days(days)

    def days(self) -> tuple[str, ...]:
        return tuple(day for day in WEEKDAYS if self.buttons[day].isChecked())

    def set_days(self, days: Iterable[str]) -> None:
        wanted = set(days)
        for day, button in self.buttons.items():
            button.setChecked(day in wanted)

    def focus_widgets(self) -> list[QWidget]:
        return list(self.buttons.values())


AGREEMENT_ME_HINT = "your name in it, or your Slack member ID"


def agreement_file_row(edit: QLineEdit, parent: QWidget) -> tuple[QHBoxLayout, QPushButton]:
    """The team agreement file's field beside "Use a team agreement file…", which fills it
    from a file dialog: the same row in the first-run window and on the Team tab."""
    edit.setPlaceholderText("none")
    button = QPushButton("Use a team agreement &file…", parent)
    button.setAutoDefault(False)

    def choose() -> None:
        path, _ = QFileDialog.getOpenFileName(
            parent, "Use a team agreement file", "", "Team agreement (*.toml)"
        )
        if path:
            edit.setText(path)

    button.clicked.connect(choose)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row, button
