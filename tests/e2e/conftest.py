"""Fixtures for end-to-end tests with real processes (see harness.py for the pieces).

Session-wide (slow to start, shared): ``xvfb`` (DISPLAY with a tray), ``dbus_session`` (private
bus address) with ``notify_recorder`` on it, ``trayer``, ``fake_logind`` (on a bus of its own:
the app's system bus where a test says so). Per test: ``notifications`` (only this
test's), ``app_env``, ``launch``, ``artifacts_dir``, and ``start_boundaries`` (X11) or
``start_boundaries_on_wayland``: settings, history and wall clock prepared, the app up.

The tests skip with the list of missing binaries when Xvfb/trayer/dbus-daemon/... are absent,
unless BOUNDARIES_E2E_REQUIRED=1 (CI), where a missing tool fails the run instead.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.e2e import harness, screenshots, wayland
from tests.e2e.app_under_test import (
    SETTINGS,
    WAYLAND_SESSION_NOISE,
    seed_history,
    start_app,
    with_faketime,
    write_settings,
)
from tests.e2e.harness import Launched, NotifyRecorder, Trayer
from tests.e2e.wayland import SniBus, SniItem, Sway, Waybar


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With BOUNDARIES_UPDATE_SCREENSHOTS=1, every README picture comes from this one run."""
    missing = screenshots.not_taken()
    if screenshots.updating() and missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                "BOUNDARIES_UPDATE_SCREENSHOTS=1: README pictures not taken in this run: "
                + ", ".join(missing),
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _require(missing: list[str]) -> None:
    """Skip (or, with BOUNDARIES_E2E_REQUIRED=1, fail) when binaries are missing."""
    if not missing:
        return
    reason = "e2e tests need: " + ", ".join(missing)
    if os.environ.get("BOUNDARIES_E2E_REQUIRED") == "1":
        pytest.fail(reason + " (BOUNDARIES_E2E_REQUIRED=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def e2e_tools() -> None:
    """The X11 tools: Xvfb, trayer, D-Bus, xdotool..."""
    _require(harness.missing_tools())


@pytest.fixture(scope="session")
def wayland_tools(e2e_tools: None) -> None:
    """The Wayland tools: sway, waybar, grim, wtype, setpriv."""
    _require(wayland.missing_tools())


@pytest.fixture(scope="session")
def e2e_session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def xvfb(e2e_tools: None, e2e_session_dir: Path) -> Iterator[str]:
    """DISPLAY (e.g. ":3") of a 1280x800 Xvfb; ``trayer`` puts a tray on it."""
    server = harness.start_xvfb(log_path=e2e_session_dir / "xvfb.log")
    yield server.display
    harness.stop(server.proc)


@pytest.fixture(scope="session")
def xvfb_no_tray(e2e_tools: None, e2e_session_dir: Path) -> Iterator[str]:
    """A second display that never gets a tray: for 'no tray available' behaviour."""
    server = harness.start_xvfb(log_path=e2e_session_dir / "xvfb-no-tray.log")
    yield server.display
    harness.stop(server.proc)


@pytest.fixture(scope="session")
def _private_bus(
    e2e_tools: None, e2e_session_dir: Path
) -> Iterator[tuple[harness.DBusDaemon, NotifyRecorder]]:
    bus = harness.start_dbus(e2e_session_dir / "bus")
    try:
        recorder = harness.start_notify_recorder(
            bus.address, e2e_session_dir / "notifications.jsonl"
        )
    except BaseException:
        harness.stop(bus.proc)
        raise
    yield bus, recorder
    harness.stop(recorder.proc)
    harness.stop(bus.proc)
    # Keep the session's notification log next to the other artifacts.
    harness.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if recorder.log_path.exists():
        shutil.copy(recorder.log_path, harness.ARTIFACTS / "notifications.jsonl")


@pytest.fixture(scope="session")
def dbus_session(_private_bus: tuple[harness.DBusDaemon, NotifyRecorder]) -> str:
    """Address of a private session bus on which the notification recorder already runs."""
    return _private_bus[0].address


@pytest.fixture(scope="session")
def notify_recorder(_private_bus: tuple[harness.DBusDaemon, NotifyRecorder]) -> NotifyRecorder:
    """The fake org.freedesktop.Notifications server (its whole session's log)."""
    return _private_bus[1]


@pytest.fixture(scope="session")
def fake_logind(e2e_tools: None, e2e_session_dir: Path) -> Iterator[harness.FakeLogind]:
    """A second private bus, to be the app's system bus (``DBUS_SYSTEM_BUS_ADDRESS``), with
    the fake logind on it: there is no systemd here to say when the machine sleeps."""
    bus = harness.start_dbus(e2e_session_dir / "system-bus")
    try:
        logind = harness.start_logind(bus.address, e2e_session_dir / "logind.stderr.log")
    except BaseException:
        harness.stop(bus.proc)
        raise
    yield logind
    harness.stop(logind.proc)
    harness.stop(bus.proc)


@dataclass
class NotificationsView:
    """The recorder seen from one test: only notifications sent since the test started."""

    recorder: NotifyRecorder
    start: int

    def all(self) -> list[dict[str, Any]]:
        return self.recorder.notifications()[self.start :]

    def wait_for(
        self, predicate: Callable[[dict[str, Any]], bool] = lambda n: True, timeout: float = 10.0
    ) -> dict[str, Any]:
        return self.recorder.wait_for_notification(predicate, timeout, after=self.start)

    def invoke_action(self, notification_id: int, key: str = "default") -> None:
        self.recorder.invoke_action(notification_id, key)

    def dismiss(self, notification_id: int) -> None:
        self.recorder.dismiss(notification_id)


@pytest.fixture
def notifications(notify_recorder: NotifyRecorder) -> NotificationsView:
    return NotificationsView(notify_recorder, len(notify_recorder.notifications()))


@pytest.fixture(scope="session")
def trayer(xvfb: str, e2e_session_dir: Path) -> Iterator[Trayer]:
    """trayer (XEmbed tray, top right, 24 px) running on ``xvfb``."""
    tray = harness.start_trayer(xvfb, e2e_session_dir / "trayer.log")
    yield tray
    harness.stop(tray.proc)


@pytest.fixture
def artifacts_dir(request: pytest.FixtureRequest) -> Path:
    """tests/e2e/artifacts/<test name>/ (gitignored): logs and screenshots of this test."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    path = harness.ARTIFACTS / name
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


@pytest.fixture
def app_env(tmp_path: Path, xvfb: str, dbus_session: str) -> Iterator[dict[str, str]]:
    """Environment for the app under test: DISPLAY (with trayer once ``trayer`` is requested),
    the private bus, BOUNDARIES_CONFIG_DIR=<tmp>/config, HOME/XDG_* in tmp, a short 0700
    XDG_RUNTIME_DIR, QT_QPA_PLATFORM=xcb, no proxies. Copy and change it freely."""
    runtime = harness.short_runtime_dir()
    yield harness.make_app_env(
        display=xvfb,
        bus_address=dbus_session,
        config_dir=tmp_path / "config",
        home=tmp_path / "home",
        runtime_dir=runtime,
    )
    shutil.rmtree(runtime, ignore_errors=True)


@pytest.fixture
def launch(artifacts_dir: Path) -> Iterator[Callable[..., Launched]]:
    """``launch(args, env, name=None) -> Launched``: start a process with output logged under
    ``artifacts_dir``; every process still running is stopped (SIGTERM, then KILL) at teardown.

    Then the test fails if a process's stderr shows a traceback or a warning or error it did
    not expect (``Launched.expect_stderr``)."""
    started: list[Launched] = []

    def _launch(args: Sequence[str], env: Mapping[str, str], name: str | None = None) -> Launched:
        proc = harness.launch(args, env, artifacts_dir, name)
        started.append(proc)
        return proc

    yield _launch
    for proc in reversed(started):
        harness.stop(proc.proc)
    problems = {p.stderr_path.name: p.stderr_problems() for p in started}
    problems = {name: lines for name, lines in problems.items() if lines}
    if problems:
        pytest.fail(f"unexpected warnings or tracebacks on stderr: {problems}", pytrace=False)


# --- the app under test, started the way most tests start it --------------------------------
class Started(NamedTuple):
    """The app, up: its process, its environment (with the fake wall clock when a start time
    was given) and the file that moves that clock (``app_under_test.set_clock``)."""

    app: Launched
    env: dict[str, str]
    clock: Path


def _prepared_env(
    env: dict[str, str],
    clock: Path,
    settings: str | None,
    history: bool,
    at: str | None,
    tz: str,
) -> dict[str, str]:
    if settings is not None:
        write_settings(env, settings)
    if history:
        seed_history(env)
    return env if at is None else with_faketime(env, clock, at, tz)


@pytest.fixture
def start_boundaries(
    trayer: Trayer, app_env: dict[str, str], launch: Callable[..., Launched], tmp_path: Path
) -> Callable[..., Started]:
    """``start_boundaries(at=None, settings=SETTINGS, history=False, tz="Europe/Berlin")``:
    writes ``settings`` (None: no file, a first run), seeds the history (``SEED_HISTORY``),
    starts the app's wall clock at ``at`` ("2026-11-24 09:20:00" in ``tz``; None: the real
    clock, and ``env`` is ``app_env`` itself), then the app, once its icon is in trayer."""

    def start(
        *,
        at: str | None = None,
        settings: str | None = SETTINGS,
        history: bool = False,
        tz: str = "Europe/Berlin",
    ) -> Started:
        clock = tmp_path / "clock"
        env = _prepared_env(app_env, clock, settings, history, at, tz)
        return Started(start_app(launch, env, trayer.display), env, clock)

    return start


class StartedOnWayland(NamedTuple):
    """The app on sway: its process, its environment, and its tray item once the bar has it
    (None when not waited for)."""

    app: Launched
    env: dict[str, str]
    item: SniItem | None


@pytest.fixture
def start_boundaries_on_wayland(
    wayland_env: dict[str, str],
    shared_bus: str,
    launch: Callable[..., Launched],
    tmp_path: Path,
) -> Callable[..., StartedOnWayland]:
    """``start_boundaries_on_wayland(at=None, settings=SETTINGS, tray=True)``: as
    ``start_boundaries``, on sway; with ``tray`` it waits for the item on the bar (a test
    asks for ``waybar``), else it returns as soon as the app is launched."""

    def start(
        *, at: str | None = None, settings: str | None = SETTINGS, tray: bool = True
    ) -> StartedOnWayland:
        env = _prepared_env(wayland_env, tmp_path / "clock", settings, False, at, "Europe/Berlin")
        app = launch([*harness.BOUNDARIES_CMD], env, name="boundaries")
        for pattern in WAYLAND_SESSION_NOISE:
            app.expect_stderr(pattern)
        item = SniBus(shared_bus).item_of(app.pid) if tray else None
        return StartedOnWayland(app, env, item)

    return start


# --- Wayland: headless sway, waybar's tray as the StatusNotifierItem host ----------------------
@pytest.fixture(scope="session")
def sway(wayland_tools: None, e2e_session_dir: Path) -> Iterator[Sway]:
    """Headless sway (1280x800), run unprivileged; ``sway.wayland_display`` is absolute."""
    server = wayland.start_sway(e2e_session_dir / "sway.log")
    yield server
    wayland.stop_sway(server)


@pytest.fixture(scope="session")
def shared_bus(wayland_tools: None) -> Iterator[str]:
    """A private session bus that sway's unprivileged panel may join too."""
    workdir = Path(tempfile.mkdtemp(prefix="bnd-bus-", dir="/tmp"))
    bus = harness.start_dbus(workdir, any_user=True)
    yield bus.address
    harness.stop(bus.proc)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def waybar(sway: Sway, shared_bus: str, artifacts_dir: Path) -> Iterator[Waybar]:
    """waybar with its tray on ``sway``, for this test only (tests restart it)."""
    bar = wayland.start_waybar(sway, shared_bus, artifacts_dir / "waybar.log")
    yield bar
    harness.stop(bar.proc)


@pytest.fixture
def wayland_env(app_env: dict[str, str], sway: Sway, shared_bus: str) -> dict[str, str]:
    """``app_env`` for a Wayland session on ``sway``: no DISPLAY, Qt's wayland platform."""
    env = {k: v for k, v in app_env.items() if k != "DISPLAY"}
    env.update(
        {
            "WAYLAND_DISPLAY": sway.wayland_display,
            "QT_QPA_PLATFORM": "wayland",
            "XDG_SESSION_TYPE": "wayland",
            "XDG_CURRENT_DESKTOP": "sway",
            "DBUS_SESSION_BUS_ADDRESS": shared_bus,
        }
    )
    return env
