"""Resident memory after start and after "an hour of use", floor vs Boundaries.

An hour of use: the tray menu and the Settings window opened and closed ``cycles`` times, and
``focus_cycles`` focus start/end through the command socket (what ``boundaries focus 1`` /
``boundaries focus --end`` send) against the fake Slack, each waiting until Slack shows the
status and then has it restored. The floor has no Settings or focus: it gets the menu cycles.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tests.e2e import harness

from benchmarks import ui
from benchmarks.procfs import rss_kib
from benchmarks.session import Bench, Proc
from benchmarks.stats import ratio, summary
from boundaries.core import commands as cmd

SETTLE_S = 3.0


def _mib(proc: Proc) -> float:
    return round(rss_kib(proc.pid) / 1024, 1)


def releases(stdout: str) -> dict[str, Any]:
    """What the app's memory releases gave back (its ``BOUNDARIES_RELEASE`` lines).

    Each line is ``<trim 0|1> <RSS KiB before> <RSS KiB after>``: the drop is the release's
    measured effect (caches dropped, garbage collected, glibc heap trimmed)."""
    freed = []
    for line in stdout.splitlines():
        if line.startswith("BOUNDARIES_RELEASE "):
            _, _trim, before, after = line.split()
            freed.append((int(before) - int(after)) / 1024)
    return {
        "count": len(freed),
        "freed_mib_total": round(sum(freed), 1),
        "freed_mib_each": summary(freed, digits=2),
    }


def focus_cycle(bench: Bench, proc: Proc) -> None:
    """Start focus, wait for it on the fake Slack, end it, wait for the restore."""
    slack = bench.slack
    assert slack is not None
    reply = proc.command(cmd.encode_request(cmd.FocusFor(1)))
    if not reply.get("ok"):
        raise RuntimeError(f"focus failed: {reply}")
    harness.wait_for(lambda: slack.status()[0].startswith("Focusing"), 15, message="status")
    reply = proc.command(cmd.encode_request(cmd.EndFocus()))
    if not reply.get("ok"):
        raise RuntimeError(f"focus --end failed: {reply}")
    harness.wait_for(lambda: slack.status()[0] == "", 15, message="status restored")


def run(
    bench: Bench, cycles: int, focus_cycles: int, log: Callable[[str], Any] = print
) -> dict[str, Any]:
    result: dict[str, Any] = {"cycles": cycles, "focus_cycles": focus_cycles}

    floor = bench.launch("floor")
    ui.icon_polled(bench, floor)
    ui.settle_until(floor.t_exec + SETTLE_S)
    floor_start = _mib(floor)
    menu_times = [ui.menu_cycle(bench, floor) for _ in range(cycles)]
    time.sleep(SETTLE_S)
    result["floor"] = {
        "rss_start_mib": floor_start,
        "rss_after_use_mib": _mib(floor),
        "click_to_menu_s": summary(menu_times),
    }
    bench.stop(floor)
    log(f"  floor: {floor_start} -> {result['floor']['rss_after_use_mib']} MiB")

    bench.start_slack()
    try:
        app = bench.launch("boundaries", settings=bench.slack_settings())
        bench.login(app)  # keyring entry: what `boundaries slack login` stores
        ui.icon_polled(bench, app)
        ui.settle_until(app.t_exec + SETTLE_S)
        app_start = _mib(app)
        menu_times, settings_times, trace = [], [], [app_start]
        for i in range(cycles):
            menu_times.append(ui.menu_cycle(bench, app))
            settings_times.append(ui.settings_cycle(bench, app))
            if (i + 1) % 10 == 0:
                trace.append(_mib(app))  # a leak grows with every cycle; a cache does not
        after_ui = _mib(app)
        started = time.monotonic()
        for _ in range(focus_cycles):
            focus_cycle(bench, app)
        focus_s = time.monotonic() - started
        time.sleep(SETTLE_S)
        result["boundaries"] = {
            "rss_start_mib": app_start,
            "rss_after_ui_mib": after_ui,
            "rss_after_use_mib": _mib(app),
            "rss_every_10_ui_cycles_mib": trace,
            "click_to_menu_s": summary(menu_times),
            "settings_open_s": summary(settings_times),
            "focus_cycle_s": round(focus_s / max(1, focus_cycles), 3),
            "slack_calls": len(bench.slack.calls()) if bench.slack else None,
        }
        result["boundaries"]["releases"] = releases(app.launched.stdout())
        if not app.alive():
            raise RuntimeError(f"Boundaries died\n{app.launched.output()}")
        bench.stop(app)
    finally:
        bench.stop_slack()
    b = result["boundaries"]
    log(f"  boundaries: {app_start} -> {after_ui} (UI) -> {b['rss_after_use_mib']} MiB")
    result["ratio"] = {
        "rss_start": ratio(b["rss_start_mib"], result["floor"]["rss_start_mib"]),
        "rss_after_use": ratio(b["rss_after_use_mib"], result["floor"]["rss_after_use_mib"]),
    }
    return result
