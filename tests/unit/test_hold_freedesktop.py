"""The notification server's ``Inhibited`` flag, read for real over a private D-Bus from the
recorder that exposes it as KDE Plasma's server does; a server without it is "unknown"."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from boundaries.core.holds import HoldReason
from boundaries.integrations.hold_freedesktop import InhibitedSource
from tests.e2e import harness
from tests.fakes.notify_recorder import call_test_method


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[harness.DBusDaemon]:
    daemon = harness.start_dbus(tmp_path / "bus")
    yield daemon
    harness.stop(daemon.proc)


def test_inhibited_follows_the_servers_do_not_disturb(
    bus: harness.DBusDaemon, tmp_path: Path
) -> None:
    server = harness.start_notify_recorder(bus.address, tmp_path / "notes.jsonl")
    flipped = threading.Event()
    source = InhibitedSource(flipped.set, bus=bus.address)
    try:
        reading = source.read()
        assert reading.held is False and not source.watching  # a read alone keeps no connection
        source.watch(True)  # a nudge is held
        assert source.watching
        call_test_method(bus.address, "SetInhibited", "b", (True,))  # the user turns DND on
        assert flipped.wait(5), "PropertiesChanged did not reach the source"
        reading = source.read()
        assert reading.held is True and reading.reason is HoldReason.DND
        source.watch(False)  # nothing held any more
        assert not source.watching and source.read().held is True
    finally:
        source.close()
        harness.stop(server.proc)


def test_a_server_without_inhibited_or_no_server_is_unknown_not_free(
    bus: harness.DBusDaemon, tmp_path: Path
) -> None:
    source = InhibitedSource(bus=bus.address)
    try:
        assert source.read().held is None  # nobody serves notifications at all
        server = harness.start_notify_recorder(bus.address, tmp_path / "n.jsonl", inhibited=False)
        try:
            reading = source.read()  # a server like GNOME's: no Inhibited property
            assert reading.held is None and "Inhibited" in reading.detail
        finally:
            harness.stop(server.proc)
    finally:
        source.close()
