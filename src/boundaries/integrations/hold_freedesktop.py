"""The notification server's own "inhibited" flag (KDE Plasma: DND, screen sharing, mirroring).

KDE's ``org.freedesktop.Notifications`` has an ``Inhibited`` property and emits
``PropertiesChanged`` when it flips. Servers without it (GNOME, dunst, xfce4-notifyd) answer
the Get with an error: that is "unknown", never "not held".
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from boundaries.core.holds import HoldReading, HoldReason

log = logging.getLogger(__name__)

NAME = "notification server"
_BUS_NAME = "org.freedesktop.Notifications"
_PATH = "/org/freedesktop/Notifications"
_PROPERTIES = "org.freedesktop.DBus.Properties"
_TIMEOUT = 3.0


class InhibitedSource:
    """Reads ``Inhibited`` over jeepney; ``changed`` is called when the server says it flipped."""

    name = NAME

    def __init__(self, changed: Callable[[], None] | None = None, bus: str = "SESSION") -> None:
        self._changed = changed
        self._bus = bus
        self._lock = threading.Lock()
        self._router: Any = None
        self._connection: Any = None

    def _ensure_router(self) -> Any:
        with self._lock:
            if self._router is None:
                from jeepney import MatchRule, message_bus
                from jeepney.io.threading import DBusRouter, open_dbus_connection

                self._connection = open_dbus_connection(bus=self._bus)
                self._router = DBusRouter(self._connection)
                rule = MatchRule(
                    type="signal",
                    interface=_PROPERTIES,
                    member="PropertiesChanged",
                    path=_PATH,
                )
                rule.add_arg_condition(0, _BUS_NAME)
                self._router.filter(rule, queue=_OnMessage(self._on_properties_changed))
                self._router.send_and_get_reply(message_bus.AddMatch(rule), timeout=_TIMEOUT)
            return self._router

    @property
    def watching(self) -> bool:
        """``PropertiesChanged`` is subscribed from the first read on."""
        return self._router is not None

    def watch(self, on: bool) -> None:
        pass  # the first read subscribes; the connection is kept for the next nudges

    def read(self) -> HoldReading:
        from jeepney import DBusAddress
        from jeepney.wrappers import Properties

        try:
            router = self._ensure_router()
            address = DBusAddress(_PATH, bus_name=_BUS_NAME, interface=_BUS_NAME)
            get = Properties(address).get("Inhibited")
            reply = router.send_and_get_reply(get, timeout=_TIMEOUT)
        except Exception as error:  # no bus, bus gone, timeout
            self.close()
            return HoldReading.unknown(NAME, f"no answer: {error}")
        if reply.header.message_type.name == "error":
            return HoldReading.unknown(NAME, f"no Inhibited property: {reply.body}")
        signature, value = reply.body[0]
        if signature != "b":
            return HoldReading.unknown(NAME, f"Inhibited is {signature!r}, not a boolean")
        return HoldReading(NAME, bool(value), HoldReason.DND, "Inhibited")

    def _on_properties_changed(self, message: Any) -> None:
        interface, changed, invalidated = message.body
        mentioned = "Inhibited" in changed or "Inhibited" in invalidated
        if interface == _BUS_NAME and mentioned and self._changed is not None:
            self._changed()

    def close(self) -> None:
        with self._lock:
            router, connection = self._router, self._connection
            self._router = self._connection = None
        if router is not None:
            try:
                router.close()
                connection.close()
            except Exception:
                log.debug("closing the notification-server connection failed", exc_info=True)


class _OnMessage:
    """Looks like the queue jeepney's router fills; hands each message to a callback."""

    def __init__(self, callback: Callable[[Any], None]) -> None:
        self._callback = callback

    def put_nowait(self, item: Any) -> None:
        try:
            self._callback(item)
        except Exception:  # never let a bad message kill the receiver thread
            log.exception("error handling PropertiesChanged")
