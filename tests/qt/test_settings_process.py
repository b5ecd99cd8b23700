"""The app's side of the Settings process (docs/decisions/0018), with a real child: one window
at a time, the app's quit ends it, a crash or a failed start is said once and the next open
starts a new one."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from boundaries.app import settings_process
from boundaries.app.settings_process import NOT_STARTED, STOPPED, SettingsProcess
from boundaries.integrations.paths import AppDirs, resolve_dirs


@pytest.fixture
def dirs(tmp_path: Path) -> AppDirs:
    dirs = resolve_dirs(tmp_path / "config")
    dirs.config.mkdir(parents=True)
    (dirs.config / "settings.toml").write_text('version = 1\n[general]\ntimezone = "UTC"\n')
    return dirs


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def cmdline(pid: int | None) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""


def started(qtbot: QtBot, window: SettingsProcess) -> int:
    """The child's pid once it runs ``boundaries __settings-window`` (after its exec)."""
    qtbot.waitUntil(lambda: "__settings-window" in cmdline(window.pid), timeout=10_000)
    pid = window.pid
    assert pid is not None
    return pid


def test_a_second_open_raises_the_running_window_and_quit_ends_it(
    qtbot: QtBot, dirs: AppDirs
) -> None:
    window = SettingsProcess(dirs)
    problems: list[tuple[str, str]] = []
    window.problem.connect(lambda *said: problems.append(said))
    window.open()
    pid = started(qtbot, window)
    window.open("token-from-a-launcher")  # a second "Settings…": told on stdin, no new child
    window.token_changed()
    assert window.pid == pid
    qtbot.wait(300)  # the child reads its orders; it must still be running after them
    assert alive(pid) and window.pid == pid
    window.close()  # what the app's quit does
    qtbot.waitUntil(lambda: window.pid is None, timeout=15_000)
    assert not alive(pid)
    assert problems == []


def test_a_crash_is_said_and_the_next_open_starts_a_new_window(qtbot: QtBot, dirs: AppDirs) -> None:
    window = SettingsProcess(dirs)
    problems: list[tuple[str, str]] = []
    window.problem.connect(lambda *said: problems.append(said))
    window.open()
    first = started(qtbot, window)
    os.kill(first, signal.SIGKILL)
    qtbot.waitUntil(lambda: bool(problems), timeout=10_000)
    assert problems == [
        (
            STOPPED,
            "The Settings window stopped (it crashed); Boundaries keeps running. Open Settings "
            "again to continue; edits not yet saved are lost.",
        )
    ]
    assert window.pid is None
    window.open()
    second = started(qtbot, window)
    assert second != first
    window.close()
    qtbot.waitUntil(lambda: window.pid is None, timeout=15_000)
    assert len(problems) == 1


def test_a_window_that_cannot_start_is_said(
    qtbot: QtBot, dirs: AppDirs, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = str(tmp_path / "no-such-boundaries")
    monkeypatch.setattr(settings_process, "settings_command", lambda _dirs: [missing])
    window = SettingsProcess(dirs)
    problems: list[tuple[str, str]] = []
    window.problem.connect(lambda *said: problems.append(said))
    window.open()
    qtbot.waitUntil(lambda: bool(problems), timeout=10_000)
    ((title, message),) = problems
    assert title == NOT_STARTED
    assert message.startswith("The Settings window did not start (")
    assert window.pid is None
