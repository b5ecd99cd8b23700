"""The one signal watch the hold sources and the notifier share, on a real private bus: a
callback that raises does not end the watch, and closing ends the subscription."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jeepney import DBusAddress, MatchRule, new_signal
from jeepney.io.blocking import open_dbus_connection

from boundaries.integrations.dbus_watch import SignalWatch
from tests.e2e import harness

PATH, IFACE = "/test/Watch", "test.Watch"


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[str]:
    daemon = harness.start_dbus(tmp_path / "bus")
    yield daemon.address
    harness.stop(daemon.proc)


def emit(address: str, value: int) -> None:
    with open_dbus_connection(address) as conn:
        conn.send(new_signal(DBusAddress(PATH, interface=IFACE), "Ping", "i", (value,)))


def test_a_failing_callback_does_not_end_the_watch_and_close_ends_it(bus: str) -> None:
    seen: list[int] = []
    second = threading.Event()

    def on_signal(message: Any) -> None:
        seen.append(message.body[0])
        if len(seen) == 1:
            raise RuntimeError("a bad message")
        second.set()

    watch = SignalWatch(on_signal, bus, "a test signal")
    watch.start([MatchRule(type="signal", interface=IFACE, member="Ping", path=PATH)])
    try:
        assert watch.active
        emit(bus, 1)
        emit(bus, 2)
        assert second.wait(5), "the watch stopped after the failing callback"
        assert seen == [1, 2]
    finally:
        watch.close()
    assert not watch.active
    watch.close()  # twice is fine
    with pytest.raises(OSError, match="not watching a test signal"):
        watch.call(None)
