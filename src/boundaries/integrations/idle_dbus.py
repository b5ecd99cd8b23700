"""GNOME (Wayland or X11) idle time from Mutter's ``org.gnome.Mutter.IdleMonitor`` over D-Bus.

Uses jeepney's blocking connection to the session bus, opened on first use and kept. A call
waits at most ``timeout`` seconds; any failure (no Mutter, no bus) is "unknown" and the
connection is retried on the next call.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

BUS_NAME = "org.gnome.Mutter.IdleMonitor"
OBJECT_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
INTERFACE = "org.gnome.Mutter.IdleMonitor"


class MutterIdle:
    """``GetIdletime`` (milliseconds) of Mutter's core idle monitor."""

    def __init__(self, bus: str = "SESSION", timeout: float = 0.5) -> None:
        self.bus = bus
        self.timeout = timeout
        self._conn: Any = None

    def idle_seconds(self) -> float | None:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=INTERFACE)
        try:
            if self._conn is None:
                self._conn = open_dbus_connection(bus=self.bus)
            reply = self._conn.send_and_get_reply(
                new_method_call(address, "GetIdletime"), timeout=self.timeout
            )
        except Exception as error:  # jeepney raises many kinds; all mean "unknown"
            log.info("Mutter idle time unavailable: %s", error)
            self.close()
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
