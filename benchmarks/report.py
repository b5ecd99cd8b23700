"""Results on disk: one JSON file and one Markdown table per run, and ``latest.*`` copies.

The per-run files (``run-<UTC time>.*``) stay local (gitignored); ``latest.json`` and
``latest.md`` are committed so two runs can be compared in review.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("results")


def machine_info() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        pyside = version("PySide6-Essentials")
    except Exception:
        pyside = "unknown"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "pyside6": pyside,
        "platform": sys.platform,
    }


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:.0f}{unit}"
        return f"{value:.3g}{unit}" if abs(value) < 10 else f"{value:.1f}{unit}"
    return f"{value}{unit}"


def _mmm(s: dict[str, Any], unit: str, scale: float = 1.0) -> str:
    if not s or s.get("median") is None:
        return "–"
    return f"{_fmt(s['median'] * scale, unit)} ({_fmt(s['min'] * scale)}–{_fmt(s['max'] * scale)})"


def markdown(result: dict[str, Any]) -> str:
    """The short table for people: median (min–max), the floor, the ratio and the target."""
    m = result["machine"]
    lines = [
        f"# Boundaries benchmarks — {result['finished']}",
        "",
        f"{m['cpu']}, {m['cores']} cores, Linux {m['kernel']}, Python {m['python']}, "
        f"PySide6 {m['pyside6']}; Xvfb + trayer. Median (min–max) over "
        f"{result['config']['runs']} runs; floor = bare PySide6 tray icon, same run.",
        "",
        "| measure | Boundaries | floor | ratio | target |",
        "| --- | --- | --- | --- | --- |",
    ]
    s = result.get("startup")
    if s:
        b, f, r = s["boundaries"], s["floor"], s["ratio"]
        rows = [
            ("exec → tray icon (READY marker)", "ready_s", "≤ 1.25× floor"),
            ("exec → icon embedded in trayer (X event)", "icon_embedded_s", "≤ 1.25× floor"),
            ("CPU time exec → icon (all threads; robust to load)", "cpu_to_icon_s", ""),
            ("exec → icon seen by harness.tray_icon (50 ms poll)", "icon_polled_s", ""),
            ("exec → first menu open", "menu_s", ""),
            ("click → menu on screen", "click_to_menu_s", ""),
        ]
        for label, key, target in rows:
            if key not in b:
                continue
            lines.append(
                f"| {label} | {_mmm(b[key], ' ms', 1000)} | {_mmm(f[key], ' ms', 1000)} "
                f"| {_fmt(r[key], '×')} | {target} |"
            )
        lines.append(
            f"| RSS {3:.0f} s after start | {_mmm(b['rss_mib'], ' MiB')} | "
            f"{_mmm(f['rss_mib'], ' MiB')} | {_fmt(r['rss_mib'], '×')} | ≤ 1.25× floor |"
        )
        wave = s.get("wave_features_at_start")
        if wave is not None:
            lines.append(
                "| modules of this wave's features loaded 2 s after the icon | "
                + "; ".join(f"{name}: {', '.join(mods) or 'none'}" for name, mods in wave.items())
                + " | | | none |"
            )
    mem = result.get("memory")
    if mem:
        b, f = mem["boundaries"], mem["floor"]
        use = f"{mem['cycles']}× menu + Settings, {mem['focus_cycles']} focus cycles with Slack"
        alive = b.get("after_use") or {}
        lines.append(
            f"| RSS after an hour of use ({use}), the app once its Slack agent left "
            f"(after {_fmt(b.get('agent_left_after_s'), ' s')}) | "
            f"{_fmt(b.get('rss_after_agent_left_mib'), ' MiB')}"
            f" (start {_fmt(b['rss_start_mib'])}) | {_fmt(f['rss_after_use_mib'], ' MiB')} "
            f"(start {_fmt(f['rss_start_mib'])}) | {_fmt(mem['ratio']['rss_after_use'], '×')} "
            "| ≤ 1.35× floor |"
        )
        if alive:
            lines.append(
                f"| same, just after the last focus cycle: app + live agent (process tree) | "
                f"{_fmt(alive['app_mib'], ' MiB')} + {_fmt(alive['agent_mib'], ' MiB')} = "
                f"{_fmt(alive['tree_mib'], ' MiB')} | | "
                f"{_fmt(mem['ratio'].get('tree_after_use_agent_alive'), '×')} | |"
            )
        rel = b.get("releases")
        if rel and rel["count"]:
            lines.append(
                f"| memory given back after windows closed (malloc_trim, caches): "
                f"{rel['count']} releases | {_fmt(rel['freed_mib_total'], ' MiB')} in all, "
                f"{_mmm(rel['freed_mib_each'], ' MiB')} each | | | |"
            )
    idle = result.get("idle")
    if idle:
        b, f = idle["boundaries"], idle["floor"]
        lines.append(
            f"| idle wakeups / min ({idle['seconds']:.0f} s, all threads) | "
            f"{_fmt(b['wakeups_per_min'])} | {_fmt(f['wakeups_per_min'])} | "
            f"+{_fmt(idle['above_floor_wakeups_per_min'])} | ≤ floor + 1 |"
        )
        lines.append(
            f"| idle CPU | {_fmt(b['cpu_percent'], ' %')} | {_fmt(f['cpu_percent'], ' %')} "
            "| | ~0 % |"
        )
    st = result.get("stall")
    if st:
        for phase, label in (
            ("quiet", "quiet"),
            ("slack_slow", "Slack slow"),
            ("slack_down", "Slack down"),
        ):
            p = st[phase]
            lines.append(
                f"| longest event-loop gap, {label} ({st['probe_ms']} ms probe) | "
                f"{_fmt(p['longest_gap_ms'], ' ms') if p['longest_gap_ms'] else '< 20 ms'} "
                f"({p['gaps_over_50ms']} over 50 ms) | | | ≤ 50 ms |"
            )
    n = result.get("nudge")
    if n:
        lines += [
            f"| nudge lateness, on time | {_mmm(n['on_time_late_s'], ' s')} | | | ≤ 1 s |",
            f"| nudge lateness after resume before sign-off (drift check "
            f"{n['drift_check_ms_measured']} ms) | {_mmm(n['resume_before_late_s'], ' s')} "
            "| | | ≤ 1 s |",
            *_logind_row(n),
            f"| nudge after resume past sign-off, no logind: drift check "
            f"{n['drift_check_ms_measured']} ms, from the clock-file rewrite (incl. libfaketime's "
            f"re-read, up to ~1 s, which a real resume has not) | "
            f"{_mmm(n['resume_after_latency_s'], ' s')} | | | |",
            f"| same, production drift check ({n['drift_check_ms_production'] // 1000} s), "
            f"no logind: worst case | ≤ {_fmt(n['production_worst_case_late_s'], ' s')} | | | |",
        ]
    lines += _noise(result) + _peers(result) + _scale(result) + _instructions(result)
    lines += [
        "",
        "Full numbers: `latest.json`. Reproduce: `make bench` (`python -m benchmarks --help`;",
        "`BENCH_PEERS=1 make bench` adds Workrave and Safe Eyes when installed).",
    ]
    return "\n".join(lines) + "\n"


def _logind_row(n: dict[str, Any]) -> list[str]:
    """Resume as a Linux desktop announces it: logind's PrepareForSleep(false) → the nudge."""
    if "resume_logind_latency_s" not in n:  # results from before the logind case
        return []
    return [
        "| nudge after resume past sign-off: logind's PrepareForSleep(false) → notification "
        f"(drift check {n['resume_logind_drift_check_ms'] // 60_000} min: only the signal "
        f"wakes) | {_mmm(n['resume_logind_latency_s'], ' s')} | | | ≤ 1 s |",
        "| same: the app's CPU time from the signal to the notification (robust to load) | "
        f"{_mmm(n.get('resume_logind_cpu_s', {}), ' s')} | | | |",
    ]


