""""Copy a time for the team": type a time, see it in everyone's zone, Enter copies the line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from boundaries.core.convert import TimeQueryError, parse_time_query, render_team_line
from boundaries.core.settings import Settings
from boundaries.core.team import availability, sorted_by_offset, teammate_local_time
from boundaries.core.timefmt import format_day_time
from boundaries.integrations.system_zone import user_zone

EXAMPLE = 'Try "Fri 17:00", "tomorrow 9am Ana" or "10:00 America/New_York".'


class CopyTimeDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        clock: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Copy a time for the team")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._settings = settings
        self._clock = clock
        self._line = ""
        self.input = QLineEdit()
        self.input.setPlaceholderText("Fri 17:00")
        self.input.textChanged.connect(self._update)
        self.input.returnPressed.connect(self.copy_and_close)
        self.preview = QLabel(EXAMPLE)
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel("")
        self.details.setWordWrap(True)
        prompt = QLabel("&When? (your zone unless you name a zone or a teammate)")
        prompt.setBuddy(self.input)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.input)
        layout.addWidget(self.preview)
        layout.addWidget(self.details)
        self.setMinimumWidth(460)

    @property
    def line(self) -> str:
        """The team line for the current input, or "" when it does not parse."""
        return self._line

    def _update(self, text: str) -> None:
        settings = self._settings
        tz = user_zone(settings.general.timezone)
        fmt = settings.general.time_format
        self._line = ""
        self.details.setText("")
        if not text.strip():
            self.preview.setText(EXAMPLE)
            return
        now = self._clock().astimezone(tz)
        try:
            instant = parse_time_query(text, now, tz, settings.team)
        except TimeQueryError as error:
            self.preview.setText(f"<span style='color:#b00020'>{_escape(str(error))}</span>")
            return
        self._line = render_team_line(instant, tz, settings.team, fmt)
        self.preview.setText(f"<b>{_escape(self._line)}</b><br>Enter copies this line.")
        rows = []
        for mate in sorted_by_offset(settings.team, instant):
            local = teammate_local_time(mate, instant)
            rows.append(
                f"{mate.name}: {format_day_time(local, fmt)} ({availability(mate, instant).value})"
            )
        self.details.setText("\n".join(rows))

    def copy_and_close(self) -> None:
        if not self._line:
            return
        QGuiApplication.clipboard().setText(self._line)
        self.accept()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
