"""The real app, end to end: Xvfb + trayer + a private D-Bus with a notification recorder.

Time is moved for the app process with libfaketime (the wall clock only: the monotonic clock
stays real, exactly as during a suspend), so nudges are tested at their real times without
waiting for them.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import harness
from tests.e2e.app_under_test import (
    SETTINGS,
    cli,
    set_clock,
    settings_pid,
    start_app,
    status,
    window_named,
    write_settings,
)
from tests.e2e.conftest import NotificationsView, Started
from tests.e2e.harness import Launched, Trayer
from tests.e2e.screenshots import publish
from tests.e2e.test_slack_e2e import keyring_on_bus  # noqa: F401 - a fixture used below
from tests.fakes.slack_api import FAKE_TOKEN

pytestmark = pytest.mark.e2e


def _changed_shot(
    display: str, path: Path, crop: tuple[int, int, int, int], previous: bytes
) -> Path | None:
    """A screenshot of ``crop``, or None while it still looks like ``previous``."""
    shot = harness.screenshot(display, path, crop=crop)
    return shot if shot.read_bytes() != previous else None


def _settled_shot(display: str, path: Path, crop: tuple[int, int, int, int]) -> Path:
    """A screenshot of ``crop`` once it has stopped changing for a second (the Slack tab's
    token line is filled in by the agent a moment after the tab shows)."""
    shots: list[bytes] = []

    def steady() -> Path | None:
        shot = harness.screenshot(display, path, crop=crop)
        shots.append(shot.read_bytes())
        return shot if len(shots) >= 4 and len(set(shots[-4:])) == 1 else None

    return harness.wait_for(steady, timeout=15, interval=0.3, message=f"{path.name} to settle")


@pytest.mark.usefixtures("keyring_on_bus")  # the Slack tab as it looks with a token stored
def test_tray_icon_embeds_and_the_cli_drives_the_running_app(
    trayer: Trayer,
    app_env: dict[str, str],
    start_boundaries: Callable[..., Started],
    artifacts_dir: Path,
) -> None:
    login = subprocess.run(
        [*harness.BOUNDARIES_CMD, "slack", "login"],
        env=app_env,
        input=FAKE_TOKEN + "\n",
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert login.returncode == 0, login.stderr
    app = start_boundaries().app
    assert harness.tray_icon_embedded(trayer.display, pid=app.pid)

    out = cli(app_env, "focus", "1").stdout
    assert "state: focusing" in out
    report = status(app_env)
    assert report["state"] == "focusing"
    assert report["timezone"] == "Europe/Berlin"

    # A second start finds the first, opens its Settings and exits 0.
    second = cli(app_env)
    assert "already running" in second.stdout
    settings = settings_pid(app.pid)  # the window's own process (docs/decisions/0018)
    settings_window = window_named(trayer.display, settings, harness.titled("Settings"))
    shot = harness.painted_screenshot(
        trayer.display,
        artifacts_dir / "settings.png",
        harness.region_around([settings_window], margin=0),
    )
    publish(shot, "settings.png")
    crop = harness.region_around([settings_window], margin=0)
    previous = shot.read_bytes()
    for tab in ("team", "slack", "general"):  # Ctrl+Tab through the tabs, one shot each
        harness.xdotool(trayer.display, "windowfocus", "--sync", settings_window.id)
        harness.press_keys(trayer.display, "ctrl+Tab")
        path = artifacts_dir / f"settings-{tab}.png"
        shot = harness.wait_for(
            functools.partial(_changed_shot, trayer.display, path, crop, previous),
            timeout=10,
            message=f"the {tab} tab to show",
        )
        if tab == "slack":  # tick "Use Slack" (not saved): the tab as someone setting it up sees it
            shot = _settled_shot(trayer.display, path, crop)  # the token line has arrived
            harness.press_keys(trayer.display, "alt+u")
            harness.wait_for(
                functools.partial(_changed_shot, trayer.display, path, crop, shot.read_bytes()),
                timeout=10,
                message="the Slack fields to turn on",
            )
            shot = _settled_shot(trayer.display, path, crop)
        previous = shot.read_bytes()
        publish(shot, f"settings-{tab}.png")

    cli(app_env, "focus", "--end")
    assert status(app_env)["state"] == "idle"
    assert app.proc.poll() is None, app.output()
    assert "Traceback" not in app.stderr(), app.stderr()


def test_tray_menu_while_focusing_screenshot(
    trayer: Trayer, start_boundaries: Callable[..., Started], artifacts_dir: Path
) -> None:
    app, env, _ = start_boundaries(at="2026-11-24 09:20:00")  # a Tuesday
    assert status(env)["state"] == "focusing"  # the 09:00-11:00 block started by itself
    icon = harness.tray_icon(trayer.display, pid=app.pid)
    harness.click_tray_icon(trayer.display, button=3, pid=app.pid)
    menu = harness.wait_for(
        lambda: [w for w in harness.popup_windows(trayer.display, pid=app.pid) if w.height > 150],
        timeout=10,
        message="the tray menu",
    )[0]
    shot = harness.screenshot(
        trayer.display,
        artifacts_dir / "tray-menu.png",
        crop=harness.region_around([icon, menu]),
    )
    publish(shot, "tray-menu.png")
    harness.press_keys(trayer.display, "Escape")


def test_a_left_click_on_an_xembed_tray_opens_the_menu_at_the_icon(
    trayer: Trayer, start_boundaries: Callable[..., Started]
) -> None:
    app = start_boundaries().app
    icon = harness.click_tray_icon(trayer.display, button=1, pid=app.pid)
    menu = harness.wait_for(
        lambda: [w for w in harness.popup_windows(trayer.display, pid=app.pid) if w.height > 150],
        timeout=10,
        message="the tray menu after a left click",
    )[0]
    assert abs(menu.abs_x - icon.abs_x) < 400  # at the icon, not somewhere else
    windows = harness.popup_windows(trayer.display, pid=app.pid)
    assert harness.titled("Settings") not in [w.name for w in windows]  # the menu, not Settings
    harness.press_keys(trayer.display, "Escape")
    assert app.proc.poll() is None, app.output()


def test_sign_off_nudge_is_a_real_notification_and_its_button_works(
    start_boundaries: Callable[..., Started], notifications: NotificationsView
) -> None:
    app, env, _ = start_boundaries(at="2026-11-24 17:29:56")

    note = notifications.wait_for(lambda n: n["summary"] == "Time to sign off", timeout=20)
    assert note["app_name"] == "Boundaries"
    assert "17:30" in note["body"]
    assert "signoff" in note["actions"] and "snooze" in note["actions"]
    assert note["sender_pid"] == app.pid
    assert note["hints"].get("suppress-sound") is True  # sound is off by default
    assert "sound-name" not in note["hints"]

    notifications.invoke_action(note["id"], "signoff")
    harness.wait_for(
        lambda: status(env)["state"] == "signed_off",
        timeout=10,
        message="signed off after the notification's button",
    )
    assert status(env)["back_at"] == "2026-11-25T09:00:00+01:00"


def test_with_sound_on_the_nudge_asks_for_the_desktops_message_sound(
    start_boundaries: Callable[..., Started], notifications: NotificationsView
) -> None:
    start_boundaries(
        at="2026-11-24 17:14:57",
        settings=SETTINGS.replace("[general]\n", "[general]\nsound = true\n"),
    )

    note = notifications.wait_for(lambda n: n["summary"] == "Sign-off in 15 min", timeout=20)
    assert note["hints"].get("sound-name") == "message-new-instant"
    assert "suppress-sound" not in note["hints"]


def test_suspend_through_the_evening_gives_one_nudge_not_a_burst(
    start_boundaries: Callable[..., Started], notifications: NotificationsView
) -> None:
    app, env, clock = start_boundaries(at="2026-11-24 16:50:00")

    def mine() -> list[dict[str, Any]]:  # an earlier test's app may still be flushing its own
        return [n for n in notifications.all() if n["sender_pid"] == app.pid]

    assert mine() == []
    set_clock(clock, "2026-11-24 18:40:00")  # "resume": the wall clock jumped 1 h 50 min
    note = notifications.wait_for(lambda n: n["sender_pid"] == app.pid, timeout=15)
    assert note["summary"] == "Still working, 60 min past sign-off"
    # Heads-up, sign-off and the 30-min escalation were missed too: they coalesced.
    cli(env, "status")  # a round trip through the app's event loop after the nudge
    assert [n["summary"] for n in mine()] == [note["summary"]], app.output()


def test_killed_app_leaves_no_lock_that_blocks_the_next_start(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    start_boundaries: Callable[..., Started],
) -> None:
    first = start_boundaries().app
    cli(app_env, "focus", "30")
    os.kill(first.pid, signal.SIGKILL)
    first.proc.wait(timeout=10)

    second = start_app(launch, app_env, trayer.display)
    report = status(app_env)
    assert report["state"] == "focusing"  # the focus session survived the crash
    assert second.proc.poll() is None


def test_without_a_tray_the_app_says_so_and_keeps_working(
    xvfb_no_tray: str,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
) -> None:
    write_settings(app_env)
    env = {**app_env, "DISPLAY": xvfb_no_tray}
    app = launch([*harness.BOUNDARIES_CMD], env, name="boundaries-no-tray")
    harness.wait_for(
        lambda: "no system tray yet; waiting for one" in app.stderr(),
        timeout=15,
        message=lambda: app.output(),
    )
    assert status(env)["state"] in ("idle", "focusing")
    assert app.proc.poll() is None


def test_the_icon_docks_when_the_tray_starts_late_and_again_after_it_restarts(
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    artifacts_dir: Path,
) -> None:
    """Autostart before the panel, then the panel crashes and comes back: the icon follows."""
    server = harness.start_xvfb(log_path=artifacts_dir / "xvfb.log")
    try:
        write_settings(app_env)
        env = {**app_env, "DISPLAY": server.display}
        app = launch([*harness.BOUNDARIES_CMD], env, name="boundaries")
        harness.wait_for(lambda: "waiting for one" in app.stderr(), timeout=15)
        for attempt in ("late", "restarted"):
            tray = harness.start_trayer(server.display, artifacts_dir / f"trayer-{attempt}.log")
            try:
                harness.tray_icon(server.display, pid=app.pid, timeout=20)
            finally:
                harness.stop(tray.proc)
        assert app.proc.poll() is None, app.output()
        assert "Traceback" not in app.stderr(), app.stderr()
    finally:
        harness.stop(server.proc)


def _at_least(count: int, windows: list[harness.XWindow]) -> list[harness.XWindow] | None:
    return windows if len(windows) >= count else None


def test_teammates_submenu_day_view_and_week_view_screenshots(
    trayer: Trayer, start_boundaries: Callable[..., Started], artifacts_dir: Path
) -> None:
    app = start_boundaries(at="2026-11-27 15:20:00", history=True).app  # Friday
    icon = harness.tray_icon(trayer.display, pid=app.pid)

    harness.click_tray_icon(trayer.display, button=3, pid=app.pid)
    harness.wait_for(lambda: harness.popup_windows(trayer.display, pid=app.pid), timeout=10)
    harness.press_keys(trayer.display, "t")  # &Teammates
    menus = harness.wait_for(
        lambda: _at_least(2, harness.popup_windows(trayer.display, pid=app.pid)),
        timeout=10,
        message="the Teammates submenu",
    )
    shot = harness.screenshot(
        trayer.display, artifacts_dir / "teammates.png", crop=harness.region_around([icon, *menus])
    )
    publish(shot, "teammates.png")

    harness.press_keys(trayer.display, "d")  # Team &day…
    day = window_named(trayer.display, app.pid, harness.titled("Team day"))
    shot = harness.painted_screenshot(
        trayer.display, artifacts_dir / "day-view.png", harness.region_around([day], 0)
    )
    publish(shot, "day-view.png")

    harness.click_tray_icon(trayer.display, button=3, pid=app.pid)
    harness.wait_for(
        lambda: [
            w
            for w in harness.popup_windows(trayer.display, pid=app.pid)
            if w.name != harness.titled("Team day")
        ],
        timeout=10,
        message="the tray menu over the day view",
    )
    harness.press_keys(trayer.display, "w")  # This &week…
    week = window_named(trayer.display, app.pid, harness.titled("This week"))
    shot = harness.painted_screenshot(
        trayer.display, artifacts_dir / "week-view.png", harness.region_around([week], 0)
    )
    publish(shot, "week-view.png")
    assert app.proc.poll() is None, app.output()
    assert "Traceback" not in app.stderr(), app.stderr()


def test_start_at_login_follows_the_setting_for_the_users_own_profile(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
) -> None:
    # No BOUNDARIES_CONFIG_DIR: the default profile, which lives in the test's temp HOME.
    env = {k: v for k, v in app_env.items() if k != "BOUNDARIES_CONFIG_DIR"}
    entry = Path(env["XDG_CONFIG_HOME"]) / "autostart" / "boundaries.desktop"
    app = start_app(launch, env, trayer.display)
    harness.wait_for(entry.exists, timeout=15, message="the autostart entry")
    assert "Exec=" in entry.read_text()

    settings = Path(env["XDG_CONFIG_HOME"]) / "boundaries" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("[general]\nstart_at_login = false\n")  # a hand edit
    harness.wait_for(lambda: not entry.exists(), timeout=15, message="the entry removed")
    assert app.proc.poll() is None, app.output()


def test_a_separate_profile_never_touches_start_at_login(
    app_env: dict[str, str], start_boundaries: Callable[..., Started]
) -> None:
    start_boundaries()
    cli(app_env, "status")  # the app is up and has done its start-up work
    assert not (Path(app_env["XDG_CONFIG_HOME"]) / "autostart").exists()
