"""Hold sources against the desktops' own services, for real: GNOME's GSettings key through a
private dconf-service, XFCE's xfconf property through a private xfconfd, each on a private bus
with its own config folder, so nothing touches the user's desktop."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from boundaries.integrations.hold_settings import GnomeBannersSource, XfceDndSource
from tests.e2e import harness

pytestmark = pytest.mark.e2e

DCONF_SERVICE = Path("/usr/libexec/dconf-service")
XFCONFD = next(Path("/usr/lib").glob("*/xfce4/xfconf/xfconfd"), Path("/usr/lib/xfconfd"))


@pytest.fixture
def session(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A private bus and config/runtime folders: the environment a desktop tool sees."""
    bus = harness.start_dbus(tmp_path / "bus")
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_RUNTIME_DIR": str(runtime),
        "DBUS_SESSION_BUS_ADDRESS": bus.address,
    }
    yield env
    harness.stop(bus.proc)


def serve(argv: list[str], env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    """Start a desktop service on the private bus and wait until it owns its name."""
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def owned() -> bool:
        query = ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus"]
        query += ["/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}"]
        out = subprocess.run(query, env=env, capture_output=True, text=True, check=False)
        return "boolean true" in out.stdout

    harness.wait_for(owned, timeout=10, message=f"{name} on the private bus")
    return proc


def tool(env: dict[str, str], *argv: str) -> None:
    subprocess.run(argv, env=env, check=True, capture_output=True, timeout=10)


@pytest.mark.skipif(not DCONF_SERVICE.exists(), reason="needs dconf-service (dconf-service)")
def test_gnome_do_not_disturb_is_banners_off(session: dict[str, str]) -> None:
    env = {**session, "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}
    dconf = serve([str(DCONF_SERVICE)], env, "ca.desrt.dconf")
    try:
        source = GnomeBannersSource(env)
        assert source.read().held is False  # the default: banners on
        tool(env, "gsettings", "set", "org.gnome.desktop.notifications", "show-banners", "false")
        reading = source.read()
        assert reading.held is True and reading.reason == "dnd"
        tool(env, "gsettings", "reset", "org.gnome.desktop.notifications", "show-banners")
        assert source.read().held is False
        assert GnomeBannersSource({**env, "XDG_CURRENT_DESKTOP": "KDE"}).read().held is None
        assert GnomeBannersSource({**env, "PATH": "/nonexistent"}).read().held is None
    finally:
        harness.stop(dconf)


@pytest.mark.skipif(not XFCONFD.exists(), reason="needs xfconfd (Debian: xfconf)")
def test_xfce_do_not_disturb_is_the_notifyd_property(session: dict[str, str]) -> None:
    env = {**session, "XDG_CURRENT_DESKTOP": "XFCE"}
    xfconfd = serve([str(XFCONFD)], env, "org.xfce.Xfconf")
    try:
        source = XfceDndSource(env)
        assert source.read().held is False  # never switched on
        channel = ["xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb"]
        tool(env, *channel, "-n", "-t", "bool", "-s", "true")
        reading = source.read()
        assert reading.held is True and reading.reason == "dnd"
        tool(env, *channel, "-s", "false")
        assert source.read().held is False
        assert XfceDndSource({**env, "XDG_CURRENT_DESKTOP": "GNOME"}).read().held is None
    finally:
        harness.stop(xfconfd)
