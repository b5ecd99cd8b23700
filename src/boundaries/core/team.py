"""Teammates across time zones: their local time, whether they are around, and the team's overlap.

Working hours are wall times in each person's own zone, turned into instants day by day with
:func:`local_instant`, so every comparison is between real instants and stays right on the
weeks when zones change their clocks on different dates.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo

from boundaries.core.interval import Interval, merge_intervals
from boundaries.core.schedule import wall_interval
from boundaries.core.schedule import wall_to_instant as local_instant
from boundaries.core.settings import Away, Settings, Teammate
from boundaries.core.timeparse import WEEKDAYS, check_zone

NIGHT_START = time(22, 0)
NIGHT_END = time(7, 0)


class Availability(StrEnum):
    WORKING = "working"
    OFF = "off"
    ASLEEP = "asleep"


def is_ambiguous(day: date, wall: time, tz: ZoneInfo) -> bool:
    """True when clocks in ``tz`` show ``wall`` twice on ``day`` (the fall-back hour)."""
    naive = datetime.combine(day, wall.replace(tzinfo=None, fold=0))
    first, second = naive.replace(tzinfo=tz), naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return False
    return all(
        dt.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive for dt in (first, second)
    )


def teammate_zone(mate: Teammate) -> ZoneInfo:
    """The teammate's usual zone; raises ``ValueError`` with a suggestion for an unknown name."""
    return _zone(mate.timezone)


@functools.lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo:
    """``ZoneInfo`` keeps only 8 zones alive; a team of hundreds re-read tzdata files per call."""
    return check_zone(name)


def zone_on(mate: Teammate, day: date) -> ZoneInfo:
    """Where the teammate works on one of their (usual-zone) dates: their time away may say
    they work from another zone then."""
    away = mate.away_on(day)
    if away is not None and away.kind == "elsewhere":
        return _zone(away.timezone)
    return teammate_zone(mate)


def zone_at(mate: Teammate, now: datetime) -> ZoneInfo:
    """The zone the teammate's clock shows at an instant (see :func:`zone_on`)."""
    if not mate.away:
        return teammate_zone(mate)
    return zone_on(mate, now.astimezone(teammate_zone(mate)).date())


def is_off(mate: Teammate, day: date) -> bool:
    """True on a date of theirs when their time away says they are off."""
    away = mate.away_on(day)
    return away is not None and away.kind == "off"


def away_summary(mate: Teammate, day: date) -> tuple[date, str] | None:
    """(first day back, kind) when ``mate`` is away on ``day``; back-to-back periods count once."""
    away = mate.away_on(day)
    if away is None:
        return None
    back = away.end + timedelta(days=1)
    while (following := mate.away_on(back)) is not None and following.kind == away.kind:
        back = following.end + timedelta(days=1)
    return back, away.kind


def teammate_local_time(mate: Teammate, now: datetime) -> datetime:
    """Their wall clock now, in the zone they work from that day."""
    return now.astimezone(zone_at(mate, now))


def _shifts(mate: Teammate, first: date, last: date) -> Iterator[Interval]:
    """Each working shift that starts on a local date in ``[first, last]``, unclipped, in UTC.

    UTC inside: ``==`` between aware datetimes of different zones is False for times in a DST
    fold (PEP 495), which would break de-duplication and merging.
    """
    day = first
    while day <= last:
        shift = shift_on(mate, day)
        if shift is not None:
            yield shift
        day += timedelta(days=1)


def shift_on(mate: Teammate, day: date) -> Interval | None:
    """Their working hours starting on one of their local dates, in UTC; None on a day off
    (not a workday of theirs, time away, or a clock change that leaves the shift no time)."""
    if WEEKDAYS[day.weekday()] not in mate.days or is_off(mate, day):
        return None
    return wall_interval(day, mate.hours_start, mate.hours_end, zone_on(mate, day))


def _local_dates(start: datetime, end: datetime, zone: ZoneInfo) -> tuple[date, date]:
    """The local dates whose shifts can touch ``[start, end)``; a day earlier for night shifts."""
    return start.astimezone(zone).date() - timedelta(days=1), end.astimezone(zone).date()


def working_intervals(mate: Teammate, start: datetime, end: datetime) -> list[Interval]:
    """The teammate's working time within ``[start, end)``, clipped to it, in their zone."""
    zone = teammate_zone(mate)
    return [_in_zone(shift, zone) for shift in _working_utc(mate, start, end)]


def _working_utc(mate: Teammate, start: datetime, end: datetime) -> tuple[Interval, ...]:
    return _working_between(_schedule_of(mate), start.astimezone(UTC), end.astimezone(UTC))


def _schedule_of(mate: Teammate) -> Teammate:
    """The teammate with only what their working time depends on (zone, hours, days, time
    away): people who share a schedule share one cache entry below; a big team has a handful."""
    return _schedule(mate.timezone, mate.hours_start, mate.hours_end, mate.days, mate.away)


@functools.lru_cache(maxsize=1024)
def _schedule(
    timezone: str, hours_start: time, hours_end: time, days: tuple[str, ...], away: tuple[Away, ...]
) -> Teammate:
    """Cached: making a teammate for each of 300 people on every line costs more than the
    lookup (a key of five fields, not the whole teammate)."""
    return Teammate(
        name="",
        timezone=timezone,
        hours_start=hours_start,
        hours_end=hours_end,
        days=days,
        away=away,
    )


@functools.lru_cache(maxsize=1024)
def _working_between(mate: Teammate, start: datetime, end: datetime) -> tuple[Interval, ...]:
    """Cached: the overlap line, its best partial windows, the day view and every menu refresh
    ask for the same person and day. Keys are in UTC, where ``==`` is exact (PEP 495)."""
    if not start < end:
        return ()
    window = Interval(start, end)
    first, last = _local_dates(start, end, teammate_zone(mate))
    clipped = (shift.intersect(window) for shift in _shifts(mate, first, last))
    return tuple(merge_intervals(item for item in clipped if item is not None))


