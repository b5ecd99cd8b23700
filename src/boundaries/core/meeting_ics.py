"""A planned meeting as a calendar file: one event per occurrence, right across DST changes.

Each event is written in the organiser's zone with its TZID (and the VTIMEZONE rules for the
plan's dates), not as a weekly rule: a rotating meeting has no rule, and a rule repeated in
one zone would be an hour off for someone after the other zone's clock change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from boundaries.core.meeting import Attendee, Plan
from boundaries.core.meeting_view import occurrence_line

_PRODID = "-//Boundaries//Meeting plan//EN"


def plan_calendar(
    title: str,
    people: Sequence[Attendee],
    proposal: Plan,
    duration: timedelta,
    organiser_zone: str,
    stamp: datetime,
) -> bytes:
    """The calendar for ``proposal``; ``stamp`` (an aware instant) dates every event."""
    from icalendar import Calendar, Event

    zone = ZoneInfo(organiser_zone)
    zones = list(dict.fromkeys([organiser_zone, *(person.zone for person in people)]))
    calendar = Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    for index, start in enumerate(proposal.starts):
        local = start.astimezone(zone)
        costs = proposal.costs[index]
        worst = max(costs, default=0)
        turn = [p.name for p, c in zip(people, costs, strict=True) if c == worst and worst]
        lines = [occurrence_line(start, zones)]
        if turn:
            lines.append(f"The inconvenient slot this time: {', '.join(turn)}.")
        lines.append(f"Attendees: {', '.join(p.name for p in people)}.")
        event = Event()
        event.add("uid", _uid(title, local.isoformat()))
        event.add("dtstamp", stamp)
        event.add("dtstart", local)
        event.add("dtend", (start.astimezone(ZoneInfo("UTC")) + duration).astimezone(zone))
        event.add("summary", title)
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    if proposal.starts:
        first = min(s.astimezone(zone).date() for s in proposal.starts)
        last = max(s.astimezone(zone).date() for s in proposal.starts)
        calendar.add_missing_timezones(
            first_date=first - timedelta(days=1), last_date=last + timedelta(days=2)
        )
    data: bytes = calendar.to_ical()
    return data


def _uid(title: str, start: str) -> str:
    digest = hashlib.sha256(f"{title}\x1f{start}".encode()).hexdigest()[:20]
    return f"{digest}@boundaries"
