"""X11 idle time from the MIT-SCREEN-SAVER extension (libXss, Debian package ``libxss1``).

A private Xlib connection opened on first use and kept; Qt's own xcb connection is untouched.
Xlib's default error handler exits the process on a protocol error, so the extension is
checked before it is queried, and any failure to load or connect is "unknown", never fatal.
Use one instance from one thread (the GUI thread).
"""

from __future__ import annotations

import ctypes
import logging

log = logging.getLogger(__name__)


class _ScreenSaverInfo(ctypes.Structure):
    _fields_ = (
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),  # milliseconds since the last input
        ("eventMask", ctypes.c_ulong),
    )


class X11Idle:
    """Seconds since the last input on the X display ``display`` (e.g. ":0")."""

    def __init__(self, display: str) -> None:
        self.display_name = display
        self._xlib: ctypes.CDLL | None = None
        self._xss: ctypes.CDLL | None = None
        self._display: int | None = None
        self._info: ctypes._Pointer[_ScreenSaverInfo] | None = None
        self._root = 0
        self._failed = False

    def idle_seconds(self) -> float | None:
        if not self._ready():
            return None
        assert self._xss is not None and self._info is not None
        if not self._xss.XScreenSaverQueryInfo(self._display, self._root, self._info):
            return None
        return float(self._info.contents.idle) / 1000.0

    def close(self) -> None:
        if self._info is not None and self._xlib is not None:
            self._xlib.XFree(self._info)
            self._info = None
        if self._display and self._xlib is not None:
            self._xlib.XCloseDisplay(self._display)
            self._display = None

    def _ready(self) -> bool:
        if self._display is not None:
            return True
        if self._failed:
            return False
        try:
            self._open()
        except OSError as error:
            log.info("X11 idle time unavailable: %s", error)
            self._failed = True
            self.close()
            return False
        return True

    def _open(self) -> None:
        from boundaries.integrations.clib import load_library  # on the first question only

        xlib = self._xlib = load_library("X11", "libX11.so.6", "libx11-6")
        xss = self._xss = load_library("Xss", "libXss.so.1", "libxss1")
        xlib.XOpenDisplay.restype = ctypes.c_void_p
        xlib.XOpenDisplay.argtypes = (ctypes.c_char_p,)
        xlib.XDefaultRootWindow.restype = ctypes.c_ulong
        xlib.XDefaultRootWindow.argtypes = (ctypes.c_void_p,)
        xlib.XCloseDisplay.argtypes = (ctypes.c_void_p,)
        xlib.XFree.argtypes = (ctypes.c_void_p,)
        xss.XScreenSaverQueryExtension.argtypes = (
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_int),
        )
        xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_ScreenSaverInfo)
        xss.XScreenSaverQueryInfo.argtypes = (
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.POINTER(_ScreenSaverInfo),
        )
        display = xlib.XOpenDisplay(self.display_name.encode())
        if not display:
            raise OSError(f"cannot open X display {self.display_name!r}")
        self._display = display
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(
            display, ctypes.byref(event_base), ctypes.byref(error_base)
        ):
            raise OSError(f"X display {self.display_name!r} has no MIT-SCREEN-SAVER extension")
        info = xss.XScreenSaverAllocInfo()
        if not info:
            raise OSError("XScreenSaverAllocInfo failed")
        self._info = info
        self._root = xlib.XDefaultRootWindow(display)
