"""The team agreement as a calendar (iCalendar), so calendars stop offering focus time.

Each member's working hours become an RFC 7953 availability (VAVAILABILITY with a weekly
AVAILABLE in their zone; days off are excluded, days working from elsewhere are their own
AVAILABLE in that zone). Team focus blocks become weekly busy events: with the block's zone
when it has one (one shared instant), otherwise in floating time, which iCalendar defines as
"the same wall time wherever the reader is": each member's own local time, as the agreement
means it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from boundaries.core.agreement import Agreement
from boundaries.core.settings import FocusBlock, Teammate
from boundaries.core.timeparse import WEEKDAYS, check_zone

if TYPE_CHECKING:
    from icalendar import Component

_BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
_PRODID = "-//Boundaries//Team agreement//EN"


def agreement_calendar(agreement: Agreement, first_day: date, stamp: datetime) -> bytes:
    """The calendar from ``first_day`` on; ``stamp`` (an aware instant) dates every item."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{agreement.name or 'Team'} agreement")
    for member in agreement.members:
        calendar.add_component(_availability(agreement, member, first_day, stamp))
    for index, block in enumerate(agreement.focus_blocks):
        if block.days:
            calendar.add_component(_focus_event(agreement, index, block, first_day, stamp))
    # Zone rules for the years a calendar subscription is likely to look at, not 1970 onwards.
    calendar.add_missing_timezones(
        first_date=first_day - timedelta(days=366), last_date=first_day + timedelta(days=5 * 366)
    )
    data: bytes = calendar.to_ical()
    return data


def _uid(agreement: Agreement, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join((agreement.name, *parts)).encode()).hexdigest()[:20]
    return f"{digest}@boundaries"


def _first_on_or_after(day: date, weekdays: tuple[str, ...]) -> date:
    while WEEKDAYS[day.weekday()] not in weekdays:
        day += timedelta(days=1)
    return day


def _span(day: date, start: time, end: time, zone: ZoneInfo | None) -> tuple[datetime, datetime]:
    end_day = day + timedelta(days=1) if end <= start else day
    return (
        datetime.combine(day, start, tzinfo=zone),
        datetime.combine(end_day, end, tzinfo=zone),
    )


def _keep_zone(component: Component, start: datetime, end: datetime) -> Component:
    """Write DTSTART/DTEND with their TZID: icalendar's ``start``/``end`` setters turn them
    into UTC, which a weekly rule would then repeat at the wrong wall time after a DST change."""
    for key in ("DTSTART", "DTEND"):
        if key in component:
            del component[key]
    component.add("dtstart", start)
    component.add("dtend", end)
    return component


def _weekly(days: tuple[str, ...]) -> dict[str, object]:
    return {"freq": "weekly", "byday": [_BYDAY[day] for day in days]}


def _availability(
    agreement: Agreement, member: Teammate, first_day: date, stamp: datetime
) -> Component:
    from icalendar import Availability, Available
    from icalendar.enums import BUSYTYPE

    zone = check_zone(member.timezone)
    availability = Availability.new(
        uid=_uid(agreement, "hours", member.name),
        stamp=stamp,
        summary=f"{member.name}'s working hours",
        start=datetime.combine(first_day, time(0), tzinfo=zone),
        busy_type=BUSYTYPE.BUSY_UNAVAILABLE,
    )
    if not member.days:
        return availability
    day = _first_on_or_after(first_day, member.days)
    start, end = _span(day, member.hours_start, member.hours_end, zone)
    weekly = _keep_zone(
        Available.new(
            uid=_uid(agreement, "hours", member.name, "weekly"),
            stamp=stamp,
            start=start,
            end=end,
            summary=f"{member.name} works",
        ),
        start,
        end,
    )
    weekly.add("rrule", _weekly(member.days))
    away_days = list(_away_workdays(member, first_day))
    if away_days:
        weekly.add(
            "exdate",
            [datetime.combine(d, member.hours_start, tzinfo=zone) for d, _ in away_days],
        )
    availability.add_component(weekly)
    for day_away, other_zone in away_days:
        if other_zone is not None:
            start, end = _span(day_away, member.hours_start, member.hours_end, other_zone)
            one_day = Available.new(
                uid=_uid(agreement, "hours", member.name, day_away.isoformat()),
                stamp=stamp,
                start=start,
                end=end,
                summary=f"{member.name} works (from {other_zone.key})",
            )
            availability.add_component(_keep_zone(one_day, start, end))
    return availability


def _away_workdays(member: Teammate, first_day: date) -> Iterator[tuple[date, ZoneInfo | None]]:
    """Each workday of theirs that time away changes: (date, the zone they work from or None)."""
    for away in member.away:
        day = max(away.start, first_day)
        while day <= away.end:
            if WEEKDAYS[day.weekday()] in member.days:
                yield day, check_zone(away.timezone) if away.kind == "elsewhere" else None
            day += timedelta(days=1)


def _focus_event(
    agreement: Agreement, index: int, block: FocusBlock, first_day: date, stamp: datetime
) -> Component:
    from icalendar import Event
    from icalendar.enums import TRANSP

    zone = check_zone(block.zone) if block.zone else None  # None: floating, each person's own
    day = _first_on_or_after(first_day, block.days)
    start, end = _span(day, block.start, block.end, zone)
    where = f"at {block.zone} time" if block.zone else "in each member's own time"
    event = Event.new(
        uid=_uid(agreement, "focus", str(index)),
        stamp=stamp,
        start=start,
        end=end,
        summary=f"{agreement.name or 'Team'} focus block (no meetings)",
        description=(
            f"Team focus from the team agreement, {where}: notifications off, no meetings."
        ),
        transparency=TRANSP.OPAQUE,
    )
    event.add("rrule", _weekly(block.days))
    return event
