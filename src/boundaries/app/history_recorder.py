"""Keeps the end-of-day record from the controller's signals, and holds nudges for an away user.

What is recorded (see :mod:`boundaries.core.workday_record` for the rules):
- a focus session when it ends (done, or cut short);
- a sign-off when the state becomes signed off (source: button, or CLI inside
  :meth:`HistoryRecorder.signoff_source`);
- the user's last input whenever a nudge is due and the platform knows it;
- "came back" when the user undoes today's sign-off by hand.

Writes run on the worker pool, never on the GUI thread; problems (a damaged file set aside,
a full disk) come back on the GUI thread as ``problem(str)``, each distinct message once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal, Slot

from boundaries.app.controller import Controller
from boundaries.core.focus import AppState, Mode
from boundaries.core.nudge import Nudge
from boundaries.core.workday_record import (
    SignoffSource,
    came_back_same_day,
    ended_focus,
    planned_signoff,
    workday_of,
)
from boundaries.integrations.history import History
from boundaries.integrations.idle import IdleSource

log = logging.getLogger(__name__)

# Away: no keyboard or mouse input for this long when a nudge is due. Ten minutes is longer than
# reading or a call without typing usually lasts, and short enough that someone who left at
# 17:20 is not nudged at 17:30. An unknown idle time always counts as present.
IDLE_AWAY_SECONDS = 10 * 60


class Workers(Protocol):
    """What the recorder needs from :class:`boundaries.app.workers.WorkerPool`."""

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = ...,
        on_error: Callable[[BaseException], None] | None = ...,
    ) -> Any: ...


class HistoryRecorder(QObject):
    """Listens to ``controller`` and writes ``history`` through ``workers``.

    Signals: ``problem(str)`` a message to show the user; ``changed()`` after each write (the
    weekly view refreshes on it).
    """

    problem = Signal(str)
    changed = Signal()

    def __init__(
        self,
        controller: Controller,
        history: History,
        idle_source: IdleSource,
        workers: Workers,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._history = history
        self._idle = idle_source
        self._workers = workers
        self._source = SignoffSource.BUTTON
        self._shown: set[str] = set()
        controller.state_changed.connect(self._on_state_changed)

    # ------------------------------------------------------------------ for the app
    def query_idle(self) -> float | None:
        """Seconds since the user's last input, or None (unknown). Blocking: use a worker."""
        return self._idle.idle_seconds()

    def decide(self, nudge: Nudge, now: datetime, idle: float | None) -> bool:
        """False when the user is away (idle ``idle`` seconds, from ``query_idle`` on a worker):
        then the day is recorded as ended at their last input. Records the last activity."""
        if idle is None:
            return True  # unknown is present
        last_input = (now.astimezone(UTC) - timedelta(seconds=idle)).astimezone(now.tzinfo)
        tz = self._controller.tz
        day = workday_of(nudge.at, tz)
        self._observe(day, last_input, SignoffSource.LAST_ACTIVITY)
        away = idle >= IDLE_AWAY_SECONDS
        if away:
            log.info("%s nudge held: no input for %d min", nudge.kind, idle // 60)
        return not away

    @contextmanager
    def signoff_source(self, source: SignoffSource) -> Iterator[None]:
        """Sign-offs inside this block are recorded with ``source`` (default: button)."""
        previous, self._source = self._source, source
        try:
            yield
        finally:
            self._source = previous

    def open(self) -> None:
        """Let an idle source that must listen start counting (Wayland: see idle_wayland).

        The database itself opens with the first write or read (sqlite3 is ~1.3 MiB resident);
        a damaged file is set aside and reported via ``problem`` then."""
        prepare = getattr(self._idle, "prepare", None)
        if prepare is not None:
            self._workers.submit(prepare, on_error=lambda e: log.info("idle source: %s", e))

    def clear(
        self,
        on_done: Callable[[], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Forget the whole history ("Clear history" in Settings); ``on_error`` says why not."""
        self._submit(self._history.clear, on_done, on_error)

    # ------------------------------------------------------------------ signals
    @Slot(object, object)
    def _on_state_changed(self, old: AppState, new: AppState) -> None:
        now = self._controller.now()
        tz = self._controller.tz
        session = ended_focus(old, new, now)
        if session is not None:
            focus_day = workday_of(session.started, tz)
            self._submit(lambda: self._history.record_focus(focus_day, session))
        if (
            new.mode is Mode.SIGNED_OFF
            and new.signed_off_at is not None
            and new.signed_off_at != old.signed_off_at
        ):
            self._observe(workday_of(new.signed_off_at, tz), new.signed_off_at, self._source)
        elif came_back_same_day(old, new, now, tz):
            self._observe(workday_of(now, tz), now, SignoffSource.LAST_ACTIVITY)

    # ------------------------------------------------------------------ internals
    def _observe(self, day: date, actual: datetime, source: SignoffSource) -> None:
        planned = planned_signoff(self._controller.settings, day, self._controller.tz)
        self._submit(lambda: self._history.observe_signoff(day, actual, source, planned))

    def _submit(
        self,
        write: Callable[[], Any],
        then: Callable[[], None] | None = None,
        otherwise: Callable[[str], None] | None = None,
    ) -> None:
        def job() -> list[str]:
            write()
            return self._history.take_problems()

        def done(problems: list[str]) -> None:
            for message in problems:
                self._report(message)
            self.changed.emit()
            if then is not None:
                then()

        def failed(error: BaseException) -> None:
            for message in self._history.take_problems():
                self._report(message)
            message = f"Could not save your sign-off history ({self._history.path}): {error}"
            self._report(message)
            if otherwise is not None:
                otherwise(message)

        self._workers.submit(job, done, failed)

    def _report(self, message: str) -> None:
        log.warning("history: %s", message)
        if message not in self._shown:
            self._shown.add(message)
            self.problem.emit(message)
