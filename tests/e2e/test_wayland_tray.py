"""The tray on Wayland, end to end: headless sway, waybar's tray as the StatusNotifierItem host.

What waybar (or KDE, or GNOME's AppIndicator extension) does with the icon is done here over
D-Bus the same way: the menu read with ``GetLayout`` and clicked with ``Event``, a left click
sent as ``Activate``. Windows and focus are read from sway.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e import harness, wayland
from tests.e2e.app_under_test import SETTINGS, cli, settings_pid, status
from tests.e2e.conftest import StartedOnWayland
from tests.e2e.screenshots import publish
from tests.e2e.wayland import SniBus, SniItem, Sway, Waybar
from tests.e2e.wayland_pointer import BTN_LEFT, BTN_RIGHT, VirtualPointer

pytestmark = pytest.mark.e2e

SETTINGS_TITLE = harness.titled("Settings")

StartBoundaries = Callable[..., StartedOnWayland]


def on_the_bar(started: StartedOnWayland) -> SniItem:
    assert started.item is not None
    return started.item


def test_the_icon_appears_when_the_bar_starts_late_and_again_after_it_restarts(
    sway: Sway,
    shared_bus: str,
    start_boundaries_on_wayland: StartBoundaries,
    artifacts_dir: Path,
) -> None:
    app = start_boundaries_on_wayland(tray=False).app  # autostart before the panel
    harness.wait_for(
        lambda: "waiting for one" in app.stderr(), timeout=20, message=lambda: app.output()
    )
    bus = SniBus(shared_bus)
    assert bus.items() == []

    for attempt in ("first", "restarted"):
        bar = wayland.start_waybar(sway, shared_bus, artifacts_dir / f"waybar-{attempt}.log")
        try:
            item = bus.item_of(app.pid)
            assert item.tooltip().startswith("Boundaries — ")
        finally:
            harness.stop(bar.proc)  # the panel goes away (a crash, or a restart)
    assert app.proc.poll() is None, app.output()
    assert "Traceback" not in app.stderr(), app.stderr()


def test_the_menu_over_dbusmenu_drives_the_app(
    waybar: Waybar, start_boundaries_on_wayland: StartBoundaries
) -> None:
    # Between the default focus blocks, whenever the suite runs.
    started = start_boundaries_on_wayland(at="2026-11-24 12:30:00")
    app, env, item = started.app, started.env, on_the_bar(started)
    menu = item.menu()
    shown = menu.shown()
    for label in ("Start focus", "Sign off now", "Copy a time for the team…", "Settings…", "Quit"):
        assert label in shown, shown
    assert "End focus" not in shown

    item.click(menu.find("Start focus").find("25 min"))
    harness.wait_for(lambda: status(env)["state"] == "focusing", timeout=10)
    menu = item.menu()
    assert "End focus" in menu.shown()
    header = next(entry for entry in menu.children if entry.visible)
    assert header.label.startswith("Focus until "), menu.children
    assert not header.enabled

    item.click(menu.find("Quit"))
    assert app.proc.wait(timeout=15) == 0, app.output()
    assert "Traceback" not in app.stderr(), app.stderr()


def test_a_left_click_opens_settings_with_focus_and_windows_take_focus(
    waybar: Waybar,
    sway: Sway,
    wayland_env: dict[str, str],
    start_boundaries_on_wayland: StartBoundaries,
    artifacts_dir: Path,
) -> None:
    started = start_boundaries_on_wayland()
    app, item = started.app, on_the_bar(started)

    item.activate("SecondaryActivate")  # a middle click: nothing, and no error
    item.provide_activation_token(wayland.activation_token(sway))  # as Plasma does first
    item.activate("Activate")  # a left click
    window = settings_pid(app.pid)  # Settings is a process of its own (record 0018)
    settings = sway.view(SETTINGS_TITLE, pid=window)
    harness.wait_for(lambda: sway.view(SETTINGS_TITLE).focused, timeout=10, message="focus")
    assert [v.name for v in sway.views() if v.pid == window] == [SETTINGS_TITLE]
    assert [v.name for v in sway.views() if v.pid == app.pid] == []
    shot = artifacts_dir / "settings.png"
    harness.wait_for(  # its own process may paint a moment after the view appears
        lambda: harness.colour_count(sway.screenshot(shot, crop=settings.rect)) > 16,
        timeout=10,
        message="Settings painted",
    )

    for entry, title in (
        ("This week…", harness.titled("This week")),
        ("Copy a time for the team…", harness.titled("Copy a time for the team")),
    ):
        item.click(item.menu().find(entry))
        sway.view(title, pid=app.pid)
        harness.wait_for(
            lambda t=title: sway.view(t).focused, timeout=10, message=f"{title} focused"
        )

    # A second start, from a launcher that hands it an activation token: Settings comes back.
    token = wayland.activation_token(sway)
    second = cli({**wayland_env, "XDG_ACTIVATION_TOKEN": token})
    assert "already running" in second.stdout
    harness.wait_for(
        lambda: sway.view(SETTINGS_TITLE).focused,
        timeout=10,
        message=lambda: f"Settings focused again; {sway.views()}",
    )
    assert len([v for v in sway.views() if v.name == SETTINGS_TITLE]) == 1
    assert settings_pid(app.pid) == window  # raised, not a second one
    assert app.proc.poll() is None, app.output()
    assert "Traceback" not in app.stderr(), app.stderr()


def test_the_menu_on_waybar_with_a_real_click_screenshot(
    waybar: Waybar,
    sway: Sway,
    start_boundaries_on_wayland: StartBoundaries,
    artifacts_dir: Path,
) -> None:
    """A right click on the icon opens waybar's menu (ours, over dbusmenu); a left click opens
    Settings. The picture is the README's."""
    app = start_boundaries_on_wayland(at="2026-11-24 09:20:00").app  # a Tuesday
    icon = harness.wait_for(
        lambda: wayland.tray_icon_box(sway), timeout=10, message="the icon on the bar"
    )
    x, y, w, h = icon
    region = (wayland.SCREEN[0] - 420, 0, 420, 460)
    before = wayland.grab(sway, region)
    with VirtualPointer(sway.wayland_display, wayland.SCREEN) as mouse:

        def right_click_opens_the_menu() -> wayland.Box | None:
            # waybar reads the menu over D-Bus after the item appears; until then a click
            # opens an empty menu. Close it and click again.
            mouse.click(x + 2, y + h - 2, BTN_RIGHT)  # lower left: the menu leaves the icon seen
            try:
                return harness.wait_for(
                    lambda: _menu_box(wayland.changed_box(before, wayland.grab(sway, region))),
                    timeout=3,
                )
            except TimeoutError:
                mouse.click(wayland.SCREEN[0] // 2, wayland.SCREEN[1] // 2, BTN_LEFT)
                return None

        menu = harness.wait_for(right_click_opens_the_menu, timeout=20, message="waybar's menu")
        mx, my, _mw, mh = menu
        mouse.move(mx - 200, my + mh + 100)  # away (no tooltip); the menu stays open
        left = max(0, min(mx, x) - 48)
        crop = (left, 0, wayland.SCREEN[0] - left, my + mh + 16)
        shot = sway.screenshot(artifacts_dir / "tray-menu-wayland.png", crop=crop)
        publish(shot, "tray-menu-wayland.png")

        mouse.click(mx - 100, 400, BTN_LEFT)  # away from the menu: it closes

        def left_click_opens_settings() -> bool:
            # A click while the closing menu still holds the pointer goes to the menu; another
            # click while Settings is being built only raises it.
            mouse.click(x + w // 2, y + h // 2, BTN_LEFT)
            try:
                window = settings_pid(app.pid, timeout=5)
                return bool(sway.view(SETTINGS_TITLE, pid=window, timeout=5))
            except TimeoutError:
                return False

        # Building Settings the first time takes seconds under libfaketime on a busy machine.
        harness.wait_for(left_click_opens_settings, timeout=60, message="Settings by a left click")
    assert app.proc.poll() is None, app.output()


def _menu_box(box: wayland.Box | None) -> wayland.Box | None:
    """A change below the bar and taller than a few lines is the open menu."""
    if box is None or box[3] < 150:
        return None
    return box


def test_team_day_opens_with_focus_from_the_teammates_submenu(
    waybar: Waybar, sway: Sway, start_boundaries_on_wayland: StartBoundaries
) -> None:
    started = start_boundaries_on_wayland()
    app, item = started.app, on_the_bar(started)
    item.about_to_show(item.menu().find("Teammates"))  # the submenu is filled when it opens
    item.click(item.menu(about_to_show=False).find("Teammates").find("Team day…"))
    sway.view(harness.titled("Team day"), pid=app.pid, timeout=30)
    harness.wait_for(
        lambda: sway.view(harness.titled("Team day")).focused,
        timeout=10,
        message="Team day focused",
    )
    assert app.proc.poll() is None, app.output()


def test_the_sign_off_window_opens_with_focus(
    waybar: Waybar, sway: Sway, start_boundaries_on_wayland: StartBoundaries
) -> None:
    # Notifications off: the sign-off nudge opens the sign-off window itself.
    app = start_boundaries_on_wayland(
        at="2026-11-24 17:29:57",  # a Tuesday
        settings=SETTINGS.replace("[general]\n", "[general]\nnotifications = false\n"),
        tray=False,
    ).app
    # Start-up under libfaketime on a loaded machine can take seconds: wait for the window.
    signoff = sway.view(harness.titled("Sign off"), pid=app.pid, timeout=45)
    assert signoff.app_id == "boundaries"
    harness.wait_for(
        lambda: sway.view(harness.titled("Sign off")).focused,
        timeout=10,
        message="the sign-off window focused",
    )
    assert app.proc.poll() is None, app.output()
