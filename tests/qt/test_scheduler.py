"""The planner: one timer however often it re-plans, wakes when due, notices clock jumps."""

from __future__ import annotations

import logging
import math
import threading
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.qt import QtScheduler
from pytestqt.qtbot import QtBot

from boundaries.app import scheduler as scheduler_module
from boundaries.app.scheduler import Planner


def _process_runs(caplog: pytest.LogCaptureFixture) -> int:
    return sum("Looking for jobs to run" in r.getMessage() for r in caplog.records)


@pytest.fixture
def planner(qtbot: QtBot) -> Planner:
    """A planner whose APScheduler is already loaded (it loads for any wake-up)."""
    planner = Planner(zone_name=lambda: "Europe/Berlin", load_ahead_s=math.inf)
    planner.start()
    planner.wake_at(datetime.now(UTC) + timedelta(hours=1))
    qtbot.waitUntil(lambda: planner.is_loaded, timeout=5000)
    planner.wake_at(None)
    yield planner
    planner.stop()


def test_apscheduler_loads_off_the_gui_thread_only_when_a_wakeup_comes_close(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real_import = scheduler_module._import_apscheduler

    def recording_import() -> None:
        threads.append(threading.current_thread().name)
        real_import()

    monkeypatch.setattr(scheduler_module, "_import_apscheduler", recording_import)
    planner = Planner(zone_name=lambda: "Europe/Berlin", load_ahead_s=1.0)
    planner.start()
    try:
        woke: list[str] = []
        planner.woke.connect(woke.append)
        planner.wake_at(datetime.now(UTC) + timedelta(hours=3))
        qtbot.wait(100)  # nothing to wait for: a wrong load would have started its thread by now
        assert not planner.is_loaded and threads == []  # hours away: nothing loaded
        due = datetime.now(UTC) + timedelta(seconds=1.6)
        planner.wake_at(due)
        qtbot.wait(100)  # as above: time for a wrong load to show
        assert not planner.is_loaded  # still further than load_ahead_s
        qtbot.waitUntil(lambda: datetime.now(UTC) > due - timedelta(seconds=0.9), timeout=3000)
        planner.check_clock()  # the drift check is the pre-wake
        qtbot.waitUntil(lambda: planner.is_loaded, timeout=5000)
        assert threads == ["apscheduler-import"]
        qtbot.waitUntil(lambda: woke == ["due"], timeout=5000)
        assert datetime.now(UTC) >= due
    finally:
        planner.stop()


def test_hundred_replans_leave_one_timer_and_one_wakeup(
    planner: Planner, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="apscheduler")
    woke: list[str] = []
    planner.woke.connect(woke.append)
    soon = datetime.now(UTC) + timedelta(milliseconds=300)
    for i in range(100):
        planner.wake_at(soon + timedelta(milliseconds=i))
    caplog.clear()
    qtbot.waitUntil(lambda: woke == ["due"], timeout=3000)
    qtbot.wait(300)  # leaked timer chains would keep processing after the one job ran
    assert woke == ["due"]
    assert _process_runs(caplog) <= 2
    assert len(planner.scheduler.get_jobs()) == 0


def test_stock_qtscheduler_leaks_timers_under_pyside6(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Canary for the upstream trap our subclass avoids; if this fails, upstream fixed it."""
    caplog.set_level(logging.DEBUG, logger="apscheduler")
    stock = QtScheduler(executors={"default": DebugExecutor()})
    stock.start()
    try:
        runs: list[int] = []
        soon = datetime.now(UTC) + timedelta(milliseconds=200)
        for i in range(20):
            stock.add_job(
                runs.append,
                "date",
                run_date=soon,
                args=[i],
                id="j",
                replace_existing=True,
                misfire_grace_time=None,
            )
        caplog.clear()
        qtbot.waitUntil(lambda: len(runs) == 1, timeout=3000)
        # The leaked timers keep processing after the job ran (a timeout here: upstream fixed).
        qtbot.waitUntil(lambda: _process_runs(caplog) > 5, timeout=3000)
    finally:
        stock.shutdown(wait=False)


def test_replanning_moves_the_single_wakeup(planner: Planner, qtbot: QtBot) -> None:
    far = datetime.now(UTC) + timedelta(hours=3)
    planner.wake_at(far)
    timer = planner.scheduler.wake_timer
    # add_job wakes the scheduler at once (a 0 ms timer); it then re-arms for the due time.
    qtbot.waitUntil(lambda: abs(timer.remainingTime() - 3 * 3600 * 1000) < 5000)
    assert timer.isActive()
    planner.wake_at(datetime.now(UTC) + timedelta(minutes=1))
    qtbot.waitUntil(lambda: abs(timer.remainingTime() - 60_000) < 5000)
    assert len(planner.scheduler.get_jobs()) == 1
    planner.wake_at(None)
    assert planner.scheduler.get_jobs() == []


def test_a_wakeup_in_the_past_fires_at_once_rather_than_being_dropped(
    planner: Planner, qtbot: QtBot
) -> None:
    with qtbot.waitSignal(planner.woke, timeout=2000) as blocker:
        planner.wake_at(datetime.now(UTC) - timedelta(minutes=10))
    assert blocker.args == ["due"]


def test_a_wakeup_already_due_wakes_at_once_and_loads_nothing(qtbot: QtBot) -> None:
    """After a resume the catch-up comes first: no import competes with it for the GIL."""
    planner = Planner(zone_name=lambda: "Europe/Berlin")
    planner.wake_at(datetime.now(UTC) - timedelta(minutes=70))  # the evening's missed nudge
    try:
        with qtbot.waitSignal(planner.woke, timeout=2000) as blocker:
            planner.start()
        assert blocker.args == ["due"]
        assert not planner.is_loaded
        assert "apscheduler-import" not in {thread.name for thread in threading.enumerate()}
        with qtbot.waitSignal(planner.loaded, timeout=5000):  # the re-plan: a close one loads
            planner.wake_at(datetime.now(UTC) + timedelta(seconds=30))
    finally:
        planner.stop()


def test_clock_jump_and_zone_change_wake_the_app(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    zone = ["Europe/Berlin"]
    offset = [1000.0]
    monkeypatch.setattr(scheduler_module, "_wall_minus_monotonic", lambda: offset[0])
    planner = Planner(zone_name=lambda: zone[0])
    woke: list[str] = []
    planner.woke.connect(woke.append)
    planner.check_clock()
    assert woke == []  # nothing moved
    offset[0] += 300  # a 5-minute suspend: wall clock ran on, monotonic did not
    planner.check_clock()
    assert woke == ["clock_jump"]
    zone[0] = "America/New_York"
    planner.check_clock()
    assert woke == ["clock_jump", "zone_change"]
    offset[0] += 0.5  # ordinary jitter is not a jump
    planner.check_clock()
    assert woke == ["clock_jump", "zone_change"]


def test_a_wakeup_due_while_apscheduler_still_loads_is_not_late(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A resume 1 s before sign-off on a busy machine: the import may outlast the wait."""
    release = threading.Event()
    real_import = scheduler_module._import_apscheduler

    def slow_import() -> None:
        release.wait(10)
        real_import()

    monkeypatch.setattr(scheduler_module, "_import_apscheduler", slow_import)
    planner = Planner(zone_name=lambda: "Europe/Berlin")
    planner.start()
    try:
        woke: list[tuple[str, datetime]] = []
        planner.woke.connect(lambda reason: woke.append((reason, datetime.now(UTC))))
        due = datetime.now(UTC) + timedelta(milliseconds=400)
        planner.wake_at(due)
        qtbot.waitUntil(lambda: bool(woke), timeout=3000)
        assert not planner.is_loaded  # still importing
        reason, at = woke[0]
        assert reason == "due"
        assert at >= due - timedelta(milliseconds=50)  # coarse: a few % early at most
        assert at - due < timedelta(milliseconds=500)
        release.set()
        qtbot.waitUntil(lambda: planner.is_loaded, timeout=5000)
        planner.wake_at(datetime.now(UTC) + timedelta(milliseconds=200))
        qtbot.waitUntil(lambda: len(woke) == 2, timeout=3000)  # APScheduler from here on
    finally:
        release.set()
        planner.stop()
