"""Values kept for the minute: what the tray menu shows between two steps of "now".

The menu refreshes on every open and every state change, and with hundreds of focus blocks
or teammates working its texts out again was most of an open's CPU time. What it says is a
step function of "now" whose steps are whole minutes (schedule times, sign-offs and working
hours are wall times to the minute) and a few instants given with the inputs (a snooze ends
whenever it was started plus its minutes): between two steps a value cannot change, so it is
kept. Inputs are compared by identity (settings and state are replaced, never mutated).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

T = TypeVar("T")

_MINUTE = timedelta(minutes=1)


def _same(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


class MinuteMemo(Generic[T]):
    """``get(inputs, now, compute)``: ``compute()`` (the value at ``now``), or the value kept
    from an earlier ``now`` when no step lies between the two."""

    def __init__(self) -> None:
        # (inputs, worked out at, next step after that (exclusive), value); instants in UTC.
        self._kept: tuple[tuple[object, ...], datetime, datetime, T] | None = None

    def get(
        self,
        inputs: tuple[object, ...],
        now: datetime,
        compute: Callable[[], T],
        steps: Iterable[datetime | None] = (),
    ) -> T:
        """``steps``: instants besides whole minutes where the value may change."""
        at = now.astimezone(UTC)
        if self._kept is not None:
            kept_inputs, since, until, value = self._kept
            if since <= at < until and _same(inputs, kept_inputs):
                return value
        value = compute()
        self._kept = (inputs, at, _next_step(at, steps), value)
        return value


def _next_step(at: datetime, steps: Iterable[datetime | None]) -> datetime:
    """The first instant after ``at`` where a value worked out at ``at`` may change.

    ``at`` itself on a step (a whole minute: a block starting, a sign-off) may read unlike what
    follows it ("strictly after now"), so a value worked out there is kept for that instant alone.
    """
    alone = at + timedelta(microseconds=1)
    minute = at.replace(second=0, microsecond=0)
    if minute == at:
        return alone
    until = minute + _MINUTE
    for step in steps:
        if step is None:
            continue
        step = step.astimezone(UTC)
        if step == at:
            return alone
        if at < step < until:
            until = step
    return until
