"""A fake desktop notification server that records what it is sent.

Run it on a private session bus (no notification service is started there by itself):

    python -m tests.fakes.notify_recorder --log FILE [--bus ADDRESS]

It owns ``org.freedesktop.Notifications`` and implements the Desktop Notifications spec's
``Notify`` (ids increase from 1; a nonzero ``replaces_id`` keeps its id), ``CloseNotification``,
``GetCapabilities`` and ``GetServerInformation``, plus ``Introspect`` so QtDBus's
``QDBusInterface`` works against it. The call signatures are checked like a real server does:
a ``Notify`` sent as ``sisssasa{sv}i`` (a Python int for ``replaces_id``) is rejected.

Every event is appended to FILE as one JSON line, flushed at once:

    {"event": "notify", "id": 1, "app_name": ..., "summary": ..., "body": ..., "actions": [...],
     "hints": {...}, "expire_timeout": -1, "replaces_id": 0, "app_icon": "", "sender": ":1.4",
     "sender_pid": 1234, "timestamp": 1700000000.0}
    {"event": "closed", "id": 1, "reason": 3, ...}      # CloseNotification from the client
    {"event": "action", "id": 1, "key": "default", ...}  # a test "clicked" it

Hints keep only simple values (strings, numbers, booleans); image data is replaced by a marker.

To let a test click a notification, the same object has a test interface ``org.boundaries.Test``:

    Invoke(u id, s key)  -> emits ActionInvoked(id, key), then NotificationClosed(id, 2)
    Dismiss(u id)        -> emits NotificationClosed(id, 2) (the user closed it)

(``dbus-send --session --dest=org.freedesktop.Notifications --type=method_call --print-reply
/org/freedesktop/Notifications org.boundaries.Test.Invoke uint32:1 string:default`` works too.)
Signals are broadcast, as the spec describes; a client's match rule on the sender
``org.freedesktop.Notifications`` receives them.

Like KDE Plasma's server it also has the ``Inhibited`` property (``org.freedesktop.DBus.Properties``
``Get``/``GetAll``, ``PropertiesChanged`` when it flips) and ``Inhibit(s desktop_entry, s reason,
a{sv} hints) -> u cookie`` / ``UnInhibit(u cookie)``; an inhibition ends when its caller's bus
connection does (``NameOwnerChanged``). ``Inhibited`` is true while the test's ``SetInhibited(b)``
(the user's Do Not Disturb) says so or any inhibition is held. ``--no-inhibited`` leaves the
property and the two methods out (like GNOME's or dunst's server). Events: ``{"event": "inhibit",
"cookie": 1, "desktop_entry": ..., "reason": ...}``, ``{"event": "uninhibit", "cookie": 1,
"why": "call"|"disconnect"}``.

Readiness: once the name is owned it prints ``READY <unique bus name>`` on stdout (flushed), so a
fixture can wait for that line instead of sleeping. If the name is already taken it exits 3.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, HeaderFields, Message, MessageType
from jeepney.bus_messages import MatchRule, message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import new_method_call, new_signal

from tests.fakes.dbus_object import FakeObject

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
NOTIFY_IFACE = "org.freedesktop.Notifications"
TEST_IFACE = "org.boundaries.Test"
PROPS_IFACE = "org.freedesktop.DBus.Properties"
DEFAULT_CAPABILITIES = ("actions", "body")
SERVER_INFO = ("boundaries-notify-recorder", "boundaries", "1.0", "1.2")

# NotificationClosed reasons from the spec.
REASON_EXPIRED = 1
REASON_DISMISSED = 2
REASON_CLOSED_BY_CALL = 3

_INTROSPECTION = f"""<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="{NOTIFY_IFACE}">
    <method name="Notify">
      <arg name="app_name" type="s" direction="in"/>
      <arg name="replaces_id" type="u" direction="in"/>
      <arg name="app_icon" type="s" direction="in"/>
      <arg name="summary" type="s" direction="in"/>
      <arg name="body" type="s" direction="in"/>
      <arg name="actions" type="as" direction="in"/>
      <arg name="hints" type="a{{sv}}" direction="in"/>
      <arg name="expire_timeout" type="i" direction="in"/>
      <arg name="id" type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg name="id" type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg name="caps" type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg name="name" type="s" direction="out"/>
      <arg name="vendor" type="s" direction="out"/>
      <arg name="version" type="s" direction="out"/>
      <arg name="spec_version" type="s" direction="out"/>
    </method>
    <signal name="NotificationClosed">
      <arg name="id" type="u"/><arg name="reason" type="u"/>
    </signal>
    <signal name="ActionInvoked">
      <arg name="id" type="u"/><arg name="action_key" type="s"/>
    </signal>
    <method name="Inhibit">
      <arg name="desktop_entry" type="s" direction="in"/>
      <arg name="reason" type="s" direction="in"/>
      <arg name="hints" type="a{{sv}}" direction="in"/>
      <arg name="cookie" type="u" direction="out"/>
    </method>
    <method name="UnInhibit"><arg name="cookie" type="u" direction="in"/></method>
    <property name="Inhibited" type="b" access="read"/>
  </interface>
  <interface name="org.freedesktop.DBus.Properties">
    <method name="Get">
      <arg name="interface" type="s" direction="in"/><arg name="name" type="s" direction="in"/>
      <arg name="value" type="v" direction="out"/>
    </method>
    <method name="GetAll">
      <arg name="interface" type="s" direction="in"/>
      <arg name="values" type="a{{sv}}" direction="out"/>
    </method>
    <signal name="PropertiesChanged">
      <arg name="interface" type="s"/><arg name="changed" type="a{{sv}}"/>
      <arg name="invalidated" type="as"/>
    </signal>
  <interface name="{TEST_IFACE}">
    <method name="Invoke">
      <arg name="id" type="u" direction="in"/><arg name="key" type="s" direction="in"/>
    </method>
    <method name="Dismiss"><arg name="id" type="u" direction="in"/></method>
    <method name="SetInhibited"><arg name="on" type="b" direction="in"/></method>
  </interface>
  <interface name="org.freedesktop.DBus.Introspectable">
    <method name="Introspect"><arg name="xml" type="s" direction="out"/></method>
  </interface>
  <interface name="org.freedesktop.DBus.Peer">
    <method name="Ping"/>
  </interface>
