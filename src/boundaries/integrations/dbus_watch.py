"""A D-Bus signal subscription on a connection of its own, open only while it is needed.

jeepney's threading router hands each message that matches a filter to that filter's queue
(``put_nowait``) on its receiver thread; :class:`CallbackQueue` is such a queue that calls back
instead, so a signal is handled as it arrives. ``AddMatch`` is answered before ``start``
returns: a signal sent after it is never missed. ``start`` and ``call`` block: call them off
the GUI thread. ``close`` may be called from any thread, and more than once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from typing import Any

log = logging.getLogger(__name__)

TIMEOUT = 3.0


class CallbackQueue:
    """Looks like the queue jeepney's router fills; hands each message to ``callback``."""

    def __init__(self, callback: Callable[[Any], None], what: str) -> None:
        self._callback = callback
        self._what = what

    def put_nowait(self, message: Any) -> None:
        try:
            self._callback(message)
        except Exception:  # never let a failing callback end the receiver thread
            log.exception("error handling %s", self._what)


class SignalWatch:
    """``start(rules)`` subscribes; each matching signal calls ``on_signal(message)`` on
    jeepney's receiver thread; ``call`` sends a method call on the same connection; ``close()``
    ends it (the bus drops our match rules with the connection)."""

    def __init__(
        self, on_signal: Callable[[Any], None], bus: str = "SESSION", what: str = "a D-Bus signal"
    ) -> None:
        self._on_signal = on_signal
        self._bus = bus
        self._what = what
        self._lock = threading.Lock()
        self._router: Any = None
        self._open: ExitStack | None = None  # the router and its connection

    @property
    def active(self) -> bool:
        return self._router is not None

    def start(self, rules: Sequence[Any], timeout: float = TIMEOUT) -> None:
        """Subscribe to ``rules`` (jeepney ``MatchRule``s); raises if the bus cannot be reached
        or refuses a rule. Does nothing while already subscribed."""
        if self._router is not None:
            return
        from jeepney import message_bus
        from jeepney.io.threading import Proxy, open_dbus_router

        with ExitStack() as stack:
            router = stack.enter_context(open_dbus_router(bus=self._bus))
            bus = Proxy(message_bus, router, timeout=timeout)
            for rule in rules:
                router.filter(rule, queue=CallbackQueue(self._on_signal, self._what))
                bus.AddMatch(rule)  # DBusErrorResponse if the bus refuses it
            with self._lock:
                if self._router is None:  # else another thread started it meanwhile
                    self._router, self._open = router, stack.pop_all()

    def watch(self, on: bool, rules: Callable[[], Sequence[Any]]) -> None:
        """A hold source's ``watch``: subscribe to ``rules()`` while ``on``, else close. Never
        raises: a bus that cannot be reached is logged, and the gate keeps polling."""
        if not on:
            self.close()
        elif not self.active:
            try:
                self.start(rules())
            except Exception as error:
                log.debug("cannot watch %s: %s", self._what, error)

    def call(self, message: Any, timeout: float = TIMEOUT) -> Any:
        """Send a method call on the watch's connection and return the reply (an error reply
        too); raises if the watch is not open or no reply comes in time."""
        router = self._router
        if router is None:
            raise OSError(f"not watching {self._what}")
        return router.send_and_get_reply(message, timeout=timeout)

    def close(self) -> None:
        with self._lock:
            opened, self._router, self._open = self._open, None, None
        if opened is not None:
            try:
                opened.close()
            except Exception:
                log.debug("closing the watch of %s failed", self._what, exc_info=True)
