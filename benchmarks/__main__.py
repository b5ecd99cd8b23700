"""``python -m benchmarks``: every benchmark in one run under Xvfb + trayer (~5 minutes)."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.e2e import harness

from benchmarks import idle, instructions, memory, nudge, peers, report, scale, stall, startup
from benchmarks.session import Bench

SECTIONS = ("startup", "scale", "memory", "idle", "stall", "nudge", "instructions")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--runs", type=int, default=5, help="start-up runs per contestant (5)")
    p.add_argument("--scale-runs", type=int, default=3, help="runs of each scale case (3)")
    p.add_argument("--idle-seconds", type=float, default=60.0, help="idle window (60)")
    p.add_argument("--cycles", type=int, default=100, help="menu + Settings open/close (100)")
    p.add_argument("--focus-cycles", type=int, default=50, help="focus start/end cycles (50)")
    p.add_argument("--memory-rounds", type=int, default=1, help="floor/app memory rounds (1)")
    p.add_argument("--stall-cycles", type=int, default=2, help="focus cycles per Slack phase (2)")
    p.add_argument("--slack-delay", type=float, default=5.0, help="slow Slack delay, s (5)")
    p.add_argument("--nudge-runs", type=int, default=2, help="runs of each nudge case (2)")
    p.add_argument("--drift-check-ms", type=int, default=500, help="drift check for nudges")
    p.add_argument("--only", choices=SECTIONS, action="append", help="run only these sections")
    p.add_argument("--results-dir", type=Path, default=report.RESULTS)
    p.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    missing = harness.missing_tools()
    if missing:
        print("benchmarks need: " + ", ".join(missing), file=sys.stderr)
        return 2
    sections = args.only or list(SECTIONS)
    if peers.wanted() and peers.missing():
        print("BENCH_PEERS=1: not installed, left out: " + ", ".join(peers.missing()))
    workdir = Path(tempfile.mkdtemp(prefix="bnd-bench-"))
    result: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": report.machine_info(),
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
    }
    bench = Bench(workdir)
    began = time.monotonic()
    try:
        for name in sections:
            t = time.monotonic()
            print(f"{name} …", flush=True)
            if name == "startup":
                result[name] = startup.run(bench, args.runs)
            elif name == "scale":
                result[name] = scale.run(bench, args.scale_runs)
            elif name == "memory":
                result[name] = memory.run(
                    bench, args.cycles, args.focus_cycles, rounds=args.memory_rounds
                )
            elif name == "idle":
                result[name] = idle.run(bench, args.idle_seconds)
            elif name == "stall":
                result[name] = stall.run(bench, args.slack_delay, args.stall_cycles)
            elif name == "nudge":
                result[name] = nudge.run(bench, args.nudge_runs, args.drift_check_ms)
            elif name == "instructions":
                missing = instructions.available()
                if missing:
                    print(f"instructions: left out, {missing}")
                    result[name] = {"missing": missing}
                else:
                    result[name] = instructions.run(bench)
            print(f"{name} done in {time.monotonic() - t:.0f} s", flush=True)
    finally:
        bench.close()
        if args.keep:
            print(f"logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    result["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    result["duration_s"] = round(time.monotonic() - began, 1)
    latest_json, latest_md = report.write(result, args.results_dir)
    print(latest_md.read_text())
    print(f"wrote {latest_json} and {latest_md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
