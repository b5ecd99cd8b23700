"""When to wake up: APScheduler's QtScheduler with one timer, plus resume/clock-jump detection.

Two traps shape this module (docs/decisions/0002-apscheduler.md, 0003-suspend.md):

* ``QtScheduler`` arms ``QTimer.singleShot`` and, under PySide6, can never stop it, so every
  re-plan leaves one more self-re-arming timer. ``SingleTimerQtScheduler`` owns one persistent
  precise ``QTimer`` instead.
* Qt timers run on the monotonic clock, which stops while the machine sleeps, so a timer armed
  for "seconds until 17:30" fires late by the whole suspend. ``Planner`` checks once a minute
  whether the wall clock moved against the monotonic clock (suspend, clock change) or the
  system time zone changed, listens for logind's ``PrepareForSleep(false)`` where there is a
  system bus, and wakes the app at once so it can re-plan.

The planner keeps exactly one job: the app's next wake-up. Missed events are coalesced by the
app (it looks at everything due since its last check), so the job runs however late it is
(``misfire_grace_time=None``) instead of APScheduler's default of silently dropping it after 1 s.

APScheduler (and the asyncio, multiprocessing and importlib.metadata it drags in, ~5 MiB; ssl
stays out of the app's process, app/no_tls.py) is imported on a worker thread the first time a
wake-up is due within ``load_ahead_s``; until then the drift check, which runs anyway, is the
pre-wake that notices one coming closer. While the import runs, a plain single-shot timer
bridges a wake-up due before it is done (a resume just before sign-off on a busy machine). A
wake-up that is already due (after a resume) is bridged at once and loads nothing: the catch-up
it starts must not share the GIL with an import (docs/decisions/0009-loading-apscheduler.md).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import SLOT, QObject, QTimer, Signal, Slot

if TYPE_CHECKING:
    from boundaries.app.qt_scheduler import SingleTimerQtScheduler

log = logging.getLogger(__name__)

_JOB_ID = "boundaries-next-wake"
DRIFT_CHECK_MS = 60_000
DRIFT_TOLERANCE_S = 2.0
# A wake-up this close is handed to APScheduler (loading it first). Two drift checks plus
# slack: a coarse 60 s timer fires at least once while a wake-up is 130..60 s away.
LOAD_MARGIN_S = 10.0


def default_load_ahead_s(drift_check_ms: int) -> float:
    return 2 * max(drift_check_ms, DRIFT_CHECK_MS) / 1000 + LOAD_MARGIN_S


def _import_apscheduler() -> None:
    """Everything the planner uses from APScheduler (run off the GUI thread)."""
    import apscheduler.executors.debug
    import apscheduler.triggers.date  # noqa: F401

    import boundaries.app.qt_scheduler  # noqa: F401


def _wall_minus_monotonic() -> float:
    return time.time() - time.monotonic()


class Planner(QObject):
    """Wakes the app at the one instant it asks for, and whenever the clock can't be trusted.

    ``woke(reason)`` is emitted on the GUI thread with reason ``"due"``, ``"clock_jump"``,
    ``"zone_change"`` or ``"resume"``.
    """

    woke = Signal(str)
    loaded = Signal()  # APScheduler is imported and holds the pending wake-up
    _imported = Signal()

    def __init__(
        self,
        zone_name: Callable[[], str],
        drift_check_ms: int = DRIFT_CHECK_MS,
        parent: QObject | None = None,
        load_ahead_s: float | None = None,
    ) -> None:
        super().__init__(parent)
        self._zone_name = zone_name
        self._last_zone = zone_name()
        self._offset = _wall_minus_monotonic()
        # Created once a wake-up comes within load_ahead_s (see the module docstring).
        self._scheduler: SingleTimerQtScheduler | None = None
        self._load_ahead_s = (
            default_load_ahead_s(drift_check_ms) if load_ahead_s is None else load_ahead_s
        )
        self._started = False
        self._loading = False
        self._imported.connect(self._on_imported)  # emitted on the import thread: queued
        # Wakes the app if a wake-up falls due while APScheduler is still being imported.
        self._bridge = QTimer(self)
        self._bridge.setSingleShot(True)
        self._bridge.timeout.connect(self._on_fired)
        self._drift_timer = QTimer(self)  # coarse, Qt's default: once a minute, ±5 % is fine
        self._drift_timer.timeout.connect(self.check_clock)
        self._drift_check_ms = drift_check_ms
        self.next_wake: datetime | None = None

    @property
    def scheduler(self) -> SingleTimerQtScheduler:
        if self._scheduler is None:
            raise RuntimeError("APScheduler is not loaded yet (no wake-up has come close)")
        return self._scheduler

    @property
    def is_loaded(self) -> bool:
        return self._scheduler is not None

    def start(self) -> None:
        self._started = True
        self._drift_timer.start(self._drift_check_ms)
        self._listen_for_resume()
        self._load_if_due_soon()

    def stop(self) -> None:
        self._started = False
        self._drift_timer.stop()
        self._bridge.stop()
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def _load_if_due_soon(self) -> None:
        if not self._started or self._loading or self._scheduler is not None:
            return
        when = self.next_wake
        if when is None:
            return
        ahead = (when - datetime.now(UTC)).total_seconds()
        if ahead > self._load_ahead_s:
            return
        if ahead > 0:  # due already (a resume, a late start): the bridge wakes at once
            # Not then: an import on a thread and the catch-up on the GUI thread fight for
            # the GIL, which made the first nudge after a resume seconds late. The re-plan
            # that follows loads it if the next wake-up is close.
            self._loading = True
            # ~65 ms of imports: on a thread, so the event loop keeps answering meanwhile.
            threading.Thread(target=self._import, name="apscheduler-import", daemon=True).start()
        self._bridge_until_loaded(when)

    def _bridge_until_loaded(self, when: datetime | None) -> None:
        """Until APScheduler holds it, a plain timer covers a wake-up that is loading or due."""
        if self._scheduler is not None or when is None or not self._started:
            self._bridge.stop()
            return
        ms = (when - datetime.now(UTC)).total_seconds() * 1000
        if not self._loading and ms > 0:
            self._bridge.stop()  # still far away: the drift check brings it within reach
            return
        # Qt's coarse timer may fire a few % early: the app then finds nothing due and re-plans.
        self._bridge.start(min(max(0, math.ceil(ms)), 2**31 - 1))

    def _import(self) -> None:
        try:
            _import_apscheduler()
        except Exception:  # pragma: no cover - reported again by the import in _on_imported
            log.exception("importing APScheduler on a thread failed")
        self._imported.emit()

    @Slot()
    def _on_imported(self) -> None:
        from apscheduler.executors.debug import DebugExecutor

        from boundaries.app.qt_scheduler import SingleTimerQtScheduler

        self._loading = False
        self._bridge.stop()
        if not self._started:
            return
        # Every job is an aware instant, so the scheduler's own zone never matters: UTC, rather
        # than asking tzlocal for the system's (it warns on a machine with a broken zone).
        self._scheduler = SingleTimerQtScheduler(
            executors={"default": DebugExecutor()}, timezone=UTC
        )
        self._scheduler.start()
        self.wake_at(self.next_wake)  # what was asked for while it loaded
        log.debug("APScheduler is loaded and holds the next wake-up")
        self.loaded.emit()

    def wake_at(self, when: datetime | None) -> None:
        """Replace the pending wake-up with one at ``when`` (aware), or none."""
        self.next_wake = when
        if self._scheduler is None:
            self._load_if_due_soon()  # applied once loaded
            self._bridge_until_loaded(when)
            return
        if when is None:
            if self._scheduler.get_job(_JOB_ID):
                self._scheduler.remove_job(_JOB_ID)
            return
        from apscheduler.triggers.date import DateTrigger

        self._scheduler.add_job(
            self._job_ran,
            trigger=DateTrigger(run_date=when, timezone=UTC),  # not tzlocal's (see above)
            id=_JOB_ID,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
            max_instances=1,
        )

    @Slot()
    def check_clock(self) -> None:
        """Emit ``woke`` if the wall clock jumped against the monotonic one or the zone changed."""
        self._load_if_due_soon()  # the pre-wake for a wake-up coming within reach
        offset = _wall_minus_monotonic()
        jumped = abs(offset - self._offset) > DRIFT_TOLERANCE_S
        self._offset = offset
        zone = self._zone_name()
        zone_changed = zone != self._last_zone
        self._last_zone = zone
        if zone_changed:
            log.info("system time zone changed to %s; re-planning", zone)
            self.woke.emit("zone_change")
        elif jumped:
            log.info("wall clock jumped (suspend or clock change); re-planning")
            self.woke.emit("clock_jump")

    def _job_ran(self) -> None:
        # The job runs inside APScheduler's _process_jobs, which removes the finished job
        # afterwards; re-planning from the event loop keeps the new job from being removed.
        # (A zero timer, not a queued connection: Qt.ConnectionType costs ~40 ms at start.)
        QTimer.singleShot(0, self._on_fired)

    @Slot()
    def _on_fired(self) -> None:
        self.woke.emit("due")

    @Slot(bool)
    def _on_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if not going_to_sleep:
            self._offset = _wall_minus_monotonic()
            self.woke.emit("resume")

    def _listen_for_resume(self) -> None:
        """Best effort: logind tells us about resume at once; without it the drift check does."""
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # pragma: no cover - QtDBus ships with PySide6-Essentials
            return
        bus = QDBusConnection.systemBus()
        if not bus.isConnected():
            return
        try:
            # The slot as a str: the stubs say bytes, but PySide6 (6.11) raises ValueError for
            # bytes ("wrong argument values"): it escaped start() and cut the app's start short.
            listening = bus.connect(  # type: ignore[call-overload]
                "org.freedesktop.login1",
                "/org/freedesktop/login1",
                "org.freedesktop.login1.Manager",
                "PrepareForSleep",
                self,
                SLOT("_on_prepare_for_sleep(bool)"),
            )
        except (TypeError, ValueError) as error:  # the app starts anyway; the drift check stays
            log.warning("cannot listen for logind's resume signal: %s", error)
            return
        if not listening:
            log.warning("cannot listen for logind's resume signal on the system bus")
