""" "Copy a time for the team": type a time, see it in everyone's zone, Enter copies the line.

Every keystroke re-reads the text against the clock (no timer): the team line, then one row per
teammate with their local time and whether it falls inside their working hours, so the user can
see "that's 23:00 for Kai" before pasting it into a channel.

Enter (or Copy) copies and says "Copied" in place; the dialog stays open for another time, and
Escape closes it. The dialog always fits its content: wide enough for the team line on one
line (up to most of the screen), and as tall as the rows and the hint need, so it grows for a
long error and shrinks back once the input is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.convert import EXAMPLE, TimeQueryError, parse_time_query, render_team_line
from boundaries.core.settings import Settings
from boundaries.core.team import Availability, availability, sorted_by_offset, teammate_local_time
from boundaries.core.team_view import STATUS_MARK, spoken_zone
from boundaries.core.timefmt import format_day_time
from boundaries.ui.ports import ZoneSource
from boundaries.ui.settings_widgets import error_color

HINT = f"Type a time; {EXAMPLE}."
READY = "Enter copies this line."
COPIED = "Copied to the clipboard. Type another time, or Esc to close."
MIN_CHARS = 72  # the dialog's narrowest width, in average characters
SCREEN_SHARE = 0.8  # wider than this share of the screen, long lines wrap instead


def fit(status: Availability) -> str:
    """How a time suits a teammate, in words."""
    if status is Availability.WORKING:
        return "in their working hours"
    return f"outside their hours ({status.value})"


class CopyTimeDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        clock: Callable[[], datetime],
        zone: ZoneSource,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Copy a time for the team")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._settings = settings
        self._clock = clock
        self._tz = zone()
        self._line = ""

        where = spoken_zone(self._tz.key or "", clock())
        prompt = QLabel(f"&When? Read in {where} unless you name a teammate or a zone:")
        self.input = QLineEdit()
        self.input.setPlaceholderText("Fri 17:00")
        self.input.setClearButtonEnabled(True)
        prompt.setBuddy(self.input)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = QFont(self.preview.font())
        bold.setBold(True)
        self.preview.setFont(bold)
        self.hint = QLabel(HINT)
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.rows = [QLabel() for _ in settings.team]
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():  # Enter belongs to the text field, never to "Close"
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.input)
        layout.addWidget(self.preview)
        layout.addWidget(self.hint)
        for row in self.rows:
            row.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(row)
        layout.addWidget(buttons)
        # Fit the content (see the module docstring); the labels wrap at the width the input
        # sets, so none of them widens the dialog by itself.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        for label in (prompt, self.preview, self.hint, *self.rows):
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._content_width = self.fontMetrics().averageCharWidth() * MIN_CHARS
        self.input.setMinimumWidth(self._content_width)

        self.input.textChanged.connect(self._update)
        self.input.returnPressed.connect(self.copy)
        self._update("")

    @property
    def line(self) -> str:
        """The team line for the current input, or "" when it does not parse."""
        return self._line

    def _show_problem(self, text: str) -> None:
        self.hint.setStyleSheet(f"color: {error_color(self)};" if text else "")
        self.hint.setText(text or HINT)

    def _update(self, text: str) -> None:
        settings = self._settings
        fmt = settings.general.time_format
        self._line = ""
        self._reset_copy_button()
        self.preview.clear()
        self.preview.setVisible(False)
        self.copy_button.setEnabled(False)
        for row in self.rows:
            row.setVisible(False)
        if not text.strip():
            self._show_problem("")
            return
        now = self._clock().astimezone(self._tz)
        try:
            instant = parse_time_query(text, now, self._tz, settings.team)
        except TimeQueryError as error:
            self._show_problem(str(error))
            return
        self._line = render_team_line(instant, self._tz, settings.team, fmt)
        self.preview.setText(self._line)
        self.preview.setVisible(True)
        self.copy_button.setEnabled(True)
        self._show_problem("")
        self.hint.setText(READY)
        mine = instant.astimezone(self._tz)
        for row, mate in zip(self.rows, sorted_by_offset(settings.team, instant), strict=True):
            status = availability(mate, instant)
            local = format_day_time(teammate_local_time(mate, instant), fmt, ref=mine)
            where = spoken_zone(mate.timezone, instant)
            row.setText(f"{STATUS_MARK[status]} {mate.name}: {local} {where} — {fit(status)}")
            row.setVisible(True)
        self._widen_for([(self.preview, self._line), *((row, row.text()) for row in self.rows)])

    def _widen_for(self, texts: list[tuple[QLabel, str]]) -> None:
        """Widen (never narrow, so typing does not make it jump) to fit ``texts`` unwrapped."""
        screen = self.screen().availableGeometry().width() if self.screen() else 1600
        needed = max(QFontMetrics(label.font()).horizontalAdvance(text) for label, text in texts)
        needed = min(needed + 2, int(screen * SCREEN_SHARE))
        if needed > self._content_width:
            self._content_width = needed
            self.input.setMinimumWidth(needed)

    def row_texts(self) -> list[str]:
        """The visible per-teammate rows, top to bottom."""
        return [row.text() for row in self.rows if not row.isHidden()]

    def copy(self) -> None:
        """Put the line on the clipboard and say so; does nothing while the input is invalid."""
        if not self._line:
            return
        QGuiApplication.clipboard().setText(self._line)
        self.hint.setText(COPIED)
        self.copy_button.setText("Copied ✓")

    def _reset_copy_button(self) -> None:
        self.copy_button.setText("&Copy")
