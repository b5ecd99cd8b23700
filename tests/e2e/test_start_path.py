"""The start path stays small: what the running app has imported when its icon shows, and once
start-up has settled, is held to an allow-list.

A feature that is not needed for the icon (team agreement, meeting planner, weekly update, nudge
holds, Settings, Slack, ...) is imported on first use; importing it at start makes this test
fail. Add a module to ``START_PATH`` only when the tray icon or the work right after it needs
it, and say why in the commit. The heavy third-party and stdlib modules in ``NEVER_AT_START``
cost start-up time and resident memory every user pays all day (docs/decisions/0001).
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e import harness
from tests.e2e.app_under_test import cli
from tests.e2e.harness import Launched, Trayer

pytestmark = pytest.mark.e2e

# Our modules a started app may hold before anything is used.
START_PATH = frozenset(
    {
        "boundaries",
        "boundaries.app",
        "boundaries.app.application",
        "boundaries.app.bench_probe",  # the module dump itself (BOUNDARIES_BENCH=1)
        "boundaries.app.command_server",  # after the icon: commands are answered at once
        "boundaries.app.controller",
        "boundaries.app.dispatch",
        "boundaries.app.history_recorder",
        "boundaries.app.ipc",
        "boundaries.app.memory_release",
        "boundaries.app.no_tls",  # first of all: asyncio must never find ssl in the app
        "boundaries.app.quit_signals",  # SIGTERM/SIGINT quit cleanly from the first moment
        "boundaries.app.scheduler",
        "boundaries.app.settings_watch",
        "boundaries.app.slack_sync",  # after the icon: it acts on nothing before it starts
        "boundaries.app.workers",
        "boundaries.core",
        "boundaries.core.commands",
        "boundaries.core.focus",
        "boundaries.core.instant",
        "boundaries.core.interval",
        "boundaries.core.kinds",
        "boundaries.core.limits",
        "boundaries.core.nudge",
        "boundaries.core.report",
        "boundaries.core.schedule",
        "boundaries.core.schema",
        "boundaries.core.settings",
        "boundaries.core.settings_doc",
        "boundaries.core.state_check",
        "boundaries.core.status",
        "boundaries.core.team",
        "boundaries.core.timefmt",
        "boundaries.core.timeparse",
        "boundaries.core.update_reminder",  # when the weekly reminder is due (a few lines)
        "boundaries.core.workday_record",
        "boundaries.entry",  # `boundaries` alone skips the command line (boundaries.cli)
        "boundaries.integrations",
        "boundaries.integrations.atomic",
        "boundaries.integrations.config_store",
        "boundaries.integrations.history",
        "boundaries.integrations.idle",
        "boundaries.integrations.idle_x11",  # after the icon: Wayland's listener must start early
        "boundaries.integrations.idle_wayland",  # (the same source choice on every desktop)
        "boundaries.integrations.lazy_pool",  # thread pools made with their first task
        "boundaries.integrations.migrations",
        "boundaries.integrations.notification_server",  # the notifier's bus address
        "boundaries.integrations.notify",
        "boundaries.integrations.paths",
        "boundaries.integrations.private_dir",
        "boundaries.integrations.state_file",
        "boundaries.integrations.system_zone",
        "boundaries.resources",
        "boundaries.ui",
        "boundaries.ui.icons",
        "boundaries.ui.minute_memo",  # the tray menu keeps its texts for the minute
        "boundaries.ui.tray",
    }
)

# Loaded on first use only (package prefixes). APScheduler and what it drags in load once a
# wake-up comes within two minutes; Slack, keyring and tomlkit when used.
NEVER_AT_START = (
    "apscheduler",
    "asyncio",
    "ssl",
    "multiprocessing",
    "importlib.metadata",
    "hashlib",  # OpenSSL's libcrypto, ~3 MiB resident
    "slack_sdk",
    "keyring",
    "tomlkit",
    "PySide6.QtSvgWidgets",
    "PySide6.QtNetwork",  # ~2.6 MiB with Kerberos: the command socket is a plain Unix socket
    "sqlite3",  # ~1.3 MiB: the sign-off history opens with its first write or read
    "importlib.resources",  # icons are read from the package folder (importlib.resources: zips)
)

# Needed right after the icon, not for it: loading them first delays the icon.
AFTER_THE_ICON = (
    "boundaries.app.command_server",  # commands are answered at once after the icon
    "boundaries.app.dispatch",  # the command table and core.commands (~20 dataclasses)
    "boundaries.core.commands",
    "boundaries.app.slack_sync",
    "socket",  # the command server's (~6 ms with its enums); quit signals use a pipe
    "concurrent.futures",  # thread pools are made with their first task (~7 ms)
)

# A Saturday noon (the clock is faked) with the default Monday-to-Friday workday and no focus
# blocks: nothing is due for days, so nothing may load "because it is due". (A real clock made
# this test fail in the two minutes before a weekday's heads-up or sign-off.)
SATURDAY_NOON = "@2026-12-05 12:00:00"
SETTINGS = """\
version = 1

