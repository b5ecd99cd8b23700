"""Memory releases never outlive the app that scheduled them; the one after start-up turns the
cyclic GC back on, and from then on an import leaves no module sources behind."""

from __future__ import annotations

import gc
import linecache
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from boundaries.app.memory_release import MemoryReleaser


@pytest.fixture
def late_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[tuple[str, str]]]:
    """Two modules nobody imported yet, as a feature loaded on first use: (name, file).

    Names of their own in each test: PySide6's hook reads a module name's source only once.
    The tests import them with ``__import__`` (what an ``import`` statement calls: PySide6's
    hook), not ``importlib.import_module``, which bypasses the hook."""
    modules = [(f"{tmp_path.name}_{n}", tmp_path / f"{tmp_path.name}_{n}.py") for n in (1, 2)]
    for _name, path in modules:
        path.write_text('"""A feature."""\nVALUE = 1\n' * 50)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield [(name, str(path)) for name, path in modules]
    for name, _path in modules:
        sys.modules.pop(name, None)


def _started(qtbot: QtBot) -> MemoryReleaser:
    """A releaser whose release after start-up has run (the real one)."""
    releaser = MemoryReleaser(delay_ms=50)
    ran: list[bool] = []
    release = releaser.release_now

    def recorded(trim: bool = True) -> None:
        release(trim)
        ran.append(trim)

    releaser.release_now = recorded  # type: ignore[method-assign]
    releaser.schedule_light()
    qtbot.waitUntil(lambda: ran == [False], timeout=2000)
    return releaser


def test_after_the_start_up_release_an_import_leaves_no_sources_behind(
    qtbot: QtBot, late_modules: list[tuple[str, str]]
) -> None:
    releaser = _started(qtbot)
    try:
        (first, first_file), (second, _) = late_modules
        __import__(first)
        # PySide6's import hook read the module's source to see whether it uses PySide6,
        # and linecache kept it: the memory the app no longer holds on to.
        assert first_file in linecache.cache
        __import__(second)
        assert first_file not in linecache.cache
    finally:
        releaser.stop()


def test_after_shutdown_imports_keep_their_sources_again(
    qtbot: QtBot, late_modules: list[tuple[str, str]]
) -> None:
    _started(qtbot).stop()  # the app quit: the process is as it was (the next test's app)
    (first, first_file), (second, _) = late_modules
    __import__(first)
    __import__(second)
    assert first_file in linecache.cache


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
