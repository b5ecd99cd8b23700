"""Meetings in the app: the agreement's next meeting in Teammates ▸ and the Team day, and the
"Plan a meeting…" window (planned on a worker, shaded grid, rotation, burdens, copy, export)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from boundaries.app.workers import WorkerPool
from boundaries.core.meeting import Attendee
from boundaries.ui.day_view import DayView
from boundaries.ui.meeting_window import BANDS, MeetingWindow
from tests.qt.conftest import MakeApp
from tests.unit.test_meeting_agreement import MEMBERS, STANDUP

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=LONDON)  # a Monday; the standup is Tue, Wed or Thu
WEEK = ("mon", "tue", "wed", "thu", "fri")
PEOPLE = [
    Attendee("me", "Europe/London", time(9), time(17, 30), WEEK),
    Attendee("Ana", "America/New_York", time(9), time(17), WEEK),
    Attendee("Bo", "Asia/Singapore", time(9), time(18), WEEK),
]


def window(
    qtbot: QtBot, written: list[tuple[Path, bytes]] | None = None, time_format: str = "24h"
) -> MeetingWindow:
    workers = WorkerPool(name="test-meeting")
    out = written if written is not None else []
    made = MeetingWindow(
        PEOPLE,
        "Europe/London",
        date(2027, 3, 8),
        workers,
        lambda path, data: out.append((path, data)),
        lambda: NOW,
        time_format,
    )
    qtbot.addWidget(made)
    made._workers_keep = workers  # type: ignore[attr-defined]  # lives as long as the window
    return made


def planned(qtbot: QtBot, made: MeetingWindow) -> MeetingWindow:
    made.show()
    made.plan()
    assert made.status.text() == "Planning…"  # the answer comes from a worker, later
    assert made.windowTitle() == "Plan a meeting (planning…)"
    qtbot.waitUntil(lambda: made.planned is not None, timeout=20_000)
    assert made.windowTitle() == "Plan a meeting"
    return made


def clipped(root: QWidget) -> list[str]:
    """Labels (and buttons) whose text needs more room than they were given."""
    found = []
    for label in root.findChildren(QLabel):
        shown = label.isVisible() and label.text() and not label.wordWrap()
        if shown and label.sizeHint().width() > label.width():
            found.append(label.text())
    return found


def test_the_plan_arrives_from_a_worker_and_fills_the_window(qtbot: QtBot) -> None:
    made = planned(qtbot, window(qtbot))
    assert made.status.text() == ""
    plan = made.planned
    assert plan is not None
    rows = made.rotation.rowCount()
    assert rows == 8
    headers = [made.rotation.horizontalHeaderItem(i).text() for i in range(5)]
    assert headers == ["When (London)", "me", "Ana", "Bo", "Whose turn"]
    first = [made.rotation.item(0, i).text() for i in range(5)]
    assert first[0].startswith("Tue 9 Mar")  # the week of the chosen Monday, 8 March
    # The burden table: the plan against the best fixed slot, per person.
    burden = [
        [made.burden.item(r, c).text() for c in range(3)] for r in range(made.burden.rowCount())
    ]
    assert [row[0] for row in burden] == ["me", "Ana", "Bo"]
    assert [int(row[1]) for row in burden] == list(plan.proposal.burdens)
    assert plan.fixed is not None
    assert [int(row[2]) for row in burden] == list(plan.fixed.plan.burdens)
    assert max(plan.proposal.burdens) <= max(plan.fixed.plan.burdens)
    assert made.burden.horizontalHeaderItem(2).text().startswith("Fixed (Tue ")


def test_the_grid_shades_every_candidate_and_outlines_the_proposal(qtbot: QtBot) -> None:
    made = planned(qtbot, window(qtbot))
    grid = made.grid
    assert [d.isoformat() for d in grid.days()] == ["2027-03-09", "2027-03-11"]
    assert len(grid.walls()) == 96  # every 15 minutes
    bands = [grid.band_at(row, column) for row in range(2) for column in range(96)]
    assert None not in bands
    # London, New York and Singapore share no hour (and New York no shoulder with Singapore).
    assert set(bands) == {2, 3}
    # 03:00 London is 22:00 New York and 11:00 Singapore: someone's night.
    assert grid.band_at(0, 12) == 3
    # 12:00 London is 07:00 New York (their shoulder) and 20:00 Singapore (their evening).
    assert grid.band_at(0, 48) == 2
    proposed = grid.proposed_cell()
    assert proposed is not None
    assert grid._start_at(*proposed) == made.planned.proposal.starts[0]  # type: ignore[union-attr]
    # Another occurrence chosen in the rotation: the grid shows its week.
    made.rotation.selectRow(3)
    assert grid.days()[0] == date(2027, 3, 30)
    assert "Occurrence 4 of 8" in made.grid_title.text()
    # Distinct colours for the four bands of the legend.
    assert len({color.name() for _limit, color, _text in BANDS}) == 4


def test_copy_as_text_gives_what_the_command_line_prints(qtbot: QtBot) -> None:
    made = planned(qtbot, window(qtbot))
    made.copy_button.click()
    text = QGuiApplication.clipboard().text()
    assert text == made.text()
    assert text.splitlines()[0].startswith("Tue 9 Mar")
    assert "Burden (plan vs. the best fixed slot, Tue" in text
    assert made.status.text() == "Copied the plan as text."


def test_in_12_hour_mode_the_copied_plan_reads_with_am_pm(qtbot: QtBot) -> None:
    made = planned(qtbot, window(qtbot, time_format="12h"))
    made.copy_button.click()
    text = QGuiApplication.clipboard().text()
    first = text.splitlines()[0]
    assert first.startswith("Tue 9 Mar ") and re.search(r" \d{1,2}:\d\d [AP]M London", first)
    assert re.search(r"best fixed slot, Tue \d{1,2}:\d\d [AP]M London", text)
    assert not re.search(r"\b\d\d?:\d\d\b(?! [AP]M)", text)  # no 24-hour time anywhere


def test_export_writes_one_event_per_occurrence_on_a_worker(qtbot: QtBot, tmp_path: Path) -> None:
    written: list[tuple[Path, bytes]] = []
    made = planned(qtbot, window(qtbot, written))
    target = tmp_path / "standup.ics"
    made.export_to(target)
    qtbot.waitUntil(lambda: made.status.text().startswith("Exported"), timeout=10_000)
    assert made.status.text() == f"Exported 8 events to {target}."
    [(path, data)] = written
    assert path == target
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    assert len(events) == 8
    starts = [e.decoded("dtstart").astimezone(ZoneInfo("UTC")) for e in events]
    assert starts == [s.astimezone(ZoneInfo("UTC")) for s in made.planned.proposal.starts]  # type: ignore[union-attr]


def test_nothing_to_plan_says_why(qtbot: QtBot) -> None:
    made = window(qtbot)
    for button in made.day_buttons:
        button.setChecked(False)
    made.plan()
    assert made.status.text() == "Choose at least one day."
    for box in made.attendees[1:]:
        box.setChecked(False)
    made.plan()
    assert made.status.text() == "Choose at least two attendees."


def test_no_label_is_clipped_at_the_size_it_opens(qtbot: QtBot) -> None:
    made = planned(qtbot, window(qtbot))
    QApplication.sendPostedEvents()  # the layout requests the plan's labels posted
    assert clipped(made) == []
    grid = made.grid
    assert grid.width() >= grid.minimumSizeHint().width()
    metrics = grid.fontMetrics()
    for day in grid.days():
        from boundaries.core.timefmt import format_day

        assert metrics.horizontalAdvance(format_day(day)) <= grid.label_width()
    # Table columns fit their text.
    table = made.rotation
    for column in range(table.columnCount() - 1):
        for row in range(table.rowCount()):
            text = table.item(row, column).text()
            assert table.fontMetrics().horizontalAdvance(text) <= table.columnWidth(column)
    for label in made.legend.labels:
        assert label.width() >= label.sizeHint().width()


# --------------------------------------------------------------------------- in the app


def _app_with_standup(make_app: MakeApp, tmp_path: Path) -> object:
    agreement = tmp_path / "team.boundaries.toml"
    agreement.write_text(MEMBERS + STANDUP)
    settings = (
        f'[general]\ntimezone = "Europe/London"\n[agreement]\nfile = "{agreement}"\nme = "Ana"\n'
    )
    return make_app(settings, NOW)


def test_teammates_shows_the_next_meeting_and_whose_turn(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path
) -> None:
    app = _app_with_standup(make_app, tmp_path)
    tray = app.tray  # type: ignore[attr-defined]

    def lines() -> list[str]:
        tray._refresh_team()
        return [a.text() for a in tray.team_menu.actions() if a.text()]

    qtbot.waitUntil(lambda: any(t.startswith("Standup") for t in lines()), timeout=20_000)
    found = lines()
    # 2 March 2027, 09:00 UTC: 01:00 in Los Angeles, 20:00 in Sydney.
    assert "Standup tomorrow 09:00–09:30 · Bo's turn (01:00 Los Angeles)" in found
    assert found.index("Standup tomorrow 09:00–09:30 · Bo's turn (01:00 Los Angeles)") == 1
    assert found[-2:] == ["Team &day…", "&Plan a meeting…"]


def test_team_day_shows_the_next_meeting_and_opens_the_planner(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path
) -> None:
    app = _app_with_standup(make_app, tmp_path)
    qtbot.waitUntil(
        lambda: (
            app.meeting_times is not None  # type: ignore[attr-defined]
            and app.meeting_times.next_occurrences(NOW) != []
        ),  # type: ignore[attr-defined]
        timeout=20_000,
    )
    app.open_team_day()  # type: ignore[attr-defined]
    [view] = [w for w in app.open_windows if isinstance(w, DayView)]  # type: ignore[attr-defined]
    assert view.next_meeting.isVisible()
    assert view.next_meeting.text() == (
        "Next: Standup tomorrow 09:00–09:30 · Bo's turn (01:00 Los Angeles)"
    )
    view.plan_button.click()
    [planner] = [w for w in app.open_windows if isinstance(w, MeetingWindow)]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: planner.planned is not None, timeout=20_000)
    names = [planner.burden.item(r, 0).text() for r in range(planner.burden.rowCount())]
    assert names == ["Ana", "Bo", "Chen"]  # the user (Ana in the agreement), then the team


def test_a_rotation_too_large_to_plan_exactly_is_said_not_guessed(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boundaries.core.meeting

    monkeypatch.setattr(boundaries.core.meeting, "MAX_STATES", 0)  # refuse any search
    app = _app_with_standup(make_app, tmp_path)
    tray = app.tray  # type: ignore[attr-defined]

    def lines() -> list[str]:
        tray._refresh_team()
        return [a.text() for a in tray.team_menu.actions() if a.text()]

    refused = (
        "Standup: too many combinations to plan its rotation exactly "
        "(fewer attendees or days in the agreement would do)"
    )
    qtbot.waitUntil(lambda: refused in lines(), timeout=20_000)
    assert not any(t.startswith("Standup tomorrow") for t in lines())
