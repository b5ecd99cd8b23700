"""When a team agreement's meetings happen, and whose turn the inconvenient slot is.

A rotating meeting is planned in *cycles* of as many occurrences as its attendees have time
zones (one turn each), counted from the week of its ``from`` date: cycle ``c`` is planned on
its own by the exact min-max planner (:mod:`boundaries.core.meeting`), from the agreement
alone. So every member's app
computes the same times and the same turns, and a cycle that crosses a DST change is planned on
its real instants. A meeting that does not rotate meets at ``start`` on each of its ``days``.
Time is an input: ``now`` is an aware instant; results are in UTC. See
docs/decisions/0012-meeting-rotation.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from boundaries.core.instant import utc
from boundaries.core.meeting import (
    PERIODS,
    Attendee,
    FixedSlot,
    Options,
    Plan,
    Request,
    best_fixed,
    cost_curve,
    options,
    plan,
)
from boundaries.core.meeting_spec import Meeting
from boundaries.core.schedule import wall_to_instant
from boundaries.core.settings import Settings
from boundaries.core.timeparse import WEEKDAYS

ME = "me"  # the user, when the agreement does not name them
STEP_MINUTES = 15  # candidate spacing for an agreement's rotating meetings (as the CLI's default)


@dataclass(frozen=True)
class Occurrence:
    """One occurrence: when (UTC), who, and what it costs each of them (same order)."""

    meeting: str
    start: datetime
    end: datetime
    names: tuple[str, ...]
    zones: tuple[str, ...]
    costs: tuple[int, ...]

    def turn(self) -> tuple[str, ...]:
        """Whose turn the inconvenient slot is: the attendees it costs most; () if nobody."""
        worst = max(self.costs, default=0)
        if worst == 0:
            return ()
        return tuple(n for n, c in zip(self.names, self.costs, strict=True) if c == worst)


def attendees(meeting: Meeting) -> list[Attendee]:
    """The planner's view of the meeting's members (hours, workdays, time away)."""
    return [
        Attendee(p.name, p.timezone, p.hours_start, p.hours_end, p.days, p.away)
        for p in meeting.people
    ]


def meeting_people(settings: Settings, my_zone: str) -> list[Attendee]:
    """Whom a new meeting can invite: the user first (``me`` unless the agreement names
    them), with their own hours in ``my_zone``, then the running settings' team."""
    w = settings.workday
    me = Attendee(settings.agreement.me or ME, my_zone, w.start, w.signoff, w.days)
    team = [
        Attendee(m.name, m.timezone, m.hours_start, m.hours_end, m.days, m.away)
        for m in settings.team
    ]
    return [me, *team]


def organiser_zone(meeting: Meeting) -> str:
    """The zone its days (and ``start``) are in: its own, else the first attendee's."""
    if meeting.zone:
        return meeting.zone
    return meeting.people[0].timezone if meeting.people else "UTC"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def period_days(meeting: Meeting) -> int:
    return PERIODS[meeting.every]


def period_index(meeting: Meeting, day: date) -> int:
    """Which period (from the ``from`` week, 0) a date of the organiser's falls in."""
    return (_monday(day) - _monday(meeting.first_week)).days // period_days(meeting)


def cycle_length(meeting: Meeting) -> int:
    """Periods per cycle: one turn per time zone when rotating (people who share a zone share
    its turns), else 1."""
    return max(1, len(meeting.zones())) if meeting.rotate else 1


def request_for(meeting: Meeting, cycle: int) -> Request:
    """The planner's request for one cycle of a rotating meeting."""
    n = cycle_length(meeting)
    first = _monday(meeting.first_week) + timedelta(days=cycle * n * period_days(meeting))
    return Request(
        timedelta(minutes=meeting.duration),
        n,
        period_days(meeting),
        first,
        meeting.days,
        STEP_MINUTES,
        organiser_zone(meeting),
    )


def cycle_occurrences(meeting: Meeting, cycle: int) -> list[Occurrence]:
    """Every occurrence of cycle ``cycle``; may raise :class:`boundaries.core.meeting.TooLarge`."""
    people = attendees(meeting)
    if not people:
        return []
    duration = timedelta(minutes=meeting.duration)
    if meeting.rotate:
        request = request_for(meeting, cycle)
        proposal = plan(options(request, people), len(people))
        starts = list(proposal.starts) if proposal is not None else []
    else:
        starts = _fixed_starts(meeting, cycle)
    if not starts:
        return []
    lo, hi = utc(starts[0]), utc(starts[-1]) + duration
    curves = [cost_curve(person, lo, hi) for person in people]
    names = tuple(p.name for p in people)
    zones = tuple(p.zone for p in people)
    found = []
    for start in starts:
        begin = utc(start)
        costs = tuple(curve.cost(begin, begin + duration) for curve in curves)
        found.append(Occurrence(meeting.name, begin, begin + duration, names, zones, costs))
    return found


def _fixed_starts(meeting: Meeting, period: int) -> list[datetime]:
    zone = ZoneInfo(organiser_zone(meeting))
    week = _monday(meeting.first_week) + timedelta(days=period * period_days(meeting))
    at = meeting.start
    if at is None:
        return []
    days = [week + timedelta(days=i) for i in range(7)]
    return [
        wall_to_instant(day, at, zone) for day in days if WEEKDAYS[day.weekday()] in meeting.days
    ]


def upcoming(meeting: Meeting, now: datetime, count: int = 2) -> list[Occurrence]:
    """The next ``count`` occurrences that have not ended at ``now`` (one in progress counts)."""
    today = utc(now).astimezone(ZoneInfo(organiser_zone(meeting))).date()
    cycle = max(0, period_index(meeting, today) // cycle_length(meeting))
    found: list[Occurrence] = []
    for _ in range(8):  # a cycle with no allowed day in some week has no occurrence at all
        found += [o for o in cycle_occurrences(meeting, cycle) if o.end > utc(now)]
        if len(found) >= count:
            break
        cycle += 1
    return found[:count]


# --------------------------------------------------------------------------- the window's plan


@dataclass(frozen=True)
class Planned:
    """What the Plan window shows: the request, the people, every candidate, plan and slot."""

    request: Request
    people: tuple[Attendee, ...]
    per: tuple[Options, ...]
    proposal: Plan
    fixed: FixedSlot | None


def plan_meeting(request: Request, people: Sequence[Attendee]) -> Planned | None:
    """Plan ``request`` for ``people``; None when some occurrence has no candidate start.

    Raises :class:`~boundaries.core.meeting.TooLarge` rather than answer inexactly.
    """
    per = options(request, people)
    proposal = plan(per, len(people))
    if proposal is None:
        return None
    fixed = best_fixed(request, per, len(people))
    return Planned(request, tuple(people), tuple(per), proposal, fixed)


def worst_rate(costs: Sequence[int], duration: timedelta) -> float:
    """The cost per minute for the attendee it costs most (0 to 5): how bad a slot looks."""
    minutes = max(1.0, duration.total_seconds() / 60)
    return max(costs, default=0) / minutes