def _noise(result: dict[str, Any]) -> list[str]:
    """How much the floor itself moved between rounds: the noise every ratio carries."""
    s = result.get("startup")
    if not s or "floor" not in s:
        return []
    f = s["floor"]["icon_embedded_s"]
    if not f.get("min"):
        return []
    lines = [
        "",
        f"Noise: the floor's own exec → icon ranged {_fmt(f['min'] * 1000, ' ms')}–"
        f"{_fmt(f['max'] * 1000, ' ms')} ({_fmt(f['max'] / f['min'], '×')}) over the rounds "
        "(other sessions share the 2 cores); the CPU-time row hardly moves with load.",
    ]
    return lines


PEER_LABELS = {
    "boundaries": "Boundaries",
    "floor": "floor",
    "workrave": "Workrave",
    "safeeyes": "Safe Eyes",
}


def _peers(result: dict[str, Any]) -> list[str]:
    """Boundaries, the floor and the peers side by side (same run, interleaved)."""
    s = result.get("startup")
    if not s or len(s.get("kinds", [])) <= 2:
        return []
    kinds = s["kinds"]
    idle = result.get("idle") or {}
    lines = [
        "",
        "## Side by side with the peers",
        "",
        "| measure | " + " | ".join(PEER_LABELS.get(k, k) for k in kinds) + " |",
        "| --- |" + " --- |" * len(kinds),
    ]
    for label, key, unit, scale in (
        ("exec → icon embedded in trayer", "icon_embedded_s", " ms", 1000),
        ("exec → first menu open", "menu_s", " ms", 1000),
        ("RSS 3 s after start", "rss_mib", " MiB", 1),
    ):
        lines.append(
            f"| {label} | " + " | ".join(_mmm(s[k][key], unit, scale) for k in kinds) + " |"
        )
    if idle:
        cells = [_fmt(idle[k]["wakeups_per_min"]) if k in idle else "–" for k in kinds]
        lines.append(
            f"| idle wakeups / min ({idle['seconds']:.0f} s) | " + " | ".join(cells) + " |"
        )
        cells = [_fmt(idle[k]["cpu_percent"], " %") if k in idle else "–" for k in kinds]
        lines.append("| idle CPU | " + " | ".join(cells) + " |")
    return lines