[focus]
blocks = []

[[team]]
name = "Ana"
timezone = "Europe/London"
"""


def _heavy(modules: list[str]) -> list[str]:
    return sorted(
        m for m in modules if any(m == p or m.startswith(p + ".") for p in NEVER_AT_START)
    )


def _started_on_saturday_noon(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    tmp_path: Path,
    **extra_env: str,
) -> tuple[Launched, dict[str, str], Path]:
    """The app (once its icon shows), its environment and the file its module dumps go to."""
    config = Path(app_env["BOUNDARIES_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text(SETTINGS)
    dump = tmp_path / "modules.json"
    clock = tmp_path / "clock"
    clock.write_text(SATURDAY_NOON)
    tz = extra_env.pop("TZ", "Europe/Berlin")
    env = {
        **app_env,
        **harness.faketime_env(clock, tz=tz),
        "BOUNDARIES_BENCH": "1",
        "BOUNDARIES_BENCH_MODULES": str(dump),
        **extra_env,
    }
    app = launch([*harness.BOUNDARIES_CMD], env, name="boundaries")
    harness.tray_icon(trayer.display, pid=app.pid, timeout=20)
    return app, env, dump


def test_the_start_path_imports_only_what_the_icon_needs(
    trayer: Trayer, app_env: dict[str, str], launch: Callable[..., Launched], tmp_path: Path
) -> None:
    app, _env, dump = _started_on_saturday_noon(trayer, app_env, launch, tmp_path)
    harness.wait_for(dump.exists, 20, message="the module dump 2 s after the icon")
    seen = json.loads(dump.read_text())

    for stage in ("icon", "settled"):
        ours = {m for m in seen[stage] if m == "boundaries" or m.startswith("boundaries.")}
        assert sorted(ours - START_PATH) == [], (
            f"imported at start ({stage}); load it on first use, or add it to START_PATH "
            "if the icon really needs it"
        )
        assert _heavy(seen[stage]) == [], f"heavy modules at start ({stage})"
    assert [m for m in AFTER_THE_ICON if m in seen["icon"]] == []
    # The first touch of PySide6.QtCore.Qt builds every enum of the Qt namespace (~40 ms and
    # ~1 MiB): code on the start path imports it where it is used, after start-up.
    assert seen["qt_namespace_at_icon"] is False
    assert seen["qt_namespace_settled"] is False
    # The cyclic GC is off during start-up (~50 passes over objects that live all session)
    # and on again once the release after start-up has collected.
    assert seen["gc_enabled_at_icon"] is False
    assert seen["gc_enabled_settled"] is True
    assert app.proc.poll() is None


def test_the_tray_menu_opens_without_working_out_teammates_until_their_submenu_opens(
    trayer: Trayer, app_env: dict[str, str], launch: Callable[..., Launched], tmp_path: Path
) -> None:
    """On an XEmbed tray Qt shows the menu itself and tells each submenu when it opens:
    Teammates ▸ (hundreds of lines in a big team) is not worked out for the icon, nor for
    every open of the main menu (the submenu's own test opens it: test_app_e2e)."""
    app, _env, dump = _started_on_saturday_noon(trayer, app_env, launch, tmp_path)
    harness.wait_for(dump.exists, 20, message="the module dump 2 s after the icon")
    harness.click_tray_icon(trayer.display, button=3, pid=app.pid)
    menu = harness.wait_for(
        lambda: harness.popup_windows(trayer.display, pid=app.pid), 10, message="the tray menu"
    )
    harness.press_keys(trayer.display, "Escape")
    harness.wait_for(
        lambda: not harness.popup_windows(trayer.display, pid=app.pid),
        10,
        message=f"the tray menu {menu} to close",
    )
    app.proc.send_signal(signal.SIGTERM)
    assert app.proc.wait(timeout=10) == 0, app.output()
    assert "boundaries.core.team_view" not in json.loads(dump.read_text())["quit"]


@pytest.mark.parametrize("contestant", ["boundaries", "floor"])
def test_a_benchmark_start_can_stop_at_the_icon(
    trayer: Trayer, app_env: dict[str, str], launch: Callable[..., Launched], contestant: str
) -> None:
    """benchmarks/instructions.py counts instructions up to the icon: with
    ``BOUNDARIES_BENCH_EXIT=ready`` the app and the floor leave right after the READY marker."""
    config = Path(app_env["BOUNDARIES_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text(SETTINGS)
    floor = [sys.executable, str(harness.REPO_ROOT / "benchmarks" / "floor_tray.py")]
    args = [*harness.BOUNDARIES_CMD] if contestant == "boundaries" else floor
    env = {**app_env, "BOUNDARIES_BENCH": "1", "BOUNDARIES_BENCH_EXIT": "ready"}
    started = launch(args, env, name=contestant)
    assert started.proc.wait(timeout=30) == 0, started.output()
    assert started.stdout().splitlines()[-1].startswith("BOUNDARIES_READY "), started.output()


# A POSIX TZ string (valid for the C library and Qt) that tzlocal refuses to name: APScheduler
# asked tzlocal for the system's zone when it was created, and failed there.
POSIX_TZ = "CET-1CEST,M3.5.0,M10.5.0/3"


@pytest.mark.parametrize("tz", ["Europe/Berlin", POSIX_TZ])
def test_the_scheduler_loads_without_openssl_whatever_tz_says(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    tmp_path: Path,
    tz: str,
) -> None:
    """A wake-up due within two minutes loads APScheduler and its asyncio, but no OpenSSL:
    the app's own process never speaks TLS (app/no_tls.py, record 0019). It loads too when
    ``TZ`` holds a POSIX rule rather than a zone name: every job is an aware instant."""
    app, env, dump = _started_on_saturday_noon(
        trayer, app_env, launch, tmp_path, TZ=tz, BOUNDARIES_DEBUG="1"
    )
    cli(env, "focus", "1")  # its end, a minute away, is handed to APScheduler
    harness.wait_for(
        lambda: "APScheduler is loaded" in app.stderr(), 30, message=lambda: app.output()
    )
    app.proc.send_signal(signal.SIGTERM)
    assert app.proc.wait(timeout=10) == 0, app.output()
    loaded = json.loads(dump.read_text())["quit"]
    assert "apscheduler.schedulers.qt" in loaded and "asyncio" in loaded
    assert [m for m in loaded if m in ("ssl", "_ssl")] == []
    if tz == POSIX_TZ:  # followed, but not silently: the schedule uses the system's zone
        assert f'TZ is set to "{POSIX_TZ}", which is not a time zone name' in app.stderr()
