"""Idle time from a desktop's D-Bus service: GNOME's Mutter, KDE's screen saver service.

Uses jeepney's blocking connection to the session bus, opened on first use and kept. A call
waits at most ``timeout`` seconds; any failure (no such service, no bus, an error reply such
as Plasma 6's "not supported on Wayland") is "unknown", and the connection is retried on the
next call.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

log = logging.getLogger(__name__)

BUS_NAME = "org.gnome.Mutter.IdleMonitor"
OBJECT_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
INTERFACE = "org.gnome.Mutter.IdleMonitor"

KDE_BUS_NAME = "org.freedesktop.ScreenSaver"
KDE_OBJECT_PATH = "/ScreenSaver"
KDE_INTERFACE = "org.freedesktop.ScreenSaver"


class _DBusIdle:
    """One method call that answers the idle time in milliseconds."""

    bus_name: ClassVar[str]
    object_path: ClassVar[str]
    interface: ClassVar[str]
    method: ClassVar[str]

    def __init__(self, bus: str = "SESSION", timeout: float = 0.5) -> None:
        self.bus = bus
        self.timeout = timeout
        self._conn: Any = None

    def idle_seconds(self) -> float | None:
        from jeepney import DBusAddress, MessageType, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        address = DBusAddress(self.object_path, bus_name=self.bus_name, interface=self.interface)
        try:
            if self._conn is None:
                self._conn = open_dbus_connection(bus=self.bus)
            reply = self._conn.send_and_get_reply(
                new_method_call(address, self.method), timeout=self.timeout
            )
        except Exception as error:  # jeepney raises many kinds; all mean "unknown"
            log.info("%s idle time unavailable: %s", type(self).__name__, error)
            self.close()
            return None
        if reply.header.message_type is MessageType.error:
            log.info("%s idle time unavailable: %s", type(self).__name__, reply.body)
            return None
        body = getattr(reply, "body", None)
        if not body or not isinstance(body[0], int):
            return None
        return body[0] / 1000.0

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


class MutterIdle(_DBusIdle):
    """GNOME: ``GetIdletime`` (milliseconds) of Mutter's core idle monitor."""

    bus_name = BUS_NAME
    object_path = OBJECT_PATH
    interface = INTERFACE
    method = "GetIdletime"


class KdeScreenSaverIdle(_DBusIdle):
    """KDE: ``GetSessionIdleTime`` of its screen saver service, in milliseconds (KIdleTime's
    unit, although other desktops' versions of this call count seconds: KDE only)."""

    bus_name = KDE_BUS_NAME
    object_path = KDE_OBJECT_PATH
    interface = KDE_INTERFACE
    method = "GetSessionIdleTime"
