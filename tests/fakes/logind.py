"""A fake systemd-logind that announces suspend and resume, for a bus with no systemd on it.

Run it on a private bus that the app under test takes for its system bus
(``DBUS_SYSTEM_BUS_ADDRESS``):

    python -m tests.fakes.logind --bus ADDRESS

It owns ``org.freedesktop.login1`` and serves ``/org/freedesktop/login1`` with what the app
listens to of ``org.freedesktop.login1.Manager`` (org.freedesktop.login1(5)): the signal
``PrepareForSleep(b start)``, sent with true just before the machine sleeps and with false
once it has resumed, and the property ``PreparingForSleep`` (b) that follows it. Like the real
daemon it broadcasts the signal from its unique name (a client that matches on the well-known
name needs its bus library to map the two), and it has ``Introspect`` and ``Ping``.

The test plays the kernel: it moves the app's clock itself, then tells the fake to announce
the resume through the test interface ``org.boundaries.Test`` on the same object:

    EmitPrepareForSleep(b start) -> d sent_at   # unix time just before the signal was sent

(``dbus-send --bus=ADDRESS --dest=org.freedesktop.login1 --print-reply /org/freedesktop/login1
org.boundaries.Test.EmitPrepareForSleep boolean:false`` works too.)

Readiness: once the name is owned it prints ``READY <unique bus name>`` on stdout (flushed). If
the name is already taken it exits 3.
"""

from __future__ import annotations

import argparse
import sys
import time

from jeepney import DBusAddress, HeaderFields, Message, MessageType
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import new_method_call, new_signal

from tests.fakes.dbus_object import FakeObject

BUS_NAME = "org.freedesktop.login1"
OBJECT_PATH = "/org/freedesktop/login1"
MANAGER_IFACE = "org.freedesktop.login1.Manager"
PROPS_IFACE = "org.freedesktop.DBus.Properties"
TEST_IFACE = "org.boundaries.Test"

_INTROSPECTION = f"""<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="{MANAGER_IFACE}">
    <signal name="PrepareForSleep"><arg name="start" type="b"/></signal>
    <property name="PreparingForSleep" type="b" access="read"/>
  </interface>
  <interface name="{PROPS_IFACE}">
    <method name="Get">
      <arg name="interface" type="s" direction="in"/><arg name="name" type="s" direction="in"/>
      <arg name="value" type="v" direction="out"/>
    </method>
    <method name="GetAll">
      <arg name="interface" type="s" direction="in"/>
      <arg name="values" type="a{{sv}}" direction="out"/>
    </method>
  </interface>
  <interface name="{TEST_IFACE}">
    <method name="EmitPrepareForSleep">
      <arg name="start" type="b" direction="in"/><arg name="sent_at" type="d" direction="out"/>
    </method>
  </interface>
  <interface name="org.freedesktop.DBus.Introspectable">
    <method name="Introspect"><arg name="xml" type="s" direction="out"/></method>
  </interface>
  <interface name="org.freedesktop.DBus.Peer">
    <method name="Ping"/>
  </interface>
</node>
"""


class Logind(FakeObject):
    """Serves one bus connection until it closes; single-threaded, blocking."""

    def __init__(self, conn: DBusConnection) -> None:
        super().__init__(conn, OBJECT_PATH, _INTROSPECTION)
        self.preparing = False
        self.manager = DBusAddress(OBJECT_PATH, interface=MANAGER_IFACE)

    def run(self) -> None:
        while True:
            msg = self.conn.receive()
            if msg.header.message_type is MessageType.method_call:
                self.dispatch(msg)

    def dispatch(self, call: Message) -> None:
        fields = call.header.fields
        member = fields.get(HeaderFields.member)
        iface = fields.get(HeaderFields.interface)
        path = fields.get(HeaderFields.path)
        signature = fields.get(HeaderFields.signature, "")
        if member == "Introspect" and iface in (None, "org.freedesktop.DBus.Introspectable"):
            self.reply(call, "s", (self.introspect(path),))
        elif member == "Ping" and iface in (None, "org.freedesktop.DBus.Peer"):
            self.reply(call)
        elif path != OBJECT_PATH:
            self.error(call, "org.freedesktop.DBus.Error.UnknownObject", f"No object at {path}")
        elif member == "EmitPrepareForSleep" and iface in (None, TEST_IFACE) and signature == "b":
            self.reply(call, "d", (self.emit_prepare_for_sleep(bool(call.body[0])),))
        elif member == "Get" and iface == PROPS_IFACE and signature == "ss":
            if tuple(call.body) != (MANAGER_IFACE, "PreparingForSleep"):
                self.error(call, "org.freedesktop.DBus.Error.UnknownProperty", str(call.body))
            else:
                self.reply(call, "v", (("b", self.preparing),))
        elif member == "GetAll" and iface == PROPS_IFACE and signature == "s":
            values = {"PreparingForSleep": ("b", self.preparing)}
            self.reply(call, "a{sv}", (values if call.body[0] == MANAGER_IFACE else {},))
        else:
            self.error(
                call,
                "org.freedesktop.DBus.Error.UnknownMethod",
                f"No method {iface}.{member} with signature {signature!r}",
            )

    def emit_prepare_for_sleep(self, start: bool) -> float:
        """What logind does around a suspend: the property first, then the broadcast."""
        self.preparing = start
        sent_at = time.time()
        self.conn.send(new_signal(self.manager, "PrepareForSleep", "b", (start,)))
        return sent_at


def prepare_for_sleep(bus_address: str, start: bool) -> float:
    """Ask the fake on ``bus_address`` to emit ``PrepareForSleep(start)``; when it sent it."""
    target = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=TEST_IFACE)
    with open_dbus_connection(bus_address) as conn:
        call = new_method_call(target, "EmitPrepareForSleep", "b", (start,))
        reply = conn.send_and_get_reply(call, timeout=5)
    if reply.header.message_type is MessageType.error:
        raise RuntimeError(f"EmitPrepareForSleep failed: {reply.body}")
    return float(reply.body[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bus", required=True, help="address of the bus to own login1 on")
    args = parser.parse_args(argv)

    conn = open_dbus_connection(args.bus)
    # DO_NOT_QUEUE (4): fail at once if a logind already runs there.
    reply = conn.send_and_get_reply(message_bus.RequestName(BUS_NAME, 4), timeout=5)
    if reply.header.message_type is MessageType.error or reply.body[0] != 1:
        print(f"logind: could not own {BUS_NAME}: {reply.body}", file=sys.stderr)
        return 3
    print(f"READY {conn.unique_name}", flush=True)
    try:
        Logind(conn).run()
    except (ConnectionResetError, BrokenPipeError, EOFError, OSError):
        return 0  # the bus went away: the test session is over
    return 0


if __name__ == "__main__":
    sys.exit(main())
