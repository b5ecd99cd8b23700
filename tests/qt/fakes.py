"""Small stand-ins for the controller's clock, waker and state sink in Qt tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from boundaries.core.focus import AppState


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class RecordingWaker:
    def __init__(self) -> None:
        self.plans: list[datetime | None] = []

    def wake_at(self, when: datetime | None) -> None:
        self.plans.append(when)

    @property
    def next(self) -> datetime | None:
        return self.plans[-1] if self.plans else None


class MemorySink:
    def __init__(self) -> None:
        self.writes: list[AppState] = []

    def write(self, state: AppState) -> None:
        self.writes.append(state)
