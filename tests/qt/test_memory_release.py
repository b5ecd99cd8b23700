"""Memory releases never outlive the app that scheduled them; the one after start-up turns the
cyclic GC back on."""

from __future__ import annotations

import gc

import pytest
from pytestqt.qtbot import QtBot

from boundaries.app.memory_release import MemoryReleaser


def test_a_release_scheduled_before_shutdown_never_runs_after_it(qtbot: QtBot) -> None:
    releaser = MemoryReleaser(delay_ms=50)
    runs: list[bool] = []
    releaser.release_now = lambda trim=True: runs.append(trim)  # type: ignore[method-assign]
    releaser.schedule_light()
    releaser.schedule()
    releaser.stop()  # the app shuts down
    qtbot.wait(200)  # nothing to wait for: four times the delay, a release still armed would run
    assert runs == []


def test_a_window_deleted_after_shutdown_schedules_no_release(qtbot: QtBot) -> None:
    releaser = MemoryReleaser(delay_ms=50)
    runs: list[bool] = []
    releaser.release_now = lambda trim=True: runs.append(trim)  # type: ignore[method-assign]
    releaser.stop()  # the app shuts down; its windows are deleted later (deleteLater)
    releaser.schedule()  # what a window's destroyed signal does
    releaser.schedule_light()
    qtbot.wait(200)  # nothing to wait for: four times the delay, an armed release would run
    assert runs == []


def test_a_light_release_runs_once_after_start(qtbot: QtBot) -> None:
    releaser = MemoryReleaser(delay_ms=50)
    runs: list[bool] = []
    releaser.release_now = lambda trim=True: runs.append(trim)  # type: ignore[method-assign]
    releaser.schedule_light()
    qtbot.waitUntil(lambda: runs == [False], timeout=2000)


def test_the_cyclic_gc_is_on_again_after_the_start_up_release(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOUNDARIES_MEMORY_RELEASE", "0")  # releases off: the GC still returns
    releaser = MemoryReleaser(delay_ms=50)
    gc.disable()  # what boundaries.entry does for the start-up
    try:
        releaser.schedule_light()
        qtbot.waitUntil(gc.isenabled, timeout=2000)
    finally:
        gc.enable()
