"""How late a sign-off nudge fires with the real scheduler, also after a simulated suspend.

The app runs under libfaketime with a wall-clock offset (monotonic stays real, exactly as in a
suspend). Fake time = real time + offset, so a notification the recorder stamps at real time
``t`` was sent at fake ``t + offset``, compared with the scheduled 17:30:00.

- on time: start 6 s before sign-off;
- suspend, resume before sign-off: start at 16:50, then jump to 5 s before sign-off (a timer
  armed for 40 min would fire 40 min late without re-planning);
- suspend over sign-off: start at 16:50, jump to 17:31; the coalesced nudge should come at once
  (latency measured from the jump).

These runs use ``BOUNDARIES_DRIFT_CHECK_MS`` (default 500) so a jump is noticed quickly; the
production check runs every 60 s, so without logind's resume signal its worst case is 60 s.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.session import Bench, Proc, set_offset
from benchmarks.stats import summary
from boundaries.app.scheduler import DRIFT_CHECK_MS

BERLIN = ZoneInfo("Europe/Berlin")
SIGNOFF = datetime(2026, 12, 1, 17, 30, tzinfo=BERLIN).timestamp()  # a Tuesday
SETTINGS = """\
version = 1

[general]
timezone = "Europe/Berlin"

[workday]
days = ["mon", "tue", "wed", "thu", "fri"]
signoff = "17:30"

[focus]
blocks = []
"""
SIGNOFF_SUMMARY = "Time to sign off"


def _offset_for(fake_now: float) -> int:
    return round(fake_now - time.time())


def _notification(
    bench: Bench, proc: Proc, after: int, match: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    return bench.recorder.wait_for_notification(
        lambda n: n.get("sender_pid") == proc.pid and match(n), timeout=30, after=after
    )


def _launch(bench: Bench, clock: Any, offset: int, drift_ms: int) -> Proc:
    set_offset(clock, offset)
    proc = bench.launch(
        "boundaries",
        settings=SETTINGS,
        faketime_file=clock,
        extra_env={"BOUNDARIES_DRIFT_CHECK_MS": str(drift_ms)},
    )
    proc.launched.wait_for_line("BOUNDARIES_READY", 30)
    return proc


def on_time(bench: Bench, drift_ms: int, n: int) -> float:
    clock = bench.workdir / f"clock-{n}"
    offset = _offset_for(SIGNOFF - 6)
    after = len(bench.recorder.notifications())
    proc = _launch(bench, clock, offset, drift_ms)
    try:
        note = _notification(bench, proc, after, lambda n: n["summary"] == SIGNOFF_SUMMARY)
    finally:
        bench.stop(proc)
    return float(note["timestamp"]) + offset - SIGNOFF


def resume_before(bench: Bench, drift_ms: int, n: int) -> float:
    clock = bench.workdir / f"clock-b{n}"
    after = len(bench.recorder.notifications())
    proc = _launch(bench, clock, _offset_for(SIGNOFF - 40 * 60), drift_ms)
    try:
        time.sleep(2.0)  # the 40-minute timer is armed
        offset = _offset_for(SIGNOFF - 5)
        set_offset(clock, offset)
        note = _notification(bench, proc, after, lambda n: n["summary"] == SIGNOFF_SUMMARY)
    finally:
        bench.stop(proc)
    return float(note["timestamp"]) + offset - SIGNOFF


def resume_after(bench: Bench, drift_ms: int, n: int) -> tuple[float, str]:
    clock = bench.workdir / f"clock-a{n}"
    after = len(bench.recorder.notifications())
    proc = _launch(bench, clock, _offset_for(SIGNOFF - 40 * 60), drift_ms)
    try:
        time.sleep(2.0)
        set_offset(clock, _offset_for(SIGNOFF + 60))
        jumped = time.time()
        note = _notification(bench, proc, after, lambda n: True)
        later = bench.recorder.notifications()[after:]
    finally:
        bench.stop(proc)
    burst = [x["summary"] for x in later if x.get("sender_pid") == proc.pid]
    return float(note["timestamp"]) - jumped, " | ".join(burst)


def run(
    bench: Bench, runs: int, drift_ms: int, log: Callable[[str], Any] = print
) -> dict[str, Any]:
    late = [on_time(bench, drift_ms, i) for i in range(runs)]
    before = [resume_before(bench, drift_ms, i) for i in range(runs)]
    after = [resume_after(bench, drift_ms, i) for i in range(runs)]
    result = {
        "drift_check_ms_measured": drift_ms,
        "drift_check_ms_production": DRIFT_CHECK_MS,
        "on_time_late_s": summary(late),
        "resume_before_late_s": summary(before),
        "resume_after_latency_s": summary([a for a, _ in after]),
        "resume_after_notifications": [s for _, s in after],
        # Without logind's PrepareForSleep, only the drift check sees a jump: an upper bound
        # is its period plus the slowest measured reaction (which already includes up to one
        # measured period).
        "production_worst_case_late_s": round(DRIFT_CHECK_MS / 1000 + max(a for a, _ in after), 3),
    }
    log(f"  {result}")
    return result
