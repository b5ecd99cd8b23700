"""The team agreement's meetings, next occurrences ready for the tray and the day view.

Planning a rotating meeting's cycle takes a tenth of a second or so: too long for a menu that
is opening, so it runs on the io workers when the settings change (or when the known
occurrences run out), and ``changed`` says when new ones are in. Readers never wait: they get
what is known now.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from boundaries.app.workers import WorkerPool
from boundaries.core.instant import utc
from boundaries.core.meeting import TooLarge
from boundaries.core.meeting_spec import Meeting
from boundaries.core.meetings import Occurrence, upcoming
from boundaries.core.settings import Settings

log = logging.getLogger(__name__)
AHEAD = 3  # occurrences kept per meeting; more are asked for when the last one starts


def _compute(
    meetings: tuple[Meeting, ...], now: datetime
) -> tuple[list[list[Occurrence]], list[str]]:
    """Each meeting's next occurrences, and the names of those the planner refused."""
    found, refused = [], []
    for meeting in meetings:
        try:
            found.append(upcoming(meeting, now, AHEAD))
        except TooLarge:  # said in the menu rather than guessed
            found.append([])
            refused.append(meeting.name)
    return found, refused


class MeetingTimes(QObject):
    """Implements :class:`boundaries.ui.ports.MeetingTimes` for the running app."""

    changed = Signal()

    def __init__(
        self, workers: WorkerPool, clock: Callable[[], datetime], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._workers = workers
        self._clock = clock
        self._meetings: tuple[Meeting, ...] = ()
        self._known: list[list[Occurrence]] = []
        self._refused: list[str] = []
        self._asked = 0  # bumps on each request; a late answer to an old one is dropped
        self._pending = False

    def set_settings(self, settings: Settings) -> None:
        if settings.meetings != self._meetings:
            self._meetings = settings.meetings
            self._known, self._refused = [], []
            self._ask()

    def next_occurrences(self, now: datetime) -> list[Occurrence]:
        """The next occurrence of each meeting known now (one in progress counts)."""
        found = []
        short = False
        for known in self._known:
            left = [o for o in known if o.end > utc(now)]
            short = short or (bool(known) and len(left) < 2)
            if left:
                found.append(left[0])
        if short and not self._pending and self._known:
            self._ask()
        return sorted(found, key=lambda o: o.start)

    def refused(self) -> list[str]:
        """Meetings whose rotation the exact planner refused (too many combinations)."""
        return list(self._refused)

    def _ask(self) -> None:
        self._asked += 1
        asked, meetings, now = self._asked, self._meetings, self._clock()
        if not meetings:
            self.changed.emit()
            return
        self._pending = True
        self._workers.submit(
            lambda: _compute(meetings, now),
            lambda found: self._arrived(asked, found),
            lambda error: self._failed(asked, error),
        )

    def _failed(self, asked: int, error: BaseException) -> None:
        log.error("planning the agreement's meetings failed", exc_info=error)
        self._arrived(asked, ([], []))

    def _arrived(self, asked: int, found: tuple[list[list[Occurrence]], list[str]]) -> None:
        if asked != self._asked:
            return
        self._pending = False
        self._known, self._refused = found
        self.changed.emit()
