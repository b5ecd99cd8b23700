"""Start-up: exec -> tray icon shown -> first menu open, floor and Boundaries interleaved."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from tests.e2e import harness

from benchmarks import peers, ui
from benchmarks.procfs import rss_kib
from benchmarks.session import KINDS, QUIET_SETTINGS, Bench
from benchmarks.stats import ratio, summary
from boundaries.app.bench_probe import MODULES_ENV

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

# This wave's features (issue 17): each is loaded on first use, so none of their modules may be
# in the app once start-up has settled (tests/e2e/test_start_path.py holds the whole path).
WAVE_FEATURES: dict[str, tuple[str, ...]] = {
    "team agreement": (
        "boundaries.app.agreement_keeper",
        "boundaries.core.agreement",
        "boundaries.core.agreement_ics",
        "boundaries.core.agreement_view",
        "boundaries.integrations.agreement_file",
    ),
    "meeting planner": (
        "boundaries.app.meeting_times",
        "boundaries.core.meeting",
        "boundaries.core.meeting_ics",
        "boundaries.core.meeting_spec",
        "boundaries.core.meeting_view",
        "boundaries.core.meetings",
        "boundaries.ui.meeting_window",
    ),
    "weekly update": (
        "boundaries.app.weekly_update",
        "boundaries.core.weekly_update",
        "boundaries.ui.weekly_update",
        "boundaries.integrations.update_slack",
        "boundaries.integrations.update_store",
    ),
    "nudge holds": (
        "boundaries.app.hold_gate",
        "boundaries.app.silence_sync",
        "boundaries.core.holds",
        "boundaries.integrations.desktop_silence",
        "boundaries.integrations.hold_freedesktop",
        "boundaries.integrations.hold_settings",
        "boundaries.integrations.hold_source",
        "boundaries.integrations.hold_x11",
        "boundaries.integrations.holds_file",
    ),
}

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


def wave_features_loaded(bench: Bench) -> dict[str, list[str]]:
    """One more start, with the app's module dump (not timed): the modules of each of this
    wave's features the app holds once start-up has settled; an empty list each is the
    target. Quiet settings: nothing due may load a feature (holds come with a nudge)."""
    dump = bench.workdir / f"modules-{time.monotonic_ns()}.json"
    proc = bench.launch("boundaries", settings=QUIET_SETTINGS, extra_env={MODULES_ENV: str(dump)})
    try:
        proc.ready_at()
        snapshot = harness.wait_for(
            lambda: _settled(dump), 30, message=lambda: proc.launched.output()
        )
    finally:
        bench.stop(proc)
    loaded = set(snapshot or ())
    return {feature: [m for m in mods if m in loaded] for feature, mods in WAVE_FEATURES.items()}


def _settled(dump: Path) -> list[str] | None:
    try:
        found = json.loads(dump.read_text(encoding="utf-8")).get("settled")
    except (OSError, ValueError):
        return None  # not written yet (it is replaced whole, never half)
    return list(found) if found is not None else None


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
    if "boundaries" in kinds:
        result["wave_features_at_start"] = wave_features_loaded(bench)
    if "floor" in kinds:
        result["ratio"] = {
            m: ratio(result["boundaries"][m]["median"], result["floor"][m]["median"])
            for m in METRICS
        }
    return result
