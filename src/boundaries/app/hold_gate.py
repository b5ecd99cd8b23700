"""Nudges pass through here on their way to the screen: held while the desktop says "not now".

The controller's nudges are offered to the gate; it asks the hold sources (off the GUI thread),
keeps a nudge that is due during a hold in ``held-nudges.json`` (written before anything else
happens, so it survives a restart) and emits ``deliver`` once ``core.holds`` says so. While a
nudge is held the sources are re-read every few seconds, and at once when one reports a change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from boundaries.app.workers import WorkerPool
from boundaries.core import holds as core
from boundaries.core.holds import Delivery, HoldReading, Holds
from boundaries.core.nudge import Nudge
from boundaries.core.settings import QuietSettings
from boundaries.integrations.hold_source import HoldSource, read_all
from boundaries.integrations.holds_file import HoldsFile

log = logging.getLogger(__name__)

# How often the sources are re-read while a nudge is held (sources that report changes
# are re-read at once as well).
POLL_MS = 5_000

SourcesFactory = Callable[[Callable[[], None]], list[HoldSource]]


class HoldGate(QObject):
    """``offer(nudge)`` in; ``deliver(Delivery)`` out; ``changed(line)`` for the tray."""

    deliver = Signal(object)
    changed = Signal(object)  # the tray's line ("Sign-off nudge held: …") or None
    _source_changed = Signal()

    def __init__(
        self,
        file: HoldsFile,
        sources: SourcesFactory,
        clock: Callable[[], datetime],
        quiet: Callable[[], QuietSettings],
        own_silence: Callable[[], bool] = lambda: False,
        parent: QObject | None = None,
    ) -> None:
        """``own_silence``: True while Boundaries itself silences the desktop (focus), so the
        desktop's Do Not Disturb then says nothing about the user."""
        super().__init__(parent)
        self._own_silence = own_silence
        self._file = file
        self._make_sources = sources
        self._sources: list[HoldSource] | None = None
        self._clock = clock
        self._quiet = quiet
        self._worker = WorkerPool(max_workers=1, name="holds", parent=self)  # reads and writes
        self._holds = file.read()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.recheck)
        self._source_changed.connect(self.recheck, Qt.ConnectionType.QueuedConnection)

    @property
    def holds(self) -> Holds:
        return self._holds

    def start(self) -> None:
        """A nudge held before a restart is re-checked now."""
        if self._holds.nudge is not None:
            self.changed.emit(core.held_line(self._holds))
            self.recheck()

    # ------------------------------------------------------------------ in
    def offer(self, nudge: Nudge) -> None:
        if not self._quiet().hold_nudges:
            self.deliver.emit(Delivery(nudge, quiet=False, coalesced=1))
            return
        self._worker.submit(
            self._read, lambda readings: self._decide_new(nudge, readings), context=self
        )

    @Slot()
    def release(self) -> None:
        """The user asked for the held nudge now (tray menu)."""
        holds, delivery = core.release(self._holds)
        self._set(holds, delivery)

    @Slot()
    def recheck(self) -> None:
        if self._holds.nudge is None:
            return
        if not self._quiet().hold_nudges:
            self.release()
            return
        self._worker.submit(self._read, self._decide_step, context=self)

    # ------------------------------------------------------------------ internals
    def _read(self) -> list[HoldReading]:
        if self._sources is None:
            self._sources = self._make_sources(self._source_changed.emit)
        readings = read_all(self._sources)
        log.debug("hold readings: %s", readings)
        return readings

    def _cap(self) -> timedelta:
        return timedelta(minutes=self._quiet().hold_cap_minutes)

    def _reason(self, readings: list[HoldReading]) -> core.HoldReason | None:
        if self._own_silence():
            readings = [r for r in readings if r.reason is not core.HoldReason.DND]
        return core.hold_reason(readings)

    def _decide_new(self, nudge: Nudge, readings: list[HoldReading]) -> None:
        reason = self._reason(readings)
        if not core.should_hold(self._holds, reason):
            self.deliver.emit(Delivery(nudge, quiet=False, coalesced=1))
            return
        log.info("holding the %s nudge (%s)", nudge.kind, reason or "grace")
        self._set(core.offer(self._holds, nudge, reason, self._clock()), None)

    def _decide_step(self, readings: list[HoldReading]) -> None:
        holds, delivery = core.step(self._holds, self._reason(readings), self._clock(), self._cap())
        self._set(holds, delivery)

    def _set(self, holds: Holds, delivery: Delivery | None) -> None:
        if holds != self._holds:
            self._holds = holds
            self._worker.submit(lambda: self._file.write(holds), on_error=self._write_failed)
            self.changed.emit(core.held_line(holds))
        if delivery is not None:
            log.info("delivering the held %s nudge", delivery.nudge.kind)
            self.deliver.emit(delivery)
        self._arm()

    def _arm(self) -> None:
        due = core.next_check(self._holds, self._cap())
        if due is None:
            self._timer.stop()
            return
        ms = int((due - self._clock()).total_seconds() * 1000)
        self._timer.start(max(0, min(ms, POLL_MS)))

    def _write_failed(self, error: BaseException) -> None:
        log.error("could not save the held nudge: %s", error)

    def shutdown(self) -> None:
        self._timer.stop()
        self._worker.shutdown(wait=True)  # queued writes may be cancelled: write the last here
        try:
            self._file.write(self._holds)
        except OSError as error:
            self._write_failed(error)
        for source in self._sources or []:
            try:
                source.close()
            except Exception:
                log.debug("closing hold source %s failed", source.name, exc_info=True)
