"""Idle time for real: X11 MIT-SCREEN-SAVER under Xvfb + xdotool; Mutter's and KDE's D-Bus APIs.

Each test starts its own Xvfb (``-displayfd``) or private bus, so input sent here never reaches
another test's display. The X server counts real time, so "idle grows" is waited for by polling
(at most a few seconds), never by a fixed sleep.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from boundaries.integrations.idle import UnknownIdle, idle_source_for_platform
from boundaries.integrations.idle_dbus import BUS_NAME, MutterIdle
from boundaries.integrations.idle_x11 import X11Idle
from tests.e2e import harness

pytestmark = pytest.mark.e2e


@pytest.fixture
def display(e2e_tools: None, tmp_path: Path) -> Iterator[str]:
    server = harness.start_xvfb(screen="640x480x24", log_path=tmp_path / "xvfb.log")
    yield server.display
    harness.stop(server.proc)


def xdotool(display: str, *args: str) -> None:
    subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display}, check=True)


def idle(source: X11Idle) -> float:
    value = source.idle_seconds()
    assert value is not None
    return value


def test_idle_time_grows_and_input_resets_it(display: str) -> None:
    source = X11Idle(display)
    try:
        start = idle(source)
        grown = harness.wait_for(lambda: idle(source) >= start + 1.0, timeout=10, message="growth")
        assert grown

        xdotool(display, "mousemove", "200", "150")
        after_mouse = idle(source)
        assert after_mouse < 0.5 < start + 1.0

        harness.wait_for(lambda: idle(source) >= 1.0, timeout=10, message="growth again")
        xdotool(display, "key", "shift")
        assert idle(source) < 0.5
    finally:
        source.close()


def test_the_platform_factory_picks_x11_from_display(display: str) -> None:
    source = idle_source_for_platform({"DISPLAY": display}, platform="linux")
    assert isinstance(source, X11Idle)
    xdotool(display, "mousemove", "10", "10")
    value = source.idle_seconds()
    assert value is not None and value < 1.0
    source.close()


def test_no_x_server_is_unknown_not_a_crash() -> None:
    # A display number nobody uses: XOpenDisplay fails, and the answer is "unknown".
    assert X11Idle(":31999").idle_seconds() is None


def test_wayland_on_gnome_asks_mutter_and_unknown_stays_unknown() -> None:
    env = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}
    assert isinstance(idle_source_for_platform(env, platform="linux"), MutterIdle)
    assert isinstance(idle_source_for_platform({}, platform="linux"), UnknownIdle)


# --- desktop services (Mutter, KDE) answered by a stand-in on a private session bus ----------


class StandInIdleService:
    """Answers ``member`` on ``path`` with ``idle_ms`` (D-Bus type ``signature``), or ``error``."""

    def __init__(
        self, address: str, name: str, path: str, member: str, signature: str, idle_ms: int
    ) -> None:
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import open_dbus_connection

        self.idle_ms = idle_ms
        self.error = ""
        self.calls = 0
        self._path, self._member, self._signature = path, member, signature
        self._conn = open_dbus_connection(bus=address)
        self._conn.send_and_get_reply(message_bus.RequestName(name), timeout=5)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        from jeepney import HeaderFields, MessageType, new_error, new_method_return

        while not self._stop.is_set():
            try:
                msg = self._conn.receive(timeout=0.1)
            except TimeoutError:
                continue
            if msg.header.message_type is not MessageType.method_call:
                continue
            fields = msg.header.fields
            if self.error:
                self._conn.send(new_error(msg, self.error))
            elif (
                fields.get(HeaderFields.path) == self._path
                and fields.get(HeaderFields.member) == self._member
            ):
                self.calls += 1
                self._conn.send(new_method_return(msg, self._signature, (self.idle_ms,)))
            else:
                self._conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod"))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._conn.close()


@pytest.fixture
def private_bus(e2e_tools: None, tmp_path: Path) -> Iterator[str]:
    bus = harness.start_dbus(tmp_path / "bus")
    yield bus.address
    harness.stop(bus.proc)


def test_mutter_idle_monitor_over_dbus(private_bus: str) -> None:
    source = MutterIdle(bus=private_bus)
    assert source.idle_seconds() is None  # no Mutter on the bus yet: unknown
    mutter = StandInIdleService(
        private_bus, BUS_NAME, "/org/gnome/Mutter/IdleMonitor/Core", "GetIdletime", "t", 754_250
    )
    try:
        assert source.idle_seconds() == 754.25  # answers once Mutter is there
        mutter.idle_ms = 120
        assert source.idle_seconds() == 0.12
        assert mutter.calls == 2
    finally:
        mutter.stop()
        source.close()


# --- KDE: its screen saver service's GetSessionIdleTime, milliseconds ------------------------


def test_kde_screen_saver_idle_time_over_dbus(private_bus: str) -> None:
    from boundaries.integrations.idle_dbus import KDE_BUS_NAME, KdeScreenSaverIdle

    source = KdeScreenSaverIdle(bus=private_bus)
    assert source.idle_seconds() is None  # no KDE session: unknown
    kde = StandInIdleService(
        private_bus, KDE_BUS_NAME, "/ScreenSaver", "GetSessionIdleTime", "u", 61_500
    )
    try:
        assert source.idle_seconds() == 61.5
        kde.error = "org.freedesktop.DBus.Error.NotSupported"  # Plasma 6 on Wayland
        assert source.idle_seconds() is None
    finally:
        kde.stop()
        source.close()


def test_wayland_outside_gnome_asks_the_compositor_then_kde() -> None:
    from boundaries.integrations.idle import FirstKnownIdle
    from boundaries.integrations.idle_dbus import KdeScreenSaverIdle
    from boundaries.integrations.idle_wayland import WaylandIdle

    sway = idle_source_for_platform(
        {"WAYLAND_DISPLAY": "/run/x/wayland-1", "XDG_CURRENT_DESKTOP": "sway"}, platform="linux"
    )
    assert isinstance(sway, FirstKnownIdle)
    assert [type(s) for s in sway.sources] == [WaylandIdle]
    kde = idle_source_for_platform(
        {"WAYLAND_DISPLAY": "wayland-0", "XDG_CURRENT_DESKTOP": "KDE"}, platform="linux"
    )
    assert isinstance(kde, FirstKnownIdle)
    assert [type(s) for s in kde.sources] == [WaylandIdle, KdeScreenSaverIdle]
