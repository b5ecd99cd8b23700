"""X11: the window in front is full-screen (a presentation, a video call, a game).

Read with libxcb through ctypes (libxcb1 comes with Qt's xcb platform): the window manager
names the active window in ``_NET_ACTIVE_WINDOW`` on the root window, and a full-screen window
carries ``_NET_WM_STATE_FULLSCREEN`` in its ``_NET_WM_STATE``. xcb returns protocol errors
instead of exiting the process (as Xlib's default handler does), so a window closing while we
look is just "unknown". With no window manager that speaks EWMH the answer is unknown; under
Wayland the X11 view sees only X11 windows, so it is unknown there too.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import threading
from collections.abc import Mapping

from boundaries.core.holds import HoldReading, HoldReason
from boundaries.integrations.clib import load_library
from boundaries.integrations.hold_source import Unwatched

log = logging.getLogger(__name__)

NAME = "X11 full-screen"
_XCB_ATOM_ATOM = 4
_XCB_ATOM_WINDOW = 33


class _Cookie(ctypes.Structure):
    _fields_ = (("sequence", ctypes.c_uint),)


class _AtomReply(ctypes.Structure):
    _fields_ = (
        ("response_type", ctypes.c_uint8),
        ("pad0", ctypes.c_uint8),
        ("sequence", ctypes.c_uint16),
        ("length", ctypes.c_uint32),
        ("atom", ctypes.c_uint32),
    )


class _PropertyReply(ctypes.Structure):
    _fields_ = (
        ("response_type", ctypes.c_uint8),
        ("format", ctypes.c_uint8),
        ("sequence", ctypes.c_uint16),
        ("length", ctypes.c_uint32),
        ("type", ctypes.c_uint32),
        ("bytes_after", ctypes.c_uint32),
        ("value_len", ctypes.c_uint32),
        ("pad0", ctypes.c_uint8 * 12),
    )


class _Screen(ctypes.Structure):
    _fields_ = (("root", ctypes.c_uint32),)  # the first field; the rest is not read


class _ScreenIterator(ctypes.Structure):
    _fields_ = (
        ("data", ctypes.POINTER(_Screen)),
        ("rem", ctypes.c_int),
        ("index", ctypes.c_int),
    )


class _Gone(OSError):
    """The window closed between two questions."""


class FullscreenSource(Unwatched):
    """Held while the active window on ``display`` is full-screen."""

    name = NAME

    def __init__(self, display: str | None = None, env: Mapping[str, str] | None = None) -> None:
        env = env if env is not None else os.environ
        self._display_name = display if display is not None else env.get("DISPLAY", "")
        self._wayland = bool(env.get("WAYLAND_DISPLAY")) and display is None
        self._lock = threading.Lock()
        self._xcb: ctypes.CDLL | None = None
        self._libc: ctypes.CDLL | None = None
        self._conn: int | None = None
        self._root = 0
        self._atoms: dict[str, int] = {}

    def read(self) -> HoldReading:
        if self._wayland:
            return HoldReading.unknown(NAME, "Wayland: X11 cannot see the active window")
        if not self._display_name:
            return HoldReading.unknown(NAME, "no X display")
        with self._lock:
            try:
                return self._read()
            except OSError as error:
                self._close()
                return HoldReading.unknown(NAME, str(error))

    def _read(self) -> HoldReading:
        self._open()
        active = self._property(self._root, "_NET_ACTIVE_WINDOW", _XCB_ATOM_WINDOW)
        if active is None:
            return HoldReading.unknown(NAME, "the window manager does not name the active window")
        if not active or active[0] == 0:
            return HoldReading(NAME, False, None, "no active window")
        try:
            state = self._property(active[0], "_NET_WM_STATE", _XCB_ATOM_ATOM) or []
        except _Gone:
            return HoldReading.unknown(NAME, "the active window went away")
        fullscreen = self._atom("_NET_WM_STATE_FULLSCREEN") in state
        return HoldReading(NAME, fullscreen, HoldReason.FULLSCREEN, f"window {active[0]:#x}")

    def _open(self) -> None:
        if self._conn is not None:
            return
        xcb = self._xcb = load_library("xcb", "libxcb.so.1", "libxcb1")
        libc = self._libc = ctypes.CDLL(ctypes.util.find_library("c"))
        libc.free.argtypes = (ctypes.c_void_p,)
        xcb.xcb_connect.restype = ctypes.c_void_p
        xcb.xcb_connect.argtypes = (ctypes.c_char_p, ctypes.POINTER(ctypes.c_int))
        xcb.xcb_connection_has_error.argtypes = (ctypes.c_void_p,)
        xcb.xcb_disconnect.argtypes = (ctypes.c_void_p,)
        xcb.xcb_get_setup.restype = ctypes.c_void_p
        xcb.xcb_get_setup.argtypes = (ctypes.c_void_p,)
        xcb.xcb_setup_roots_iterator.restype = _ScreenIterator
        xcb.xcb_setup_roots_iterator.argtypes = (ctypes.c_void_p,)
        xcb.xcb_screen_next.argtypes = (ctypes.POINTER(_ScreenIterator),)
        xcb.xcb_intern_atom.restype = _Cookie
        xcb.xcb_intern_atom.argtypes = (
            ctypes.c_void_p,
            ctypes.c_uint8,
            ctypes.c_uint16,
            ctypes.c_char_p,
        )
        xcb.xcb_intern_atom_reply.restype = ctypes.POINTER(_AtomReply)
        xcb.xcb_intern_atom_reply.argtypes = (ctypes.c_void_p, _Cookie, ctypes.c_void_p)
        xcb.xcb_get_property.restype = _Cookie
        xcb.xcb_get_property.argtypes = (
            ctypes.c_void_p,
            ctypes.c_uint8,
            ctypes.c_uint32,
            ctypes.c_uint32,
            ctypes.c_uint32,
            ctypes.c_uint32,
            ctypes.c_uint32,
        )
        xcb.xcb_get_property_reply.restype = ctypes.POINTER(_PropertyReply)
        xcb.xcb_get_property_reply.argtypes = (ctypes.c_void_p, _Cookie, ctypes.c_void_p)
        xcb.xcb_get_property_value.restype = ctypes.c_void_p
        xcb.xcb_get_property_value.argtypes = (ctypes.POINTER(_PropertyReply),)
        xcb.xcb_get_property_value_length.argtypes = (ctypes.POINTER(_PropertyReply),)
        screen_number = ctypes.c_int(0)
        conn = xcb.xcb_connect(self._display_name.encode(), ctypes.byref(screen_number))
        if not conn or xcb.xcb_connection_has_error(conn):
            if conn:
                xcb.xcb_disconnect(conn)
            raise OSError(f"cannot open X display {self._display_name!r}")
        self._conn = conn
        roots = xcb.xcb_setup_roots_iterator(xcb.xcb_get_setup(conn))
        for _ in range(screen_number.value):
            xcb.xcb_screen_next(ctypes.byref(roots))
        if not roots.data:
            raise OSError(f"X display {self._display_name!r} has no screen {screen_number.value}")
        self._root = int(roots.data.contents.root)

    def _atom(self, name: str) -> int:
        if name not in self._atoms:
            assert self._xcb is not None and self._libc is not None
            raw = name.encode()
            cookie = self._xcb.xcb_intern_atom(self._conn, 0, len(raw), raw)
            reply = self._xcb.xcb_intern_atom_reply(self._conn, cookie, None)
            if not reply:
                raise OSError(f"the X server did not intern {name}")
            self._atoms[name] = int(reply.contents.atom)
            self._libc.free(reply)
        return self._atoms[name]

    def _property(self, window: int, name: str, kind: int) -> list[int] | None:
        """A 32-bit list property; None if it is not set. Raises ``_Gone`` for a closed window."""
        assert self._xcb is not None and self._libc is not None
        xcb = self._xcb
        cookie = xcb.xcb_get_property(self._conn, 0, window, self._atom(name), kind, 0, 64)
        reply = xcb.xcb_get_property_reply(self._conn, cookie, None)
        if not reply:
            if xcb.xcb_connection_has_error(self._conn):
                raise OSError("the X connection broke")
            raise _Gone(window)
        try:
            if reply.contents.format != 32 or reply.contents.type != kind:
                return None
            count = xcb.xcb_get_property_value_length(reply) // 4
            values = ctypes.cast(xcb.xcb_get_property_value(reply), ctypes.POINTER(ctypes.c_uint32))
            return [int(values[i]) for i in range(count)]
        finally:
            self._libc.free(reply)

    def _close(self) -> None:
        if self._conn is not None and self._xcb is not None:
            self._xcb.xcb_disconnect(self._conn)
        self._conn = None
        self._atoms = {}

    def close(self) -> None:
        with self._lock:
            self._close()
