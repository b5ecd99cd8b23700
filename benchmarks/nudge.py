"""How late a sign-off nudge fires with the real scheduler, also after a simulated suspend.

The app runs under libfaketime with a wall-clock offset (monotonic stays real, exactly as in a
suspend). Fake time = real time + offset, so a notification the recorder stamps at real time
``t`` was sent at fake ``t + offset``, compared with the scheduled 17:30:00.

- on time: start 6 s before sign-off;
- suspend, resume before sign-off: start at 16:50, then jump to 5 s before sign-off (a timer
  armed for 40 min would fire 40 min late without re-planning);
- suspend over sign-off, resume announced by logind (what a Linux desktop does): start at 16:50,
  ``PrepareForSleep(true)``, jump to 17:31, wait until the app reads 17:31, then
  ``PrepareForSleep(false)`` from the fake logind on the app's system bus; latency from that
  signal to the notification. The drift check is 10 minutes here, so only the signal can wake
  the app;
- suspend over sign-off, no logind: the same jump noticed by the drift check alone; latency
  from the rewrite of the clock file. It includes libfaketime's re-read of that file (at most
  once a second, so up to ~1 s before the app can see the new time at all), which a real
  resume does not have: the kernel's clock is already right when the app runs again.

The runs without logind use ``BOUNDARIES_DRIFT_CHECK_MS`` (default 500) so a jump is noticed
quickly; the production check runs every 60 s, so without logind its worst case is 60 s.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.procfs import CLOCK_TICKS, stat_cpu_ticks
from benchmarks.session import Bench, Proc, set_offset
from benchmarks.stats import summary
from boundaries.app.scheduler import DRIFT_CHECK_MS
from boundaries.core import commands as cmd

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
# With logind: a drift check too slow to matter, so the nudge can only come from the signal.
LOGIND_DRIFT_CHECK_MS = 600_000


def _offset_for(fake_now: float) -> int:
    return round(fake_now - time.time())


def _notification(
    bench: Bench, proc: Proc, after: int, match: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    return bench.recorder.wait_for_notification(
        lambda n: n.get("sender_pid") == proc.pid and match(n), timeout=30, after=after
    )


def _launch(
    bench: Bench, clock: Any, offset: int, drift_ms: int, system_bus: str | None = None
) -> Proc:
    set_offset(clock, offset)
    env = {"BOUNDARIES_DRIFT_CHECK_MS": str(drift_ms)}
    if system_bus is not None:
        env["DBUS_SYSTEM_BUS_ADDRESS"] = system_bus
    proc = bench.launch("boundaries", settings=SETTINGS, faketime_file=clock, extra_env=env)
    proc.launched.wait_for_line("BOUNDARIES_READY", 30)
    return proc


def _app_now(proc: Proc) -> float:
    """The app's own wall clock (unix time), from its status answer (which wakes nothing)."""
    reply = proc.command(cmd.encode_request(cmd.Status()))
    return datetime.fromisoformat(reply["status"]["now"]).timestamp()


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


def _cpu_s(pid: int) -> float:
    """CPU seconds the whole process has used (its ended threads too): hardly moves with load."""
    utime, stime = stat_cpu_ticks(Path(f"/proc/{pid}/stat").read_text())
    return (utime + stime) / CLOCK_TICKS


def resume_logind(bench: Bench, n: int) -> tuple[float, float, str]:
    """(latency from the signal, the app's CPU seconds meanwhile, the notifications)."""
    logind = bench.start_logind()
    clock = bench.workdir / f"clock-l{n}"
    after = len(bench.recorder.notifications())
    proc = _launch(
        bench, clock, _offset_for(SIGNOFF - 40 * 60), LOGIND_DRIFT_CHECK_MS, logind.system_bus
    )
    try:
        _app_now(proc)  # answered after the planner subscribed to logind (both at start)
        logind.prepare_for_sleep(True)
        set_offset(clock, _offset_for(SIGNOFF + 60))
        # A real resume has the kernel's clock right before logind speaks; libfaketime needs up
        # to ~1 s to re-read its file, so wait until the app itself reads the new time.
        deadline = time.monotonic() + 10
        while _app_now(proc) < SIGNOFF:
            if time.monotonic() > deadline:
                raise TimeoutError("the app's clock never showed the resume")
            time.sleep(0.05)
        if any(x.get("sender_pid") == proc.pid for x in bench.recorder.notifications()[after:]):
            raise RuntimeError("a nudge came before logind's signal: the run measures nothing")
        cpu = _cpu_s(proc.pid)
        sent = logind.prepare_for_sleep(False)
        note = _notification(bench, proc, after, lambda n: True)
        cpu = _cpu_s(proc.pid) - cpu
        later = bench.recorder.notifications()[after:]
    finally:
        bench.stop(proc)
    burst = [x["summary"] for x in later if x.get("sender_pid") == proc.pid]
    return float(note["timestamp"]) - sent, cpu, " | ".join(burst)


def run(
    bench: Bench, runs: int, drift_ms: int, log: Callable[[str], Any] = print
) -> dict[str, Any]:
    late = [on_time(bench, drift_ms, i) for i in range(runs)]
    before = [resume_before(bench, drift_ms, i) for i in range(runs)]
    logind = [resume_logind(bench, i) for i in range(runs)]
    after = [resume_after(bench, drift_ms, i) for i in range(runs)]
    result = {
        "drift_check_ms_measured": drift_ms,
        "drift_check_ms_production": DRIFT_CHECK_MS,
        "on_time_late_s": summary(late),
        "resume_before_late_s": summary(before),
        "resume_logind_latency_s": summary([a for a, _, _ in logind]),
        # The app's CPU from the signal until the recorder's log shows the notification (10 ms
        # ticks; the log is polled every 50 ms, so some of what follows the nudge is in it):
        # about what the latency is on an idle machine, whatever the other sessions do.
        "resume_logind_cpu_s": summary([c for _, c, _ in logind]),
        "resume_logind_notifications": [s for _, _, s in logind],
        "resume_logind_drift_check_ms": LOGIND_DRIFT_CHECK_MS,
        "resume_after_latency_s": summary([a for a, _ in after]),
        "resume_after_notifications": [s for _, s in after],
        # Without logind's PrepareForSleep, only the drift check sees a jump: an upper bound
        # is its period plus the slowest measured reaction (which already includes up to one
        # measured period).
        "production_worst_case_late_s": round(DRIFT_CHECK_MS / 1000 + max(a for a, _ in after), 3),
    }
    log(f"  {result}")
    return result
