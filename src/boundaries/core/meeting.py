"""Fair meeting times across time zones: what a minute of a meeting costs whom, and a plan.

The cost model (documented in the README): for each attendee and each minute, in the
attendee's local time on that date, 0 inside their working hours on a workday, 1 within two
hours (elapsed) before or after those hours, 3 any other minute from 07:00 to 22:00 (and any
daytime minute of a day off or time away off), 5 from 22:00 to 07:00. Where several rules
cover a minute the lowest wins (an early shift's shoulder at 06:00 costs 1, not 5).

Costs are computed by intervals, not minute by minute: each attendee's rules become a
piecewise-constant function of the instant (in UTC seconds) with a prefix integral, so a
candidate's cost is two binary searches. Local dates and wall times go through
:func:`~boundaries.core.schedule.wall_to_instant`, so 23- and 25-hour days, Lord Howe's
30-minute shift and Kathmandu's +05:45 come out exact.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from operator import le
from zoneinfo import ZoneInfo

from boundaries.core.instant import utc
from boundaries.core.schedule import wall_to_instant
from boundaries.core.settings import Away
from boundaries.core.timeparse import WEEKDAYS

COST_HOURS, COST_SHOULDER, COST_DAY, COST_NIGHT = 0, 1, 3, 5
SHOULDER = timedelta(hours=2)
DAY_START, NIGHT_START = time(7, 0), time(22, 0)
PERIODS = {"week": 7, "2weeks": 14}
MAX_CANDIDATES = 20_000  # per occurrence; refuses absurd --step/--days combinations early


@dataclass(frozen=True)
class Attendee:
    """One person as the planner sees them: zone, hours and workdays, dated time away."""

    name: str
    zone: str
    hours_start: time
    hours_end: time
    days: tuple[str, ...]
    away: tuple[Away, ...] = ()

    def away_on(self, day: date) -> Away | None:
        return next((item for item in self.away if item.covers(day)), None)


def _ts(moment: datetime) -> int:
    return int(moment.astimezone(UTC).timestamp())


@dataclass(frozen=True)
class CostCurve:
    """One attendee's cost per second as a step function of UTC seconds, with its integral."""

    edges: tuple[int, ...]  # breakpoints, sorted; cost is rates[i] on [edges[i], edges[i+1])
    rates: tuple[int, ...]
    prefix: tuple[int, ...] = field(repr=False)  # integral of cost-seconds up to edges[i]

    def integral(self, at: int) -> int:
        """Cost-seconds from ``edges[0]`` to ``at`` (clamped to the covered span)."""
        if at <= self.edges[0]:
            return 0
        i = bisect.bisect_right(self.edges, at) - 1
        if i >= len(self.rates):
            return self.prefix[-1]
        return self.prefix[i] + self.rates[i] * (at - self.edges[i])

    def cost(self, start: datetime, end: datetime) -> int:
        """The cost of ``[start, end)`` in cost-minutes (exact for whole-minute offsets)."""
        seconds = self.integral(_ts(end)) - self.integral(_ts(start))
        return round(seconds / 60)


def _rules(person: Attendee, day: date) -> list[tuple[int, int, int]]:
    """(start, end, cost) spans the person's local ``day`` contributes, in UTC seconds."""
    away = person.away_on(day)
    zone = ZoneInfo(away.timezone if away is not None and away.timezone else person.zone)
    next_day = day + timedelta(days=1)
    midnight = _ts(wall_to_instant(day, time(0), zone))
    morning = _ts(wall_to_instant(day, DAY_START, zone))
    evening = _ts(wall_to_instant(day, NIGHT_START, zone))
    end = _ts(wall_to_instant(next_day, time(0), zone))
    spans = [
        (midnight, morning, COST_NIGHT),
        (morning, evening, COST_DAY),
        (evening, end, COST_NIGHT),
    ]
    off = away is not None and not away.timezone  # "elsewhere" always names its zone
    working = WEEKDAYS[day.weekday()] in person.days and not off
    if working:
        shift_end_day = next_day if person.hours_end <= person.hours_start else day
        start = _ts(wall_to_instant(day, person.hours_start, zone))
        stop = _ts(wall_to_instant(shift_end_day, person.hours_end, zone))
        # Hours that fall wholly in a spring-forward gap are empty, but still have shoulders.
        if start <= stop:
            shoulder = int(SHOULDER.total_seconds())
            spans.append((start - shoulder, stop + shoulder, COST_SHOULDER))
        if start < stop:
            spans.append((start, stop, COST_HOURS))
    return spans


