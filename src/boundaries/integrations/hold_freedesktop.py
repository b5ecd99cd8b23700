"""The notification server's own "inhibited" flag (KDE Plasma: DND, screen sharing, mirroring).

KDE's ``org.freedesktop.Notifications`` has an ``Inhibited`` property and emits
``PropertiesChanged`` when it flips. Servers without it (GNOME, dunst, xfce4-notifyd) answer
the Get with an error: that is "unknown", never "not held".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from boundaries.core.holds import HoldReading, HoldReason
from boundaries.integrations.dbus_watch import TIMEOUT, SignalWatch
from boundaries.integrations.notification_server import BUS_NAME, OBJECT_PATH

NAME = "notification server"
_PROPERTIES = "org.freedesktop.DBus.Properties"


class InhibitedSource:
    """Reads ``Inhibited`` over jeepney; while ``watch(True)`` (a nudge is held) it subscribes
    to ``PropertiesChanged`` and calls ``changed`` when the server says it flipped. Nothing
    stays connected while nothing is held."""

    name = NAME

    def __init__(self, changed: Callable[[], None] | None = None, bus: str = "SESSION") -> None:
        self._changed = changed
        self._bus = bus
        self._watch = SignalWatch(self._on_properties_changed, bus, "PropertiesChanged")

    @property
    def watching(self) -> bool:
        return self._watch.active

    def watch(self, on: bool) -> None:
        self._watch.watch(on, _rules)

    def read(self) -> HoldReading:
        """On the watch's connection while watching, else on one for this read only."""
        from jeepney import DBusAddress
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import Properties

        get = Properties(DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=BUS_NAME)).get(
            "Inhibited"
        )
        try:
            if self._watch.active:
                reply = self._watch.call(get)
            else:
                with open_dbus_connection(bus=self._bus) as connection:
                    reply = connection.send_and_get_reply(get, timeout=TIMEOUT)
        except Exception as error:  # no bus, bus gone, timeout
            self._watch.close()  # the gate's next watch(True) connects again
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
        if interface == BUS_NAME and mentioned and self._changed is not None:
            self._changed()

    def close(self) -> None:
        self._watch.close()


def _rules() -> list[Any]:
    from jeepney import MatchRule

    rule = MatchRule(
        type="signal", interface=_PROPERTIES, member="PropertiesChanged", path=OBJECT_PATH
    )
    rule.add_arg_condition(0, BUS_NAME)
    return [rule]
