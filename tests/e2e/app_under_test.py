"""The real app as the e2e tests drive it: its settings file, its (fake) wall clock, its CLI,
a seeded history and its start. The ``start_boundaries`` fixtures in ``conftest.py`` put these
together; a test that restarts the app calls ``start_app`` again with the same environment.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from boundaries.core.timeparse import WEEKDAYS
from tests.e2e import harness
from tests.e2e.harness import Launched

QUIET_ZONE = ZoneInfo("Europe/Berlin")


def quiet_settings(now: datetime | None = None) -> str:
    """Settings under which nothing is due for two days: one workday, three days from ``now``
    (a schedule needs a day), and no focus blocks. For runs that must not load, show or nudge
    anything because it is due (the start path, the benchmarks' quiet runs)."""
    later = (now or datetime.now(UTC)).astimezone(QUIET_ZONE) + timedelta(days=3)
    return (
        f'version = 1\n\n[general]\ntimezone = "{QUIET_ZONE.key}"\n\n'
        f'[workday]\ndays = ["{WEEKDAYS[later.weekday()]}"]\n\n[focus]\nblocks = []\n'
    )


SETTINGS = """\
[general]
timezone = "Europe/Berlin"

[workday]
days = ["mon", "tue", "wed", "thu", "fri"]

[[team]]
name = "Ana"
timezone = "Europe/London"

[[team]]
name = "Bo"
timezone = "America/New_York"
hours = "08:00-16:30"

[[team]]
name = "Chandra"
timezone = "Asia/Kolkata"
hours = "11:00-19:30"
days = ["mon", "tue", "wed", "thu", "fri", "sat"]
"""


def write_settings(env: dict[str, str], text: str = SETTINGS) -> None:
    config = Path(env["BOUNDARIES_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text(text)


def with_faketime(
    env: dict[str, str], clock_file: Path, start: str, tz: str = "Europe/Berlin"
) -> dict[str, str]:
    """The app's wall clock starts at ``start`` (in ``tz``) and runs; rewrite the file to jump."""
    set_clock(clock_file, start)
    return {
        **env,
        **harness.faketime_env(clock_file, tz=tz),
        "BOUNDARIES_DRIFT_CHECK_MS": "500",  # notice a jump within half a second, not a minute
    }


def set_clock(clock_file: Path, when: str) -> None:
    tmp = clock_file.with_suffix(".tmp")
    tmp.write_text(f"@{when}\n")
    os.replace(tmp, clock_file)  # atomically, so the app never reads half a timestamp


def cli(env: dict[str, str], *args: str) -> Any:
    done = harness.run([*harness.BOUNDARIES_CMD, *args], env)
    assert done.returncode == 0, done.stderr
    return done


def status(env: dict[str, str]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(cli(env, "status", "--json").stdout)
    return result


def start_app(launch: Callable[..., Launched], env: dict[str, str], display: str) -> Launched:
    """The app on an X11 ``display`` with a tray, once its icon is docked there."""
    app = launch([*harness.BOUNDARIES_CMD], env, name="boundaries")
    harness.tray_icon(display, pid=app.pid, timeout=20)
    # A user at the keyboard: nudges are held for someone idle 10 min, and the shared Xvfb
    # may have had no input for longer than that by the time a nudge test runs.
    harness.xdotool(display, "mousemove_relative", "--", "1", "1")
    return app


def children_running(pid: int, arg: str) -> list[int]:
    """The children of ``pid`` (started by any of its threads) run as ``boundaries <arg>``,
    live or not yet reaped: the Slack agent (``AGENT_ARG``), the Settings window
    (``SETTINGS_ARG``)."""
    children: list[str] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += (task / "children").read_text().split()
        except OSError:
            continue
    found = []
    for child in children:
        try:
            argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if arg.encode() in argv:
            found.append(int(child))
    return found


def settings_pid(app_pid: int, timeout: float = 30) -> int:
    """The Settings window's process, a child of the app (docs/decisions/0018)."""
    from boundaries.entry import SETTINGS_ARG

    found: int = harness.wait_for(
        lambda: next(iter(children_running(app_pid, SETTINGS_ARG)), None),
        timeout=timeout,
        message="the Settings window's process",
    )
    return found


def window_named(
    display: str, pid: int, name: str, timeout: float = 15, *, settle: bool = True
) -> harness.XWindow:
    """The app's window called ``name`` once its place and size have settled: a window can be
    mapped at one place and moved a moment later, and a picture cropped to where it first
    was shows something else. ``settle=False`` for a title that lasts only a moment."""
    seen: list[tuple[int, int, int, int]] = []

    def settled() -> harness.XWindow | None:
        found = [w for w in harness.popup_windows(display, pid=pid) if w.name == name]
        if not found:
            return None
        window = found[0]
        seen.append((window.abs_x, window.abs_y, window.width, window.height))
        steady = not settle or (len(seen) >= 3 and len(set(seen[-3:])) == 1)
        return window if steady else None

    return harness.wait_for(
        settled, timeout=timeout, interval=0.1, message=f"the {name!r} window to settle"
    )


SEED_HISTORY = """
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo
from boundaries.core.workday_record import FocusSession, SignoffSource
from boundaries.integrations.history import History

berlin = ZoneInfo("Europe/Berlin")
history = History(Path(sys.argv[1]))
history.open()
# Mon 23 .. Thu 26 Nov 2026: Tuesday and Thursday ran late.
for day, end in [(23, "17:35"), (24, "19:10"), (25, "17:20"), (26, "18:40")]:
    hour, minute = map(int, end.split(":"))
    planned = datetime(2026, 11, day, 17, 30, tzinfo=berlin)
    actual = datetime(2026, 11, day, hour, minute, tzinfo=berlin)
    history.observe_signoff(date(2026, 11, day), actual, SignoffSource.BUTTON, planned)
    start = datetime(2026, 11, day, 9, 0, tzinfo=berlin)
    history.record_focus(
        date(2026, 11, day),
        FocusSession(start, start + timedelta(minutes=120), start + timedelta(minutes=120), False),
    )
history.close()
"""


def seed_history(env: dict[str, str]) -> None:
    """Mon 23 to Thu 26 Nov 2026 in the history file, written by the app's own History."""
    state = Path(env["BOUNDARIES_CONFIG_DIR"]) / "state"
    seeded = harness.run([sys.executable, "-c", SEED_HISTORY, str(state)], env)
    assert seeded.returncode == 0, seeded.stderr


# What Qt says on any Wayland session like the e2e tests' one, not about the app: there is no
# xdg-desktop-portal there, and Qt's text-input-v3 support grumbles when focus moves between
# windows of ours.
WAYLAND_SESSION_NOISE = (
    r"^qt\.qpa\.services: Failed to register with host portal",
    r"^qt\.qpa\.wayland\.textinput: .*Trying to disable",
)
