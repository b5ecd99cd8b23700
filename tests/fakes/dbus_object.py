"""What the fake D-Bus services share: one object served on a blocking jeepney connection,
with replies that respect ``NO_REPLY_EXPECTED`` and ``Introspect`` for the object and for each
parent path a tool walks down from (``busctl tree``, d-feet)."""

from __future__ import annotations

from typing import Any

from jeepney import Message, MessageFlag
from jeepney.io.blocking import DBusConnection
from jeepney.wrappers import new_error, new_method_return


class FakeObject:
    """The plumbing of one fake service object; subclasses dispatch the calls."""

    def __init__(self, conn: DBusConnection, object_path: str, introspection: str) -> None:
        self.conn = conn
        self.object_path = object_path
        self._introspection = introspection

    def reply(
        self, call: Message, signature: str | None = None, body: tuple[Any, ...] = ()
    ) -> None:
        if not call.header.flags & MessageFlag.no_reply_expected:
            self.conn.send(new_method_return(call, signature, body))

    def error(self, call: Message, name: str, text: str) -> None:
        if not call.header.flags & MessageFlag.no_reply_expected:
            self.conn.send(new_error(call, name, "s", (text,)))

    def introspect(self, path: str | None) -> str:
        if path == self.object_path:
            return self._introspection
        # Parents of our object: list the next path element so tools can walk down to it.
        prefix = (path or "/").rstrip("/") + "/"
        if self.object_path.startswith(prefix):
            child = self.object_path[len(prefix) :].split("/")[0]
            return f'<node><node name="{child}"/></node>'
        return "<node/>"
