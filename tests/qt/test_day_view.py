"""The day view: the overlap band and the now line sit where the times say, on any day."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from boundaries.core.settings import (
    GeneralSettings,
    Settings,
    Teammate,
    WorkdaySettings,
)
from boundaries.core.team_view import overlap_line, teammate_lines
from boundaries.ui.day_view import NOW_COLOR, DayView

from .fakes import FakeClock

ARTIFACTS = Path(__file__).parent / "artifacts"
BERLIN = ZoneInfo("Europe/Berlin")
ANA = Teammate("Ana", "Europe/London")
BO = Teammate("Bo", "America/New_York")
KAI = Teammate("Kai", "Asia/Tokyo")
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def settings(*team: Teammate, days: tuple[str, ...] = EVERY_DAY[:5]) -> Settings:
    return Settings(
        general=GeneralSettings(timezone="Europe/Berlin"),
        workday=WorkdaySettings(days=days),
        team=team,
    )


def view_at(qtbot: QtBot, config: Settings, now: datetime, width: int = 900) -> DayView:
    view = DayView(config, FakeClock(now), lambda: BERLIN)
    qtbot.addWidget(view)
    view.strip.resize(width, view.strip.sizeHint().height())
    return view


def at_fraction(view: DayView, fraction: float) -> float:
    area = view.strip.timeline_rect()
    return area.left() + fraction * area.width()


def test_overlap_band_spans_the_common_hours(qtbot: QtBot) -> None:
    # Tuesday: Berlin 09:00-17:30, London 10:00-18:30, New York 15:00-23:30 (Berlin time).
    view = view_at(qtbot, settings(ANA, BO), datetime(2026, 11, 24, 12, 0, tzinfo=BERLIN))
    assert view.summary.text() == "Overlap today 15:00–17:30"
    assert view.strip.overlap_spans() == [
        pytest.approx((at_fraction(view, 15 / 24), at_fraction(view, 17.5 / 24)))
    ]
    assert view.strip.now_x() == pytest.approx(at_fraction(view, 12 / 24))
    area = view.strip.timeline_rect()
    assert area.left() >= view.strip.label_width() and area.right() < view.strip.width()


def test_on_the_23_hour_day_the_axis_follows_real_time(qtbot: QtBot) -> None:
    # Sunday 29 March 2026: Berlin and London move clocks at 01:00 UTC; the day has 23 hours.
    # Overlap 10:00-17:30 CEST = 9 to 16.5 real hours after midnight.
    ana = Teammate("Ana", "Europe/London", days=EVERY_DAY)
    view = view_at(
        qtbot, settings(ana, days=EVERY_DAY), datetime(2026, 3, 27, 12, 0, tzinfo=BERLIN)
    )
    view.step(2)
    assert view.summary.text() == "Overlap on Sun 29 Mar 10:00–17:30"
    assert view.strip.overlap_spans() == [
        pytest.approx((at_fraction(view, 9 / 23), at_fraction(view, 16.5 / 23)))
    ]
    assert view.strip.now_x() is None  # not today


def test_previous_next_and_today(qtbot: QtBot) -> None:
    view = view_at(qtbot, settings(ANA, BO), datetime(2026, 11, 27, 12, 0, tzinfo=BERLIN))
    view.next.click()  # Saturday: the user's day off
    assert view.summary.text() == "No common hours on Sat 28 Nov (your day off)"
    assert view.strip.overlap_spans() == []
    view.previous.click()
    view.previous.click()
    assert view.summary.text() == "Overlap on Thu 26 Nov 15:00–17:30"
    view.today_button.click()
    assert view.shown_date().isoformat() == "2026-11-27"
    assert view.strip.now_x() is not None


def test_under_no_common_hours_no_box_is_drawn(qtbot: QtBot) -> None:
    view = view_at(qtbot, settings(ANA, BO, KAI), datetime(2026, 11, 24, 12, 0, tzinfo=BERLIN))
    assert view.summary.text().startswith("No common hours today; best: Ana+Bo 15:00–17:30")
    assert view.strip.overlap_spans() == [] and view.strip.boxes() == []
    assert "everyone working" not in view.legend.text()  # nothing of the kind is drawn
    view.show()
    qtbot.waitExposed(view)
    image = view.strip.grab().toImage()
    # Where the best window starts (15:00), above the bars: just the hour line, as at 14:00.
    y = int(view.strip.row_rect(0).top() + 2)
    x15, x14 = round(at_fraction(view, 15 / 24)), round(at_fraction(view, 14 / 24))
    around = (-2, -1, 0, 1, 2)
    assert [image.pixelColor(x15 + d, y) for d in around] == [
        image.pixelColor(x14 + d, y) for d in around
    ]


def test_rows_show_the_user_then_teammates_west_to_east(qtbot: QtBot) -> None:
    view = view_at(qtbot, settings(KAI, ANA, BO), datetime(2026, 11, 24, 12, 0, tzinfo=BERLIN))
    plan = view.strip.plan
    assert plan is not None
    assert [(row.name, row.where) for row in plan.rows] == [
        ("You", "Berlin (CET)"),
        ("Bo", "New York (EST)"),
        ("Ana", "London (GMT)"),
        ("Kai", "Tokyo (JST)"),
    ]
    kai = plan.rows[3].working[0]
    assert (kai.start.time(), kai.end.time()) == (time(1, 0), time(9, 30))  # in Berlin time


def test_rendered_strip_draws_the_band_and_the_now_line_where_computed(qtbot: QtBot) -> None:
    """Also leaves tests/qt/artifacts/day_view.png to look at."""
    view = view_at(qtbot, settings(ANA, BO), datetime(2026, 11, 24, 16, 0, tzinfo=BERLIN))
    view.show()
    qtbot.waitExposed(view)
    image = view.strip.grab().toImage()
    ARTIFACTS.mkdir(exist_ok=True)
    view.grab().save(str(ARTIFACTS / "day_view.png"))
    now_x = view.strip.now_x()
    assert now_x is not None
    y = int(view.strip.row_rect(1).center().y())
    assert image.pixelColor(round(now_x), y) == QColor(NOW_COLOR)
    (x0, x1) = view.strip.overlap_spans()[0]
    row = view.strip.row_rect(0)
    gap_y = int(row.top() + 2)  # above the bar: only the background and the band's shade
    inside = image.pixelColor(int((x0 + x1) / 2) + 3, gap_y)
    outside = image.pixelColor(int(x0) - 12, gap_y)
    assert inside != outside


def test_teammates_menu_screenshot(qtbot: QtBot) -> None:
    """The Teammates submenu as ui/tray.py builds it, saved to artifacts/teammates_menu.png."""
    config = settings(ANA, BO, KAI)
    now = datetime(2026, 3, 10, 15, 20, tzinfo=BERLIN)  # New York on EDT, Europe not yet
    menu = QMenu()
    qtbot.addWidget(menu)
    menu.addAction(overlap_line(config, now, BERLIN)).setEnabled(False)
    menu.addSeparator()
    for line in teammate_lines(config, now, BERLIN):
        menu.addAction(line).setEnabled(False)
    menu.adjustSize()
    image = menu.grab()
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(str(ARTIFACTS / "teammates_menu.png"))
    longest = max(menu.fontMetrics().horizontalAdvance(a.text()) for a in menu.actions())
    assert image.width() > longest  # nothing elided
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "No common hours today; best: Ana+Bo 14:00–17:30; Ana 10:00–17:30",
        "● Bo — 10:20 New York (EDT) · working",
        "● Ana — 14:20 London (GMT) · working",
        "☾ Kai — 23:20 Tokyo (JST) · asleep",
    ]


def labels_clear_of_lines(view: DayView) -> None:
    lines = view.strip.obstacles()
    labels = view.strip.bar_labels()
    assert labels, "some bar has a label"
    for _row, _text, rect in labels:
        for x in lines:
            assert not rect.left() - 2 < x < rect.right() + 2, (x, rect)


def test_the_now_line_and_the_box_never_cross_a_bar_label(qtbot: QtBot) -> None:
    """16:00: the now line falls in the middle of every bar; the box edges cut the labels."""
    view = view_at(qtbot, settings(ANA, BO), datetime(2026, 11, 24, 13, 15, tzinfo=BERLIN))
    view.show()
    qtbot.waitExposed(view)
    labels_clear_of_lines(view)
    assert {text for _row, text, _rect in view.strip.bar_labels()} >= {"09:00–17:30"}
    # In the picture: no now-red pixel inside any label.
    image = view.strip.grab().toImage()
    for _row, _text, rect in view.strip.bar_labels():
        for x in range(int(rect.left()), int(rect.right())):
            assert image.pixelColor(x, int(rect.center().y())) != QColor(NOW_COLOR)
    view.grab().save(str(ARTIFACTS / "day_view_labels.png"))


def test_a_legend_says_what_the_shades_mean(qtbot: QtBot) -> None:
    view = view_at(qtbot, settings(ANA, BO), datetime(2026, 11, 24, 12, 0, tzinfo=BERLIN))
    view.show()
    qtbot.waitExposed(view)
    text = view.legend.text()
    assert "night (22:00–07:00 their time)" in text
    assert "working hours" in text and "everyone working" in text and "now" in text
    # The night square is the colour the night band really has on screen.
    ana = view.strip.plan.rows[2]  # type: ignore[union-attr]  # on the plain background
    night = ana.night[0]  # until 08:00 Berlin time
    x = round((view.strip.x_for(night.start) + view.strip.x_for(night.end)) / 2) + 4  # off 04:00
    y = int(view.strip.row_rect(2).center().y())
    seen = view.strip.grab().toImage().pixelColor(x, y)
    square = re.search(r"color:(#[0-9a-f]{6})'>&#9632;</span> night", text)
    assert square is not None
    got = QColor(square.group(1))
    assert max(abs(got.red() - seen.red()), abs(got.green() - seen.green())) <= 3


def test_the_slider_shows_everyones_time_at_that_moment(qtbot: QtBot) -> None:
    view = view_at(qtbot, settings(ANA, BO), datetime(2026, 11, 24, 12, 0, tzinfo=BERLIN))
    assert view.slider.maximum() == 24 * 60 - 1
    assert view.slider.value() == 12 * 60  # on now, today
    assert view.moment_label.text() == "Now, 12:00 your time: Bo ☾ 06:00 · Ana ● 11:00"
    view.slider.setValue(16 * 60 + 30)  # as a drag does
    assert view.moment_label.text() == "At 16:30 your time: Bo ● 10:30 · Ana ● 15:30"
    assert view.strip.moment_x() == pytest.approx(at_fraction(view, 16.5 / 24))
    assert [tag for tag, _rect in view.strip.moment_tags()] == ["16:30", "● 10:30", "● 15:30"]
    view.show()
    qtbot.waitExposed(view)
    labels_clear_of_lines(view)  # the moment's line is kept off the labels too
    view.grab().save(str(ARTIFACTS / "day_view_moment.png"))
    # A click on the strip picks the moment under it.
    strip = view.strip
    x = at_fraction(view, 20 / 24)
    qtbot.mouseClick(
        strip, Qt.MouseButton.LeftButton, pos=QPoint(round(x), int(strip.row_rect(1).center().y()))
    )
    assert view.moment_label.text().startswith("At 20:0") or view.moment_label.text().startswith(
        "At 19:5"
    )
    view.today_button.click()  # back to following now
    assert view.moment() is None and view.moment_label.text().startswith("Now, 12:00")


def test_the_slider_counts_real_minutes_on_clock_change_days(qtbot: QtBot) -> None:
    bo = Teammate("Bo", "America/New_York", days=EVERY_DAY)
    view = view_at(qtbot, settings(bo, days=EVERY_DAY), datetime(2026, 3, 27, 12, 0, tzinfo=BERLIN))
    view.set_date(date(2026, 3, 29))  # Berlin springs forward: 23 hours
    assert view.slider.maximum() == 23 * 60 - 1
    view.slider.setValue(120)  # 01:00 UTC
    assert view.moment_label.text() == "At 03:00 your time: Bo ○ Sat 21:00"
    view.set_date(date(2026, 10, 25))  # Berlin falls back: 25 hours, 02:30 happens twice
    assert view.slider.maximum() == 25 * 60 - 1
    view.slider.setValue(150)  # 00:30 UTC: the first 02:30 (CEST)
    first = view.moment_label.text()
    view.slider.setValue(210)  # 01:30 UTC: the second 02:30 (CET)
    second = view.moment_label.text()
    assert first == "At 02:30 your time: Bo ○ Sat 20:30"
    assert second == "At 02:30 your time: Bo ○ Sat 21:30"


def test_someone_on_a_day_off_reads_day_off_not_an_empty_strip(qtbot: QtBot) -> None:
    """Saturday: Ana works Mon-Fri, Bo works Saturdays too; the user does not work."""
    weekend_bo = Teammate("Bo", "America/New_York", days=EVERY_DAY[:6])
    view = view_at(qtbot, settings(ANA, weekend_bo), datetime(2026, 11, 28, 13, 15, tzinfo=BERLIN))
    view.show()
    qtbot.waitExposed(view)
    names = [row.name for row in view.strip.plan.rows]
    off = {names[index] for index, _rect in view.strip.day_off_labels()}
    assert off == {names[0], "Ana"}  # the user and Ana; Bo works
    lines = view.strip.obstacles()
    area = view.strip.timeline_rect()
    for index, rect in view.strip.day_off_labels():
        assert view.strip.row_rect(index).contains(rect.center())
        assert area.left() <= rect.left() and rect.right() <= area.right()
        for x in lines:
            assert not rect.left() - 2 < x < rect.right() + 2, (x, rect)
    view.grab().save(str(ARTIFACTS / "day_view_day_off.png"))
