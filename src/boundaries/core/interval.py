"""A span between two aware instants, shared by schedules and team overlap windows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from boundaries.core.instant import utc


@dataclass(frozen=True, order=True)
class Interval:
    """Half-open ``[start, end)`` between two timezone-aware datetimes."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Interval needs timezone-aware datetimes")

    @property
    def duration(self) -> timedelta:
        # Subtract in UTC: same-zone datetimes subtract wall clocks, wrong across DST.
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    def contains(self, instant: datetime) -> bool:
        # In UTC: same-zone datetimes compare wall clocks, wrong inside a DST fold.
        return utc(self.start) <= utc(instant) < utc(self.end)

    def intersect(self, other: Interval) -> Interval | None:
        start, end = max(self.start, other.start, key=utc), min(self.end, other.end, key=utc)
        return Interval(start, end) if utc(start) < utc(end) else None


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and merge overlapping or touching intervals (adjacent blocks become one)."""
    merged: list[Interval] = []
    # The dataclass order compares (start, end); a key tuple compares the same way, in C.
    for item in sorted(intervals, key=_bounds):
        if merged and item.start <= merged[-1].end:
            if item.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, item.end)
        else:
            merged.append(item)
    return merged


def _bounds(interval: Interval) -> tuple[datetime, datetime]:
    return interval.start, interval.end
