"""Idle time on Wayland outside GNOME, for real: headless sway's idle notifications.

Debian 12's sway (1.7) offers KDE's ``org_kde_kwin_idle``; newer sway, KDE and Hyprland offer
``ext-idle-notify-v1``; the same code reads either. Input comes from a virtual keyboard
(wtype), which the compositor counts as the user's.
"""

from __future__ import annotations

import pytest

from boundaries.integrations.idle import FirstKnownIdle, idle_source_for_platform
from boundaries.integrations.idle_wayland import WaylandIdle
from tests.e2e import harness
from tests.e2e.wayland import Sway

pytestmark = pytest.mark.e2e


def idle(source: WaylandIdle) -> float:
    """The idle time, with "unknown" as -1 so that a wait keeps polling."""
    value = source.idle_seconds()
    return -1.0 if value is None else value


def test_idle_time_grows_and_a_key_press_resets_it(sway: Sway) -> None:
    source = WaylandIdle(sway.wayland_display, resolution=1.0)
    source.start()
    try:
        assert source.protocol in ("ext-idle-notify-v1", "org_kde_kwin_idle")
        assert source.idle_seconds() is None  # listening for less than the resolution
        harness.wait_for(lambda: idle(source) >= 2.0, timeout=10, message="idle to grow")

        sway.type_key()
        harness.wait_for(lambda: idle(source) == 0.0, timeout=5, message="the key press")
        harness.wait_for(lambda: idle(source) >= 1.0, timeout=10, message="idle again")
    finally:
        source.close()


def test_the_platform_factory_picks_the_compositor_on_sway(sway: Sway) -> None:
    env = {"WAYLAND_DISPLAY": sway.wayland_display, "XDG_CURRENT_DESKTOP": "sway"}
    source = idle_source_for_platform(env, platform="linux")
    assert isinstance(source, FirstKnownIdle)
    source.start()
    try:
        harness.wait_for(
            lambda: (source.idle_seconds() or 0.0) > 0, timeout=20, message="an idle time"
        )
    finally:
        for inner in source.sources:
            if isinstance(inner, WaylandIdle):
                inner.close()


def test_a_compositor_that_is_gone_is_unknown_not_a_crash() -> None:
    source = WaylandIdle("/nonexistent/wayland-9", resolution=1.0)
    with pytest.raises(OSError):
        source.start()
    assert source.idle_seconds() is None
