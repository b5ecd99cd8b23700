"""The "Plan a meeting…" window: a recurring meeting that shares the inconvenience fairly.

The user picks attendees, length, how many occurrences and on which days; planning (the exact
min-max search of :mod:`boundaries.core.meeting`) runs on a worker. The answer shows as a grid
of the candidate starts of one occurrence's week shaded by cost, the proposed rotation with
whose turn each one is, and everyone's burden, plan vs. the best fixed slot. Copy as text gives
what ``boundaries meeting plan`` prints; Export .ics writes one event per occurrence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.meeting import PERIODS, Attendee, Request, TooLarge, occurrence_days
from boundaries.core.meeting_view import plan_text
from boundaries.core.meetings import Planned, plan_meeting, worst_rate
from boundaries.core.schedule import wall_to_instant
from boundaries.core.timefmt import format_day, format_time, zone_city
from boundaries.core.timeparse import WEEKDAYS
from boundaries.ui.ports import Workers, error_text

# Cost per minute for the attendee a start costs most, in four bands with their colours and
# legend text. Hues far apart (and light to dark) so the bands read apart without colour, too.
BANDS: tuple[tuple[float, QColor, str], ...] = (
    (0.0, QColor("#2e7d32"), "in everyone's hours"),
    (1.0, QColor("#c0ca33"), "within 2 h of someone's hours"),
    (3.0, QColor("#fb8c00"), "outside someone's hours"),
    (5.0, QColor("#6a1b9a"), "someone's night (22–07)"),
)
PROPOSED_COLOR = QColor("#000000")
PAD = 6
CELL_HEIGHT = 22
PX_PER_HOUR = 32  # preferred: 8 px for a 15-minute start
MAX_OCCURRENCES = 52
MAX_DURATION = 8 * 60
STEPS = (15, 30, 60)
TITLE = "Plan a meeting"
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def band_of(rate: float) -> int:
    """Which band a cost per minute falls in (0 = everyone in hours … 3 = someone's night)."""
    for index, (limit, _color, _label) in enumerate(BANDS):
        if rate <= limit:
            return index
    return len(BANDS) - 1


class SlotGrid(QWidget):
    """One occurrence's week: a row per allowed day, a cell per candidate start (organiser's
    wall time), shaded by its band; the proposed start outlined, the fixed slot dashed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._planned: Planned | None = None
        self._index = 0
        self._time_format = "24h"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Candidate starts")

    def set_plan(self, planned: Planned | None, index: int, time_format: str) -> None:
        self._planned, self._index, self._time_format = planned, index, time_format
        self.updateGeometry()
        self.update()

    # ------------------------------------------------------------------ geometry
    def days(self) -> list[date]:
        if self._planned is None:
            return []
        return occurrence_days(self._planned.request, self._index)

    def walls(self) -> list[time]:
        if self._planned is None:
            return []
        step = self._planned.request.step_minutes
        return [time(m // 60, m % 60) for m in range(0, 24 * 60, step)]

    def label_width(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(format_day(d)) for d in self.days()), default=0)
        return widest + 2 * PAD

    def header_height(self) -> int:
        return self.fontMetrics().height() + 4

    def cell_rect(self, row: int, column: int) -> QRectF:
        columns = max(1, len(self.walls()))
        left = self.label_width()
        width = (self.width() - left - PAD) / columns
        return QRectF(
            left + column * width, self.header_height() + row * CELL_HEIGHT, width, CELL_HEIGHT
        )

    def sizeHint(self) -> QSize:
        width = self.label_width() + 24 * PX_PER_HOUR + PAD
        return QSize(width, self.header_height() + max(1, len(self.days())) * CELL_HEIGHT + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.label_width() + 24 * 16 + PAD, self.sizeHint().height())

    def band_at(self, row: int, column: int) -> int | None:
        """The band of the start in that cell (None when it is not a candidate)."""
        planned = self._planned
        if planned is None:
            return None
        start = self._start_at(row, column)
        options = planned.per[self._index]
        key = start.timestamp()
        for moment, costs in zip(options.starts, options.costs, strict=True):
            if moment.timestamp() == key:
                return band_of(worst_rate(costs, planned.request.duration))
        return None

    def proposed_cell(self) -> tuple[int, int] | None:
        """(row, column) of this occurrence's proposed start."""
        planned = self._planned
        if planned is None:
            return None
        return self._cell_of(planned.proposal.starts[self._index])

    def fixed_cell(self) -> tuple[int, int] | None:
        planned = self._planned
        if planned is None or planned.fixed is None:
            return None
        return self._cell_of(planned.fixed.plan.starts[self._index])

    def _zone(self) -> ZoneInfo:
        assert self._planned is not None
        return ZoneInfo(self._planned.request.organiser_zone)

    def _start_at(self, row: int, column: int) -> datetime:
        return wall_to_instant(self.days()[row], self.walls()[column], self._zone())

    def _cell_of(self, start: datetime) -> tuple[int, int] | None:
        for row in range(len(self.days())):
            for column in range(len(self.walls())):
                if self._start_at(row, column).timestamp() == start.timestamp():
                    return row, column
        return None

    # ------------------------------------------------------------------ painting
    def paintEvent(self, _event: QPaintEvent) -> None:
        planned = self._planned
        if planned is None:
            return
        painter = QPainter(self)
        palette = self.palette()
        text = palette.color(palette.ColorRole.Text)
        painter.fillRect(self.rect(), palette.color(palette.ColorRole.Base))
        metrics = self.fontMetrics()
        walls = self.walls()
        per_hour = max(1, 60 // planned.request.step_minutes)
        for row, day in enumerate(self.days()):
            top = self.header_height() + row * CELL_HEIGHT
            painter.setPen(text)
            painter.drawText(
                QRectF(PAD, top, self.label_width() - PAD, CELL_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                format_day(day),
            )
            for column in range(len(walls)):
                band = self.band_at(row, column)
                if band is not None:
                    painter.fillRect(
                        self.cell_rect(row, column).adjusted(0, 1, 0, -1), BANDS[band][1]
                    )
        for column, wall in enumerate(walls):
            if column % (3 * per_hour):
                continue
            x = self.cell_rect(0, column).left()
            label = (
                format_time(wall, "24h")[:2]
                if self._time_format == "24h"
                else (f"{wall.hour % 12 or 12}{'a' if wall.hour < 12 else 'p'}")
            )
            painter.setPen(text)
            painter.drawText(int(x) + 1, metrics.ascent() + 1, label)
        cells = max(
            1, round(planned.request.duration.total_seconds() / 60 / planned.request.step_minutes)
        )
        for found, style in (
            (self.fixed_cell(), Qt.PenStyle.DashLine),
            (self.proposed_cell(), Qt.PenStyle.SolidLine),
        ):
            if found is None:
                continue
            row, column = found
            first = self.cell_rect(row, column)
            last = self.cell_rect(row, min(len(walls) - 1, column + cells - 1))
            pen = QPen(text if style is Qt.PenStyle.DashLine else PROPOSED_COLOR, 2, style)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(first.topLeft(), last.bottomRight()).adjusted(-1, -1, 1, 1))
        painter.end()


class Legend(QWidget):
    """What the grid's colours and outlines mean: a swatch and a label each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.labels: list[QLabel] = []
        for _limit, color, text in BANDS:
            layout.addWidget(_swatch(f"background: {color.name()};"))
            label = QLabel(text)
            self.labels.append(label)
            layout.addWidget(label)
            layout.addSpacing(8)
        layout.addWidget(_swatch("border: 2px solid black;"))
        proposed = QLabel("proposed")
        layout.addWidget(proposed)
        layout.addSpacing(8)
        layout.addWidget(_swatch("border: 2px dashed palette(text);"))
        fixed = QLabel("best fixed slot")
        layout.addWidget(fixed)
        self.labels += [proposed, fixed]
        layout.addStretch(1)


def _swatch(style: str) -> QLabel:
    swatch = QLabel()
    swatch.setFixedSize(14, 14)
    swatch.setStyleSheet(style)
    return swatch


class MeetingWindow(QDialog):
    """Plan a recurring meeting: choose, plan (on a worker), look, copy or export."""

    def __init__(
        self,
        people: Sequence[Attendee],
        organiser_zone: str,
        today: date,
        workers: Workers,
        write_file: Callable[[Path, bytes], None],
        clock: Callable[[], datetime],
        time_format: str = "24h",
        parent: QWidget | None = None,
    ) -> None:
        """``people`` are whom the user can invite (themselves first); ``write_file`` writes
        the .ics (blocking: it runs on a worker)."""
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._people = list(people)
        self._zone = organiser_zone
        self._workers = workers
        self._write_file = write_file
        self._clock = clock
        self._time_format = time_format
        self._asked = 0
        self.planned: Planned | None = None

        self.attendees = [QCheckBox(f"{p.name} ({zone_city(p.zone)})") for p in self._people]
        for box in self.attendees:
            box.setChecked(True)
        self.duration = QSpinBox()
        self.duration.setRange(5, MAX_DURATION)
        self.duration.setSingleStep(15)
        self.duration.setValue(30)
        self.duration.setSuffix(" min")
        self.count = QSpinBox()
        self.count.setRange(1, MAX_OCCURRENCES)
        self.count.setValue(8)
        self.every = QComboBox()
        self.every.addItem("Every week", "week")
        self.every.addItem("Every 2 weeks", "2weeks")
        self.first_week = QDateEdit(QDate(today.year, today.month, today.day))
        self.first_week.setCalendarPopup(True)
        self.first_week.setDisplayFormat("ddd d MMM yyyy")
        self.step = QComboBox()
        for minutes in STEPS:
            self.step.addItem(f"every {minutes} min", minutes)
        self.day_buttons: list[QCheckBox] = []
        for day in WEEKDAYS:
            button = QCheckBox(day.capitalize())
            button.setChecked(day in ("tue", "thu"))
            self.day_buttons.append(button)
        self.plan_button = QPushButton("&Plan")
        self.plan_button.setDefault(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.grid_title = QLabel()
        self.grid = SlotGrid()
        self.legend = Legend()
        self.rotation = QTableWidget()
        self.rotation.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rotation.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rotation.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rotation.verticalHeader().setVisible(False)
        self.burden = QTableWidget()
        self.burden.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.burden.verticalHeader().setVisible(False)
        self.copy_button = QPushButton("&Copy as text")
        self.export_button = QPushButton("&Export .ics…")
        close = QPushButton("Close")
        close.setAutoDefault(False)
        for action in (self.copy_button, self.export_button):
            action.setEnabled(False)
            action.setAutoDefault(False)

        who = QGridLayout()
        for index, box in enumerate(self.attendees):
            who.addWidget(box, index // 4, index % 4)
        days = QHBoxLayout()
        for button in self.day_buttons:
            days.addWidget(button)
        days.addStretch(1)
        shape = QHBoxLayout()
        for caption, widget in (
            ("", self.duration),
            ("  ×", self.count),
            ("", self.every),
            ("  from the week of", self.first_week),
            ("  starts", self.step),
        ):
            if caption:
                shape.addWidget(QLabel(caption))
            shape.addWidget(widget)
        shape.addStretch(1)
        form = QFormLayout()
        form.addRow("Attendees:", who)
        form.addRow("Meeting:", shape)
        form.addRow(f"Days ({zone_city(organiser_zone)} time):", days)
        run = QHBoxLayout()
        run.addWidget(self.plan_button)
        run.addWidget(self.status, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(run)
        layout.addWidget(self.grid_title)
        layout.addWidget(self.grid)
        layout.addWidget(self.legend)
        results = QHBoxLayout()
        results.addWidget(self.rotation, 3)
        results.addWidget(self.burden, 1)
        layout.addLayout(results, 1)
        self.caption = QLabel(
            "In brackets: what the occurrence costs that person, a minute in their hours 0, "
            "within 2 h of them 1, other daytime 3, night 5. Burden: the sum over the plan."
        )
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        layout.addLayout(buttons)

        self.plan_button.clicked.connect(self.plan)
        self.copy_button.clicked.connect(self.copy_text)
        self.export_button.clicked.connect(self._choose_export)
        close.clicked.connect(self.close)
        self.rotation.itemSelectionChanged.connect(self._on_row)
        self.resize(max(self.sizeHint().width(), 960), 620)

    # ------------------------------------------------------------------ planning
    def chosen_people(self) -> list[Attendee]:
        return [p for p, box in zip(self._people, self.attendees, strict=True) if box.isChecked()]

    def request(self) -> Request:
        chosen = self.first_week.date()
        days = tuple(d for d, b in zip(WEEKDAYS, self.day_buttons, strict=True) if b.isChecked())
        return Request(
            timedelta(minutes=self.duration.value()),
            self.count.value(),
            PERIODS[str(self.every.currentData())],
            date(chosen.year(), chosen.month(), chosen.day()),
            days,
            int(self.step.currentData()),
            self._zone,
        )

    def plan(self) -> None:
        """Plan what the form says, on a worker; the answer replaces the shown one."""
        people, request = self.chosen_people(), self.request()
        if len(people) < 2:
            self._show_status("Choose at least two attendees.")
            return
        if not request.days:
            self._show_status("Choose at least one day.")
            return
        self._asked += 1
        asked = self._asked
        self._show_status("Planning…")
        self.setWindowTitle(f"{TITLE} (planning…)")
        self.plan_button.setEnabled(False)
        self._workers.submit(
            lambda: plan_meeting(request, people),
            lambda planned: self._planned(asked, planned),
            lambda error: self._failed(asked, error),
            context=self,
        )

    def _planned(self, asked: int, planned: Planned | None) -> None:
        if asked != self._asked:
            return
        self.plan_button.setEnabled(True)
        self.setWindowTitle(TITLE)
        if planned is None:
            self._show_status("No candidate start: the chosen days are in no occurrence's week.")
            return
        self.planned = planned
        self._show_status("")
        self._fill_rotation(planned)
        self._fill_burden(planned)
        self.copy_button.setEnabled(True)
        self.export_button.setEnabled(True)
        self.rotation.selectRow(0)
        self._show_grid(0)

    def _failed(self, asked: int, error: BaseException) -> None:
        if asked != self._asked:
            return
        self.plan_button.setEnabled(True)
        self.setWindowTitle(TITLE)
        if isinstance(error, TooLarge):
            self._show_status(
                "Too many combinations to plan exactly: choose fewer days, attendees or "
                "occurrences, or a longer step."
            )
        else:
            self._show_status(error_text(error, "Planning failed"))

    def _show_status(self, text: str) -> None:
        self.status.setText(text)

    # ------------------------------------------------------------------ showing
    def _local(self, start: datetime, zone: str) -> str:
        local = start.astimezone(ZoneInfo(zone))
        return f"{format_day(local.date())} {format_time(local, self._time_format)}"

    def _fill_rotation(self, planned: Planned) -> None:
        people = planned.people
        headers = [f"When ({zone_city(self._zone)})", *(p.name for p in people), "Whose turn"]
        table = self.rotation
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(planned.proposal.starts))
        for row, (start, costs) in enumerate(
            zip(planned.proposal.starts, planned.proposal.costs, strict=True)
        ):
            cells = [self._local(start, self._zone)]
            for person, cost in zip(people, costs, strict=True):
                local = start.astimezone(ZoneInfo(person.zone))
                cells.append(f"{format_time(local, self._time_format)} ({cost})")
            worst = max(costs, default=0)
            turn = [p.name for p, c in zip(people, costs, strict=True) if c == worst and worst]
            cells.append(", ".join(turn) if turn else "nobody: all in hours")
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)

    def _fill_burden(self, planned: Planned) -> None:
        fixed = planned.fixed
        fixed_title = "Fixed slot"
        if fixed is not None:
            fixed_title = (
                f"Fixed ({fixed.weekday.capitalize()} {format_time(fixed.wall, self._time_format)})"
            )
        table = self.burden
        table.clear()
        table.setColumnCount(3)
        table.setHorizontalHeaderLabels(["Person", "Plan", fixed_title])
        table.setRowCount(len(planned.people))
        for row, person in enumerate(planned.people):
            versus = str(fixed.plan.burdens[row]) if fixed is not None else "–"
            for column, text in enumerate(
                (person.name, str(planned.proposal.burdens[row]), versus)
            ):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(RIGHT)
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def _on_row(self) -> None:
        rows = self.rotation.selectionModel().selectedRows()
        if rows and self.planned is not None:
            self._show_grid(rows[0].row())

    def _show_grid(self, index: int) -> None:
        planned = self.planned
        if planned is None:
            return
        days = occurrence_days(planned.request, index)
        self.grid_title.setText(
            f"Occurrence {index + 1} of {len(planned.proposal.starts)}: candidate starts in "
            f"the week of {format_day(days[0])}, {zone_city(self._zone)} time, shaded by the "
            "cost to the attendee it costs most"
        )
        self.grid.set_plan(planned, index, self._time_format)

    # ------------------------------------------------------------------ copy, export
    def text(self) -> str:
        planned = self.planned
        if planned is None:
            return ""
        return plan_text(
            planned.people, planned.proposal, planned.fixed, self._zone, self._time_format
        )

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self._show_status("Copied the plan as text.")

    def _choose_export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export the plan", str(Path.home() / "meeting.ics"), "Calendar (*.ics)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path, title: str = "Team meeting") -> None:
        """Write the plan as a calendar to ``path`` on a worker; the status line says how."""
        planned = self.planned
        if planned is None:
            return
        from boundaries.core.meeting_ics import plan_calendar

        stamp, zone = self._clock(), self._zone

        def write() -> None:
            data = plan_calendar(
                title, planned.people, planned.proposal, planned.request.duration, zone, stamp
            )
            self._write_file(path, data)

        self._workers.submit(
            write,
            lambda _none: self._show_status(
                f"Exported {len(planned.proposal.starts)} events to {path}."
            ),
            lambda error: self._show_status(error_text(error, "Export failed")),
            context=self,
        )
