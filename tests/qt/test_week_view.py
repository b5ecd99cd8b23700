"""The "This week" window on a fixture week with two late days (Tue, Thu).

Screenshots go to tests/qt/artifacts/week_view*.png (not committed) for a human to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from boundaries.app.workers import WorkerPool
from boundaries.core.settings import GeneralSettings, Settings, WorkdaySettings
from boundaries.core.workday_record import DayRecord, FocusSession, SignoffSource
from boundaries.integrations.history import History
from boundaries.ui.ports import HistoryReader
from boundaries.ui.week_view import WeekView, day_text

ARTIFACTS = Path(__file__).parent / "artifacts"
BERLIN = ZoneInfo("Europe/Berlin")
MON = date(2026, 11, 23)
SETTINGS = Settings(workday=WorkdaySettings(signoff_by_day={"fri": time(16, 0)}))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


def fill_fixture_week(history: History) -> None:
    """Mon 17:25, Tue 18:15 (late), Wed 17:40 (within grace), Thu 19:30 (late), Fri 15:50."""
    actual = {23: (17, 25), 24: (18, 15), 25: (17, 40), 26: (19, 30), 27: (15, 50)}
    for d, (h, m) in actual.items():
        planned = at(d, 16) if d == 27 else at(d, 17, 30)
        source = SignoffSource.LAST_ACTIVITY if d == 25 else SignoffSource.BUTTON
        history.observe_signoff(date(2026, 11, d), at(d, h, m), source, planned)
        history.record_focus(
            date(2026, 11, d), FocusSession(at(d, 9), at(d, 11), at(d, 11), cut_short=False)
        )
        if d in (24, 26):  # the late days also had an afternoon block cut short
            history.record_focus(
                date(2026, 11, d), FocusSession(at(d, 14), at(d, 14, 40), at(d, 16), True)
            )
    # One late day three weeks earlier (inside "the last 4 weeks"), one outside it.
    for back in (20, 30):
        day = MON - timedelta(days=back)
        planned = datetime.combine(day, time(17, 30), BERLIN)
        history.observe_signoff(day, planned + timedelta(hours=3), SignoffSource.CLI, planned)


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    h = History(tmp_path / "state")
    fill_fixture_week(h)
    yield h
    h.close()


@pytest.fixture
def workers(qtbot: QtBot) -> Iterator[WorkerPool]:
    pool = WorkerPool(max_workers=1, name="test-history")
    yield pool
    pool.shutdown(wait=True)


def make_view(
    qtbot: QtBot, history: HistoryReader, settings: Settings, workers: WorkerPool
) -> WeekView:
    """A week view on Friday evening, once its first history read (on a worker) is drawn."""
    widget = WeekView(history, settings, lambda: at(27, 18, 0), workers)
    qtbot.addWidget(widget)
    settle(widget, qtbot)
    return widget


def settle(view: WeekView, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not view.busy)


@pytest.fixture
def view(qtbot: QtBot, history: History, workers: WorkerPool) -> WeekView:
    widget = make_view(qtbot, history, SETTINGS, workers)
    widget.resize(720, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_two_late_days_are_highlighted(view: WeekView) -> None:
    assert view.late_days() == [date(2026, 11, 24), date(2026, 11, 26)]
    geometry = view.chart.day_geometry()
    assert [g.summary.day.day for g in geometry] == list(range(23, 30))
    late = {g.summary.day.day: g.late_rect for g in geometry if g.late_rect is not None}
    assert sorted(late) == [24, 26]
    for g in geometry:
        if g.late_rect is not None:
            # The late part runs from the planned line down to the actual sign-off.
            assert g.planned_y is not None and g.actual_y is not None
            assert g.late_rect.top() == pytest.approx(g.planned_y)
            assert g.late_rect.bottom() == pytest.approx(g.actual_y)
            assert g.late_rect.height() > 0
    by_day = {g.summary.day.day: g for g in geometry}
    # Thursday (2 h late) overruns more than Tuesday (45 min); Monday ended before its plan.
    assert late[26].height() > 2 * late[24].height()
    mon = by_day[23]
    assert mon.actual_y is not None and mon.planned_y is not None and mon.actual_y < mon.planned_y
    # Friday's plan is 16:00, drawn above the 17:30 of the other days.
    assert by_day[27].planned_y is not None and by_day[23].planned_y is not None
    assert by_day[27].planned_y < by_day[23].planned_y
    # Weekend: no plan, no sign-off, no bar.
    assert by_day[28].planned_y is None and by_day[28].bar is None


def test_focus_minutes_per_day(view: WeekView) -> None:
    assert view.summary is not None
    assert [d.focus_minutes for d in view.summary.days] == [120, 160, 120, 160, 120, 0, 0]
    widths = [g.focus_rect.width() for g in view.chart.day_geometry()]
    assert widths[1] > widths[0] > widths[5] == 0
    assert widths[0] == pytest.approx(widths[1] * 120 / 160)
    assert view.week_line.text() == "This week: 2 late days · 11 h 20 min of focus"


def test_late_days_in_the_last_four_weeks(view: WeekView) -> None:
    assert view.late_last_4_weeks == 3
    assert view.recent_line.text() == "Late days in the last 4 weeks: 3"


def test_previous_and_next_week(view: WeekView, qtbot: QtBot) -> None:
    assert not view.next_button.isEnabled()  # no peeking into the future
    assert view.title.text() == "This week of Mon 23 Nov 2026"
    with qtbot.waitSignal(view.week_changed) as changed:
        view.prev_button.click()
    assert changed.args == [date(2026, 11, 16)]
    assert view.title.text() == "Week of Mon 16 Nov 2026"
    settle(view, qtbot)
    assert view.late_days() == []
    assert view.late_last_4_weeks == 3  # about the last 4 weeks, whichever week is shown
    assert view.next_button.isEnabled()
    view.show_week(MON - timedelta(days=20))
    settle(view, qtbot)
    assert view.late_days() == [MON - timedelta(days=20)]
    view.show_week(date(2027, 1, 4))  # beyond today: clamps to the current week
    assert view.week_start == MON
    assert not view.next_button.isEnabled()


def test_refresh_shows_a_new_sign_off(view: WeekView, history: History, qtbot: QtBot) -> None:
    history.observe_signoff(date(2026, 11, 27), at(27, 18, 10), SignoffSource.BUTTON, at(27, 16))
    with qtbot.waitSignal(view.loaded):
        view.refresh()
    assert view.late_days() == [date(2026, 11, 24), date(2026, 11, 26), date(2026, 11, 27)]


def test_tooltip_text_reads_like_a_sentence(view: WeekView) -> None:
    assert view.summary is not None
    assert day_text(view.summary.days[1], "24h") == (
        "Tue 24 Nov: planned sign-off 17:30 · actual 18:15 (button) · 45 min late "
        "· focus 160 min (1 done, 1 cut short)"
    )
    assert day_text(view.summary.days[5], "12h").startswith("Sat 28 Nov: day off")


def test_an_unreadable_history_is_shown_not_raised(qtbot: QtBot, workers: WorkerPool) -> None:
    class Broken:
        def records_between(self, first: date, last: date) -> list[DayRecord]:
            raise OSError("disk on fire")

    widget = make_view(qtbot, Broken(), SETTINGS, workers)
    assert not widget.error.isHidden()
    assert "disk on fire" in widget.error.text()
    assert widget.late_days() == []


def test_the_history_is_never_read_on_the_gui_thread(
    qtbot: QtBot, history: History, workers: WorkerPool
) -> None:
    import threading

    readers: list[int] = []

    class Watched:
        def records_between(self, first: date, last: date) -> list[DayRecord]:
            readers.append(threading.get_ident())
            return history.records_between(first, last)

    widget = make_view(qtbot, Watched(), SETTINGS, workers)
    widget.previous_week()
    settle(widget, qtbot)
    assert len(readers) == 2 and threading.get_ident() not in readers
    assert widget.late_days() == []  # the week before, drawn from the second read


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#1e1f22"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Base, "#2b2d30"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.Button, "#2b2d30"),
        (QPalette.ColorRole.ButtonText, "#e6e6e6"),
        (QPalette.ColorRole.Highlight, "#3d8bfd"),
    ):
        palette.setColor(role, QColor(color))
    return palette


def test_palette_aware_and_screenshots(view: WeekView, qtbot: QtBot) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    light = view.chart.colors()
    assert view.grab().save(str(ARTIFACTS / "week_view.png"))
    view.setPalette(dark_palette())
    view.refresh()
    settle(view, qtbot)
    dark = view.chart.colors()
    assert dark["window"].lightness() < 128 < light["window"].lightness()
    assert dark["late"] != light["late"]
    assert dark["text"].lightness() > 128
    assert view.grab().save(str(ARTIFACTS / "week_view_dark.png"))


def test_twelve_hour_format(qtbot: QtBot, history: History, workers: WorkerPool) -> None:
    settings = Settings(general=GeneralSettings(time_format="12h"), workday=SETTINGS.workday)
    widget = make_view(qtbot, history, settings, workers)
    assert widget.summary is not None
    assert "6:15 PM" in day_text(widget.summary.days[1], "12h")


def hue_gap(a: QColor, b: QColor) -> int:
    gap = abs(a.hslHue() - b.hslHue()) % 360
    return min(gap, 360 - gap)


@pytest.mark.parametrize("palette", [QPalette, dark_palette], ids=["light", "dark"])
def test_signed_off_focus_and_late_each_have_their_own_colour(
    view: WeekView, qtbot: QtBot, palette: Callable[[], QPalette]
) -> None:
    view.setPalette(palette())
    view.refresh()
    settle(view, qtbot)
    colors = view.chart.colors()
    for one, other in (("bar", "focus"), ("focus", "late"), ("bar", "late")):
        assert hue_gap(colors[one], colors[other]) >= 60, (one, other)
    # The legend's squares are those colours, opaque (a name drops any transparency).
    legend = view.legend.text()
    squares = re.findall(r"color:(#[0-9a-f]{6})'>&#9632;</span> (signed off|late|focus)", legend)
    assert dict((name, color) for color, name in squares) == {
        "signed off": colors["bar"].name(),
        "late": colors["late"].name(),
        "focus": colors["focus"].name(),
    }
    assert all(colors[key].alpha() == 255 for key in ("bar", "late", "focus"))


def early_day_view(qtbot: QtBot, workers: WorkerPool, tmp_path: Path, now: datetime) -> WeekView:
    """Monday 17:25 (plan 17:30), Friday 13:00 (plan 16:00)."""
    history = History(tmp_path / "early")
    history.observe_signoff(MON, at(23, 17, 25), SignoffSource.BUTTON, at(23, 17, 30))
    history.observe_signoff(date(2026, 11, 27), at(27, 13, 0), SignoffSource.BUTTON, at(27, 16))
    widget = WeekView(history, SETTINGS, lambda: now, workers)
    qtbot.addWidget(widget)
    widget.resize(720, 420)
    settle(widget, qtbot)
    history.close()
    return widget


def test_a_days_time_sits_at_the_end_of_its_bar(
    qtbot: QtBot, workers: WorkerPool, tmp_path: Path
) -> None:
    widget = early_day_view(qtbot, workers, tmp_path, at(27, 18, 0))
    by_day = {g.summary.day.day: g for g in widget.chart.day_geometry()}
    fri = by_day[27]
    assert fri.label == "13:00"
    assert fri.bar is not None and fri.label_rect is not None and fri.planned_y is not None
    assert 0 <= fri.label_rect.top() - fri.bar.bottom() <= 4  # right under its bar
    assert fri.label_rect.bottom() < fri.planned_y  # not down at the planned line
    # When the end and the plan meet, the time goes below the dashed line, never across it.
    mon = by_day[23]
    assert mon.label_rect is not None and mon.planned_y is not None
    assert mon.label_rect.top() > mon.planned_y
    ARTIFACTS.mkdir(exist_ok=True)
    widget.grab().save(str(ARTIFACTS / "week_view_early_day.png"))


def test_after_im_back_today_is_not_signed_off_yet(
    qtbot: QtBot, workers: WorkerPool, tmp_path: Path
) -> None:
    """Signed off at 08:07 by mistake, then "I'm back" (recorded as activity at 08:07:30)."""
    history = History(tmp_path / "back")
    friday = date(2026, 11, 27)
    history.observe_signoff(friday, at(27, 8, 7), SignoffSource.BUTTON, at(27, 16))
    back = at(27, 8, 7) + timedelta(seconds=30)
    history.observe_signoff(friday, back, SignoffSource.LAST_ACTIVITY, at(27, 16))
    widget = WeekView(history, SETTINGS, lambda: at(27, 10, 0), workers)
    qtbot.addWidget(widget)
    settle(widget, qtbot)
    history.close()
    assert widget.summary is not None
    text = day_text(widget.summary.days[4], "24h", friday)
    assert "actual" not in text
    assert "Fri 27 Nov: planned sign-off 16:00 · not signed off yet (last seen at work 08:07)" in (
        text
    )
    assert "not signed off yet (last seen at work 08:07)" in widget.chart.accessibleDescription()
    fri = widget.chart.day_geometry()[4]
    assert fri.bar is None  # no sign-off to draw
    assert fri.label == "not signed off yet"
    assert widget.chart.time_range()[0] >= 14 * 60  # 08:07 does not stretch the axis
    # The next morning the same record is the day's end, as recorded.
    widget = WeekView(History(tmp_path / "back"), SETTINGS, lambda: at(28, 9, 0), workers)
    qtbot.addWidget(widget)
    settle(widget, qtbot)
    assert widget.summary is not None
    assert "actual 08:07 (last activity)" in day_text(
        widget.summary.days[4], "24h", date(2026, 11, 28)
    )


def test_escape_closes_the_window(view: WeekView, qtbot: QtBot) -> None:
    view.activateWindow()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()
