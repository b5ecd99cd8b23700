"""Do Not Disturb kept as a desktop setting: GNOME's GSettings key and XFCE's xfconf property.

GNOME's DND switch sets ``org.gnome.desktop.notifications show-banners`` to false; XFCE's
notification daemon keeps ``/do-not-disturb`` on the ``xfce4-notifyd`` channel. Both are read
with the desktop's own command-line tool (no GObject bindings needed), and only on that desktop:
a GNOME key left over on a KDE machine says nothing about KDE, so there it is "unknown".

While a nudge is held each is also *watched* (``watch(True)``): dconf's and xfconfd's change
signals on the session bus say at once that the user switched Do Not Disturb off. Nothing is
watched while nothing is held. dconf is GSettings' backend on every GNOME desktop; with another
backend the watch sees nothing and the gate's polling remains.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from boundaries.core.holds import HoldReading, HoldReason
from boundaries.integrations.dbus_watch import SignalWatch

_TIMEOUT = 3.0
GNOME_SCHEMA = "org.gnome.desktop.notifications"
GNOME_KEY = "show-banners"
XFCE_CHANNEL = "xfce4-notifyd"
XFCE_PROPERTY = "/do-not-disturb"
_GNOME_DESKTOPS = ("gnome", "unity", "budgie", "pantheon", "cinnamon")
# Where dconf keeps the key, and the object its writer service announces changes from (the
# "user" database of the default profile).
GNOME_DCONF_KEY = "/org/gnome/desktop/notifications/show-banners"
_DCONF_WRITER = "/ca/desrt/dconf/Writer/user"


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


class _WatchedSetting:
    """A setting read on demand and, while ``watch(True)``, watched for changes on the bus."""

    name = ""
    _desktops: tuple[str, ...] = ()

    def __init__(
        self, env: Mapping[str, str] | None = None, changed: Callable[[], None] | None = None
    ) -> None:
        self._env = env
        report = changed or (lambda: None)
        self._watch = SignalWatch(
            lambda _signal: report(), self._bus(), f"{self.name}'s DND change"
        )

    @property
    def env(self) -> Mapping[str, str]:
        return self._env if self._env is not None else os.environ

    def _bus(self) -> str:
        if self._env is None:
            return "SESSION"
        return self._env.get("DBUS_SESSION_BUS_ADDRESS") or "SESSION"

    def _rules(self) -> list[Any]:
        raise NotImplementedError

    @property
    def watching(self) -> bool:
        return self._watch.active

    def watch(self, on: bool) -> None:
        self._watch.watch(on and on_desktop(self._desktops, self.env), self._rules)

    def close(self) -> None:
        self._watch.close()


class GnomeBannersSource(_WatchedSetting):
    """GNOME: banners off means Do Not Disturb."""

    name = "GNOME"
    _desktops = _GNOME_DESKTOPS

    def _rules(self) -> list[Any]:
        from jeepney import MatchRule

        rule = MatchRule(
            type="signal", interface="ca.desrt.dconf.Writer", member="Notify", path=_DCONF_WRITER
        )
        # arg0path: the key itself, or a folder above it (a reset of the whole tree)
        rule.add_arg_condition(0, GNOME_DCONF_KEY, kind="path")
        return [rule]

    def read(self) -> HoldReading:
        env = self.env
        if not on_desktop(_GNOME_DESKTOPS, env):
            return HoldReading.unknown(self.name, "not a GNOME desktop")
        code, out = run_tool(("gsettings", "get", GNOME_SCHEMA, GNOME_KEY), env)
        if code != 0:
            return HoldReading.unknown(self.name, out)
        if out not in ("true", "false"):
            return HoldReading.unknown(self.name, f"{GNOME_KEY} is {out!r}")
        return HoldReading(self.name, out == "false", HoldReason.DND, f"{GNOME_KEY}={out}")


class XfceDndSource(_WatchedSetting):
    """XFCE: xfce4-notifyd's own Do Not Disturb switch."""

    name = "XFCE"
    _desktops = ("xfce",)

    def _rules(self) -> list[Any]:
        from jeepney import MatchRule

        rules = []
        for member in ("PropertyChanged", "PropertyRemoved"):
            rule = MatchRule(
                type="signal", interface="org.xfce.Xfconf", member=member, path="/org/xfce/Xfconf"
            )
            rule.add_arg_condition(0, XFCE_CHANNEL)
            rule.add_arg_condition(1, XFCE_PROPERTY)
            rules.append(rule)
        return rules

    def read(self) -> HoldReading:
        env = self.env
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
