"""Resident memory after start and after "an hour of use", floor vs Boundaries.

An hour of use: the tray menu and the Settings window opened and closed ``cycles`` times, and
``focus_cycles`` focus start/end through the command socket (what ``boundaries focus 1`` /
``boundaries focus --end`` send) against the fake Slack, each waiting until Slack shows the
status and then has it restored. The floor has no Settings or focus: it gets the menu cycles.

The keyring and Slack's clients run in the app's Slack agent, a child process that leaves
after its idle time (docs/decisions/0016-slack-agent.md). At each point the app's own RSS and
the agent's are reported apart, with their sum (the process tree); the last point waits for
the agent to leave and measures the app alone. Rounds alternate floor and Boundaries.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tests.e2e import harness

from benchmarks import ui
from benchmarks.procfs import rss_kib, tree_rss_kib
from benchmarks.session import Bench, Proc
from benchmarks.stats import ratio, summary
from boundaries.core import commands as cmd

SETTLE_S = 3.0
AGENT_LEAVES_S = 90.0  # the agent's idle time (30 s) and then some, on a loaded machine


def _mib(proc: Proc) -> float:
    return round(rss_kib(proc.pid) / 1024, 1)


def tree(proc: Proc) -> dict[str, Any]:
    """The app's RSS, its live children's (the Slack agent), and the sum, in MiB."""
    rss = tree_rss_kib(proc.pid)
    app = rss.pop(proc.pid, 0)
    return {
        "app_mib": round(app / 1024, 1),
        "agent_mib": round(sum(rss.values()) / 1024, 1),
        "agent_alive": bool(rss),
        "tree_mib": round((app + sum(rss.values())) / 1024, 1),
    }


def wait_agent_gone(proc: Proc) -> float | None:
    """Seconds until the app has no live child left (the agent's idle exit), None if never."""
    began = time.monotonic()
    while time.monotonic() - began < AGENT_LEAVES_S:
        if len(tree_rss_kib(proc.pid)) == 1:
            return round(time.monotonic() - began, 1)
        time.sleep(0.5)
    return None


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
    bench: Bench,
    cycles: int,
    focus_cycles: int,
    log: Callable[[str], Any] = print,
    rounds: int = 1,
) -> dict[str, Any]:
    floors, apps = [], []
    for i in range(rounds):
        floors.append(_floor(bench, cycles, log))
        apps.append(_boundaries(bench, cycles, focus_cycles, log))
        log(f"  round {i + 1}/{rounds} done")
    floor = _median_round(floors, "rss_after_use_mib")
    app = _median_round(apps, "rss_after_agent_left_mib")
    result: dict[str, Any] = {
        "cycles": cycles,
        "focus_cycles": focus_cycles,
        "rounds": rounds,
        "floor": floor,
        "boundaries": app,
        "floor_rounds": floors,
        "boundaries_rounds": apps,
    }
    result["ratio"] = {
        "rss_start": ratio(app["rss_start_mib"], floor["rss_start_mib"]),
        "rss_after_use": ratio(app["rss_after_agent_left_mib"], floor["rss_after_use_mib"]),
        "tree_after_use_agent_alive": ratio(
            app["after_use"]["tree_mib"], floor["rss_after_use_mib"]
        ),
    }
    return result


def _median_round(rounds: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """The round whose ``key`` is the median (a whole round, so its numbers belong together)."""
    ordered = sorted(rounds, key=lambda r: float(r[key] or 0))
    return ordered[(len(ordered) - 1) // 2]


def _floor(bench: Bench, cycles: int, log: Callable[[str], Any]) -> dict[str, Any]:
    floor = bench.launch("floor")
    ui.icon_polled(bench, floor)
    ui.settle_until(floor.t_exec + SETTLE_S)
    floor_start = _mib(floor)
    menu_times = [ui.menu_cycle(bench, floor) for _ in range(cycles)]
    time.sleep(SETTLE_S)
    result = {
        "rss_start_mib": floor_start,
        "rss_after_use_mib": _mib(floor),
        "click_to_menu_s": summary(menu_times),
    }
    bench.stop(floor)
    log(f"  floor: {floor_start} -> {result['rss_after_use_mib']} MiB")
    return result


def _boundaries(
    bench: Bench, cycles: int, focus_cycles: int, log: Callable[[str], Any]
) -> dict[str, Any]:
    bench.start_slack()
    try:
        app = bench.launch("boundaries", settings=bench.slack_settings())
        bench.login(app)  # keyring entry: what `boundaries slack login` stores
        ui.icon_polled(bench, app)
        ui.settle_until(app.t_exec + SETTLE_S)
        start = tree(app)
        menu_times, settings_times, trace = [], [], [start["app_mib"]]
        for i in range(cycles):
            menu_times.append(ui.menu_cycle(bench, app))
            settings_times.append(ui.settings_cycle(bench, app))
            if (i + 1) % 10 == 0:
                trace.append(_mib(app))  # a leak grows with every cycle; a cache does not
        after_ui = tree(app)
        started = time.monotonic()
        for _ in range(focus_cycles):
            focus_cycle(bench, app)
        focus_s = time.monotonic() - started
        time.sleep(SETTLE_S)
        after_use = tree(app)
        left_after_s = wait_agent_gone(app)
        time.sleep(SETTLE_S)  # the reader thread and the pipes are gone too
        left = _mib(app)
        b: dict[str, Any] = {
            "rss_start_mib": start["app_mib"],
            "start": start,
            "rss_after_ui_mib": after_ui["app_mib"],
            "after_ui": after_ui,
            "rss_after_use_mib": after_use["app_mib"],
            "after_use": after_use,
            "agent_left_after_s": left_after_s,
            "rss_after_agent_left_mib": left if left_after_s is not None else None,
            "rss_every_10_ui_cycles_mib": trace,
            "click_to_menu_s": summary(menu_times),
            "settings_open_s": summary(settings_times),
            "focus_cycle_s": round(focus_s / max(1, focus_cycles), 3),
            "slack_calls": len(bench.slack.calls()) if bench.slack else None,
        }
        b["releases"] = releases(app.launched.stdout())
        if not app.alive():
            raise RuntimeError(f"Boundaries died\n{app.launched.output()}")
        bench.stop(app)
    finally:
        bench.stop_slack()
    log(
        f"  boundaries: {b['rss_start_mib']} -> {after_ui['app_mib']} (UI) -> "
        f"{after_use['app_mib']} MiB + agent {after_use['agent_mib']} MiB; "
        f"agent left after {left_after_s} s -> {b['rss_after_agent_left_mib']} MiB"
    )
    return b
