"""Quitting while a notification is on its way to the server: the D-Bus connection closes
after that call, on the notify thread, never under it (jeepney's receiver thread raised when
it did, and the app's stderr showed a traceback at quit). Real recorder on a private bus."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from boundaries.core.kinds import NotificationKind
from boundaries.integrations.notify import DBusBackend, Notification, Notifier
from tests.e2e import harness


@pytest.fixture
def recorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[harness.NotifyRecorder]:
    bus = harness.start_dbus(tmp_path / "bus")
    server = harness.start_notify_recorder(bus.address, tmp_path / "notes.jsonl")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
    yield server
    harness.stop(server.proc)
    harness.stop(bus.proc)


class SlowBus(DBusBackend):
    """The real backend on a busy machine: a send that takes its time to start."""

    def __init__(self, order: list[str]) -> None:
        super().__init__(lambda _tag, _key: None)
        self.order = order
        self.sending = threading.Event()
        self.go = threading.Event()

    def send(self, note: Notification) -> None:
        self.sending.set()
        assert self.go.wait(5)
        super().send(note)
        self.order.append("sent")

    def close(self) -> None:
        self.order.append("closed")
        super().close()


def test_quit_during_a_send_closes_the_connection_after_it(
    recorder: harness.NotifyRecorder, qtbot: QtBot
) -> None:
    order: list[str] = []
    notifier = Notifier(prefer_dbus=True)
    backend = SlowBus(order)
    notifier._backends = [("dbus", backend)]  # the platform's, made ahead to be slowed down
    note = Notification(NotificationKind.SIGNOFF, "Time to sign off", "Your workday is over.")
    notifier.notify(note)
    notifier.notify(note)  # queued behind it: dropped by the quit
    assert backend.sending.wait(5)
    notifier.shutdown()  # Quit, with the first send under way
    notifier.notify(note)  # too late: nothing happens (and nothing raises)
    backend.go.set()
    qtbot.waitUntil(lambda: order == ["sent", "closed"])
    assert [n["summary"] for n in recorder.notifications()] == ["Time to sign off"]
