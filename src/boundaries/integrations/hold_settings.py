"""Do Not Disturb kept as a desktop setting: GNOME's GSettings key and XFCE's xfconf property.

GNOME's DND switch sets ``org.gnome.desktop.notifications show-banners`` to false; XFCE's
notification daemon keeps ``/do-not-disturb`` on the ``xfce4-notifyd`` channel. Both are read
with the desktop's own command-line tool (no GObject bindings needed), and only on that desktop:
a GNOME key left over on a KDE machine says nothing about KDE, so there it is "unknown".
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence

from boundaries.core.holds import HoldReading, HoldReason

_TIMEOUT = 3.0
GNOME_SCHEMA = "org.gnome.desktop.notifications"
GNOME_KEY = "show-banners"
XFCE_CHANNEL = "xfce4-notifyd"
XFCE_PROPERTY = "/do-not-disturb"
_GNOME_DESKTOPS = ("gnome", "unity", "budgie", "pantheon", "cinnamon")


def on_desktop(names: Sequence[str], env: Mapping[str, str]) -> bool:
    """``XDG_CURRENT_DESKTOP`` (a colon-separated list) names one of ``names``."""
    current = env.get("XDG_CURRENT_DESKTOP", "").lower().split(":")
    return any(name in current for name in names)


def run_tool(argv: Sequence[str], env: Mapping[str, str]) -> tuple[int, str]:
    """Run a desktop tool; (exit code, stdout or stderr). Missing tool: (127, why)."""
    path = shutil.which(argv[0], path=env.get("PATH"))
    if path is None:
        return 127, f"{argv[0]} is not installed"
    try:
        done = subprocess.run(
            [path, *argv[1:]],
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return 126, str(error)
    return done.returncode, (done.stdout if done.returncode == 0 else done.stderr).strip()


class GnomeBannersSource:
    """GNOME: banners off means Do Not Disturb."""

    name = "GNOME"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = env

    def read(self) -> HoldReading:
        env = self._env if self._env is not None else os.environ
        if not on_desktop(_GNOME_DESKTOPS, env):
            return HoldReading.unknown(self.name, "not a GNOME desktop")
        code, out = run_tool(("gsettings", "get", GNOME_SCHEMA, GNOME_KEY), env)
        if code != 0:
            return HoldReading.unknown(self.name, out)
        if out not in ("true", "false"):
            return HoldReading.unknown(self.name, f"{GNOME_KEY} is {out!r}")
        return HoldReading(self.name, out == "false", HoldReason.DND, f"{GNOME_KEY}={out}")

    def close(self) -> None:
        pass


class XfceDndSource:
    """XFCE: xfce4-notifyd's own Do Not Disturb switch."""

    name = "XFCE"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = env

    def read(self) -> HoldReading:
        env = self._env if self._env is not None else os.environ
        if not on_desktop(("xfce",), env):
            return HoldReading.unknown(self.name, "not an XFCE desktop")
        code, out = run_tool(("xfconf-query", "-c", XFCE_CHANNEL, "-p", XFCE_PROPERTY), env)
        if code == 1 and "does not exist" in out:
            return HoldReading(self.name, False, None, "never switched on")  # notifyd's default
        if code != 0:
            return HoldReading.unknown(self.name, out)
        if out not in ("true", "false"):
            return HoldReading.unknown(self.name, f"{XFCE_PROPERTY} is {out!r}")
        return HoldReading(self.name, out == "true", HoldReason.DND, f"{XFCE_PROPERTY}={out}")

    def close(self) -> None:
        pass
