"""KDE's, GNOME's and XFCE's Do Not Disturb are watched while a nudge is held, for real: a
notification server with KDE's ``Inhibited``, dconf-service and xfconfd on a private bus. The
gate here polls only once an hour, so only the desktop's own change signal can end the hold;
nothing is watched (no connection kept) while nothing is held. And the silence Boundaries itself
sets for focus never holds a nudge, not even while it is being lifted.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from boundaries.app.controller import Controller
from boundaries.app.hold_gate import HoldGate
from boundaries.app.silence_sync import SilenceSync
from boundaries.core.holds import HOLD_GRACE, Delivery
from boundaries.core.nudge import Nudge, NudgeKind
from boundaries.core.settings import FocusSettings, QuietSettings, Settings
from boundaries.integrations.desktop_silence import DesktopSilence
from boundaries.integrations.hold_freedesktop import InhibitedSource
from boundaries.integrations.hold_settings import GnomeBannersSource, XfceDndSource
from boundaries.integrations.hold_source import HoldSource
from boundaries.integrations.holds_file import HoldsFile
from tests.e2e import harness
from tests.e2e.test_hold_sources import DCONF_SERVICE, XFCONFD, serve, session, tool
from tests.fakes.notify_recorder import call_test_method

from .conftest import MakeApp
from .fakes import FakeClock, MemorySink, RecordingWaker

T0 = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
__all__ = ["session"]  # the fixture, used by name below
AN_HOUR_MS = 3_600_000
BANNERS = ("org.gnome.desktop.notifications", "show-banners")
XFCE_DND = ("xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb")


@pytest.fixture
def gnome(session: dict[str, str]) -> Iterator[dict[str, str]]:
    if not DCONF_SERVICE.exists():
        pytest.skip("needs dconf-service")
    env = {**session, "XDG_CURRENT_DESKTOP": "GNOME"}
    dconf = serve([str(DCONF_SERVICE)], env, "ca.desrt.dconf")
    yield env
    harness.stop(dconf)


@pytest.fixture
def xfce(session: dict[str, str]) -> Iterator[dict[str, str]]:
    if not XFCONFD.exists():
        pytest.skip("needs xfconfd (Debian: xfconf)")
    env = {**session, "XDG_CURRENT_DESKTOP": "XFCE"}
    xfconfd = serve([str(XFCONFD)], env, "org.xfce.Xfconf")
    yield env
    harness.stop(xfconfd)


def read(env: dict[str, str], *argv: str) -> str:
    return subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout.strip()


def slow_gate(
    state: Path,
    sources: Callable[[Callable[[], None]], Sequence[HoldSource]],
    clock: FakeClock,
    own_silence: Callable[[], bool] = lambda: False,
) -> HoldGate:
    return HoldGate(
        HoldsFile(state),
        lambda changed: list(sources(changed)),
        clock,
        QuietSettings,
        own_silence=own_silence,
        poll_ms=(AN_HOUR_MS, AN_HOUR_MS),
    )


def dnd_off_ends_the_hold(
    qtbot: QtBot,
    state: Path,
    make: Callable[[Callable[[], None]], HoldSource],
    dnd_off: Callable[[], None],
) -> None:
    """A nudge held in DND; the user turns DND off: the hold ends without a poll."""
    clock = FakeClock(T0)
    sources: list[HoldSource] = []

    def factory(changed: Callable[[], None]) -> list[HoldSource]:
        sources.append(make(changed))
        return sources

    gate = slow_gate(state, factory, clock)
    out: list[Delivery] = []
    gate.deliver.connect(out.append)
    try:
        gate.offer(Nudge(NudgeKind.SIGNOFF, T0))
        qtbot.waitUntil(lambda: gate.holds.nudge is not None and sources[0].watching)
        dnd_off()  # and no poll comes for an hour
        qtbot.waitUntil(lambda: gate.holds.clear_since is not None, timeout=10_000)
        assert gate.holds.nudge is not None and out == []  # the grace first (a flicker)
        clock.now += HOLD_GRACE
        gate.recheck()
        qtbot.waitUntil(lambda: bool(out))
        assert out[0].nudge == Nudge(NudgeKind.SIGNOFF, T0) and not out[0].quiet
        qtbot.waitUntil(lambda: not sources[0].watching)  # nothing held: nothing watched
    finally:
        gate.shutdown()


def test_kde_do_not_disturb_off_ends_the_hold_at_once(
    session: dict[str, str], qtbot: QtBot, tmp_path: Path
) -> None:
    address = session["DBUS_SESSION_BUS_ADDRESS"]
    server = harness.start_notify_recorder(address, tmp_path / "notes.jsonl")
    try:
        call_test_method(address, "SetInhibited", "b", (True,))  # the user's Do Not Disturb
        dnd_off_ends_the_hold(
            qtbot,
            tmp_path / "state",
            lambda changed: InhibitedSource(changed, bus=address),
            lambda: call_test_method(address, "SetInhibited", "b", (False,)),
        )
    finally:
        harness.stop(server.proc)


def test_gnome_banners_back_on_end_the_hold_at_once(
    gnome: dict[str, str], qtbot: QtBot, tmp_path: Path
) -> None:
    tool(gnome, "gsettings", "set", *BANNERS, "false")  # the user's Do Not Disturb
    dnd_off_ends_the_hold(
        qtbot,
        tmp_path / "state",
        lambda changed: GnomeBannersSource(gnome, changed),
        lambda: tool(gnome, "gsettings", "reset", *BANNERS),
    )


def test_xfce_do_not_disturb_off_ends_the_hold_at_once(
    xfce: dict[str, str], qtbot: QtBot, tmp_path: Path
) -> None:
    tool(xfce, *XFCE_DND, "-n", "-t", "bool", "-s", "true")
    dnd_off_ends_the_hold(
        qtbot,
        tmp_path / "state",
        lambda changed: XfceDndSource(xfce, changed),
        lambda: tool(xfce, *XFCE_DND, "-s", "false"),
    )


def test_nothing_is_watched_while_nothing_is_held(
    gnome: dict[str, str], qtbot: QtBot, tmp_path: Path
) -> None:
    made: list[GnomeBannersSource] = []

    def factory(changed: Callable[[], None]) -> list[GnomeBannersSource]:
        made.append(GnomeBannersSource(gnome, changed))
        return made

    gate = slow_gate(tmp_path / "state", factory, FakeClock(T0))
    out: list[Delivery] = []
    gate.deliver.connect(out.append)
    try:
        gate.offer(Nudge(NudgeKind.SIGNOFF, T0))  # banners on: shown at once
        qtbot.waitUntil(lambda: bool(out))
        assert not made[0].watching
    finally:
        gate.shutdown()


class SlowRestore(DesktopSilence):
    """The real GNOME silence, whose restore waits until the test lets it run (a busy
    machine: the focus has ended, the banners are not back yet)."""

    go = threading.Event()

    def restore(self) -> None:
        assert self.go.wait(10)
        super().restore()


def test_a_nudge_due_as_focus_ends_is_not_held_by_the_silence_being_lifted(
    gnome: dict[str, str], qtbot: QtBot, tmp_path: Path
) -> None:
    clock = FakeClock(T0)
    settings = Settings(focus=FocusSettings(blocks=(), silence_desktop=True))
    controller = Controller(
        settings,
        zone=lambda _s: ZoneInfo("Europe/Berlin"),
        clock=clock,
        waker=RecordingWaker(),
        state_sink=MemorySink(),
    )
    controller.start()
    state = tmp_path / "state"
    state.mkdir()
    SlowRestore.go.set()
    bus = gnome["DBUS_SESSION_BUS_ADDRESS"]  # no notification server there: GNOME alone
    sync = SilenceSync(controller, state, lambda d: SlowRestore(d, gnome, bus))
    sync.start()
    gate = slow_gate(
        state, lambda changed: [GnomeBannersSource(gnome, changed)], clock, lambda: sync.silencing
    )
    out: list[Delivery] = []
    gate.deliver.connect(out.append)
    try:
        qtbot.waitUntil(lambda: not sync.silencing)  # nothing to put back at start
        controller.start_focus_minutes(30)
        qtbot.waitUntil(lambda: (state / "desktop-silence.json").exists())
        SlowRestore.go.clear()
        controller.end_focus()  # the banners come back in a moment...
        gate.offer(Nudge(NudgeKind.SIGNOFF, T0))  # ...and the sign-off nudge is due now
        qtbot.waitUntil(lambda: bool(out) or gate.holds.nudge is not None)
        assert gate.holds.nudge is None and len(out) == 1, "held by our own silence"
        SlowRestore.go.set()
        qtbot.waitUntil(lambda: not sync.silencing)

        tool(gnome, "gsettings", "set", *BANNERS, "false")  # now the user's own DND: held
        gate.offer(Nudge(NudgeKind.ESCALATION, T0, 15))
        qtbot.waitUntil(lambda: gate.holds.nudge is not None)
    finally:
        SlowRestore.go.set()
        gate.shutdown()
        sync.shutdown()


def test_a_desktop_left_silenced_by_a_crash_is_put_back_at_the_next_start(
    gnome: dict[str, str],
    make_app: MakeApp,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    for name, value in gnome.items():
        monkeypatch.setenv(name, value)  # the app's own gsettings calls see the private dconf
    state = tmp_path / "config" / "state"  # make_app's
    crashed = DesktopSilence(state, gnome, gnome["DBUS_SESSION_BUS_ADDRESS"])
    assert crashed.silence() == ["GNOME"]  # focus silenced GNOME, then the app was killed
    assert read(gnome, "gsettings", "get", *BANNERS) == "false"

    settings = "[focus]\nsilence_desktop = false\nblocks = []\n"  # turned off meanwhile, even
    app = make_app(settings, T0, idle=None)
    qtbot.waitUntil(lambda: app.silence is not None)  # loaded at start: a journal waits
    qtbot.waitUntil(lambda: not (state / "desktop-silence.json").exists(), timeout=10_000)
    assert read(gnome, "gsettings", "get", *BANNERS) == "true"
