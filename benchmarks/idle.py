"""Idle cost: wakeups (context switches) and CPU time of every thread over a quiet minute.

Floor and Boundaries idle side by side in the same minute, so a busy neighbour on a shared
machine touches both. Wakeups are voluntary + involuntary context switches summed over
``/proc/<pid>/task/*``; CPU is utime + stime.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from benchmarks import peers, ui
from benchmarks.procfs import Counters, process_counters, thread_switches
from benchmarks.session import KINDS, Bench
from benchmarks.stats import ratio

SETTLE_S = 10.0  # past start-up work and the first slow timers


def per_minute(delta: Counters, seconds: float) -> dict[str, Any]:
    scale = 60.0 / seconds
    return {
        "wakeups_per_min": round(delta.switches * scale, 1),
        "voluntary_per_min": round(delta.voluntary * scale, 1),
        "involuntary_per_min": round(delta.involuntary * scale, 1),
        "cpu_s_per_min": round(delta.cpu_seconds * scale, 3),
        "cpu_percent": round(100.0 * delta.cpu_seconds / seconds, 3),
        "threads": delta.threads,
    }


def run(bench: Bench, seconds: float, log: Callable[[str], Any] = print) -> dict[str, Any]:
    kinds = (*KINDS, *peers.active())  # all idle in the same minute
    procs = {kind: bench.launch(kind) for kind in kinds}
    try:
        for proc in procs.values():
            ui.icon_polled(bench, proc)
        ui.settle_until(max(p.t_exec for p in procs.values()) + SETTLE_S)
        before = {kind: process_counters(p.pid) for kind, p in procs.items()}
        threads0 = {kind: thread_switches(p.pid) for kind, p in procs.items()}
        started = time.monotonic()
        time.sleep(seconds)
        after = {kind: process_counters(p.pid) for kind, p in procs.items()}
        threads1 = {kind: thread_switches(p.pid) for kind, p in procs.items()}
        elapsed = time.monotonic() - started
        for kind, proc in procs.items():
            if not proc.alive():
                raise RuntimeError(f"{kind} died\n{proc.launched.output()}")
    finally:
        for proc in procs.values():
            bench.stop(proc)
    result: dict[str, Any] = {"seconds": round(elapsed, 1), "kinds": list(kinds)}
    for kind in kinds:
        result[kind] = per_minute(after[kind] - before[kind], elapsed)
        result[kind]["switches_by_thread"] = {
            name: n - threads0[kind].get(name, 0)
            for name, n in threads1[kind].items()
            if n - threads0[kind].get(name, 0)
        }
        log(f"  {kind}: {result[kind]}")
    f, b = result["floor"], result["boundaries"]
    result["above_floor_wakeups_per_min"] = round(b["wakeups_per_min"] - f["wakeups_per_min"], 1)
    result["ratio"] = {"wakeups": ratio(b["wakeups_per_min"], f["wakeups_per_min"])}
    return result
