"""Start-up: exec -> tray icon shown -> first menu open, floor and Boundaries interleaved."""

from __future__ import annotations

from typing import Any

from tests.e2e import harness

from benchmarks import peers, ui
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

METRICS = (
    "ready_s",
    "cpu_to_icon_s",
    "icon_embedded_s",
    "icon_polled_s",
    "menu_s",
    "click_to_menu_s",
    "rss_mib",
)


def one_start(bench: Bench, kind: str, settings: str = SETTINGS) -> dict[str, float]:
    """One start; a peer has no READY marker (``ready_s`` left out), and a menu it does not
    map as its own override-redirect window within 5 s is left out."""
    mark = bench.xev.mark()
    proc = bench.launch(kind, settings=settings if kind == "boundaries" else None)
    out: dict[str, float] = {}
    t0 = proc.t_exec
    try:
        polled, window = ui.icon_window(bench, proc)
        try:
            t_click, menu = ui.open_menu(bench, proc, timeout=5.0 if kind in peers.PEERS else 10.0)
            ui.close_menu(bench, menu)
            out |= {"menu_s": menu.at - t0, "click_to_menu_s": menu.at - t_click}
        except TimeoutError:
            if kind not in peers.PEERS:
                raise
            harness.press_keys(bench.display, "Escape")  # whatever the click opened
        out["icon_embedded_s"] = ui.icon_embedded(bench, proc, mark, window=window) - t0
        out["icon_polled_s"] = polled - t0
        if kind not in peers.PEERS:
            out["ready_s"] = proc.ready_at() - t0
            cpu = proc.ready_cpu()
            if cpu is not None:
                out["cpu_to_icon_s"] = cpu
        ui.settle_until(proc.t_exec + SETTLE_S)
        out["rss_mib"] = rss_kib(proc.pid) / 1024
        if not proc.alive():
            raise RuntimeError(f"{kind} died\n{proc.launched.output()}")
    finally:
        bench.stop(proc)
    return out


def _fmt(sample: dict[str, float], key: str, unit: str) -> str:
    return f"{sample[key]:.3f}{unit}" if key in sample else "–"


def run(
    bench: Bench,
    runs: int,
    log: Any = print,
    kinds: tuple[str, ...] | None = None,
    settings: str = SETTINGS,
) -> dict[str, Any]:
    """``runs`` starts of each (after one discarded warm-up each), rotating who goes first."""
    kinds = kinds or (*KINDS, *peers.active())
    for kind in kinds:
        one_start(bench, kind, settings)  # warm-up: page cache, .pyc files
    samples: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    for i in range(runs):
        order = kinds[i % len(kinds) :] + kinds[: i % len(kinds)]
        if i % 2:
            order = tuple(reversed(order))
        for kind in order:
            sample = one_start(bench, kind, settings)
            samples[kind].append(sample)
            log(
                f"  start {i + 1}/{runs} {kind:10s} icon {_fmt(sample, 'icon_embedded_s', 's')} "
                f"menu {_fmt(sample, 'menu_s', 's')} rss {sample['rss_mib']:.1f} MiB"
            )
    result: dict[str, Any] = {"kinds": list(kinds)}
    for kind in kinds:
        result[kind] = {m: summary([s[m] for s in samples[kind] if m in s]) for m in METRICS}
    if "floor" in kinds:
        result["ratio"] = {
            m: ratio(result["boundaries"][m]["median"], result["floor"][m]["median"])
            for m in METRICS
        }
    return result
