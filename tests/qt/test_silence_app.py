"""Silencing the desktop follows focus in the running app: KDE's Inhibit on a private bus's
recorder while focusing (opt-in), UnInhibit after; our own nudges still come, at critical
urgency, and our own inhibition does not hold them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from boundaries.core.nudge import Nudge, NudgeKind
from tests.e2e import harness

from .conftest import MakeApp

T0 = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
SETTINGS = """\
[workday]
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "09:00"
signoff = "17:30"

[focus]
silence_desktop = {on}
blocks = []
"""


@pytest.fixture
def recorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[harness.NotifyRecorder]:
    bus = harness.start_dbus(tmp_path / "bus")
    server = harness.start_notify_recorder(bus.address, tmp_path / "notes.jsonl")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
    for name in ("XDG_CURRENT_DESKTOP", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    yield server
    harness.stop(server.proc)
    harness.stop(bus.proc)


def events(server: harness.NotifyRecorder) -> list[str]:
    return [e["event"] for e in server.events()]


def test_focus_silences_the_desktop_and_our_nudges_still_come(
    recorder: harness.NotifyRecorder, make_app: MakeApp, qtbot: QtBot
) -> None:
    """(The recorder comes first so its bus outlives the app.)"""
    app = make_app(SETTINGS.format(on="true"), T0, idle=None)
    qtbot.waitUntil(lambda: app.silence is not None)
    app.controller.start_focus_minutes(50)
    qtbot.waitUntil(lambda: events(recorder) == ["inhibit"], timeout=10_000)

    app.controller.nudged.emit(Nudge(NudgeKind.SIGNOFF, T0))  # Inhibited is true: ours
    qtbot.waitUntil(lambda: bool(app.notes), timeout=10_000)  # type: ignore[attr-defined]
    assert app.notes[0].urgency == 2  # type: ignore[attr-defined]
    assert app.holds is not None and app.holds.holds.nudge is None

    app.controller.end_focus()
    qtbot.waitUntil(lambda: events(recorder) == ["inhibit", "uninhibit"], timeout=10_000)


def test_off_by_default_nothing_is_silenced(
    recorder: harness.NotifyRecorder, make_app: MakeApp, qtbot: QtBot
) -> None:
    """(The recorder comes first so its bus outlives the app.)"""
    app = make_app(SETTINGS.format(on="false"), T0, idle=None)
    qtbot.waitUntil(lambda: app.server is not None)  # started up
    assert app.silence is None  # off and nothing to put back: not even loaded
    app.controller.start_focus_minutes(50)
    assert app.silence is None  # focus did not load it either
    qtbot.wait(500)  # nothing to wait for: time for a wrong Inhibit to reach the recorder
    assert events(recorder) == []
    app.controller.nudged.emit(Nudge(NudgeKind.SIGNOFF, T0))
    qtbot.waitUntil(lambda: bool(app.notes), timeout=10_000)  # type: ignore[attr-defined]
    assert app.notes[0].urgency == 1  # type: ignore[attr-defined]
