"""A day view for planning: who works when across the user's day, the overlap, and now.

One strip per person (the user first), 00-24 in the user's zone, measured in real time so a
23- or 25-hour clock-change day is drawn as it is. Colours come from the palette, so it reads
in light and dark themes; the maths is in :func:`boundaries.core.team_view.day_plan`, and the
mapping from instants to pixels is public here (:meth:`DayStrip.x_for`) so tests can check it.

Nothing is drawn across a bar's label: the label moves into the widest free part of its bar,
clear of the now line, the overlap box's edges and the chosen moment. A slider (or a click or
drag on the strip) picks a moment of the day and shows everyone's clock at that instant, as
Clocker does; it counts real minutes from the day's midnight, so a clock-change day's slider
is 23 or 25 hours long and each instant is shown once. A legend says what the shades mean.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from PySide6.QtCore import QDate, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHideEvent,
    QMouseEvent,
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
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.interval import Interval
from boundaries.core.schedule import wall_to_instant as local_instant
from boundaries.core.settings import Settings
from boundaries.core.team import (
    NIGHT_END,
    NIGHT_START,
    availability,
    sorted_by_offset,
    teammate_local_time,
)
from boundaries.core.team_view import STATUS_MARK, DayPlan, DayRow, day_plan
from boundaries.core.timefmt import format_day_time, format_time
from boundaries.ui.ports import MeetingTimes, ZoneSource

NOW_COLOR = QColor("#e53935")  # a red that stands out on light and dark bases alike
PAD = 8
PX_PER_HOUR = 26  # preferred width of one hour
LABEL_GAP = 4  # a bar label keeps this far from a line drawn across the bar
DAY_OFF = "day off"  # written on the strip of someone who does not work on the shown day
SLIDER_STEP, SLIDER_PAGE = 15, 60  # minutes per arrow key and per Page Up/Down


def _mix(top: QColor, under: QColor) -> QColor:
    """``top`` (with its alpha) painted over ``under``: the colour the eye sees."""
    a = top.alphaF()
    return QColor.fromRgbF(
        top.redF() * a + under.redF() * (1 - a),
        top.greenF() * a + under.greenF() * (1 - a),
        top.blueF() * a + under.blueF() * (1 - a),
    )


def night_color(palette: QPalette) -> QColor:
    night = QColor(palette.color(QPalette.ColorRole.Mid))
    night.setAlpha(90)
    return night


class DayStrip(QWidget):
    """Draws a :class:`DayPlan`; ``now`` (or None) places the now line.

    ``moment_picked`` carries the instant under a click or drag on the timeline.
    """

    moment_picked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plan: DayPlan | None = None
        self._now: datetime | None = None
        self._moment: datetime | None = None
        self._moment_texts: list[str] = []
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

    def set_moment(self, moment: datetime | None, texts: list[str]) -> None:
        """Mark ``moment`` with each row's clock (``texts``, one per row), or clear it."""
        self._moment, self._moment_texts = moment, texts
        self.update()

    def moment_x(self) -> float | None:
        return None if self._moment is None else self.x_for(self._moment)

    def instant_at(self, x: float) -> datetime | None:
        """The instant under ``x`` on the timeline (clamped to the day)."""
        if self._plan is None:
            return None
        area = self.timeline_rect()
        fraction = min(1.0, max(0.0, (x - area.left()) / max(1.0, area.width())))
        return self._plan.start + (self._plan.end - self._plan.start) * fraction

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pick(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._pick(event)

    def _pick(self, event: QMouseEvent) -> None:
        if event.position().x() >= self.timeline_rect().left():
            instant = self.instant_at(event.position().x())
            if instant is not None:
                self.moment_picked.emit(instant)

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

    def boxes(self) -> list[QRectF]:
        """The outlined boxes: only where everyone works (none under "No common hours")."""
        area = self.timeline_rect()
        return [QRectF(x0, area.top(), x1 - x0, area.height()) for x0, x1 in self.overlap_spans()]

    def obstacles(self) -> list[float]:
        """The x of every line drawn across the bars: now, the box edges, the chosen moment."""
        xs = [x for span in self.overlap_spans() for x in span]
        xs += [x for x in (self.now_x(), self.moment_x()) if x is not None]
        return xs

    def bar_labels(self) -> list[tuple[int, str, QRectF]]:
        """Each bar's label: the row, its text, and where it is drawn (clear of ``obstacles``)."""
        if self._plan is None:
            return []
        metrics = QFontMetrics(self._small_font())
        lines = self.obstacles()
        out = []
        for index, row in enumerate(self._plan.rows):
            rect = self.row_rect(index)
            top, height = rect.top() + 5, rect.height() - 10
            texts = [row.hours] if row.is_user else [f"{row.hours} their time", row.hours]
            for interval in row.working:
                x0, x1 = self.span_x(interval)
                placed = _place(texts, metrics, x0, x1, lines)
                if placed is not None:
                    text, left, width = placed
                    out.append((index, text, QRectF(left, top, width, height)))
        return out

    def day_off_labels(self) -> list[tuple[int, QRectF]]:
        """Where "day off" is written on the strip of each person who does not work at all on
        the shown day: an empty strip read as missing data. Clear of the lines, like the bars'."""
        if self._plan is None:
            return []
        metrics = QFontMetrics(self._small_font())
        area = self.timeline_rect()
        out = []
        for index, row in enumerate(self._plan.rows):
            if row.working:
                continue
            rect = self.row_rect(index)
            placed = _place([DAY_OFF], metrics, area.left(), area.right(), self.obstacles())
            if placed is not None:
                _text, left, width = placed
                out.append((index, QRectF(left, rect.top() + 5, width, rect.height() - 10)))
        return out

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
        painter.setFont(self._small_font())
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
        for _index, text, rect in self.bar_labels():
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        for _index, rect in self.day_off_labels():  # a chip, so the hour lines stop at it
            painter.drawRoundedRect(rect, 3, 3)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, DAY_OFF)
        self._paint_moment(painter, area, palette)
        painter.end()

    def _paint_moment(self, painter: QPainter, area: QRectF, palette: QPalette) -> None:
        """The chosen moment: a line, and each row's clock in a tag beside it."""
        x = self.moment_x()
        if x is None:
            return
        text_color = palette.color(QPalette.ColorRole.Text)
        painter.setPen(QPen(text_color, 1, Qt.PenStyle.DashLine))
        painter.drawLine(
            QPointF(round(x) + 0.5, area.top()), QPointF(round(x) + 0.5, area.bottom())
        )
        for tag, rect in self.moment_tags():
            painter.setPen(QPen(text_color, 1))
            painter.setBrush(palette.color(QPalette.ColorRole.Base))
            painter.drawRoundedRect(rect, 3, 3)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, tag)

    def moment_tags(self) -> list[tuple[str, QRectF]]:
        """Each row's clock at the chosen moment, in a tag right of the line (left near 24:00)."""
        x = self.moment_x()
        if x is None:
            return []
        metrics = QFontMetrics(self._small_font())
        area = self.timeline_rect()
        out = []
        for index, text in enumerate(self._moment_texts):
            rect = self.row_rect(index)
            width = metrics.horizontalAdvance(text) + 8
            height = metrics.height() + 2
            left = x + 3 if x + 3 + width <= area.right() else x - 3 - width
            out.append((text, QRectF(left, rect.bottom() - height - 1, width, height)))
        return out

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
        night = night_color(palette)
        for interval in row.night:
            x0, x1 = self.span_x(interval)
            painter.fillRect(QRectF(x0, bar_top, x1 - x0, bar_height), night)
        fill = palette.color(QPalette.ColorRole.Highlight)
        for interval in row.working:
            x0, x1 = self.span_x(interval)
            bar = QRectF(x0, bar_top, max(1.0, x1 - x0), bar_height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(bar, 3, 3)

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
        """The overlap: a shade under the bars, then an outline over them."""
        edge = palette.color(QPalette.ColorRole.Text)
        shade = QColor(edge)
        shade.setAlpha(28)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for band in self.boxes():
            if outline:
                painter.setPen(QPen(edge, 2))
                painter.drawRect(band)
            else:
                painter.fillRect(band, shade)


def _place(
    texts: list[str], metrics: QFontMetrics, x0: float, x1: float, lines: list[float]
) -> tuple[str, float, float] | None:
    """The first of ``texts`` that fits in a free stretch of the bar ``x0..x1`` (between the
    ``lines`` that cross it), centred in the widest such stretch: (text, left, width)."""
    cuts = sorted(x for x in lines if x0 < x < x1)
    edges = [x0, *cuts, x1]
    gaps = []
    for left, right in pairwise(edges):
        inner_left = left + (LABEL_GAP if left in cuts else 0)
        inner_right = right - (LABEL_GAP if right in cuts else 0)
        gaps.append((inner_right - inner_left, inner_left))
    room, start = max(gaps)
    for text in texts:
        width = metrics.horizontalAdvance(text) + 8
        if text and width <= room:
            return text, start + (room - width) / 2, width
    return None


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
        self._moment: datetime | None = None  # picked with the slider; None: follow now
        self._syncing = False  # the slider is being moved by code, not by the user
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
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setSingleStep(SLIDER_STEP)
        self.slider.setPageStep(SLIDER_PAGE)
        self.slider.setAccessibleName("Moment of the day")
        self.slider.setToolTip("Drag to see everyone's time at that moment")
        self.moment_label = QLabel()
        self.moment_label.setWordWrap(True)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.legend.setAutoFillBackground(True)  # on the strip's background: the same colours
        self.legend.setBackgroundRole(QPalette.ColorRole.Base)
        self.legend.setContentsMargins(PAD, 4, PAD, 4)
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
        self._slider_row = QHBoxLayout()
        self._slider_row.addWidget(self.slider)
        layout.addLayout(self._slider_row)
        layout.addWidget(self.moment_label)
        layout.addWidget(self.legend)
        layout.addStretch(1)

        self.previous.clicked.connect(lambda: self.step(-1))
        self.next.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(lambda: self.set_date(self._today()))
        self.date_edit.dateChanged.connect(lambda _d: self._new_day())
        self.slider.valueChanged.connect(self._slid)
        self.strip.moment_picked.connect(self.pick_moment)
        self.set_date(self._today())
        self.resize(self.sizeHint())  # Qt would cap a new window at 2/3 of a small screen

    def _today(self) -> date:
        return self._clock().astimezone(self._zone()).date()

    def shown_date(self) -> date:
        chosen = self.date_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_date(self, day: date) -> None:
        self._moment = None
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.refresh()

    def _new_day(self) -> None:
        self._moment = None  # a new day starts at now (today) or the user's morning
        self.refresh()

    # ------------------------------------------------------------------ the moment slider
    def pick_moment(self, instant: datetime) -> None:
        """Show everyone's clock at ``instant`` (on the shown day), as the slider does."""
        plan = self.strip.plan
        if plan is None:
            return
        minutes = round((instant.astimezone(UTC) - plan.start.astimezone(UTC)).total_seconds() / 60)
        self.slider.setValue(minutes)
        self._slid(self.slider.value())

    def moment(self) -> datetime | None:
        """The instant the slider picked, or None while it follows now."""
        return self._moment

    def _slid(self, minutes: int) -> None:
        plan = self.strip.plan
        if plan is None or self._syncing:
            return
        instant = (plan.start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(plan.tz)
        self._moment = instant
        self._show_moment(instant, picked=True)

    def moment_texts(self, instant: datetime) -> list[str]:
        """Each row's clock at ``instant``: the user's, then each teammate's (as the rows)."""
        fmt = self._settings.general.time_format
        mine = instant.astimezone(self._zone())
        texts = [format_time(mine, fmt)]
        for mate in sorted_by_offset(
            self._settings.team, self.strip.plan.start if self.strip.plan else instant
        ):
            local = format_day_time(teammate_local_time(mate, instant), fmt, ref=mine)
            texts.append(f"{STATUS_MARK[availability(mate, instant)]} {local}")
        return texts

    def _show_moment(self, instant: datetime, *, picked: bool) -> None:
        texts = self.moment_texts(instant)
        plan = self.strip.plan
        names = [row.name for row in plan.rows[1:]] if plan else []
        everyone = " · ".join(f"{name} {text}" for name, text in zip(names, texts[1:], strict=True))
        when = "At" if picked else "Now,"
        line = f"{when} {texts[0]} your time" + (f": {everyone}" if everyone else "")
        self.moment_label.setText(line)
        self.strip.set_moment(instant if picked else None, texts if picked else [])

    def _sync_slider(self, plan: DayPlan, now: datetime) -> None:
        """Range = the day's real minutes; the handle on the moment, now, or the morning."""
        start = plan.start.astimezone(UTC)
        length = round((plan.end.astimezone(UTC) - start).total_seconds() / 60)
        if self._moment is not None and plan.start <= self._moment < plan.end:
            at = self._moment
        elif plan.start <= now < plan.end:
            at = now
        else:
            at = local_instant(plan.day, self._settings.workday.start, plan.tz)
        self._syncing = True
        try:
            self.slider.setRange(0, length - 1)
            self.slider.setValue(round((at.astimezone(UTC) - start).total_seconds() / 60))
        finally:
            self._syncing = False
        handle = self.slider.style().pixelMetric(
            QStyle.PixelMetric.PM_SliderLength, None, self.slider
        )
        self._slider_row.setContentsMargins(
            max(0, self.strip.label_width() - handle // 2), 0, max(0, PAD - handle // 2), 0
        )
        self._show_moment(at, picked=self._moment is not None)

    def _legend_text(self) -> str:
        """What each mark means; only the marks this day has (no box, no now line: not named)."""
        palette = self.strip.palette()
        base = palette.color(QPalette.ColorRole.Base)
        night = _mix(night_color(palette), base).name()
        work = palette.color(QPalette.ColorRole.Highlight).name()
        edge = palette.color(QPalette.ColorRole.Text).name()
        fmt = self._settings.general.time_format
        hours = f"{format_time(NIGHT_START, fmt)}–{format_time(NIGHT_END, fmt)}"
        square = "<span style='color:{}'>&#9632;</span>"
        parts = [
            f"{square.format(work)} working hours",
            f"{square.format(night)} night ({hours} their time)",
        ]
        if self.strip.overlap_spans():
            parts.append(f"<span style='color:{edge}'>&#9633;</span> everyone working")
        if self.strip.now_x() is not None:
            parts.append(f"<span style='color:{NOW_COLOR.name()}'>|</span> now")
        return " &nbsp; ".join(parts)

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
        self._sync_slider(plan, now)
        self.legend.setText(self._legend_text())
        self._show_next_meeting(now)

    def _show_next_meeting(self, now: datetime) -> None:
        if self._meetings is None:
            return
        from boundaries.core.meeting_view import next_meeting_line, refused_line

        s = self._settings
        lines = [
            next_meeting_line(o, now, self._zone(), s.general.time_format, s.agreement.me)
            for o in self._meetings.next_occurrences(now)
        ] + [refused_line(name) for name in self._meetings.refused()]
        self.next_meeting.setText("Next: " + "\n".join(lines))
        self.next_meeting.setVisible(bool(lines))

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)
