"""Instructions executed, counted by valgrind's callgrind: exec → tray icon for the floor and
Boundaries, and the scale case (icon, ``status``, ``team``) against the ordinary settings.

Times on a shared machine move by ±20 % with other sessions' load; the number of instructions
a process executes does not (same binary, inputs and environment), so these rows are the ones
to judge a start-up change by. Both contestants leave right after printing ``BOUNDARIES_READY``
(``BOUNDARIES_BENCH_EXIT=ready``), so the count stops at the icon. What this does not count:
the kernel's work (page faults, mapping libraries) and cache misses, which CPU time includes.
One run each, after a run without valgrind that leaves the bytecode caches warm.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from tests.e2e import harness

from benchmarks import scale, startup
from benchmarks.session import Bench
from benchmarks.stats import ratio

EXIT_AT_READY = {"BOUNDARIES_BENCH_EXIT": "ready"}  # read by the app and floor_tray.py
TIMEOUT_S = 600  # under callgrind a start takes ~50x longer
_TOTAL = re.compile(r"(?:summary|totals): (\d+)$")


def available() -> str | None:
    """None, or why this section cannot run."""
    return None if shutil.which("valgrind") else "valgrind is not installed"


def callgrind(out: Path) -> tuple[str, ...]:
    return ("valgrind", "--tool=callgrind", f"--callgrind-out-file={out}")


def read_total(out: Path) -> int:
    """The instruction count (Ir) in a callgrind output file: its header's ``summary:`` line
    (files run to tens of MB; the header is at the top)."""
    with out.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            found = _TOTAL.match(line)
            if found:
                return int(found.group(1))
    raise RuntimeError(f"no instruction total in {out}")


def to_icon(bench: Bench, kind: str, settings: str | None, *, counted: bool = True) -> int:
    """Instructions from exec to the icon (0 when not ``counted``: the warm-up run)."""
    out = bench.workdir / f"callgrind-{kind}-{datetime.now(UTC):%H%M%S%f}.out"
    prefix = callgrind(out) if counted else ()
    proc = bench.launch(kind, settings=settings, extra_env=EXIT_AT_READY, prefix=prefix)
    code = proc.launched.proc.wait(timeout=TIMEOUT_S)
    if code != 0:
        raise RuntimeError(f"{kind} exited with {code}\n{proc.launched.output()}")
    return read_total(out) if counted else 0


def command(bench: Bench, settings: str, name: str, *, counted: bool = True) -> int:
    """Instructions of one ``boundaries NAME`` process against ``settings``."""
    out = bench.workdir / f"callgrind-{name}-{datetime.now(UTC):%H%M%S%f}.out"
    prefix = callgrind(out) if counted else ()
    done = subprocess.run(
        [*prefix, *harness.BOUNDARIES_CMD, name],
        env=scale.cli_env(bench, settings),
        cwd=harness.REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    if done.returncode != 0:
        raise RuntimeError(f"boundaries {name} failed: {done.stderr}")
    return read_total(out) if counted else 0


def run(bench: Bench, log: Callable[[str], Any] = print) -> dict[str, Any]:
    ordinary = startup.SETTINGS
    big = scale.scale_settings(first_start=scale.quiet_first_start(datetime.now(UTC)))
    icon: dict[str, Any] = {
        "floor": _counted(partial(to_icon, bench, "floor", None)),
        "boundaries": _counted(partial(to_icon, bench, "boundaries", ordinary)),
    }
    icon["ratio"] = ratio(icon["boundaries"], icon["floor"])
    result: dict[str, Any] = {"icon": icon}
    log(f"  instructions to the icon: boundaries {icon['boundaries']:,}, floor {icon['floor']:,}")
    for name in ("icon", "status", "team"):
        case: dict[str, Any] = {
            label: _counted(
                partial(to_icon, bench, "boundaries", text)
                if name == "icon"
                else partial(command, bench, text, name)
            )
            for label, text in (("ordinary", ordinary), ("scale", big))
        }
        case["ratio"] = ratio(case["scale"], case["ordinary"])
        result[f"scale_{name}"] = case
        log(f"  instructions, {name}: scale {case['scale']:,}, ordinary {case['ordinary']:,}")
    return result


def _counted(measure: Callable[..., int]) -> int:
    """A warm-up run (not counted: bytecode caches written), then the counted one."""
    measure(counted=False)
    return measure(counted=True)