def cost_curve(person: Attendee, start: datetime, end: datetime) -> CostCurve:
    """The person's cost function over at least ``[start, end)`` (two local days of margin)."""
    zone = ZoneInfo(person.zone)
    first = start.astimezone(zone).date() - timedelta(days=2)
    last = end.astimezone(zone).date() + timedelta(days=2)
    spans: list[tuple[int, int, int]] = []
    day = first
    while day <= last:
        spans += _rules(person, day)
        day += timedelta(days=1)
    # A sweep: at each edge the spans that start or stop there change the active costs.
    changes: dict[int, list[tuple[int, int]]] = {}
    for a, b, cost in spans:
        changes.setdefault(a, []).append((cost, 1))
        changes.setdefault(b, []).append((cost, -1))
    edges = sorted(changes)
    active = dict.fromkeys((COST_HOURS, COST_SHOULDER, COST_DAY, COST_NIGHT), 0)
    rates = []
    for edge in edges[:-1]:
        for cost, delta in changes[edge]:
            active[cost] += delta
        covering = [cost for cost, count in active.items() if count > 0]
        rates.append(min(covering) if covering else COST_NIGHT)  # a gap between two zones
    prefix = [0]
    for i, rate in enumerate(rates):
        prefix.append(prefix[-1] + rate * (edges[i + 1] - edges[i]))
    return CostCurve(tuple(edges), tuple(rates), tuple(prefix))


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Request:
    """What to plan: ``count`` occurrences, one per period from ``first_day``."""

    duration: timedelta
    count: int
    period_days: int
    first_day: date  # in the organiser's zone
    days: tuple[str, ...]  # allowed weekdays, in the organiser's zone
    step_minutes: int
    organiser_zone: str


