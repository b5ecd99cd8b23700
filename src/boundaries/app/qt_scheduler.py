"""APScheduler's ``QtScheduler`` with one persistent timer (imported only once the app runs).

Under PySide6 the stock class arms ``QTimer.singleShot`` and can never stop it, so every
re-plan leaves one more self-re-arming timer (docs/decisions/0002-apscheduler.md). This
subclass owns one precise ``QTimer`` and re-arms it instead.
"""

from __future__ import annotations

import math
from typing import Any

from apscheduler.schedulers.qt import QtScheduler
from PySide6.QtCore import Qt, QTimer

_MAX_TIMER_MS = 2**31 - 1


class SingleTimerQtScheduler(QtScheduler):  # type: ignore[misc]
    """``QtScheduler`` that re-arms one persistent ``QTimer`` instead of leaking single-shots."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._wake_timer = QTimer()
        self._wake_timer.setSingleShot(True)
        self._wake_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._wake_timer.timeout.connect(self._process_jobs)

    @property
    def wake_timer(self) -> QTimer:
        return self._wake_timer

    def _start_timer(self, wait_seconds: float | None) -> None:
        self._wake_timer.stop()
        if wait_seconds is not None:
            # Round up: firing a millisecond early would only re-arm a 0 ms timer.
            self._wake_timer.start(min(math.ceil(wait_seconds * 1000), _MAX_TIMER_MS))

    def _stop_timer(self) -> None:
        self._wake_timer.stop()