def availability(mate: Teammate, now: datetime) -> Availability:
    """Working inside their hours on one of their days; asleep 22:00-07:00 their time; else off.

    Time away counts: nobody is working on a day off, and their clock is the one of the zone
    they work from.
    """
    return _availability(_schedule_of(mate), now.astimezone(UTC))


@functools.lru_cache(maxsize=1024)
def _availability(mate: Teammate, now: datetime) -> Availability:
    """Cached by schedule: a team of hundreds shares a handful (UTC keys, see above)."""
    zone = zone_at(mate, now)
    first, last = _local_dates(now, now, teammate_zone(mate))
    if any(shift.contains(now) for shift in _shifts(mate, first, last)):
        return Availability.WORKING
    wall = now.astimezone(zone).time()
    if wall >= NIGHT_START or wall < NIGHT_END:
        return Availability.ASLEEP
    return Availability.OFF


def user_working_interval(settings: Settings, day: date, tz: ZoneInfo) -> Interval | None:
    """The user's own hours on local ``day``: workday start to that day's sign-off."""
    weekday = WEEKDAYS[day.weekday()]
    workday = settings.workday
    if weekday not in workday.days:
        return None
    start = local_instant(day, workday.start, tz)
    end = local_instant(day, workday.signoff_on(weekday), tz)
    return Interval(start, end) if start.astimezone(UTC) < end.astimezone(UTC) else None


def _in_zone(interval: Interval, tz: tzinfo) -> Interval:
    return Interval(interval.start.astimezone(tz), interval.end.astimezone(tz))


def _common(user: Interval, mates: Sequence[Teammate]) -> list[Interval]:
    """Where the user and every one of ``mates`` work at once, in UTC."""
    hours = {_working_utc(mate, user.start, user.end) for mate in mates}  # the same hours once
    return _common_hours(user, sorted(hours))


def _common_hours(user: Interval, hours: Sequence[Sequence[Interval]]) -> list[Interval]:
    """Where the user and every one of ``hours`` (each person's intervals, UTC) overlap."""
    windows = [_in_zone(user, UTC)]
    for theirs in hours:
        if not windows:
            break
        overlaps = (mine.intersect(other) for mine in windows for other in theirs)
        windows = merge_intervals(item for item in overlaps if item is not None)
    return windows


def overlap_windows(settings: Settings, day: date, tz: ZoneInfo) -> list[Interval]:
    """The team's common working time on the user's local ``day``, shown in ``tz``.

    Empty on the user's day off or when there is no common time; with no teammates it is the
    user's own working interval.
    """
    user = user_working_interval(settings, day, tz)
    if user is None:
        return []
    return [_in_zone(window, tz) for window in _common(user, present(settings.team, day))]


def present(team: Sequence[Teammate], day: date) -> list[Teammate]:
    """The teammates not off on ``day``: someone on leave does not close the team's window."""
    return [mate for mate in team if not is_off(mate, day)]


@dataclass(frozen=True)
class PartialWindow:
    """A window the user shares with some of the team, ``names`` in team order."""

    window: Interval
    names: tuple[str, ...]


def best_partial_windows(
    settings: Settings, day: date, tz: ZoneInfo, limit: int = 3
) -> list[PartialWindow]:
    """The windows the user shares with the largest groups of teammates, longest first.

    For the "no common hours today; best: Ana+Bo 14:00-16:00" line. Each group is one that is
    actually at work together at some moment of the user's day, and its window is the whole
    stretch when all of them are (a bigger group never has the same window: at some moment in
    it, exactly this group is at work).
    If the whole team does overlap, that common window comes first.
    """
    user = user_working_interval(settings, day, tz)
    team = present(settings.team, day)
    if user is None or not team:
        return []
    user = _in_zone(user, UTC)
    hours = [_working_utc(mate, user.start, user.end) for mate in team]
    # Between two consecutive edges the set of people at work is constant: one sweep finds
    # each stretch's set, and a group's window is the stretches where all of it works (far
    # cheaper than intersecting everyone's hours per group, with hundreds of teammates).
    edges = sorted(
        {user.start, user.end} | {t for ivs in hours for iv in ivs for t in (iv.start, iv.end)}
    )
    at_work: list[set[int]] = [set() for _ in edges[:-1]]
    for i, ivs in enumerate(hours):
        for iv in ivs:
            for k in range(bisect.bisect_left(edges, iv.start), bisect.bisect_left(edges, iv.end)):
                at_work[k].add(i)
    stretches = [frozenset(people) for people in at_work]
    kept: list[tuple[frozenset[int], Interval]] = []
    for group in set(stretches) - {frozenset()}:
        covered = (
            Interval(edges[k], edges[k + 1])
            for k, people in enumerate(stretches)
            if group <= people
        )
        kept.extend((group, window) for window in merge_intervals(covered))
    kept.sort(key=lambda item: (-len(item[0]), -item[1].duration, item[1].start))
    return [
        PartialWindow(_in_zone(window, tz), tuple(team[i].name for i in sorted(group)))
        for group, window in kept[:limit]
    ]


def sorted_by_offset(team: Sequence[Teammate], now: datetime) -> list[Teammate]:
    """West to east by their UTC offset at ``now`` (then by name), as a menu reads best."""

    def key(mate: Teammate) -> tuple[timedelta, str]:
        return teammate_local_time(mate, now).utcoffset() or timedelta(), mate.name.lower()

    return sorted(team, key=key)
