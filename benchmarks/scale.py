"""The scale case: 200 focus blocks and 300 teammates against the ordinary settings.

Both settings files are started interleaved in the same run (start -> icon, first menu open),
and ``boundaries status`` / ``boundaries team`` are timed as processes (exec to exit) against
each. Target: every measure within 1.2x of the ordinary case.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.e2e import harness

from benchmarks import startup, ui
from benchmarks.procfs import cpu_ns
from benchmarks.session import Bench
from benchmarks.stats import ratio, summary
from boundaries.core.schedule import wall_to_instant

BLOCKS = 200
TEAMMATES = 300
MENU_OPENS = 10
CLI_REPEATS = 5
SCALE_ZONE = ZoneInfo("Europe/Berlin")  # the settings' zone below
# The scale section of a run takes a few minutes; its blocks stay this far clear of "now".
SCALE_MARGIN = timedelta(minutes=45)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ZONES = (
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Africa/Lagos",
    "America/Sao_Paulo",
    "Europe/Berlin",
    "Pacific/Auckland",
)


def scale_settings(
    blocks: int = BLOCKS, teammates: int = TEAMMATES, *, first_start: int = 6 * 60
) -> str:
    """``blocks`` 15-minute focus blocks spread over the week, and ``teammates`` people.

    Each day's blocks start every 30 minutes from ``first_start`` (minutes after midnight),
    wrapping past midnight and skipping a slot that would run over it; the hours before
    ``first_start`` are the day's free gap."""
    lines = ["version = 1", "", "[general]", f'timezone = "{SCALE_ZONE.key}"', ""]
    per_day = -(-blocks // len(DAYS))
    slots = [(first_start + k * 30) % (24 * 60) for k in range(48)]
    starts = [s for s in slots if s + 15 < 24 * 60][:per_day]
    assert len(starts) == per_day
    for i in range(blocks):
        day, start = DAYS[i % len(DAYS)], starts[i // len(DAYS)]
        end = start + 15
        lines += [
            "[[focus.blocks]]",
            f'days = ["{day}"]',
            f'start = "{start // 60:02d}:{start % 60:02d}"',
            f'end = "{end // 60:02d}:{end % 60:02d}"',
            "",
        ]
    for i in range(teammates):
        lines += ["[[team]]", f'name = "Teammate {i:03d}"', f'timezone = "{ZONES[i % 10]}"', ""]
    return "\n".join(lines)


def quiet_first_start(now: datetime, margin: timedelta = SCALE_MARGIN) -> int:
    """The ``first_start`` that leaves ``now`` to ``now + margin`` free of every block start
    and end, so no run of the scale case finds a block due soon (the app then loads
    APScheduler on its thread, record 0009) or starts inside one, whatever the time of day.

    Checked as instants, so a night when the clocks change cannot put the first block early."""
    clear_from = now + margin
    day = clear_from.astimezone(SCALE_ZONE).date()
    slot = datetime(day.year, day.month, day.day)
    while wall_to_instant(slot.date(), slot.time(), SCALE_ZONE) < clear_from:
        slot += timedelta(minutes=30)
    return slot.hour * 60 + slot.minute


def cli_env(bench: Bench, settings: str) -> dict[str, str]:
    """The environment of a ``boundaries`` command against ``settings`` in fresh folders
    (no app running)."""
    root = bench.workdir / f"cli-{time.monotonic_ns()}"
    config = root / "config"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text(settings, encoding="utf-8")
    return harness.make_app_env(
        display=bench.display,
        bus_address=bench.bus.address,
        config_dir=config,
        home=root / "home",
        runtime_dir=root / "run",
        extra={"PYTHONDONTWRITEBYTECODE": ""},
    )


def _cli_seconds(bench: Bench, settings: str, *args: str) -> tuple[float, float]:
    """(wall time, CPU time) of one ``boundaries ARGS`` process against ``settings`` (no app
    running). CPU time (user + system, from the kernel's accounting of the reaped child)
    hardly moves when other sessions load the machine; wall time does."""
    env = cli_env(bench, settings)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    done = subprocess.run(
        [*harness.BOUNDARIES_CMD, *args],
        env=env,
        cwd=harness.REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"boundaries {' '.join(args)} failed: {done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def _cli_median(bench: Bench, settings: str, command: str) -> tuple[float, float]:
    """Medians of wall and CPU time over :data:`CLI_REPEATS` runs (a CLI run is cheap, and one
    run's CPU time still varied ~2x on the shared machine)."""
    runs = [_cli_seconds(bench, settings, command) for _ in range(CLI_REPEATS)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def menu_cpu(bench: Bench, settings: str, opens: int = MENU_OPENS) -> float:
    """CPU seconds the app spends per tray menu open and close (all its threads).

    Each open refreshes the menu (status line, focus blocks, the Teammates submenu); unlike
    click-to-screen time this hardly moves with the machine's load."""
    proc = bench.launch("boundaries", settings=settings)
    try:
        ui.icon_polled(bench, proc)
        ui.settle_until(proc.t_exec + startup.SETTLE_S)
        ui.menu_cycle(bench, proc)  # the first open builds what later opens reuse
        before = cpu_ns(proc.pid)
        for _ in range(opens):
            ui.menu_cycle(bench, proc)
        used = (cpu_ns(proc.pid) - before) / 1e9
        if not proc.alive():
            raise RuntimeError(f"boundaries died\n{proc.launched.output()}")
    finally:
        bench.stop(proc)
    return used / opens


METRICS = (
    "icon_embedded_s",
    "cpu_to_icon_s",
    "menu_s",
    "click_to_menu_s",
    "menu_cpu_s",
    "rss_mib",
    "status_s",
    "status_cpu_s",
    "team_s",
    "team_cpu_s",
)


def run(bench: Bench, runs: int, log: Callable[[str], Any] = print) -> dict[str, Any]:
    first_start = quiet_first_start(datetime.now(UTC))
    cases = {"ordinary": startup.SETTINGS, "scale": scale_settings(first_start=first_start)}
    for text in cases.values():  # warm-up
        startup.one_start(bench, "boundaries", text)
    samples: dict[str, list[dict[str, float]]] = {case: [] for case in cases}
    for i in range(runs):
        order = list(cases) if i % 2 == 0 else list(reversed(cases))
        for case in order:
            sample = startup.one_start(bench, "boundaries", cases[case])
            sample["menu_cpu_s"] = menu_cpu(bench, cases[case])
            sample["status_s"], sample["status_cpu_s"] = _cli_median(bench, cases[case], "status")
            sample["team_s"], sample["team_cpu_s"] = _cli_median(bench, cases[case], "team")
            samples[case].append(sample)
            log(
                f"  scale {i + 1}/{runs} {case:8s} icon {sample['icon_embedded_s']:.3f}s "
                f"menu {sample['menu_s']:.3f}s (CPU/open {sample['menu_cpu_s']:.3f}s) "
                f"status {sample['status_s']:.3f}s (CPU {sample['status_cpu_s']:.3f}s) "
                f"team {sample['team_s']:.3f}s (CPU {sample['team_cpu_s']:.3f}s)"
            )
    result: dict[str, Any] = {"blocks": BLOCKS, "teammates": TEAMMATES}
    for case in cases:
        result[case] = {
            m: summary([s[m] for s in samples[case]], 5 if m == "menu_cpu_s" else 3)
            for m in METRICS
        }  # a few ms per open: kept to 10 µs, or the ratio moves in 1 ms steps
    result["ratio"] = {
        m: ratio(result["scale"][m]["median"], result["ordinary"][m]["median"]) for m in METRICS
    }
    return result
