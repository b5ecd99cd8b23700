"""Nudges pass through here on their way to the screen: held while the desktop says "not now".

The controller's nudges are offered to the gate; it asks the hold sources (off the GUI thread),
keeps a nudge that is due during a hold in ``held-nudges.json`` (written before anything else
happens, so it survives a restart) and emits ``deliver`` once ``core.holds`` says so. The
weekly-update reminder passes the same way (``offer_update``). While a nudge is held the sources
are watched (those that can be) and re-read at once when one reports a change; they are polled
every few seconds only while a source that cannot be watched holds, else once a minute.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from boundaries.app.workers import WorkerPool
from boundaries.core import holds as core
from boundaries.core.holds import Delivery, Holds
from boundaries.core.nudge import Nudge
from boundaries.core.settings import QuietSettings
from boundaries.integrations.hold_source import HoldSource, read_all
from boundaries.integrations.holds_file import HoldsFile

log = logging.getLogger(__name__)

# How often the sources are re-read while a nudge is held and a source that cannot report its
# changes holds it (a full-screen window)...
POLL_MS = 5_000
# ... and while only watched sources hold it (they report a change at once; this re-read only
# covers a watch that broke, e.g. dconf-service restarted).
WATCHED_POLL_MS = 60_000

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
        poll_ms: tuple[int, int] = (POLL_MS, WATCHED_POLL_MS),
    ) -> None:
        """``own_silence``: True while the desktop's Do Not Disturb may be Boundaries' own
        (silenced for focus, or not yet put back), so it then says nothing about the user; it
        is asked from the gate's thread. ``poll_ms``: re-read intervals (unwatched, watched)."""
        super().__init__(parent)
        self._own_silence = own_silence
        self._poll_ms = poll_ms
        self._fast_poll = True  # a source that cannot report its changes holds
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
        if not self._holds.empty:
            self.changed.emit(core.held_line(self._holds))
            self.recheck()

    # ------------------------------------------------------------------ in
    def offer(self, nudge: Nudge) -> None:
        """A sign-off nudge (heads-up, sign-off, escalation) came due."""
        self._offer(Delivery(nudge, quiet=False, coalesced=1))

    def offer_update(self, due: datetime) -> None:
        """The weekly-update reminder came due."""
        self._offer(Delivery(None, quiet=False, coalesced=0, update=due))

    def _offer(self, now: Delivery) -> None:
        if not self._quiet().hold_nudges:
            self.deliver.emit(now)
            return
        self._worker.submit(
            partial(self._read, watch=False),
            lambda readings: self._decide_new(now, readings),
            context=self,
        )

    @Slot()
    def release(self) -> None:
        """The user asked for the held nudge now (tray menu)."""
        holds, delivery = core.release(self._holds)
        self._set(holds, delivery)

    @Slot()
    def recheck(self) -> None:
        if self._holds.empty:
            return
        if not self._quiet().hold_nudges:
            self.release()
            return
        self._worker.submit(partial(self._read, watch=True), self._decide_step, context=self)

    # ------------------------------------------------------------------ internals
    def _read(self, watch: bool) -> _Readings:
        """On the gate's thread: (re)start the watches first when something is held, so a
        change right after the read is reported; then read."""
        if self._sources is None:
            self._sources = self._make_sources(self._source_changed.emit)
        if watch:
            for source in self._sources:
                source.watch(True)
        own_before = self._own_silence()
        pairs = list(zip(self._sources, read_all(self._sources), strict=True))
        if own_before or self._own_silence():  # our silence, before or after: not the user's
            pairs = [(source, r) for source, r in pairs if r.reason is not core.HoldReason.DND]
        log.debug("hold readings: %s", [reading for _, reading in pairs])
        unwatched = any(reading.held and not source.watching for source, reading in pairs)
        return _Readings(core.hold_reason(reading for _, reading in pairs), unwatched)

    def _unwatch(self) -> None:
        for source in self._sources or []:
            source.watch(False)

    def _cap(self) -> timedelta:
        return timedelta(minutes=self._quiet().hold_cap_minutes)

    def _decide_new(self, now: Delivery, readings: _Readings) -> None:
        if not core.should_hold(self._holds, readings.reason):
            self.deliver.emit(now)
            return
        what = f"{now.nudge.kind} nudge" if now.nudge is not None else "weekly-update reminder"
        log.info("holding the %s (%s)", what, readings.reason or "grace")
        holds, at = self._holds, self._clock()
        if now.nudge is not None:
            holds = core.offer(holds, now.nudge, readings.reason, at)
        if now.update is not None:
            holds = core.offer_update(holds, now.update, readings.reason, at)
        began = self._holds.empty
        self._set(holds, None)
        if began:
            self.recheck()  # starts the watches, then reads again: no change is missed

    def _decide_step(self, readings: _Readings) -> None:
        self._fast_poll = readings.unwatched
        holds, delivery = core.step(self._holds, readings.reason, self._clock(), self._cap())
        self._set(holds, delivery)

    def _set(self, holds: Holds, delivery: Delivery | None) -> None:
        if holds != self._holds:
            self._holds = holds
            self._worker.submit(lambda: self._file.write(holds), on_error=self._write_failed)
            self.changed.emit(core.held_line(holds))
            if holds.empty:
                self._worker.submit(self._unwatch)  # nothing held: nothing watched
        if delivery is not None:
            log.info("delivering what was held: %s", delivery)
            self.deliver.emit(delivery)
        self._arm()

    def _arm(self) -> None:
        due = core.next_check(self._holds, self._cap())
        if due is None:
            self._timer.stop()
            return
        ms = int((due - self._clock()).total_seconds() * 1000)
        poll = self._poll_ms[0] if self._fast_poll else self._poll_ms[1]
        self._timer.start(max(0, min(ms, poll)))

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


@dataclass(frozen=True)
class _Readings:
    """What one read of the sources says: the reason to hold (if any), and whether a source
    that cannot report its changes holds (then the gate polls often)."""

    reason: core.HoldReason | None
    unwatched: bool
