"""The weekly plan: focus blocks, workday start and sign-off nudges, as instants after ``now``.

Everything here is computed from the settings and a zone; nothing reads the clock. Wall times
become instants with one rule (:func:`wall_to_instant`): a time skipped by a spring-forward
gap moves to the first instant after the gap, and a time repeated by a fall-back fold means its
first occurrence.

Trap this module works around: Python compares and subtracts two datetimes that share one
``tzinfo`` by their wall clocks, ignoring ``fold`` and DST offsets. So all arithmetic, sorting
and merging happens in UTC, and results are converted to the user's zone only at the end.
Callers comparing our results with each other should do the same (``.astimezone(UTC)``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from boundaries.core.interval import Interval, merge_intervals
from boundaries.core.settings import FocusBlock, Settings
from boundaries.core.timeparse import WEEKDAYS, check_zone

__all__ = [
    "DayPlan",
    "EventKind",
    "ScheduleEvent",
    "current_focus_block",
    "day_plan",
    "events_after",
    "focus_intervals",
    "is_workday",
    "next_event",
    "next_workday_start",
    "wall_to_instant",
]

# A chain of merged blocks is at most a week long unless DST closes a gap in it, so looking
# this many days either side of a window always sees a chain's true start and end. A schedule
# that is focus around the clock never ends a chain; it is cut this far out, outside the window.
_CHAIN_MARGIN_DAYS = 15
# Events are produced a week at a time, and the generator stops after this long with nothing.
_CHUNK_DAYS = 7
_EMPTY_HORIZON = timedelta(days=14)


class EventKind(StrEnum):
    WORKDAY_START = "workday_start"
    FOCUS_START = "focus_start"
    FOCUS_END = "focus_end"
    HEADS_UP = "heads_up"
    SIGNOFF = "signoff"
    ESCALATION = "escalation"


# Order of events at the same instant: a block ends before the next thing starts, the workday
# starts before its first block, and the sign-off nudges come last.
KIND_ORDER: dict[EventKind, int] = {
    EventKind.FOCUS_END: 0,
    EventKind.WORKDAY_START: 1,
    EventKind.FOCUS_START: 2,
    EventKind.HEADS_UP: 3,
    EventKind.SIGNOFF: 4,
    EventKind.ESCALATION: 5,
}


@dataclass(frozen=True)
class ScheduleEvent:
    """One thing the app must do at ``at`` (aware, in the user's zone)."""

    kind: EventKind
    at: datetime
    block: Interval | None = None  # FOCUS_START/FOCUS_END: the merged focus block
    level: int = 0  # ESCALATION: 1, 2, ...
    minutes_after: int = 0  # ESCALATION: minutes after sign-off

    def sort_key(self) -> tuple[datetime, int]:
        """Real-time order (UTC), then :data:`KIND_ORDER` for events at the same instant."""
        return (self.at.astimezone(UTC), KIND_ORDER[self.kind])


@dataclass(frozen=True)
class DayPlan:
    """One local day's plan, as ``boundaries status --json`` shows it."""

    day: date
    is_workday: bool
    workday_start: datetime | None
    signoff: datetime | None
    heads_up: datetime | None
    escalations: tuple[datetime, ...]
    focus_blocks: tuple[Interval, ...]  # merged blocks overlapping that local day


def wall_to_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant a wall time on ``day`` means in ``tz``, with the gap/fold rule above."""
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=tz)
    instant = wall.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return instant.astimezone(tz)
    return _gap_end(wall, tz).astimezone(tz)


def _gap_end(wall: datetime, tz: ZoneInfo) -> datetime:
    """The first instant after the gap that swallowed ``wall`` (a wall time that never happens).

    ``fold=1`` reads the wall time with the offset after the transition and ``fold=0`` with the
    one before, so the transition lies between the two readings; bisect to the second.
    """
    readings = (wall.replace(fold=1).astimezone(UTC), wall.replace(fold=0).astimezone(UTC))
    lo = math.floor(min(readings).timestamp())  # transitions fall on whole seconds
    hi = math.ceil(max(readings).timestamp())
    before = datetime.fromtimestamp(lo, UTC).astimezone(tz).utcoffset()
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, UTC).astimezone(tz).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return datetime.fromtimestamp(hi, UTC)


def is_workday(settings: Settings, day: date) -> bool:
    return _weekday(day) in settings.workday.days


def _weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def _require_aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")
    return value.astimezone(UTC)


def _local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _in_zone(interval: Interval, tz: ZoneInfo) -> Interval:
    return Interval(interval.start.astimezone(tz), interval.end.astimezone(tz))


# --------------------------------------------------------------------------- focus blocks


def _raw_blocks_utc(
    settings: Settings,
    first: date,
    last: date,
    tz: ZoneInfo,
    blocks: Sequence[FocusBlock] | None = None,
) -> list[Interval]:
    """Every configured block starting on a local day in ``[first, last]``, unmerged, in UTC.

    A block with its own ``zone`` (a team block at one shared instant) is placed on that
    zone's dates and wall clock; the others on the user's.
    """
    return _raw_blocks(settings.focus.blocks if blocks is None else blocks, first, last, tz)


def _raw_blocks(
    blocks: Sequence[FocusBlock], first: date, last: date, tz: ZoneInfo
) -> list[Interval]:
    result: list[Interval] = []
    days = [(day, _weekday(day)) for day in _days(first, last)]
    for block in blocks:
        zone = check_zone(block.zone) if block.zone else tz
        for day, weekday in days:
            if weekday in block.days:
                found = wall_interval(day, block.start, block.end, zone)
                if found is not None:
                    result.append(found)
    return result


@functools.lru_cache(maxsize=2048)
def wall_interval(day: date, start: time, end: time, zone: ZoneInfo) -> Interval | None:
    """The instants (UTC) of a wall-clock span starting on local ``day``, overnight when
    ``end <= start``; None when a clock change leaves it no time (a DST gap).

    Focus blocks and teammates' shifts are both such spans. Cached: with hundreds of blocks
    or people every question (status, the menu, each re-plan) places the same spans on the
    same few days again, and this is a pure function of its key.
    """
    end_day = day + timedelta(days=1) if end <= start else day
    start_at = wall_to_instant(day, start, zone).astimezone(UTC)
    end_at = wall_to_instant(end_day, end, zone).astimezone(UTC)
    return Interval(start_at, end_at) if start_at < end_at else None


def is_team_block(settings: Settings, block: Interval, tz: ZoneInfo) -> bool:
    """Whether a (merged) focus block includes one of the team agreement's blocks."""
    team = [b for b in settings.focus.blocks if b.team]
    if not team:
        return False
    start, end = block.start.astimezone(UTC), block.end.astimezone(UTC)
    first, last = (
        _local_date(start, tz) - timedelta(days=1),
        _local_date(end, tz) + timedelta(days=1),
    )
    return any(
        raw.start < end and raw.end > start
        for raw in _raw_blocks_utc(settings, first, last, tz, team)
    )


def _merged_near(
    settings: Settings, start: datetime, end: datetime, tz: ZoneInfo
) -> tuple[Interval, ...]:
    """Merged blocks (UTC) around ``[start, end]`` (UTC bounds), each chain seen whole.

    Starts with a day either side and widens (up to :data:`_CHAIN_MARGIN_DAYS`) only while a
    chain touching the window reaches the edge of what was computed: a block (at most a day
    long) from a day outside can only join a chain that comes within a day of that edge. With
    hundreds of blocks, computing a month of them for every question stalled the app.
    """
    if not any(block.days for block in settings.focus.blocks):
        return ()
    days = 1
    while True:
        first = _local_date(start, tz) - timedelta(days=days)
        last = _local_date(end, tz) + timedelta(days=days)
        merged = _merged_days(settings.focus.blocks, first, last, tz)
        if days >= _CHAIN_MARGIN_DAYS:
            return merged
        low = wall_to_instant(first + timedelta(days=1), time(0), tz).astimezone(UTC)
        high = wall_to_instant(last, time(0), tz).astimezone(UTC)
        touching = [iv for iv in merged if iv.end >= start and iv.start <= end]
        if all(low <= iv.start and iv.end < high for iv in touching):
            return merged
        days = min(days * 4, _CHAIN_MARGIN_DAYS)


@functools.lru_cache(maxsize=16)
def _merged_days(
    blocks: tuple[FocusBlock, ...], first: date, last: date, tz: ZoneInfo
) -> tuple[Interval, ...]:
    """The merged blocks (UTC) of local days ``[first, last]``. Cached: the menu, the status
    line and each re-plan ask about the same few days, and merging hundreds of blocks per
    question was most of a menu refresh."""
    return tuple(merge_intervals(_raw_blocks(blocks, first, last, tz)))


def _focus_utc(settings: Settings, start: datetime, end: datetime, tz: ZoneInfo) -> list[Interval]:
    """Merged blocks (UTC) overlapping ``[start, end)``; ``start``/``end`` are UTC."""
    merged = _merged_near(settings, start, end, tz)
    return [iv for iv in merged if iv.start < end and iv.end > start]


def focus_intervals(
    settings: Settings, start: datetime, end: datetime, tz: ZoneInfo
) -> list[Interval]:
    """Merged focus blocks overlapping ``[start, end)``, whole (not clipped), in ``tz``."""
    start_utc = _require_aware(start, "start")
    end_utc = _require_aware(end, "end")
    return [_in_zone(iv, tz) for iv in _focus_utc(settings, start_utc, end_utc, tz)]


def current_focus_block(settings: Settings, now: datetime, tz: ZoneInfo) -> Interval | None:
    """The scheduled (merged) block containing ``now``, if any."""
    now_utc = _require_aware(now, "now")
    for iv in _focus_utc(settings, now_utc, now_utc + timedelta(microseconds=1), tz):
        if iv.contains(now_utc):
            return _in_zone(iv, tz)
    return None


# --------------------------------------------------------------------------- workday


@dataclass(frozen=True, eq=False)  # a computed value, never compared (eq=False: cheaper import)
class _WorkdayTimes:
    """A workday's instants in UTC."""

    day: date
    start: datetime
    signoff: datetime
    heads_up: datetime | None
    escalations: tuple[tuple[int, datetime], ...]  # (minutes after sign-off, instant)


def _workday_times(settings: Settings, day: date, tz: ZoneInfo) -> _WorkdayTimes | None:
    if not is_workday(settings, day):
        return None
    w = settings.workday
    signoff = wall_to_instant(day, w.signoff_on(_weekday(day)), tz).astimezone(UTC)
    heads_up = signoff - timedelta(minutes=w.heads_up_minutes) if w.heads_up_minutes else None
    return _WorkdayTimes(
        day=day,
        start=wall_to_instant(day, w.start, tz).astimezone(UTC),
        signoff=signoff,
        heads_up=heads_up,
        escalations=tuple(
            (minutes, signoff + timedelta(minutes=minutes)) for minutes in w.escalate_after_minutes
        ),
    )


def day_plan(settings: Settings, day: date, tz: ZoneInfo) -> DayPlan:
    """The plan for one local day: workday times (None on a day off) and its focus blocks."""
    midnight = wall_to_instant(day, time(0), tz).astimezone(UTC)
    next_midnight = wall_to_instant(day + timedelta(days=1), time(0), tz).astimezone(UTC)
    blocks = tuple(_in_zone(iv, tz) for iv in _focus_utc(settings, midnight, next_midnight, tz))
    times = _workday_times(settings, day, tz)
    if times is None:
        return DayPlan(day, False, None, None, None, (), blocks)
    return DayPlan(
        day=day,
        is_workday=True,
        workday_start=times.start.astimezone(tz),
        signoff=times.signoff.astimezone(tz),
        heads_up=times.heads_up.astimezone(tz) if times.heads_up else None,
        escalations=tuple(at.astimezone(tz) for _, at in times.escalations),
        focus_blocks=blocks,
    )


def next_workday_start(settings: Settings, after: datetime, tz: ZoneInfo) -> datetime | None:
    """The first workday start strictly after ``after`` ("back Mon 09:00"); None if no workdays."""
    after_utc = _require_aware(after, "after")
    if not settings.workday.days:
        return None
    first = _local_date(after_utc, tz) - timedelta(days=1)
    for day in _days(first, first + timedelta(days=9)):
        if is_workday(settings, day):
            start = wall_to_instant(day, settings.workday.start, tz)
            if start > after_utc:
                return start
    return None  # unreachable with at least one workday; kept for the type checker


# --------------------------------------------------------------------------- events


def _workday_events(times: _WorkdayTimes, tz: ZoneInfo) -> Iterator[ScheduleEvent]:
    yield ScheduleEvent(EventKind.WORKDAY_START, times.start.astimezone(tz))
    if times.heads_up is not None:
        yield ScheduleEvent(EventKind.HEADS_UP, times.heads_up.astimezone(tz))
    yield ScheduleEvent(EventKind.SIGNOFF, times.signoff.astimezone(tz))
    for level, (minutes, at) in enumerate(times.escalations, start=1):
        yield ScheduleEvent(
            EventKind.ESCALATION, at.astimezone(tz), level=level, minutes_after=minutes
        )


def _events_between(
    settings: Settings, start: datetime, end: datetime, tz: ZoneInfo
) -> list[ScheduleEvent]:
    """All events with ``start <= at < end`` (UTC bounds), sorted, one per (instant, kind)."""
    found: list[tuple[tuple[datetime, int], int, ScheduleEvent]] = []

    def keep(event: ScheduleEvent, rank: int) -> None:
        if start <= event.at.astimezone(UTC) < end:
            found.append((event.sort_key(), rank, event))

    # Blocks that start or end inside the window: a block ending right at ``start`` counts.
    for iv in _merged_near(settings, start, end, tz):
        if iv.end < start or iv.start >= end:
            continue
        block = _in_zone(iv, tz)
        keep(ScheduleEvent(EventKind.FOCUS_START, block.start, block=block), 0)
        keep(ScheduleEvent(EventKind.FOCUS_END, block.end, block=block), 0)
    # Heads-up and escalations reach up to a day from their sign-off, so look a bit wider.
    first = _local_date(start, tz) - timedelta(days=2)
    last = _local_date(end, tz) + timedelta(days=2)
    for day in _days(first, last):
        times = _workday_times(settings, day, tz)
        if times is not None:
            # A later day's nudge wins a tie: it is about the sign-off that matters now.
            rank = -day.toordinal()
            for event in _workday_events(times, tz):
                keep(event, rank)
    found.sort(key=lambda item: (item[0], item[1]))
    events: list[ScheduleEvent] = []
    for key, _, event in found:
        if events and events[-1].sort_key() == key:
            continue  # e.g. two days' escalations landing on the same minute
        events.append(event)
    return events


def events_after(settings: Settings, now: datetime, tz: ZoneInfo) -> Iterator[ScheduleEvent]:
    """Every event strictly after ``now``, in order, lazily; ends if nothing happens for 14 days.

    A block already in progress at ``now`` yields only its FOCUS_END.
    """
    now_utc = _require_aware(now, "now")
    return _generate(settings, now_utc, tz)


def _generate(settings: Settings, now_utc: datetime, tz: ZoneInfo) -> Iterator[ScheduleEvent]:
    last_seen = now_utc
    window_start = now_utc
    day = _local_date(now_utc, tz)
    chunk = 1  # most questions want the next event, usually today's: a day first, then weeks
    while window_start - last_seen <= _EMPTY_HORIZON:
        day += timedelta(days=chunk)
        chunk = _CHUNK_DAYS
        window_end = wall_to_instant(day, time(0), tz).astimezone(UTC)
        for event in _events_between(settings, window_start, window_end, tz):
            if event.at > now_utc:
                last_seen = event.at.astimezone(UTC)
                yield event
        window_start = window_end


def next_event(settings: Settings, now: datetime, tz: ZoneInfo) -> ScheduleEvent | None:
    """The first event strictly after ``now``, or None if the settings plan nothing."""
    return next(events_after(settings, now, tz), None)
