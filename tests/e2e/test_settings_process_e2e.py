"""Settings is a process of its own (docs/decisions/0018-settings-process.md): opened from the
tray menu it runs beside the app, its save takes effect in the app at once, closing it ends
it, and a crash of it leaves the app running and says so; the next open works."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import harness
from tests.e2e.app_under_test import SETTINGS, cli, settings_pid, window_named
from tests.e2e.conftest import NotificationsView, Started
from tests.e2e.harness import Trayer
from tests.e2e.test_hardening_e2e import STATUS, send

pytestmark = pytest.mark.e2e

TITLE = harness.titled("Settings")
# A value that does not read: the app runs with the rest and Settings saves only what the
# user changes. The app must not take its own window's save for a broken hand edit.
PARTLY_BROKEN = SETTINGS.replace("[workday]\n", '[workday]\nheads_up_minutes = "soon"\n')


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state == "Z"  # exited, not yet reaped by whoever inherited it


def status(env: dict[str, str]) -> dict[str, Any]:
    """The app's status over the socket (the CLI refuses to run with a broken file)."""
    reply: dict[str, Any] = harness.wait_for(
        lambda: (send(env, STATUS) or {}).get("status"), timeout=20, message="the app's status"
    )
    return reply


def test_settings_runs_apart_saves_into_the_app_and_survives_a_crash(
    trayer: Trayer,
    start_boundaries: Callable[..., Started],
    notifications: NotificationsView,
) -> None:
    app, env, _ = start_boundaries(at="2026-11-24 12:30:00", settings=PARTLY_BROKEN)
    settings_file = Path(env["BOUNDARIES_CONFIG_DIR"]) / "settings.toml"
    assert status(env)["signoff"].endswith("17:30:00+01:00")

    harness.click_tray_icon(trayer.display, button=3, pid=app.pid)
    harness.wait_for(lambda: harness.popup_windows(trayer.display, pid=app.pid), timeout=10)
    harness.press_keys(trayer.display, "g")  # Settin&gs…
    child = settings_pid(app.pid)
    window = window_named(trayer.display, child, TITLE, timeout=30)
    assert not [w for w in harness.popup_windows(trayer.display, app.pid) if w.name == TITLE]

    harness.xdotool(trayer.display, "windowfocus", "--sync", window.id)
    harness.press_keys(trayer.display, "alt+o")  # Sign &off at
    harness.press_keys(trayer.display, "ctrl+a")
    harness.xdotool(trayer.display, "type", "--delay", "20", "18:45")
    harness.press_keys(trayer.display, "Return")  # OK
    harness.wait_for(
        lambda: status(env)["signoff"].endswith("18:45:00+01:00"),
        timeout=20,
        message=lambda: f"the app to run with the saved sign-off; {status(env)}",
    )
    assert 'signoff = "18:45"' in settings_file.read_text()
    assert 'heads_up_minutes = "soon"' in settings_file.read_text()  # untouched, as typed
    harness.wait_for(lambda: gone(child), timeout=20, message="Settings' process to end")
    titles = [n["summary"] for n in notifications.all() if n["sender_pid"] == app.pid]
    assert "Settings file not applied" not in titles  # its own window's save is no hand edit

    # A crash of the window's process: the app keeps running, says so, and opens it again.
    assert cli(env).returncode == 0  # a second start opens Settings
    crashing = settings_pid(app.pid)
    window_named(trayer.display, crashing, TITLE, timeout=30)
    app.expect_stderr("the Settings window's process ended: it crashed")
    os.kill(crashing, signal.SIGKILL)
    note = notifications.wait_for(lambda n: n["summary"] == "Settings closed unexpectedly")
    assert "Boundaries keeps running" in note["body"]
    assert app.proc.poll() is None, app.output()
    assert status(env)["state"] in ("idle", "focusing")

    assert cli(env).returncode == 0
    again = settings_pid(app.pid)
    assert again != crashing
    reopened = window_named(trayer.display, again, TITLE, timeout=30)
    harness.xdotool(trayer.display, "windowfocus", "--sync", reopened.id, "key", "Escape")
    harness.wait_for(lambda: gone(again), timeout=20, message="Settings to end after Escape")
    assert app.proc.poll() is None, app.output()
    assert app.stderr_problems() == [], app.stderr()
