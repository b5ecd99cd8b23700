"""Start-up: exec -> tray icon shown -> first menu open, floor and Boundaries interleaved."""

from __future__ import annotations

from typing import Any

from benchmarks import ui
from benchmarks.procfs import rss_kib
from benchmarks.session import KINDS, Bench
from benchmarks.stats import ratio, summary

SETTLE_S = 3.0  # resident memory "after start" is read this long after the exec

# A realistic settings file: two focus blocks a day, a sign-off, three teammates.
SETTINGS = """\
version = 1

[general]
timezone = "Europe/Berlin"

[[focus.blocks]]
days = ["mon", "tue", "wed", "thu", "fri"]
start = "09:00"
end = "11:00"

[[focus.blocks]]
days = ["mon", "tue", "wed", "thu", "fri"]
start = "14:00"
end = "16:00"

[[team]]
name = "Ana"
timezone = "Europe/London"

[[team]]
name = "Bo"
timezone = "America/New_York"

[[team]]
name = "Chandra"
timezone = "Asia/Kolkata"
"""

METRICS = ("ready_s", "icon_embedded_s", "icon_polled_s", "menu_s", "click_to_menu_s", "rss_mib")


def one_start(bench: Bench, kind: str) -> dict[str, float]:
    mark = bench.xev.mark()
    proc = bench.launch(kind, settings=SETTINGS if kind == "boundaries" else None)
    try:
        polled = ui.icon_polled(bench, proc)
        t_click, menu = ui.open_menu(bench, proc)
        ui.close_menu(bench, menu)
        embedded = ui.icon_embedded(bench, proc, mark)
        ready = proc.ready_at()
        ui.settle_until(proc.t_exec + SETTLE_S)
        rss = rss_kib(proc.pid) / 1024
        if not proc.alive():
            raise RuntimeError(f"{kind} died\n{proc.launched.output()}")
    finally:
        bench.stop(proc)
    t0 = proc.t_exec
    return {
        "ready_s": ready - t0,
        "icon_embedded_s": embedded - t0,
        "icon_polled_s": polled - t0,
        "menu_s": menu.at - t0,
        "click_to_menu_s": menu.at - t_click,
        "rss_mib": rss,
    }


def run(bench: Bench, runs: int, log: Any = print) -> dict[str, Any]:
    """``runs`` starts of each (after one discarded warm-up each), alternating who goes first."""
    for kind in KINDS:
        one_start(bench, kind)  # warm-up: page cache, .pyc files
    samples: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    for i in range(runs):
        order = KINDS if i % 2 == 0 else tuple(reversed(KINDS))
        for kind in order:
            sample = one_start(bench, kind)
            samples[kind].append(sample)
            log(
                f"  start {i + 1}/{runs} {kind:10s} ready {sample['ready_s']:.3f}s "
                f"menu {sample['menu_s']:.3f}s rss {sample['rss_mib']:.1f} MiB"
            )
    result: dict[str, Any] = {}
    for kind in KINDS:
        result[kind] = {m: summary([s[m] for s in samples[kind]]) for m in METRICS}
    result["ratio"] = {
        m: ratio(result["boundaries"][m]["median"], result["floor"][m]["median"]) for m in METRICS
    }
    return result
