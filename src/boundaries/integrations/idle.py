"""How long the user has been away from keyboard and mouse, from the platform; best effort.

One small interface, :class:`IdleSource`. ``idle_seconds()`` returns seconds since the last
input, or ``None`` when the platform cannot say: "unknown" is an honest answer, and the app
treats an unknown user as present (they still get their nudges), never as away.

Backends: X11 (MIT-SCREEN-SAVER, :mod:`idle_x11`), GNOME on Wayland (Mutter's IdleMonitor over
D-Bus, :mod:`idle_dbus`), other Wayland compositors (their idle notifications, ext-idle-notify-v1
or KDE's older protocol, :mod:`idle_wayland`, with KDE's screen saver service as a fallback),
macOS (IOKit ``HIDIdleTime``) and Windows (``GetLastInputInfo``). Each call is cheap (one round
trip at most); the app asks only when a nudge is due.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from typing import Protocol

log = logging.getLogger(__name__)


class IdleSource(Protocol):
    def idle_seconds(self) -> float | None:
        """Seconds since the user's last keyboard/mouse input, or None if unknown."""
        ...


class UnknownIdle:
    """The platform cannot tell; ``reason`` says why (shown in logs)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def idle_seconds(self) -> float | None:
        return None

    def __repr__(self) -> str:
        return f"UnknownIdle({self.reason!r})"


class FirstKnownIdle:
    """The first of several sources that knows (e.g. the compositor, then KDE's D-Bus service)."""

    def __init__(self, *sources: IdleSource) -> None:
        self.sources = sources

    def start(self) -> None:
        """Start the sources that listen (a Wayland idle notification counts from its start)."""
        for source in self.sources:
            start = getattr(source, "start", None)
            if start is not None:
                try:
                    start()
                except OSError as error:
                    log.info("idle source not started: %s", error)

    def idle_seconds(self) -> float | None:
        for source in self.sources:
            value = source.idle_seconds()
            if value is not None:
                return value
        return None

    def __repr__(self) -> str:
        return f"FirstKnownIdle{self.sources!r}"


class WindowsIdle:
    """``GetLastInputInfo``: the tick of the last input in this session (wraps at 49.7 days)."""

    def idle_seconds(self) -> float | None:
        import ctypes

        if sys.platform == "win32":

            class LastInputInfo(ctypes.Structure):
                _fields_ = (("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint32))

            info = LastInputInfo()
            info.cbSize = ctypes.sizeof(info)
            if not ctypes.windll.user32.GetLastInputInfo(ctypes.byref(info)):
                return None
            now = ctypes.windll.kernel32.GetTickCount() & 0xFFFFFFFF
            return float((now - info.dwTime) & 0xFFFFFFFF) / 1000.0
        return None


class MacIdle:
    """IOKit's ``IOHIDSystem`` ``HIDIdleTime`` (nanoseconds). Untested here: best effort."""

    _K_CF_STRING_ENCODING_UTF8 = 0x08000100
    _K_CF_NUMBER_SINT64 = 4

    def __init__(self) -> None:
        import ctypes
        import ctypes.util

        iokit_path = ctypes.util.find_library("IOKit")
        cf_path = ctypes.util.find_library("CoreFoundation")
        if not iokit_path or not cf_path:
            raise OSError("IOKit/CoreFoundation not found")
        self._iokit = ctypes.CDLL(iokit_path)
        self._cf = ctypes.CDLL(cf_path)
        self._iokit.IOServiceMatching.restype = ctypes.c_void_p
        self._iokit.IOServiceMatching.argtypes = (ctypes.c_char_p,)
        self._iokit.IOServiceGetMatchingService.restype = ctypes.c_uint32
        self._iokit.IOServiceGetMatchingService.argtypes = (ctypes.c_uint32, ctypes.c_void_p)
        self._iokit.IORegistryEntryCreateCFProperty.restype = ctypes.c_void_p
        self._iokit.IORegistryEntryCreateCFProperty.argtypes = (
            ctypes.c_uint32,
            ctypes.c_void_p,
            ctypes.c_void_p,
            ctypes.c_uint32,
        )
        self._iokit.IOObjectRelease.argtypes = (ctypes.c_uint32,)
        self._cf.CFStringCreateWithCString.restype = ctypes.c_void_p
        self._cf.CFStringCreateWithCString.argtypes = (
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_uint32,
        )
        self._cf.CFGetTypeID.restype = ctypes.c_ulong
        self._cf.CFGetTypeID.argtypes = (ctypes.c_void_p,)
        self._cf.CFNumberGetTypeID.restype = ctypes.c_ulong
        self._cf.CFNumberGetValue.restype = ctypes.c_bool
        self._cf.CFNumberGetValue.argtypes = (ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)
        self._cf.CFRelease.argtypes = (ctypes.c_void_p,)
        self._key = self._cf.CFStringCreateWithCString(
            None, b"HIDIdleTime", self._K_CF_STRING_ENCODING_UTF8
        )

    def idle_seconds(self) -> float | None:
        import ctypes

        matching = self._iokit.IOServiceMatching(b"IOHIDSystem")
        service = self._iokit.IOServiceGetMatchingService(0, matching)  # consumes `matching`
        if not service:
            return None
        try:
            prop = self._iokit.IORegistryEntryCreateCFProperty(service, self._key, None, 0)
        finally:
            self._iokit.IOObjectRelease(service)
        if not prop:
            return None
        try:
            if self._cf.CFGetTypeID(prop) != self._cf.CFNumberGetTypeID():
                return None
            value = ctypes.c_int64()
            if not self._cf.CFNumberGetValue(prop, self._K_CF_NUMBER_SINT64, ctypes.byref(value)):
                return None
            return value.value / 1e9
        finally:
            self._cf.CFRelease(prop)


def idle_source_for_platform(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> IdleSource:
    """The best idle source for this session; never raises (worst case: unknown).

    Creating it opens nothing: the X11 and D-Bus backends connect on first use.
    """
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    try:
        if platform == "win32":
            return WindowsIdle()
        if platform == "darwin":
            return MacIdle()
        wayland = bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE") == "wayland"
        if wayland:
            desktops = env.get("XDG_CURRENT_DESKTOP", "").upper().split(":")
            if "GNOME" in desktops:
                from boundaries.integrations.idle_dbus import MutterIdle

                return MutterIdle()
            # XWayland's screensaver extension only sees X clients' input: wrong, not unknown.
            return _wayland_idle(env, desktops)
        if env.get("DISPLAY"):
            from boundaries.integrations.idle_x11 import X11Idle

            return X11Idle(env["DISPLAY"])
    except OSError as error:
        log.info("no idle source: %s", error)
        return UnknownIdle(str(error))
    return UnknownIdle(f"no idle source for {platform} without DISPLAY/WAYLAND_DISPLAY")


def _wayland_idle(env: Mapping[str, str], desktops: list[str]) -> IdleSource:
    """sway, KDE, Hyprland...: the compositor's idle notifications; on KDE also its D-Bus call."""
    sources: list[IdleSource] = []
    try:
        import pywayland  # noqa: F401  (x86-64 Linux wheels only; elsewhere optional)
    except ImportError:
        missing = "pywayland is not installed (pip install pywayland)"
    else:
        from boundaries.integrations.idle_wayland import WaylandIdle

        sources.append(WaylandIdle(env.get("WAYLAND_DISPLAY") or None))
        missing = ""
    if "KDE" in desktops:
        from boundaries.integrations.idle_dbus import KdeScreenSaverIdle

        sources.append(KdeScreenSaverIdle())
    if not sources:
        return UnknownIdle(f"Wayland outside GNOME and KDE: {missing}")
    return FirstKnownIdle(*sources)


class LazyIdleSource:
    """Picks the platform's idle source on the first question, not at start-up.

    Loading ctypes and the X11/D-Bus backends costs a few milliseconds that the tray icon
    should not wait for; the first question comes with the first sign-off nudge.
    """

    def __init__(self) -> None:
        self._source: IdleSource | None = None

    def prepare(self) -> None:
        """Pick the source and start those that listen (Wayland's count from their start).

        Blocking for a round trip or two: call it on a worker, soon after start-up.
        """
        start = getattr(self._chosen(), "start", None)
        if start is not None:
            try:
                start()
            except OSError as error:
                log.info("idle source not started: %s", error)

    def idle_seconds(self) -> float | None:
        return self._chosen().idle_seconds()

    def _chosen(self) -> IdleSource:
        if self._source is None:
            self._source = idle_source_for_platform()
        return self._source
