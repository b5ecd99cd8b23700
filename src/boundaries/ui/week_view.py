"""The "This week" window: planned vs actual sign-off per day, late days, focus minutes.

Drawn with QPainter (no QtCharts: it would add a module and start-up cost for one small chart).
The numbers come from :mod:`boundaries.core.workday_summary`, the same ones ``boundaries
report`` prints. Colours follow the widget palette, so the chart reads in light and dark themes.

Time runs downward in each day's column, like a calendar: a bar fills the evening up to the
actual sign-off, a dashed line marks the planned one, and a late day's overrun is drawn in the
"late" colour; the time sits at the end of its bar. Below, a strip shows that day's focus
minutes, in a colour of its own. Today, while the user is still at work (no sign-off yet, or
"I'm back" after one), has no sign-off to draw: it says "not signed off yet".
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.settings import Settings
from boundaries.core.timefmt import format_day, format_time, weekday_abbreviation
from boundaries.core.workday_record import DayRecord, workday_of
from boundaries.core.workday_summary import (
    LATE_GRACE_MINUTES,
    DaySummary,
    WeekSummary,
    late_days_between,
    recent_range,
    still_open,
    summarize_week,
    week_start,
)
from boundaries.ui.ports import HistoryReader, Workers

log = logging.getLogger(__name__)


def _minute_of_day(moment: datetime, day: date, tz: ZoneInfo) -> int:
    """Wall-clock minutes since ``day``'s midnight (past midnight: more than 1440)."""
    local = moment.astimezone(tz)
    return (local.date() - day).days * 1440 + local.hour * 60 + local.minute


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


NOT_SIGNED_OFF = "not signed off yet"
# Focus has a hue of its own, apart from the sign-off bars (the palette's highlight) and "late":
# green, or violet when the highlight itself is greenish.
_FOCUS = {"light": QColor("#1f883d"), "dark": QColor("#3fb950")}
_FOCUS_ALT = {"light": QColor("#8250df"), "dark": QColor("#a371f7")}


def day_text(summary: DaySummary, time_format: str, today: date | None = None) -> str:
    """One day in words (tooltip and accessible description); ``today`` may still be open."""
    parts = [format_day(summary.day) + ":"]
    if summary.planned_signoff is None:
        parts.append("day off")
    else:
        parts.append(f"planned sign-off {format_time(summary.planned_signoff, time_format)}")
    open_day = today is not None and still_open(summary, today)
    if summary.actual_signoff is not None:
        when = format_time(summary.actual_signoff, time_format)
        if open_day:
            parts.append(f"· {NOT_SIGNED_OFF} (last seen at work {when})")
        else:
            source = summary.source.value.replace("_", " ") if summary.source else "unknown"
            parts.append(f"· actual {when} ({source})")
    if summary.late:
        parts.append(f"· {summary.late_minutes} min late" + (" so far" if open_day else ""))
    parts.append(
        f"· focus {summary.focus_minutes} min "
        f"({summary.focus_done} done, {summary.focus_cut_short} cut short)"
    )
    return " ".join(parts)


@dataclass(frozen=True)
class DayGeometry:
    """Where one day is drawn (what the tests check, and what ``paintEvent`` paints)."""

    summary: DaySummary
    column: QRectF
    planned_y: float | None
    actual_y: float | None
    bar: QRectF | None  # from the top of the time axis to the actual sign-off
    late_rect: QRectF | None  # planned -> actual, only on a late day
    focus_rect: QRectF  # width proportional to focus minutes
    label: str  # the time at the end of the bar ("18:15  +45m"), or "not signed off yet"
    label_rect: QRectF | None  # where it is drawn: just below the bar's end