def wall_grid(step_minutes: int) -> list[time]:
    """Wall times of a day on the ``step`` grid from 00:00."""
    return [time(m // 60, m % 60) for m in range(0, 24 * 60, step_minutes)]


def occurrence_days(request: Request, index: int) -> list[date]:
    """The allowed organiser dates in the first week of occurrence ``index``'s period."""
    week = request.first_day + timedelta(days=index * request.period_days)
    days = [week + timedelta(days=i) for i in range(7)]
    return [day for day in days if WEEKDAYS[day.weekday()] in request.days]


def candidates(request: Request, index: int) -> list[datetime]:
    """Starts for occurrence ``index``: every grid wall time on its allowed days, by instant.

    Wall times (not elapsed minutes from midnight) so every fixed slot is among them; a wall
    time in a spring-forward gap means the instant the gap ends (the app's one gap rule).
    """
    zone = ZoneInfo(request.organiser_zone)
    seen: dict[int, datetime] = {}
    for day in occurrence_days(request, index):
        for wall in wall_grid(request.step_minutes):
            moment = wall_to_instant(day, wall, zone)
            seen.setdefault(_ts(moment), moment)
    return [seen[key] for key in sorted(seen)]


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Plan:
    starts: tuple[datetime, ...]  # one per occurrence
    costs: tuple[tuple[int, ...], ...]  # costs[k][i]: occurrence k, attendee i
    burdens: tuple[int, ...]  # per attendee

    @property
    def score(self) -> tuple[int, int]:
        """What the planner minimises: the largest burden, then the total."""
        return (max(self.burdens, default=0), sum(self.burdens))


@dataclass(frozen=True)
class FixedSlot:
    """The same wall time on the same weekday every time, in the organiser's zone."""

    weekday: str
    wall: time
    plan: Plan


@dataclass(frozen=True)
class Options:
    """Per occurrence: the candidate starts and their cost vectors (same order)."""

    starts: list[datetime]
    costs: list[tuple[int, ...]]


def options(request: Request, people: Sequence[Attendee]) -> list[Options]:
    """Candidates and their costs for every occurrence."""
    per: list[list[datetime]] = [candidates(request, k) for k in range(request.count)]
    everything = [moment for starts in per for moment in starts]
    if not everything:
        return [Options([], []) for _ in per]
    lo = min(everything, key=_ts)
    hi = utc(max(everything, key=_ts)) + request.duration
    curves = [cost_curve(person, lo, hi) for person in people]
    return [
        Options(
            starts,
            # in UTC: adding to a zoned datetime adds wall time, wrong across a DST change
            [tuple(c.cost(s, utc(s) + request.duration) for c in curves) for s in starts],
        )
        for starts in per
    ]


def _pareto(items: list[tuple[tuple[int, ...], int]]) -> list[tuple[tuple[int, ...], int]]:
    """Items whose vector no other item's is <= in every place (first of equal vectors kept)."""
    kept: list[tuple[tuple[int, ...], int]] = []
    for vector, ref in sorted(items, key=lambda item: (sum(item[0]), item[1])):
        if any(all(a <= b for a, b in zip(k, vector, strict=True)) for k, _ in kept):
            continue
        kept.append((vector, ref))
    return kept


class TooLarge(ValueError):
    """The exact search would keep more than :data:`MAX_STATES` partial plans."""


MAX_STATES = 2_000  # keeps the exact search to seconds; beyond it we refuse, never guess


def plan(per: Sequence[Options], people: int) -> Plan | None:
    """One start per occurrence minimising the largest burden, then the total; None if any
    occurrence has no candidate. Raises :class:`TooLarge` rather than answer inexactly.

    Exact, by dynamic programming over occurrences on *burden vectors*: after occurrence k the
    state is the vector of each attendee's burden so far, and only Pareto-minimal vectors are
    kept. That is safe because both objectives are monotone in every coordinate: if vector a
    is <= b everywhere, whatever completes b completes a at least as well (the same argument
    drops a candidate whose costs are all >= another's). A state is also dropped when even
    the cheapest rest for everyone would score worse than a known plan (greedy, then improved
    one occurrence at a time): that plan already beats every completion of it. Ties go to the
    earlier starts.
    """
    if any(not o.starts for o in per):
        return None
    choices = [_pareto([(vec, i) for i, vec in enumerate(o.costs)]) for o in per]
    count = len(choices)
    rest = [[0] * people for _ in range(count + 1)]  # each one's cheapest possible rest
    rest_total = [0] * (count + 1)  # the cheapest possible total of the rest
    for k in range(count - 1, -1, -1):
        rest[k] = [rest[k + 1][i] + min(vec[i] for vec, _ in choices[k]) for i in range(people)]
        rest_total[k] = rest_total[k + 1] + min(sum(vec) for vec, _ in choices[k])
    bound = _score(_known_plan(choices, people))
    # state vector -> the choice indices that reached it (first found wins a tie)
    states: dict[tuple[int, ...], tuple[int, ...]] = {(0,) * people: ()}
    for k, options_k in enumerate(choices):
        grown: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        after, after_total = rest[k + 1], rest_total[k + 1]
        for vector, path in states.items():
            for cost, ref in options_k:
                new = tuple(a + b for a, b in zip(vector, cost, strict=True))
                low = max((a + r for a, r in zip(new, after, strict=True)), default=0)
                if (low, sum(new) + after_total) > bound:
                    continue
                grown.append((new, (*path, ref)))
        if len(grown) > MAX_STATES * max(1, len(options_k)):
            raise TooLarge(f"more than {MAX_STATES} partial plans")
        states = dict(_pareto_paths(grown))
        if len(states) > MAX_STATES:
            raise TooLarge(f"more than {MAX_STATES} partial plans")
    best = min(states.items(), key=lambda item: (_score(item[0]), item[1]))
    path = best[1]
    starts = tuple(per[k].starts[ref] for k, ref in enumerate(path))
    costs = tuple(per[k].costs[ref] for k, ref in enumerate(path))
    return Plan(starts, costs, best[0])


def _pareto_paths(
    items: list[tuple[tuple[int, ...], tuple[int, ...]]],
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The Pareto-minimal vectors, each with its earliest path (equal vectors: one kept)."""
    first: dict[tuple[int, ...], tuple[int, ...]] = {}
    for vector, path in items:
        if vector not in first or path < first[vector]:
            first[vector] = path
    kept: list[tuple[int, ...]] = []
    # By total: nothing later can be <= everywhere than something earlier unless equal.
    for vector in sorted(first, key=lambda v: (sum(v), v)):
        if not any(all(map(le, k, vector)) for k in kept):
            kept.append(vector)
    return [(vector, first[vector]) for vector in kept]


def _score(vector: Sequence[int]) -> tuple[int, int]:
    return (max(vector, default=0), sum(vector))


def _known_plan(choices: list[list[tuple[tuple[int, ...], int]]], people: int) -> tuple[int, ...]:
    """A good feasible plan's burdens (the bound for the exact search): the best choice
    occurrence by occurrence, then re-choosing one occurrence at a time while that helps."""
    picks: list[tuple[int, ...]] = []
    vector = (0,) * people
    for options_k in choices:
        cost = min(
            (cost for cost, _ in options_k),
            key=lambda c: _score([a + b for a, b in zip(vector, c, strict=True)]),
        )
        picks.append(cost)
        vector = tuple(a + b for a, b in zip(vector, cost, strict=True))
    improved = True
    while improved:
        improved = False
        for k, options_k in enumerate(choices):
            without = [a - b for a, b in zip(vector, picks[k], strict=True)]
            cost = min(
                (cost for cost, _ in options_k),
                key=lambda c: _score([a + b for a, b in zip(without, c, strict=True)]),
            )
            candidate = tuple(a + b for a, b in zip(without, cost, strict=True))
            if _score(candidate) < _score(vector):
                picks[k], vector, improved = cost, candidate, True
    return vector


def evaluate(per: Sequence[Options], indices: Sequence[int], people: int) -> Plan:
    """The plan that picks ``per[k].starts[indices[k]]``."""
    costs = tuple(per[k].costs[i] for k, i in enumerate(indices))
    burdens = tuple(sum(c[p] for c in costs) for p in range(people))
    return Plan(tuple(per[k].starts[i] for k, i in enumerate(indices)), costs, burdens)


def best_fixed(request: Request, per: Sequence[Options], people: int) -> FixedSlot | None:
    """The best slot at one wall time on one weekday in the organiser's zone, by the same score.

    Its instants are among the candidates (see :func:`candidates`), so the plan is never worse.
    """
    zone = ZoneInfo(request.organiser_zone)
    index = [{_ts(s): i for i, s in enumerate(o.starts)} for o in per]
    best: FixedSlot | None = None
    for weekday in [d for d in WEEKDAYS if d in request.days]:
        for wall in wall_grid(request.step_minutes):
            picks = []
            for k in range(request.count):
                day = next(
                    (d for d in occurrence_days(request, k) if WEEKDAYS[d.weekday()] == weekday),
                    None,
                )
                if day is None:
                    break
                picks.append(index[k][_ts(wall_to_instant(day, wall, zone))])
            else:
                candidate = evaluate(per, picks, people)
                if best is None or candidate.score < best.plan.score:
                    best = FixedSlot(weekday, wall, candidate)
    return best
