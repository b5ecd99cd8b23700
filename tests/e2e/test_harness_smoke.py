"""The e2e harness itself works: a tray icon embeds, its menu opens, notifications round-trip.

Runs against tests/e2e/standin_tray.py, so the harness is proven before the real app exists;
the same fixtures start the real app with ``harness.BOUNDARIES_CMD``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e import harness
from tests.e2e.conftest import NotificationsView
from tests.e2e.harness import Launched, Trayer

pytestmark = pytest.mark.e2e


def test_tray_icon_embeds_and_its_menu_opens(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    artifacts_dir: Path,
) -> None:
    display = trayer.display
    app = launch(harness.STANDIN_TRAY_CMD, app_env)
    app.wait_for_line("TRAY_VISIBLE")

    icon = harness.tray_icon(display, pid=app.pid)
    assert harness.tray_icon_embedded(display, pid=app.pid)
    assert (icon.width, icon.height) == (22, 22), icon  # trayer's 24 px panel minus its border

    harness.click_tray_icon(display, button=3, pid=app.pid)
    app.wait_for_line("MENU_SHOWN")
    menu = harness.wait_for(
        lambda: harness.popup_windows(display, pid=app.pid), message="the menu window"
    )[0]
    assert menu.width > 100 and menu.height > 60, menu

    shot = harness.screenshot(
        display, artifacts_dir / "tray-menu.png", crop=harness.region_around([icon, menu])
    )
    assert shot.stat().st_size > 1000
    harness.screenshot(display, artifacts_dir / "screen.png")


def test_no_icon_is_reported_without_a_tray(
    xvfb_no_tray: str, app_env: dict[str, str], launch: Callable[..., Launched]
) -> None:
    app = launch(harness.STANDIN_TRAY_CMD, {**app_env, "DISPLAY": xvfb_no_tray})
    app.wait_for_line("NO_TRAY")
    assert not harness.tray_icon_embedded(xvfb_no_tray)


def test_notification_reaches_the_recorder_and_a_click_comes_back(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    notifications: NotificationsView,
) -> None:
    app = launch([*harness.STANDIN_TRAY_CMD, "--notify-on-start"], app_env)
    sent = app.wait_for_line("NOTIFIED")
    note = notifications.wait_for(lambda n: n["summary"] == "Time to sign off")

    assert sent == f"NOTIFIED {note['id']}"
    assert note["sender_pid"] == app.pid
    assert note["app_name"] == "Boundaries stand-in"
    assert note["actions"] == ["default", "Open", "snooze", "Snooze 15 min"]
    assert note["hints"]["urgency"] == 1

    notifications.invoke_action(note["id"], "snooze")
    app.wait_for_line(f"ACTION {note['id']} snooze")


def test_notification_sent_from_the_menu(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    notifications: NotificationsView,
) -> None:
    """Drive the menu like a user: right-click the icon, then click an item."""
    display = trayer.display
    app = launch(harness.STANDIN_TRAY_CMD, app_env)
    app.wait_for_line("TRAY_VISIBLE")
    harness.click_tray_icon(display, pid=app.pid)
    app.wait_for_line("MENU_SHOWN")
    # The status line is disabled, so the first Down lands on "Send test notification".
    harness.press_keys(display, "Down", "Return")
    sent = app.wait_for_line("NOTIFIED")
    note = notifications.wait_for()
    assert sent == f"NOTIFIED {note['id']}"
    assert note["sender_pid"] == app.pid
