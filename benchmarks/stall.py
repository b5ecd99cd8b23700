"""Event-loop stalls while Slack is slow or down, from the app's own 10 ms timer probe.

Boundaries runs with ``BOUNDARIES_BENCH_PROBE_MS=10`` (``boundaries.app.bench_probe``), which
prints every gap between ticks over 20 ms. Phases: quiet (the probe's own noise), Slack slow
(every call answered after ``delay`` s) and Slack down (connection refused), each with focus
start/end cycles sent through the command socket, as ``boundaries focus`` does. A control
phase opens the Settings window once (built on the GUI thread): the probe must see that gap,
or it is not measuring anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from benchmarks import ui
from benchmarks.session import Bench, Proc
from boundaries.core import commands as cmd

PROBE_MS = 10
TARGET_MS = 50.0


def _phase(proc: Proc, since: float, until: float) -> dict[str, Any]:
    gaps = proc.gaps(since, until)
    longest = max((ms for _, ms in gaps), default=None)
    return {
        "seconds": round(until - since, 1),
        "longest_gap_ms": longest,  # None: no gap over the probe's 20 ms report threshold
        "gaps_over_50ms": sum(1 for _, ms in gaps if ms > TARGET_MS),
        "gaps_over_20ms": len(gaps),
    }


def _focus(proc: Proc, end: bool) -> None:
    request = cmd.encode_request(cmd.EndFocus() if end else cmd.FocusFor(1))
    reply = proc.command(request)
    if not reply.get("ok"):
        raise RuntimeError(f"{request} failed: {reply}")


def run(
    bench: Bench, delay: float, cycles: int, log: Callable[[str], Any] = print
) -> dict[str, Any]:
    slack = bench.start_slack()
    result: dict[str, Any] = {"probe_ms": PROBE_MS, "slack_delay_s": delay, "cycles": cycles}
    try:
        app = bench.launch(
            "boundaries",
            settings=bench.slack_settings(),
            extra_env={"BOUNDARIES_BENCH_PROBE_MS": str(PROBE_MS)},
        )
        bench.login(app)
        ui.icon_polled(bench, app)
        app.launched.wait_for_line("BOUNDARIES_PROBE", 10)
        ui.settle_until(app.t_exec + 3.0)

        t = time.time()
        time.sleep(5.0)
        result["quiet"] = _phase(app, t, time.time())

        slack.fail_next("slow", times=100_000, delay=delay)
        t = time.time()
        for _ in range(cycles):
            _focus(app, end=False)
            time.sleep(delay + 1.0)
            _focus(app, end=True)
            time.sleep(delay + 1.0)
        result["slack_slow"] = _phase(app, t, time.time())
        result["slack_slow"]["calls"] = len(slack.calls())

        slack.clear_faults()
        slack.stop()  # connection refused from now on
        t = time.time()
        for _ in range(cycles):
            _focus(app, end=False)
            time.sleep(2.0)
            _focus(app, end=True)
            time.sleep(2.0)
        result["slack_down"] = _phase(app, t, time.time())

        # Control: the first Settings window is built on the GUI thread; the probe must see it.
        time.sleep(1.0)
        t = time.time()
        ui.settings_cycle(bench, app)
        time.sleep(0.5)
        result["control_first_settings_open"] = _phase(app, t, time.time())
        if not app.alive():
            raise RuntimeError(f"Boundaries died\n{app.launched.output()}")
        result["all_gaps_top5_ms"] = sorted((ms for _, ms in app.gaps()), reverse=True)[:5]
        bench.stop(app)
    finally:
        bench.stop_slack()
    for phase in ("quiet", "slack_slow", "slack_down", "control_first_settings_open"):
        log(f"  {phase}: {result[phase]}")
    return result
