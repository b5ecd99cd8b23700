"""Event-loop stall probe for the benchmarks (``python -m benchmarks``), off unless asked for.

A precise QTimer ticks every ``BOUNDARIES_BENCH_PROBE_MS`` milliseconds on the GUI thread; a
gap between two ticks much longer than the interval is time the event loop could not answer
the user. Every gap over ``BOUNDARIES_BENCH_PROBE_REPORT_MS`` (default 20) is printed as
``BOUNDARIES_GAP <unix time at the gap's end> <gap ms>`` so the benchmark can find the longest
gap inside any phase it drives. The probe is its own env switch, because its 100 wakeups a
second would swamp the idle measurement.
"""

from __future__ import annotations

import json
import os
import sys
import time

from PySide6.QtCore import QObject, QTimer, Slot

PROBE_ENV = "BOUNDARIES_BENCH_PROBE_MS"
REPORT_ENV = "BOUNDARIES_BENCH_PROBE_REPORT_MS"


class StallProbe(QObject):
    """Measures the longest gap between ticks of a fast timer on this thread's event loop."""

    def __init__(
        self, interval_ms: int = 10, report_ms: float = 20.0, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.report_ms = report_ms
        self.longest_ms = 0.0
        self._last = time.monotonic()
        from PySide6.QtCore import Qt  # only when probing: not on every bench start

        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.monotonic()
        self._timer.start(self.interval_ms)

    @Slot()
    def _tick(self) -> None:
        now = time.monotonic()
        gap_ms = (now - self._last) * 1000.0
        self._last = now
        self.longest_ms = max(self.longest_ms, gap_ms)
        if gap_ms > self.report_ms:
            print(f"BOUNDARIES_GAP {time.time():.6f} {gap_ms:.1f}", flush=True)


def start_probe_from_env(parent: QObject | None = None) -> StallProbe | None:
    """Start a probe when ``BOUNDARIES_BENCH_PROBE_MS`` is set; otherwise do nothing."""
    interval = os.environ.get(PROBE_ENV, "")
    if not interval.isdigit() or int(interval) <= 0:
        return None
    report = float(os.environ.get(REPORT_ENV, "20"))
    probe = StallProbe(int(interval), report, parent)
    probe.start()
    print(f"BOUNDARIES_PROBE {interval}", flush=True)
    return probe


MODULES_ENV = "BOUNDARIES_BENCH_MODULES"
SETTLED_MS = 2000  # past the work queued after the icon (command server, planner, release)
SETTLED_LATEST_MS = 6000
"""On a loaded machine the first release (1 s after the work after the icon) can come later
than ``SETTLED_MS``: the snapshot waits for it (the cyclic GC back on) up to this long."""


def _loaded() -> list[str]:
    """Imported modules; a ``None`` entry is an import marked unavailable (app/no_tls.py)."""
    return sorted(name for name, module in sys.modules.items() if module is not None)


def record_modules_from_env() -> None:
    """With ``BOUNDARIES_BENCH_MODULES=<file>``: the imported modules as JSON, once now (the
    icon is up), once start-up has settled and when the app quits, ``{"icon": [...],
    "settled": [...], "quit": [...]}``; the start-path test holds them to an allow-list."""
    path = os.environ.get(MODULES_ENV, "")
    if not path:
        return
    import gc

    from PySide6 import QtCore

    # Touching Qt.* builds every enum of the Qt namespace (~40 ms, 1 MiB): kept after the icon.
    snapshot: dict[str, object] = {
        "icon": _loaded(),
        "qt_namespace_at_icon": "Qt" in vars(QtCore),
        "gc_enabled_at_icon": gc.isenabled(),
    }

    def write() -> None:
        tmp = f"{path}.tmp"
        with open(tmp, "w", encoding="utf-8") as out:
            json.dump(snapshot, out)
        os.replace(tmp, path)

    waited_ms = SETTLED_MS

    def settled() -> None:
        nonlocal waited_ms
        if not gc.isenabled() and waited_ms < SETTLED_LATEST_MS:
            waited_ms += 500
            QTimer.singleShot(500, settled)  # start-up's release has not run yet
            return
        snapshot["settled"] = _loaded()
        snapshot["qt_namespace_settled"] = "Qt" in vars(QtCore)
        snapshot["gc_enabled_settled"] = gc.isenabled()  # off only during start-up
        write()

    def quitting() -> None:  # after use: what the Slack agent keeps out of this process
        snapshot["quit"] = _loaded()
        write()

    QTimer.singleShot(SETTLED_MS, settled)
    app = QtCore.QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(quitting)
