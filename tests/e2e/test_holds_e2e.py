"""Held nudges in the real app: the desktop's Do Not Disturb (the recorder's ``Inhibited``, as
KDE's server has it) holds the sign-off nudge; the tray's first line says why; a crash and a
new start keep it; turning DND off delivers it once after the grace; a later one is released
from the tray menu. Xvfb + trayer + the private bus, time moved with libfaketime."""

from __future__ import annotations

import json
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e import harness
from tests.e2e.app_under_test import set_clock, start_app
from tests.e2e.conftest import NotificationsView, Started
from tests.e2e.harness import Launched, NotifyRecorder, Trayer
from tests.fakes.notify_recorder import call_test_method

pytestmark = pytest.mark.e2e


@pytest.fixture
def user_dnd(notify_recorder: NotifyRecorder) -> Iterator[Callable[[bool], None]]:
    """Switch the (session-wide) server's Do Not Disturb; always off again afterwards."""

    def switch(on: bool) -> None:
        call_test_method(notify_recorder.bus_address, "SetInhibited", "b", (on,))

    yield switch
    switch(False)


def open_menu(trayer: Trayer, app: Launched, shot: Path) -> Path:
    icon = harness.tray_icon(trayer.display, pid=app.pid)
    harness.click_tray_icon(trayer.display, button=3, pid=app.pid)
    menu = harness.wait_for(
        lambda: [w for w in harness.popup_windows(trayer.display, pid=app.pid) if w.height > 150],
        timeout=10,
        message="the tray menu",
    )[0]
    return harness.screenshot(trayer.display, shot, crop=harness.region_around([icon, menu]))


def ours(notifications: NotificationsView, app: Launched) -> list[str]:
    return [n["summary"] for n in notifications.all() if n["sender_pid"] == app.pid]


def test_a_nudge_held_in_dnd_survives_a_crash_and_comes_after_dnd_or_from_the_menu(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    start_boundaries: Callable[..., Started],
    notifications: NotificationsView,
    user_dnd: Callable[[bool], None],
    artifacts_dir: Path,
) -> None:
    held = Path(app_env["BOUNDARIES_CONFIG_DIR"]) / "state" / "held-nudges.json"
    user_dnd(True)
    app, env, clock = start_boundaries(at="2026-11-24 17:29:56")  # a Tuesday; sign-off 17:30
    harness.wait_for(held.exists, timeout=20, message="the sign-off nudge held")
    assert json.loads(held.read_text())["reason"] == "dnd"
    assert ours(notifications, app) == []
    open_menu(trayer, app, artifacts_dir / "tray-menu-held.png")  # "Sign-off nudge held: …"
    harness.press_keys(trayer.display, "Escape")

    app.proc.send_signal(signal.SIGKILL)  # a crash with the nudge held
    app.proc.wait(timeout=10)
    set_clock(clock, "2026-11-24 17:35:00")  # started again a few minutes later
    again = start_app(launch, env, trayer.display)
    open_menu(trayer, again, artifacts_dir / "tray-menu-held-after-restart.png")
    harness.press_keys(trayer.display, "Escape")
    assert ours(notifications, again) == []

    user_dnd(False)  # the server says so at once (PropertiesChanged): out after the grace
    note = notifications.wait_for(
        lambda n: n["sender_pid"] == again.pid and n["summary"] == "Time to sign off", timeout=60
    )
    assert note["hints"].get("urgency") == 1
    harness.wait_for(lambda: not held.exists(), timeout=10, message="nothing held any more")

    user_dnd(True)
    set_clock(clock, "2026-11-24 17:59:58")  # the 30-minute escalation comes in DND
    harness.wait_for(held.exists, timeout=20, message="the escalation held")
    open_menu(trayer, again, artifacts_dir / "tray-menu-release.png")
    harness.press_keys(trayer.display, "Down", "Return")  # the first item that can be chosen
    notifications.wait_for(
        lambda n: n["sender_pid"] == again.pid and n["summary"].startswith("Still working"),
        timeout=15,
    )
    assert ours(notifications, again)[-1].startswith("Still working")
    harness.wait_for(lambda: not held.exists(), timeout=10, message="released")