class WeekChart(QWidget):
    """The chart itself; give it a week with :meth:`set_week`."""

    LEFT, RIGHT, TOP = 52.0, 12.0, 14.0
    LABELS, FOCUS = 22.0, 34.0  # day-label row and focus strip heights

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._week: WeekSummary | None = None
        self._tz = ZoneInfo("UTC")
        self._today: date | None = None
        self._workday: date | None = None  # the workday now belongs to (until 04:00: yesterday)
        self._time_format = "24h"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(480, 260)

    def sizeHint(self) -> QSize:
        return QSize(640, 320)

    def set_week(self, week: WeekSummary, tz: ZoneInfo, now: datetime, time_format: str) -> None:
        self._week, self._tz, self._time_format = week, tz, time_format
        self._today, self._workday = now.astimezone(tz).date(), workday_of(now, tz)
        self.setAccessibleDescription(
            "\n".join(day_text(day, time_format, self._workday) for day in week.days)
        )
        self.update()

    # ------------------------------------------------------------------ geometry
    def _drawn_end(self, summary: DaySummary) -> datetime | None:
        """The end a bar is drawn to: none for an open day that is not late (yet)."""
        if self.is_open(summary):
            return summary.actual_signoff if summary.late else None
        return summary.actual_signoff

    def is_open(self, summary: DaySummary) -> bool:
        return self._workday is not None and still_open(summary, self._workday)

    def time_range(self) -> tuple[int, int]:
        """Minutes of day shown, top to bottom: whole hours around every plan and sign-off."""
        marks: list[int] = []
        for summary in self._week.days if self._week else ():
            for moment in (summary.planned_signoff, self._drawn_end(summary)):
                if moment is not None:
                    marks.append(_minute_of_day(moment, summary.day, self._tz))
        if not marks:
            marks = [17 * 60 + 30]
        lo = math.floor((min(marks) - 60) / 60) * 60
        hi = math.ceil((max(marks) + 30) / 60) * 60
        if hi - lo < 4 * 60:
            hi = lo + 4 * 60
        return max(lo, 0), hi

    def plot_rect(self) -> QRectF:
        r = QRectF(self.rect())
        return QRectF(
            r.left() + self.LEFT,
            r.top() + self.TOP,
            r.width() - self.LEFT - self.RIGHT,
            r.height() - self.TOP - self.LABELS - self.FOCUS - 6,
        )

    def day_geometry(self) -> list[DayGeometry]:
        if self._week is None:
            return []
        plot = self.plot_rect()
        lo, hi = self.time_range()

        def y_of(minutes: int) -> float:
            return plot.top() + (minutes - lo) / (hi - lo) * plot.height()

        width = plot.width() / 7
        most_focus = max([240, *(d.focus_minutes for d in self._week.days)])
        out: list[DayGeometry] = []
        for i, summary in enumerate(self._week.days):
            column = QRectF(plot.left() + i * width, plot.top(), width, plot.height())
            bar_w = min(width * 0.5, 44.0)
            bar_x = column.center().x() - bar_w / 2
            planned_y = actual_y = None
            bar = late = None
            if summary.planned_signoff is not None:
                planned_y = y_of(_minute_of_day(summary.planned_signoff, summary.day, self._tz))
            end = self._drawn_end(summary)
            if end is not None:
                actual_y = y_of(_minute_of_day(end, summary.day, self._tz))
                bar = QRectF(bar_x, plot.top(), bar_w, actual_y - plot.top())
                if summary.late and planned_y is not None:
                    late = QRectF(bar_x, planned_y, bar_w, actual_y - planned_y)
            label, label_rect = self._label(summary, column, actual_y, planned_y)
            strip_top = plot.bottom() + self.LABELS + 4
            full = width - 12
            focus = QRectF(
                column.left() + 6,
                strip_top,
                full * min(1.0, summary.focus_minutes / most_focus),
                10,
            )
            out.append(
                DayGeometry(
                    summary, column, planned_y, actual_y, bar, late, focus, label, label_rect
                )
            )
        return out

    def _label(
        self, s: DaySummary, column: QRectF, actual_y: float | None, planned_y: float | None
    ) -> tuple[str, QRectF | None]:
        """The bar's time, right below the bar's end (below the dashed line when they meet)."""
        if actual_y is None or s.actual_signoff is None:
            if planned_y is not None and self.is_open(s):
                return NOT_SIGNED_OFF, QRectF(column.left(), planned_y + 3, column.width(), 16)
            return "", None
        label = format_time(s.actual_signoff, self._time_format)
        if s.late:
            label += f"  +{s.late_minutes}m" + (" so far" if self.is_open(s) else "")
        height = QFontMetricsF(self._small_font()).height() + 2
        top = actual_y + 3
        if planned_y is not None and planned_y - 2 <= top + height and top - 3 <= planned_y + 2:
            top = max(actual_y, planned_y) + 3  # clear of the dashed line
        return label, QRectF(column.left(), top, column.width(), height)

    def _small_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        return small

    # ------------------------------------------------------------------ colours
    def colors(self) -> dict[str, QColor]:
        pal = self.palette()
        window = pal.color(QPalette.ColorRole.Window)
        text = pal.color(QPalette.ColorRole.WindowText)
        dark = window.lightness() < 128
        grid = QColor(text)
        grid.setAlpha(40)
        muted = QColor(text)
        muted.setAlpha(150)
        accent = pal.color(QPalette.ColorRole.Highlight)
        greenish = 75 <= accent.hslHue() <= 175 and accent.hslSaturation() > 60
        focus = (_FOCUS_ALT if greenish else _FOCUS)["dark" if dark else "light"]
        return {
            "window": window,
            "text": text,
            "muted": muted,
            "grid": grid,
            "bar": accent,
            "late": QColor("#ff7b72") if dark else QColor("#cf222e"),
            "focus": focus,
            "today": QColor(accent.red(), accent.green(), accent.blue(), 28),
        }

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, p: QPainter) -> None:
        c = self.colors()
        p.fillRect(self.rect(), c["window"])
        plot = self.plot_rect()
        lo, hi = self.time_range()
        small = self._small_font()
        p.setFont(small)
        # Hour grid and labels.
        step = 60 if hi - lo <= 8 * 60 else 120
        for minutes in range(lo, hi + 1, step):
            y = plot.top() + (minutes - lo) / (hi - lo) * plot.height()
            p.setPen(QPen(c["grid"], 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(c["muted"])
            label = format_time(datetime(2000, 1, 1, (minutes // 60) % 24), self._time_format)
            p.drawText(
                QRectF(0, y - 8, self.LEFT - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        for geo in self.day_geometry():
            self._paint_day(p, geo, c, plot, small)

    def _paint_day(
        self, p: QPainter, geo: DayGeometry, c: dict[str, QColor], plot: QRectF, small: QFont
    ) -> None:
        s = geo.summary
        if s.day == self._today:
            p.fillRect(geo.column, c["today"])
        if geo.bar is not None:
            p.fillRect(geo.bar, c["bar"])
        if geo.late_rect is not None:
            p.fillRect(geo.late_rect, c["late"])
        if geo.planned_y is not None:
            pen = QPen(c["text"], 2, Qt.PenStyle.DashLine)
            p.setPen(pen)
            inset = geo.column.width() * 0.12
            p.drawLine(
                QPointF(geo.column.left() + inset, geo.planned_y),
                QPointF(geo.column.right() - inset, geo.planned_y),
            )
        if geo.label_rect is not None:
            p.setPen(c["late"] if s.late else (c["muted"] if self.is_open(s) else c["text"]))
            bold = QFont(small)
            bold.setBold(s.late)
            p.setFont(bold)
            p.drawText(
                geo.label_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, geo.label
            )
            p.setFont(small)
        # Day label (bold today), "off" on a day off.
        label_rect = QRectF(geo.column.left(), plot.bottom() + 2, geo.column.width(), self.LABELS)
        font = QFont(small)
        font.setBold(s.day == self._today)
        p.setFont(font)
        p.setPen(c["text"] if s.is_workday else c["muted"])
        name = f"{weekday_abbreviation(s.day)} {s.day.day}" + ("" if s.is_workday else " · off")
        p.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, name)
        p.setFont(small)
        # Focus strip.
        track = QRectF(geo.focus_rect.left(), geo.focus_rect.top(), geo.column.width() - 12, 10)
        p.fillRect(track, c["grid"])
        p.fillRect(geo.focus_rect, c["focus"])
        p.setPen(c["muted"])
        p.drawText(
            QRectF(geo.column.left(), track.bottom() + 1, geo.column.width(), 16),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            f"{s.focus_minutes} min focus" if s.focus_minutes else "",
        )

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            for geo in self.day_geometry():
                if geo.column.left() <= event.pos().x() < geo.column.right():
                    text = day_text(geo.summary, self._time_format, self._workday)
                    QToolTip.showText(event.globalPos(), text, self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)


class WeekView(QWidget):
    """The "This week" window; :meth:`refresh` re-reads the history (connect it to
    ``HistoryRecorder.changed``). ``clock()`` returns now, aware, in the user's zone.

    The history is read through ``workers``, never on the GUI thread; ``loaded`` fires each
    time a read has been drawn (a read overtaken by a newer one is dropped).
    """

    week_changed = Signal(object)  # the Monday shown
    loaded = Signal()

    def __init__(
        self,
        history: HistoryReader,
        settings: Settings,
        clock: Callable[[], datetime],
        workers: Workers,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("This week")
        self._history = history
        self._workers = workers
        self._reads = 0  # the newest read asked for; older answers are dropped
        self._pending = 0
        self._settings = settings
        self._clock = clock
        self._start = week_start(self._now().date())
        self.summary: WeekSummary | None = None
        self.late_last_4_weeks = 0

        self.prev_button = QToolButton()
        self.prev_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.prev_button.setToolTip("Previous week (Alt+Left)")
        self.prev_button.setShortcut(QKeySequence("Alt+Left"))
        self.prev_button.clicked.connect(self.previous_week)
        self.next_button = QToolButton()
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.next_button.setToolTip("Next week (Alt+Right)")
        self.next_button.setShortcut(QKeySequence("Alt+Right"))
        self.next_button.clicked.connect(self.next_week)
        self.title = QLabel()
        title_font = QFont(self.title.font())
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        header = QHBoxLayout()
        header.addWidget(self.prev_button)
        header.addWidget(self.title, 1)
        header.addWidget(self.next_button)

        self.chart = WeekChart()
        self.week_line = QLabel()
        self.recent_line = QLabel()
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.error)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.week_line)
        layout.addWidget(self.recent_line)
        close = QShortcut(QKeySequence(QKeySequence.StandardKey.Cancel), self)
        close.activated.connect(self.close)
        self.refresh()

    # ------------------------------------------------------------------ public
    @property
    def week_start(self) -> date:
        return self._start

    def show_week(self, start: date) -> None:
        """Show the week containing ``start`` (never a week after the current one)."""
        current = week_start(self._now().date())
        self._start = min(week_start(start), current)
        self.refresh()
        self.week_changed.emit(self._start)

    def previous_week(self) -> None:
        self.show_week(self._start - timedelta(weeks=1))

    def next_week(self) -> None:
        self.show_week(self._start + timedelta(weeks=1))

    def set_settings(self, settings: Settings) -> None:
        self._settings = settings
        self.refresh()

    @property
    def busy(self) -> bool:
        """A history read is still on its way."""
        return self._pending > 0

    def refresh(self) -> None:
        """Re-read the shown week and the last 4 weeks (off the GUI thread), then redraw."""
        today = self._now().date()
        current = week_start(today)
        self.next_button.setEnabled(self._start < current)
        label = "This week" if self._start == current else "Week"
        self.title.setText(f"{label} of {format_day(self._start)} {self._start.year}")
        first, last = recent_range(today)
        lo, hi = min(first, self._start), max(last, self._start + timedelta(days=6))
        self._reads += 1
        self._pending += 1
        read = self._reads
        self._workers.submit(
            lambda: self._history.records_between(lo, hi),
            lambda records: self._answered(read, records, None),
            lambda error: self._answered(read, [], error),
            context=self,
        )

    def _answered(self, read: int, records: list[DayRecord], error: BaseException | None) -> None:
        self._pending -= 1
        if read != self._reads:
            return  # a newer read (another week, a new sign-off) is on its way
        if error is not None:  # damaged, locked, newer file...: say so, never crash the tray
            log.warning("week view: history unreadable: %s", error)
            self.error.setText(f"History unavailable: {error}")
            self.error.show()
        else:
            self.error.hide()
        self._draw(records)
        self.loaded.emit()

    def _draw(self, records: list[DayRecord]) -> None:
        now = self._now()
        today = now.date()
        tz = self._zone(now)
        first, last = recent_range(today)
        settings = self._settings
        self.summary = summarize_week(records, self._start, settings, tz, today)
        self.late_last_4_weeks = late_days_between(records, first, last, settings, tz)
        fmt = settings.general.time_format
        self.chart.set_week(self.summary, tz, now, fmt)
        self.week_line.setText(
            f"This week: {self._plural(self.summary.late_days, 'late day')} · "
            f"{_duration(self.summary.focus_minutes)} of focus"
        )
        self.recent_line.setText(f"Late days in the last 4 weeks: {self.late_last_4_weeks}")
        colors = self.chart.colors()
        self.legend.setText(
            f"<span style='color:{colors['bar'].name()}'>&#9632;</span> signed off &nbsp; "
            f"<span style='color:{colors['late'].name()}'>&#9632;</span> late "
            f"(more than {LATE_GRACE_MINUTES} min past plan) &nbsp; - - planned &nbsp; "
            f"<span style='color:{colors['focus'].name()}'>&#9632;</span> focus"
        )

    def late_days(self) -> Sequence[date]:
        """The shown week's late days (for tests and accessibility)."""
        return [d.day for d in self.summary.days if d.late] if self.summary else []

    # ------------------------------------------------------------------ internals
    def _now(self) -> datetime:
        return self._clock()

    @staticmethod
    def _zone(now: datetime) -> ZoneInfo:
        return now.tzinfo if isinstance(now.tzinfo, ZoneInfo) else ZoneInfo("UTC")

    @staticmethod
    def _plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"
