"""The first run, end to end (#18 item 14): no settings file, the real app under Xvfb.

The first-run window explains and asks; until the user confirms it, the default 09:00-11:00
block does not start by itself, even at 09:30 on a Monday. Without a tray, the first-run
message is a notification and the window, not only a line on stderr.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e import harness
from tests.e2e.app_under_test import status, window_named
from tests.e2e.conftest import NotificationsView, Started
from tests.e2e.harness import Launched, Trayer
from tests.e2e.screenshots import publish

pytestmark = pytest.mark.e2e

TITLE = harness.titled("Welcome")  # ui/first_run.py WINDOW_TITLE, with the app's name


def test_first_run_window_asks_first_and_writes_the_settings_file(
    trayer: Trayer,
    app_env: dict[str, str],
    start_boundaries: Callable[..., Started],
    artifacts_dir: Path,
) -> None:
    settings_file = Path(app_env["BOUNDARIES_CONFIG_DIR"]) / "settings.toml"
    assert not settings_file.exists()
    app, env, _ = start_boundaries(at="2026-11-23 09:30:00", settings=None)  # a Monday
    window = window_named(trayer.display, app.pid, TITLE, timeout=20)
    crop = harness.region_around([window], 0)
    shot = harness.painted_screenshot(trayer.display, artifacts_dir / "first-run.png", crop)
    publish(shot, "first-run.png")

    report = status(env)
    assert report["state"] == "idle"  # 09:30, inside the default block: nothing started
    assert report["focus_blocks"] == []
    assert not settings_file.exists()  # nothing is written before the user chose

    harness.xdotool(trayer.display, "windowfocus", "--sync", window.id)
    harness.press_keys(trayer.display, "Return")  # "Start with these settings" is the default
    harness.wait_for(settings_file.exists, timeout=15, message="settings.toml to be written")
    written = tomllib.loads(settings_file.read_text(encoding="utf-8"))
    assert [(b["start"], b["end"]) for b in written["focus"]["blocks"]] == [
        ("09:00", "11:00"),
        ("14:00", "16:00"),
    ]
    harness.wait_for(
        lambda: status(env)["state"] == "focusing",
        timeout=15,
        message="the confirmed 09:00-11:00 block to start",
    )
    harness.wait_for(
        lambda: not [w for w in harness.popup_windows(trayer.display, app.pid) if w.name == TITLE],
        timeout=15,
        message="the first-run window to close",
    )
    assert app.proc.poll() is None, app.output()


def test_first_run_without_a_tray_is_a_notification_and_the_window(
    xvfb_no_tray: str,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    notifications: NotificationsView,
    artifacts_dir: Path,
) -> None:
    env = {**app_env, "DISPLAY": xvfb_no_tray}
    app = launch([*harness.BOUNDARIES_CMD], env, name="boundaries-no-tray")
    note = notifications.wait_for(lambda n: n["sender_pid"] == app.pid, timeout=20)
    assert note["summary"] == "Boundaries is running"
    assert "no system tray yet" in note["body"]
    window = window_named(xvfb_no_tray, app.pid, TITLE, timeout=20)
    crop = harness.region_around([window], 0)
    harness.painted_screenshot(xvfb_no_tray, artifacts_dir / "first-run-no-tray.png", crop)
    assert "no system tray yet; waiting for one" in app.stderr()
    assert app.proc.poll() is None, app.output()
