"""Nudges pass the hold gate: held while a source holds, out once after the grace, saved to disk,
named in the tray's first line, released from the menu."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from boundaries.app.application import BoundariesApp
from boundaries.app.hold_gate import HoldGate
from boundaries.core.holds import HOLD_GRACE, Delivery, HoldReading, HoldReason
from boundaries.core.kinds import NotificationKind
from boundaries.core.nudge import Nudge, NudgeKind
from boundaries.core.settings import QuietSettings
from boundaries.integrations.config_store import ConfigStore
from boundaries.integrations.holds_file import HoldsFile
from boundaries.integrations.notify import Notification

from .conftest import MakeApp

T0 = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)


class Switch:
    """A hold source the test flips (what a desktop's Do Not Disturb switch would say)."""

    name = "switch"
    watching = False

    def __init__(self, held: bool | None) -> None:
        self.held = held
        self.closed = False

    def watch(self, on: bool) -> None:
        pass

    def read(self) -> HoldReading:
        return HoldReading(self.name, self.held, HoldReason.DND if self.held else None)

    def close(self) -> None:
        self.closed = True


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def make_gate(state: Path, switch: Switch, clock: Clock, quiet: QuietSettings) -> HoldGate:
    return HoldGate(HoldsFile(state), lambda _changed: [switch], clock, lambda: quiet)


def test_a_nudge_in_dnd_waits_for_the_grace_then_comes_once(qtbot: QtBot, tmp_path: Path) -> None:
    switch, clock = Switch(True), Clock()
    gate = make_gate(tmp_path, switch, clock, QuietSettings())
    out: list[Delivery] = []
    lines: list[object] = []
    gate.deliver.connect(out.append)
    gate.changed.connect(lines.append)
    gate.offer(Nudge(NudgeKind.HEADS_UP, T0))
    gate.offer(Nudge(NudgeKind.SIGNOFF, T0 + timedelta(minutes=15)))
    qtbot.waitUntil(lambda: gate.holds.count == 2)
    assert lines[-1] == "Sign-off nudge held: Do Not Disturb"
    saved = tmp_path / "held-nudges.json"
    qtbot.waitUntil(lambda: saved.exists() and json.loads(saved.read_text()).get("count") == 2)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600

    switch.held = False  # DND off
    clock.now = T0 + timedelta(minutes=20)
    gate.recheck()
    qtbot.waitUntil(lambda: gate.holds.clear_since is not None)
    assert out == []
    clock.now += HOLD_GRACE
    gate.recheck()
    qtbot.waitUntil(lambda: bool(out))
    assert [(d.nudge, d.coalesced, d.quiet) for d in out] == [
        (Nudge(NudgeKind.SIGNOFF, T0 + timedelta(minutes=15)), 2, False)
    ]
    assert lines[-1] is None
    qtbot.waitUntil(lambda: not saved.exists())  # nothing held: nothing loads it at start
    gate.shutdown()
    assert not saved.exists()
    assert switch.closed


def test_a_held_nudge_survives_a_restart(qtbot: QtBot, tmp_path: Path) -> None:
    switch, clock = Switch(True), Clock()
    gate = make_gate(tmp_path, switch, clock, QuietSettings())
    gate.offer(Nudge(NudgeKind.SIGNOFF, T0))
    qtbot.waitUntil(lambda: gate.holds.nudge is not None)
    gate.shutdown()  # the app quits (or is killed after the write) with the nudge held

    again = make_gate(tmp_path, switch, clock, QuietSettings(hold_cap_minutes=60))
    out: list[Delivery] = []
    again.deliver.connect(out.append)
    assert again.holds.nudge == Nudge(NudgeKind.SIGNOFF, T0)
    clock.now = T0 + timedelta(minutes=60)  # still in DND, but the cap has run out
    again.start()
    qtbot.waitUntil(lambda: bool(out))
    assert out[0].quiet and out[0].nudge == Nudge(NudgeKind.SIGNOFF, T0)
    again.shutdown()


def test_unknown_or_off_delivers_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    for quiet, held in [(QuietSettings(), None), (QuietSettings(hold_nudges=False), True)]:
        gate = make_gate(tmp_path, Switch(held), Clock(), quiet)
        out: list[Delivery] = []
        gate.deliver.connect(out.append)
        gate.offer(Nudge(NudgeKind.SIGNOFF, T0))
        qtbot.waitUntil(lambda out=out: bool(out))  # type: ignore[misc]
        assert gate.holds.nudge is None
        gate.shutdown()


WORKDAY = """\
[workday]
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "09:00"
signoff = "17:30"
"""


def test_the_tray_says_why_and_its_menu_releases_the_nudge(make_app: MakeApp, qtbot: QtBot) -> None:
    switch = Switch(True)
    app = make_app(WORKDAY, T0, hold_sources=lambda _changed: [switch], idle=None)
    qtbot.waitUntil(lambda: app.server is not None)  # started up
    assert app.holds is None  # nothing held, nothing silenced: the gate loads on first use
    app.controller.nudged.emit(Nudge(NudgeKind.SIGNOFF, T0))
    qtbot.waitUntil(lambda: app.tray.held.isVisible())
    menu = app.tray.menu.actions()
    assert menu[0].text() == "Sign-off nudge held: Do Not Disturb"
    assert menu[1] is app.tray.release_held and menu[1].isVisible()
    qtbot.wait(200)  # nothing to wait for: time for the gate's re-read to (wrongly) deliver
    assert app.notes == []  # type: ignore[attr-defined]

    app.tray.release_held.trigger()
    qtbot.waitUntil(lambda: bool(app.notes))  # type: ignore[attr-defined]
    assert [n.title for n in app.notes] == ["Time to sign off"]  # type: ignore[attr-defined]
    assert not app.tray.held.isVisible()


def test_a_held_nudge_is_dropped_once_the_user_signed_off(make_app: MakeApp, qtbot: QtBot) -> None:
    switch = Switch(True)
    app = make_app(WORKDAY, T0, hold_sources=lambda _changed: [switch], idle=None)
    qtbot.waitUntil(lambda: app.server is not None)  # started up
    assert app.holds is None  # nothing held, nothing silenced: the gate loads on first use
    app.controller.nudged.emit(Nudge(NudgeKind.SIGNOFF, T0))
    qtbot.waitUntil(lambda: app.tray.held.isVisible())
    app.controller.sign_off()
    app.tray.release_held.trigger()
    qtbot.wait(300)  # nothing to wait for: time for a (wrong) delivery to show
    assert app.notes == []  # type: ignore[attr-defined]
    assert not (app.dirs.state / "held-nudges.json").exists()  # the next start loads no gate


def update_notes(app: object) -> list[Notification]:
    return [n for n in app.notes if n.tag is NotificationKind.UPDATE]  # type: ignore[attr-defined]


def test_the_weekly_update_reminder_is_held_and_released_like_a_nudge(
    make_app: MakeApp, qtbot: QtBot
) -> None:
    switch = Switch(True)
    app = make_app(WORKDAY, T0, hold_sources=lambda _changed: [switch], idle=None)
    qtbot.waitUntil(lambda: app.server is not None)  # started up
    app.controller.update_reminder.emit(T0 - timedelta(hours=1))
    qtbot.waitUntil(lambda: app.tray.held.isVisible())
    assert app.tray.menu.actions()[0].text() == "Weekly update reminder held: Do Not Disturb"
    saved = app.dirs.state / "held-nudges.json"
    qtbot.waitUntil(saved.exists)  # written at once: it survives a restart
    assert json.loads(saved.read_text())["update"] == (T0 - timedelta(hours=1)).isoformat()
    qtbot.wait(200)  # nothing to wait for: time for the gate's re-read to (wrongly) deliver
    assert update_notes(app) == []

    app.controller.nudged.emit(Nudge(NudgeKind.SIGNOFF, T0))  # held beside it, not merged
    qtbot.waitUntil(lambda: app.holds is not None and app.holds.holds.nudge is not None)
    line = "Sign-off nudge and weekly update reminder held: Do Not Disturb"
    assert app.tray.held.text() == line
    app.tray.release_held.trigger()
    qtbot.waitUntil(lambda: len(app.notes) == 2)  # type: ignore[attr-defined]
    (note,) = update_notes(app)
    assert note.title == "Weekly update" and note.urgency == 1
    assert "Time to sign off" in [n.title for n in app.notes]  # type: ignore[attr-defined]


def test_a_held_weekly_update_reminder_survives_a_restart_and_comes_quietly_at_the_cap(
    make_app: MakeApp, qtbot: QtBot
) -> None:
    switch = Switch(True)
    settings = WORKDAY + "\n[general]\nsound = true\n"
    first = make_app(settings, T0, hold_sources=lambda _changed: [switch], idle=None)
    qtbot.waitUntil(lambda: first.server is not None)
    first.controller.update_reminder.emit(T0)
    qtbot.waitUntil(lambda: first.tray.held.isVisible())
    qtbot.waitUntil((first.dirs.state / "held-nudges.json").exists)
    first.shutdown()  # quit (or killed after the write) with the reminder held

    cap = timedelta(minutes=QuietSettings().hold_cap_minutes)
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    load = ConfigStore(first.dirs.config).load()
    again = BoundariesApp(
        qapp, first.dirs, load, lambda: T0 + cap, hold_sources=lambda _changed: [switch]
    )
    notes: list[Notification] = []
    again.notifier.notify = notes.append  # type: ignore[method-assign]
    again.start()
    try:
        qtbot.waitUntil(lambda: again.server is not None)
        assert again.holds is not None  # something waits: loaded at start
        qtbot.waitUntil(lambda: any(n.tag is NotificationKind.UPDATE for n in notes))
        (note,) = notes
        assert note.urgency == 0 and not note.sound  # still in DND, but the cap ran out: quietly
    finally:
        again.shutdown()


def test_a_held_weekly_update_reminder_released_during_focus_waits_for_its_end(
    make_app: MakeApp, qtbot: QtBot
) -> None:
    switch = Switch(True)
    app = make_app(WORKDAY, T0, hold_sources=lambda _changed: [switch], idle=None)
    qtbot.waitUntil(lambda: app.server is not None)
    app.controller.update_reminder.emit(T0)
    qtbot.waitUntil(lambda: app.tray.held.isVisible())
    app.controller.start_focus_minutes(25)
    app.tray.release_held.trigger()
    qtbot.wait(300)  # nothing to wait for: time for a (wrong) delivery to show
    assert update_notes(app) == []  # a reminder never interrupts focus
    switch.held = False
    app.controller.end_focus()
    qtbot.waitUntil(lambda: bool(update_notes(app)))
