"""Be told when a desktop setting changes: a D-Bus signal subscription, open only while needed.

dconf (GNOME's GSettings) announces each write with ``ca.desrt.dconf.Writer.Notify`` and
xfconfd with ``org.xfce.Xfconf.PropertyChanged``/``PropertyRemoved``, on the session bus. The
match rules carry the key, so the bus daemon wakes us for that key alone. ``AddMatch`` is
answered before ``open`` returns: a change made after it is never missed. Blocking: call it off
the GUI thread; the callback runs on jeepney's receiver thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

log = logging.getLogger(__name__)

_TIMEOUT = 3.0


class SignalWatch:
    """``open(rules)`` subscribes; each matching signal calls ``changed()``; ``close()`` ends it."""

    def __init__(self, changed: Callable[[], None], bus: str = "SESSION") -> None:
        self._changed = changed
        self._bus = bus
        self._router: Any = None
        self._connection: Any = None

    @property
    def active(self) -> bool:
        return self._router is not None

    def start(self, rules: Sequence[Any]) -> None:
        """Subscribe to ``rules`` (jeepney ``MatchRule``s); raises if the bus cannot be reached."""
        if self._router is not None:
            return
        from jeepney import message_bus
        from jeepney.io.threading import DBusRouter, open_dbus_connection

        connection = open_dbus_connection(bus=self._bus)
        router = DBusRouter(connection)
        try:
            for rule in rules:
                router.filter(rule, queue=_Callback(self._changed))
                reply = router.send_and_get_reply(message_bus.AddMatch(rule), timeout=_TIMEOUT)
                if reply.header.message_type.name == "error":
                    raise OSError(f"the bus refused the match rule: {reply.body}")
        except BaseException:
            router.close()
            connection.close()
            raise
        self._router, self._connection = router, connection

    def close(self) -> None:
        """The bus drops our match rules with the connection."""
        router, connection = self._router, self._connection
        self._router = self._connection = None
        if router is not None:
            try:
                router.close()
                connection.close()
            except Exception:
                log.debug("closing a settings watch failed", exc_info=True)


class _Callback:
    """Looks like the queue jeepney's router fills; calls back for each message."""

    def __init__(self, callback: Callable[[], None]) -> None:
        self._callback = callback

    def put_nowait(self, _item: Any) -> None:
        try:
            self._callback()
        except Exception:  # never let a failing callback end the receiver thread
            log.exception("error reporting a settings change")