</node>
"""

_SIMPLE_SIGNATURES = frozenset("sbynqiuxtdog")


def _simple_hints(hints: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    """Keep hint values a test can compare; big or nested values become a short marker."""
    out: dict[str, Any] = {}
    for key, (signature, value) in hints.items():
        out[key] = value if signature in _SIMPLE_SIGNATURES else f"<{signature}>"
    return out


class Recorder(FakeObject):
    """Serves one bus connection until it closes; single-threaded, blocking."""

    def __init__(
        self,
        conn: DBusConnection,
        log: Path,
        capabilities: tuple[str, ...],
        inhibited: bool = True,
    ) -> None:
        super().__init__(conn, OBJECT_PATH, _INTROSPECTION)
        self.has_inhibited = inhibited
        self.user_dnd = False
        self.inhibitions: dict[int, str] = {}  # cookie -> the caller's unique name
        self.next_cookie = 1
        self.log = log
        self.capabilities = capabilities
        self.next_id = 1
        self.open_ids: set[int] = set()
        self.pending: deque[Message] = deque()
        self.emitter = DBusAddress(OBJECT_PATH, interface=NOTIFY_IFACE)

    # --- plumbing -------------------------------------------------------------------------
    def write(self, event: str, **fields: Any) -> None:
        record = {"event": event, **fields, "timestamp": time.time()}
        with self.log.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, sort_keys=True) + "\n")

    def bus_call(self, msg: Message) -> Message:
        """Call the bus daemon without losing client calls that arrive meanwhile."""
        serial = next(self.conn.outgoing_serial)
        self.conn.send(msg, serial=serial)
        while True:
            incoming = self.conn.receive()
            if incoming.header.fields.get(HeaderFields.reply_serial) == serial:
                return incoming
            self.pending.append(incoming)

    def sender_pid(self, sender: str | None) -> int | None:
        if not sender:
            return None
        reply = self.bus_call(message_bus.GetConnectionUnixProcessID(sender))
        if reply.header.message_type is MessageType.error:
            return None
        return int(reply.body[0])

    def emit(self, member: str, signature: str, body: tuple[Any, ...]) -> None:
        self.conn.send(new_signal(self.emitter, member, signature, body))

    # --- the service ----------------------------------------------------------------------
    def run(self) -> None:
        while True:
            msg = self.pending.popleft() if self.pending else self.conn.receive()
            if msg.header.message_type is MessageType.method_call:
                self.dispatch(msg)
            elif msg.header.message_type is MessageType.signal:
                self.on_signal(msg)

    def on_signal(self, msg: Message) -> None:
        """An inhibition ends with its caller's connection, as KDE's server does."""
        if msg.header.fields.get(HeaderFields.member) != "NameOwnerChanged":
            return
        name, _old, new = msg.body
        if new:
            return
        gone = [cookie for cookie, owner in self.inhibitions.items() if owner == name]
        if gone:
            before = self.inhibited
            for cookie in gone:
                del self.inhibitions[cookie]
                self.write("uninhibit", cookie=cookie, why="disconnect")
            self.announce(before)

    @property
    def inhibited(self) -> bool:
        return self.user_dnd or bool(self.inhibitions)

    def announce(self, before: bool) -> None:
        if self.inhibited != before:
            self.conn.send(
                new_signal(
                    DBusAddress(OBJECT_PATH, interface="org.freedesktop.DBus.Properties"),
                    "PropertiesChanged",
                    "sa{sv}as",
                    (NOTIFY_IFACE, {"Inhibited": ("b", self.inhibited)}, []),
                )
            )

    def dispatch(self, call: Message) -> None:
        fields = call.header.fields
        member = fields.get(HeaderFields.member)
        iface = fields.get(HeaderFields.interface)
        path = fields.get(HeaderFields.path)
        signature = fields.get(HeaderFields.signature, "")

        if member == "Introspect" and iface in (None, "org.freedesktop.DBus.Introspectable"):
            self.reply(call, "s", (self.introspect(path),))
            return
        if member == "Ping" and iface in (None, "org.freedesktop.DBus.Peer"):
            self.reply(call)
            return
        if path != OBJECT_PATH:
            self.error(call, "org.freedesktop.DBus.Error.UnknownObject", f"No object at {path}")
            return

        handlers: dict[tuple[str, str], tuple[str, Callable[[Message], None]]] = {
            (NOTIFY_IFACE, "Notify"): ("susssasa{sv}i", self.notify),
            (NOTIFY_IFACE, "CloseNotification"): ("u", self.close_notification),
            (NOTIFY_IFACE, "GetCapabilities"): ("", self.get_capabilities),
            (NOTIFY_IFACE, "GetServerInformation"): ("", self.get_server_information),
            (TEST_IFACE, "Invoke"): ("us", self.invoke),
            (TEST_IFACE, "Dismiss"): ("u", self.dismiss),
        }
        if self.has_inhibited:
            handlers.update(
                {
                    (NOTIFY_IFACE, "Inhibit"): ("ssa{sv}", self.inhibit),
                    (NOTIFY_IFACE, "UnInhibit"): ("u", self.uninhibit),
                    (PROPS_IFACE, "Get"): ("ss", self.get_property),
                    (PROPS_IFACE, "GetAll"): ("s", self.get_all_properties),
                    (TEST_IFACE, "SetInhibited"): ("b", self.set_inhibited),
                }
            )
        found = [
            handler
            for (iface_name, name), handler in handlers.items()
            if name == member and iface in (None, iface_name)
        ]
        if not found:
            self.error(
                call, "org.freedesktop.DBus.Error.UnknownMethod", f"No method {iface}.{member}"
            )
            return
        expected_sig, func = found[0]
        if signature != expected_sig:
            self.error(
                call,
                "org.freedesktop.DBus.Error.InvalidArgs",
                f"{member} wants signature {expected_sig!r}, got {signature!r}",
            )
            return
        func(call)

    def notify(self, call: Message) -> None:
        app_name, replaces_id, app_icon, summary, body, actions, hints, expire = call.body
        if replaces_id and replaces_id in self.open_ids:
            nid = int(replaces_id)
        else:
            nid = self.next_id
            self.next_id += 1
        self.open_ids.add(nid)
        # Ask for the sender's pid before replying: a client may hang up right after the reply.
        sender = call.header.fields.get(HeaderFields.sender)
        pid = self.sender_pid(sender)
        self.reply(call, "u", (nid,))
        self.write(
            "notify",
            id=nid,
            app_name=app_name,
            replaces_id=int(replaces_id),
            app_icon=app_icon,
            summary=summary,
            body=body,
            actions=list(actions),
            hints=_simple_hints(hints),
            expire_timeout=int(expire),
            sender=sender,
            sender_pid=pid,
        )

    def close_notification(self, call: Message) -> None:
        (nid,) = call.body
        self.reply(call)
        if nid in self.open_ids:
            self.open_ids.discard(nid)
            self.emit("NotificationClosed", "uu", (nid, REASON_CLOSED_BY_CALL))
        self.write("closed", id=int(nid), reason=REASON_CLOSED_BY_CALL)

    def get_capabilities(self, call: Message) -> None:
        self.reply(call, "as", (list(self.capabilities),))

    def get_server_information(self, call: Message) -> None:
        self.reply(call, "ssss", SERVER_INFO)

    def invoke(self, call: Message) -> None:
        nid, key = call.body
        if nid not in self.open_ids:
            self.error(call, "org.boundaries.Test.Error.UnknownId", f"No open notification {nid}")
            return
        self.emit("ActionInvoked", "us", (nid, key))
        self.open_ids.discard(nid)
        self.emit("NotificationClosed", "uu", (nid, REASON_DISMISSED))
        self.write("action", id=int(nid), key=key)
        self.reply(call)

    def dismiss(self, call: Message) -> None:
        (nid,) = call.body
        if nid not in self.open_ids:
            self.error(call, "org.boundaries.Test.Error.UnknownId", f"No open notification {nid}")
            return
        self.open_ids.discard(nid)
        self.emit("NotificationClosed", "uu", (nid, REASON_DISMISSED))
        self.write("closed", id=int(nid), reason=REASON_DISMISSED)
        self.reply(call)

    # --- KDE's inhibition ---------------------------------------------------------------------
    def inhibit(self, call: Message) -> None:
        desktop_entry, reason, _hints = call.body
        cookie = self.next_cookie
        self.next_cookie += 1
        before = self.inhibited
        self.inhibitions[cookie] = str(call.header.fields.get(HeaderFields.sender))
        self.reply(call, "u", (cookie,))
        self.write("inhibit", cookie=cookie, desktop_entry=desktop_entry, reason=reason)
        self.announce(before)

    def uninhibit(self, call: Message) -> None:
        (cookie,) = call.body
        before = self.inhibited
        if self.inhibitions.pop(int(cookie), None) is not None:
            self.write("uninhibit", cookie=int(cookie), why="call")
        self.reply(call)
        self.announce(before)

    def get_property(self, call: Message) -> None:
        iface, name = call.body
        if iface != NOTIFY_IFACE or name != "Inhibited":
            self.error(call, "org.freedesktop.DBus.Error.UnknownProperty", f"No property {name}")
            return
        self.reply(call, "v", (("b", self.inhibited),))

    def get_all_properties(self, call: Message) -> None:
        (iface,) = call.body
        values = {"Inhibited": ("b", self.inhibited)} if iface == NOTIFY_IFACE else {}
        self.reply(call, "a{sv}", (values,))

    def set_inhibited(self, call: Message) -> None:
        (on,) = call.body
        before = self.inhibited
        self.user_dnd = bool(on)
        self.reply(call)
        self.announce(before)


def call_test_method(bus_address: str, member: str, signature: str, body: tuple[Any, ...]) -> None:
    """Call the recorder's test interface from another process (used by the e2e harness)."""
    target = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=TEST_IFACE)
    with open_dbus_connection(bus_address) as conn:
        reply = conn.send_and_get_reply(new_method_call(target, member, signature, body), timeout=5)
        if reply.header.message_type is MessageType.error:
            raise RuntimeError(f"{member} failed: {reply.body}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--log", type=Path, required=True, help="JSON-lines file to append to")
    parser.add_argument("--bus", default="SESSION", help="bus address (default: the session bus)")
    parser.add_argument(
        "--capabilities",
        default=",".join(DEFAULT_CAPABILITIES),
        help="comma-separated GetCapabilities answer (e.g. 'body' for a server without actions)",
    )
    parser.add_argument(
        "--no-inhibited",
        action="store_true",
        help="no Inhibited property and no Inhibit/UnInhibit (a server like GNOME's)",
    )
    args = parser.parse_args(argv)

    conn = open_dbus_connection(args.bus)
    # DO_NOT_QUEUE (4): fail at once if someone else already serves notifications.
    reply = conn.send_and_get_reply(message_bus.RequestName(BUS_NAME, 4), timeout=5)
    if reply.header.message_type is MessageType.error or reply.body[0] != 1:
        print(f"notify_recorder: could not own {BUS_NAME}: {reply.body}", file=sys.stderr)
        return 3
    caps = tuple(c for c in args.capabilities.split(",") if c)
    args.log.touch()
    # Inhibitions end when their caller leaves the bus: watch names disappear.
    rule = MatchRule(type="signal", interface="org.freedesktop.DBus", member="NameOwnerChanged")
    conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=5)
    recorder = Recorder(conn, args.log, caps, inhibited=not args.no_inhibited)
    print(f"READY {conn.unique_name}", flush=True)
    try:
        recorder.run()
    except (ConnectionResetError, BrokenPipeError, EOFError, OSError):
        return 0  # the bus went away: the test session is over
    return 0


if __name__ == "__main__":
    sys.exit(main())
