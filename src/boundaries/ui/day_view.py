"""A day view for planning: who works when across the user's day, the overlap, and now.

One strip per person (the user first), 00-24 in the user's zone, measured in real time so a
23- or 25-hour clock-change day is drawn as it is. Colours come from the palette, so it reads
in light and dark themes; the maths is in :func:`boundaries.core.team_view.day_plan`, and the
mapping from instants to pixels is public here (:meth:`DayStrip.x_for`) so tests can check it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHideEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.interval import Interval
from boundaries.core.settings import Settings
from boundaries.core.team_view import DayPlan, DayRow, day_plan
from boundaries.ui.ports import MeetingTimes, ZoneSource

NOW_COLOR = QColor("#e53935")  # a red that stands out on light and dark bases alike
PAD = 8
PX_PER_HOUR = 26  # preferred width of one hour


class DayStrip(QWidget):
    """Draws a :class:`DayPlan`; ``now`` (or None) places the now line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plan: DayPlan | None = None
        self._now: datetime | None = None
        self._time_format = "24h"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Team day")

    def set_plan(self, plan: DayPlan, now: datetime | None, time_format: str) -> None:
        self._plan, self._now, self._time_format = plan, now, time_format
        self.setAccessibleDescription(plan.summary)
        self.updateGeometry()
        self.update()

    @property
    def plan(self) -> DayPlan | None:
        return self._plan

    # ------------------------------------------------------------------ geometry
    def row_height(self) -> int:
        return self.fontMetrics().height() * 2 + 8

    def header_height(self) -> int:
        return self.fontMetrics().height() + 6

    def label_width(self) -> int:
        if self._plan is None:
            return 0
        bold, small = QFontMetrics(self._bold_font()), QFontMetrics(self._small_font())
        widest = max(
            max(bold.horizontalAdvance(row.name), small.horizontalAdvance(row.where))
            for row in self._plan.rows
        )
        return widest + 2 * PAD

    def timeline_rect(self) -> QRectF:
        """Where 00:00-24:00 is drawn: right of the names, below the hour labels."""
        left = self.label_width()
        top = self.header_height()
        rows = len(self._plan.rows) if self._plan else 0
        return QRectF(left, top, max(1, self.width() - left - PAD), rows * self.row_height())

    def x_for(self, instant: datetime) -> float:
        """The x coordinate of ``instant`` on the timeline (clamped to the day)."""
        if self._plan is None:
            return 0.0
        area = self.timeline_rect()
        fraction = min(1.0, max(0.0, self._plan.fraction(instant)))
        return area.left() + fraction * area.width()

    def span_x(self, interval: Interval) -> tuple[float, float]:
        return self.x_for(interval.start), self.x_for(interval.end)

    def overlap_spans(self) -> list[tuple[float, float]]:
        """The x-ranges of the highlighted overlap windows."""
        return [self.span_x(window) for window in self._plan.overlap] if self._plan else []

    def best_spans(self) -> list[tuple[float, float]]:
        """The x-ranges of the best partial window, outlined when there is no overlap."""
        return [self.span_x(window) for window in self._plan.best] if self._plan else []

    def now_x(self) -> float | None:
        """The x of the now line, or None when now is not on the shown day."""
        plan, now = self._plan, self._now
        if plan is None or now is None or not plan.start <= now < plan.end:
            return None
        return self.x_for(now)

    def row_rect(self, index: int) -> QRectF:
        area = self.timeline_rect()
        top = area.top() + index * self.row_height()
        return QRectF(0, top, self.width(), self.row_height())

    def sizeHint(self) -> QSize:
        rows = len(self._plan.rows) if self._plan else 1
        width = self.label_width() + 24 * PX_PER_HOUR + PAD
        return QSize(width, self.header_height() + rows * self.row_height() + PAD)

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        return QSize(self.label_width() + 24 * 12, hint.height())

    def _bold_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        return font

    # ------------------------------------------------------------------ painting
    def paintEvent(self, _event: QPaintEvent) -> None:
        plan = self._plan
        if plan is None:
            return
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        area = self.timeline_rect()
        for index in range(1, len(plan.rows), 2):
            painter.fillRect(self.row_rect(index), palette.color(QPalette.ColorRole.AlternateBase))
        self._paint_hours(painter, plan, area, palette)
        self._paint_overlap(painter, area, palette, outline=False)  # under the bars
        for index, row in enumerate(plan.rows):
            self._paint_row(painter, self.row_rect(index), row, palette)
        self._paint_overlap(painter, area, palette, outline=True)
        now = self.now_x()
        if now is not None:
            x = float(round(now))  # on a pixel edge: a crisp 2 px line, not a blurred 3 px one
            painter.setPen(QPen(NOW_COLOR, 2))
            painter.drawLine(QPointF(x, area.top() - 3), QPointF(x, area.bottom()))
            painter.setBrush(NOW_COLOR)
            painter.drawEllipse(QPointF(x, area.top() - 3), 3, 3)
        painter.end()

    def _paint_row(self, painter: QPainter, rect: QRectF, row: DayRow, palette: QPalette) -> None:
        text = palette.color(QPalette.ColorRole.Text)
        dim = palette.color(QPalette.ColorRole.PlaceholderText)
        line = self.fontMetrics().height()
        painter.setFont(self._bold_font())
        painter.setPen(text)
        name_rect = QRectF(PAD, rect.top() + 4, self.label_width() - PAD, line)
        painter.drawText(
            name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, row.name
        )
        painter.setFont(self._small_font())
        painter.setPen(dim)
        where_rect = QRectF(PAD, rect.top() + 4 + line, self.label_width() - PAD, line)
        painter.drawText(
            where_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, row.where
        )

        bar_top, bar_height = rect.top() + 5, rect.height() - 10
        night = QColor(palette.color(QPalette.ColorRole.Mid))
        night.setAlpha(70)
        for interval in row.night:
            x0, x1 = self.span_x(interval)
            painter.fillRect(QRectF(x0, bar_top, x1 - x0, bar_height), night)
        fill = palette.color(QPalette.ColorRole.Highlight)
        on_fill = palette.color(QPalette.ColorRole.HighlightedText)
        painter.setFont(self._small_font())
        for interval in row.working:
            x0, x1 = self.span_x(interval)
            bar = QRectF(x0, bar_top, max(1.0, x1 - x0), bar_height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(bar, 3, 3)
            labels = [row.hours] if row.is_user else [f"{row.hours} their time", row.hours]
            for label in labels:
                if label and painter.fontMetrics().horizontalAdvance(label) + 8 <= bar.width():
                    painter.setPen(on_fill)
                    painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, label)
                    break

    def _paint_hours(
        self, painter: QPainter, plan: DayPlan, area: QRectF, palette: QPalette
    ) -> None:
        grid = QColor(palette.color(QPalette.ColorRole.Text))
        grid.setAlpha(40)
        painter.setFont(self._small_font())
        metrics = painter.fontMetrics()
        for hour, instant in plan.hour_marks():
            x = self.x_for(instant)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
            if hour % 3:
                continue
            label = _hour_label(hour, self._time_format)
            width = metrics.horizontalAdvance(label)
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawText(QPointF(x - width / 2, metrics.ascent() + 2), label)

    def _paint_overlap(
        self, painter: QPainter, area: QRectF, palette: QPalette, *, outline: bool
    ) -> None:
        """The overlap (solid) or best partial window (dashed): a shade, then an outline."""
        edge = palette.color(QPalette.ColorRole.Text)
        shade = QColor(edge)
        shade.setAlpha(28)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for spans, style in (
            (self.overlap_spans(), Qt.PenStyle.SolidLine),
            (self.best_spans(), Qt.PenStyle.DashLine),
        ):
            for x0, x1 in spans:
                band = QRectF(x0, area.top(), x1 - x0, area.height())
                if outline:
                    painter.setPen(QPen(edge, 2, style))
                    painter.drawRect(band)
                else:
                    painter.fillRect(band, shade)