def _scale(result: dict[str, Any]) -> list[str]:
    sc = result.get("scale")
    if not sc:
        return []
    o, b, r = sc["ordinary"], sc["scale"], sc["ratio"]
    lines = [
        "",
        f"## Scale: {sc['blocks']} focus blocks and {sc['teammates']} teammates",
        "",
        "| measure | ordinary (2 blocks, 3 teammates) | scale | ratio | target |",
        "| --- | --- | --- | --- | --- |",
    ]
    for label, key, unit, scale in (
        ("exec → icon embedded", "icon_embedded_s", " ms", 1000),
        ("CPU time exec → icon (robust to load)", "cpu_to_icon_s", " ms", 1000),
        ("exec → first menu open", "menu_s", " ms", 1000),
        ("click → menu on screen", "click_to_menu_s", " ms", 1000),
        ("app CPU per menu open and close (robust to load)", "menu_cpu_s", " ms", 1000),
        ("RSS 3 s after start", "rss_mib", " MiB", 1),
        ("`boundaries status` (process, exec → exit)", "status_s", " ms", 1000),
        ("`boundaries status` CPU time (robust to load)", "status_cpu_s", " ms", 1000),
        ("`boundaries team` (process, exec → exit)", "team_s", " ms", 1000),
        ("`boundaries team` CPU time (robust to load)", "team_cpu_s", " ms", 1000),
    ):
        if key not in o or key not in b:
            continue  # a result written before the measure existed
        target = "" if key == "rss_mib" else "≤ 1.2×"
        lines.append(
            f"| {label} | {_mmm(o[key], unit, scale)} | {_mmm(b[key], unit, scale)} "
            f"| {_fmt(r[key], '×')} | {target} |"
        )
    return lines


def _instructions(result: dict[str, Any]) -> list[str]:
    ins = result.get("instructions")
    if not ins:
        return []
    lines = ["", "## Instructions (valgrind callgrind: they do not move with load)", ""]
    if "missing" in ins:
        return [*lines, f"Not measured: {ins['missing']}."]
    lines += [
        "| measure | Boundaries | floor / ordinary case | ratio | target |",
        "| --- | --- | --- | --- | --- |",
    ]
    rows = (
        ("exec → tray icon, against the floor", ins["icon"], "boundaries", "floor", "≤ 1.25×"),
        ("scale: exec → tray icon", ins["scale_icon"], "scale", "ordinary", "≤ 1.2×"),
        ("scale: `boundaries status`", ins["scale_status"], "scale", "ordinary", "≤ 1.2×"),
        ("scale: `boundaries team`", ins["scale_team"], "scale", "ordinary", "≤ 1.2×"),
    )
    for label, counts, ours, base, target in rows:
        lines.append(
            f"| {label} | {_millions(counts[ours])} | {_millions(counts[base])} "
            f"| {_fmt(counts['ratio'], '×')} | {target} |"
        )
    return lines


def _millions(count: int) -> str:
    return f"{count / 1e6:.0f} M"


def write(result: dict[str, Any], results_dir: Path = RESULTS) -> tuple[Path, Path]:
    """Write ``run-<stamp>.json/.md`` and copy them to ``latest.json/.md``; return the latest."""
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    json_path = results_dir / f"run-{stamp}.json"
    md_path = results_dir / f"run-{stamp}.md"
    json_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(markdown(result), encoding="utf-8")
    latest_json, latest_md = results_dir / "latest.json", results_dir / "latest.md"
    shutil.copyfile(json_path, latest_json)
    shutil.copyfile(md_path, latest_md)
    return latest_json, latest_md