def _hour_label(hour: int, time_format: str) -> str:
    if time_format == "12h":
        return f"{hour % 12 or 12}{'a' if hour < 12 else 'p'}"
    return f"{hour:02d}"


class DayView(QDialog):
    """The team's day for today or a chosen date, with previous/next day and today buttons."""

    def __init__(
        self,
        settings: Settings,
        clock: Callable[[], datetime],
        zone: ZoneSource,
        parent: QWidget | None = None,
        plan_meeting: Callable[[], None] | None = None,
        meetings: MeetingTimes | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team day")
        self._meetings = meetings
        self.next_meeting = QLabel()  # the agreement's next meeting and whose turn it is
        self.next_meeting.setWordWrap(True)
        self.next_meeting.setVisible(False)
        self.plan_button = QPushButton("&Plan a meeting…")
        self.plan_button.setAutoDefault(False)
        self.plan_button.setVisible(plan_meeting is not None)
        if plan_meeting is not None:
            self.plan_button.clicked.connect(plan_meeting)
        if meetings is not None:
            meetings.changed.connect(self.refresh)
        self._settings = settings
        self._clock = clock
        self._zone = zone
        self.previous = QToolButton()
        self.previous.setText("◀")
        self.previous.setToolTip("Previous day")
        self.next = QToolButton()
        self.next.setText("▶")
        self.next.setToolTip("Next day")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.today_button = QPushButton("&Today")
        self.today_button.setAutoDefault(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.strip = DayStrip()
        self._timer = QTimer(self)  # moves the now line, only while the window is shown
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self.refresh)

        bar = QHBoxLayout()
        bar.addWidget(self.previous)
        bar.addWidget(self.date_edit)
        bar.addWidget(self.next)
        bar.addWidget(self.today_button)
        bar.addStretch(1)
        bar.addWidget(self.plan_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.next_meeting)
        layout.addWidget(self.strip)
        layout.addStretch(1)

        self.previous.clicked.connect(lambda: self.step(-1))
        self.next.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(lambda: self.set_date(self._today()))
        self.date_edit.dateChanged.connect(lambda _d: self.refresh())
        self.set_date(self._today())
        self.resize(self.sizeHint())  # Qt would cap a new window at 2/3 of a small screen

    def _today(self) -> date:
        return self._clock().astimezone(self._zone()).date()

    def shown_date(self) -> date:
        chosen = self.date_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_date(self, day: date) -> None:
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.refresh()

    def step(self, days: int) -> None:
        """Show the day ``days`` after (or before) the one shown."""
        self.set_date(self.shown_date() + timedelta(days=days))

    def set_settings(self, settings: Settings) -> None:
        """New settings (after Apply): redraw with the new team and hours."""
        self._settings = settings
        self.refresh()

    def refresh(self) -> None:
        tz = self._zone()
        now = self._clock().astimezone(tz)
        plan = day_plan(self._settings, self.shown_date(), tz, today=now.date())
        self.summary.setText(plan.summary)
        self.strip.set_plan(plan, now, self._settings.general.time_format)
        self._show_next_meeting(now)

    def _show_next_meeting(self, now: datetime) -> None:
        found = self._meetings.next_occurrences(now) if self._meetings is not None else []
        if found:
            from boundaries.core.meeting_view import next_meeting_line

            s = self._settings
            lines = [
                next_meeting_line(o, now, self._zone(), s.general.time_format, s.agreement.me)
                for o in found
            ]
            self.next_meeting.setText("Next: " + "\n".join(lines))
        self.next_meeting.setVisible(bool(found))

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)
