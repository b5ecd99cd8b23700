"""A meeting plan as the JSON contract and as text: every occurrence in every attendee's zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from boundaries.core.meeting import Attendee, FixedSlot, Plan
from boundaries.core.meetings import Occurrence
from boundaries.core.timefmt import format_day, format_time, format_time_range, zone_city


def plan_report(
    people: Sequence[Attendee],
    duration: timedelta,
    proposal: Plan,
    fixed: FixedSlot | None,
    organiser_zone: str,
) -> dict[str, Any]:
    """The ``meeting plan --json`` contract (see the README)."""
    organiser = ZoneInfo(organiser_zone)
    occurrences = [
        {
            "start": start.astimezone(organiser).isoformat(),
            "attendees": [
                {
                    "name": person.name,
                    "timezone": person.zone,
                    "local_start": start.astimezone(ZoneInfo(person.zone)).isoformat(),
                    "cost": costs[i],
                }
                for i, person in enumerate(people)
            ],
        }
        for start, costs in zip(proposal.starts, proposal.costs, strict=True)
    ]
    return {
        "duration_minutes": int(duration.total_seconds() // 60),
        "occurrences": occurrences,
        "burden": [
            {
                "name": person.name,
                "plan": proposal.burdens[i],
                "fixed": fixed.plan.burdens[i] if fixed is not None else None,
            }
            for i, person in enumerate(people)
        ],
        "fixed_slot": (
            {
                "start_local": fixed.plan.starts[0].astimezone(organiser).isoformat(),
                "timezone": organiser_zone,
            }
            if fixed is not None
            else None
        ),
    }


def occurrence_line(start: datetime, zones: Sequence[str], time_format: str = "24h") -> str:
    """ "Tue 12 Jan 16:00 London · 11:00 New York · Wed 13 Jan 00:00 Singapore".

    The weekday and date appear first and again wherever they change, so nobody misreads a
    meeting that is already tomorrow for them.
    """
    parts = []
    shown = None
    for zone in zones:
        local = start.astimezone(ZoneInfo(zone))
        clock = format_time(local, time_format)
        if local.date() != shown:
            clock = f"{format_day(local.date())} {clock}"
            shown = local.date()
        parts.append(f"{clock} {zone_city(zone)}")
    return " · ".join(parts)


def plan_text(
    people: Sequence[Attendee],
    proposal: Plan,
    fixed: FixedSlot | None,
    organiser_zone: str,
    time_format: str = "24h",
) -> str:
    # the organiser's zone first: the line reads from where the invitation is sent
    zones = list(dict.fromkeys([organiser_zone, *(person.zone for person in people)]))
    lines = [occurrence_line(start, zones, time_format) for start in proposal.starts]
    lines.append("")
    if fixed is not None:
        lines.append(
            f"Burden (plan vs. the best fixed slot, {fixed.weekday.capitalize()}"
            f" {format_time(fixed.wall, time_format)} {zone_city(organiser_zone)} every time):"
        )
    else:
        lines.append("Burden:")
    width = max((len(person.name) for person in people), default=0)
    for i, person in enumerate(people):
        versus = f"  fixed {fixed.plan.burdens[i]:>4}" if fixed is not None else ""
        lines.append(f"  {person.name:<{width}}  plan {proposal.burdens[i]:>4}{versus}")
    return "\n".join(lines) + "\n"


def next_meeting_line(
    occurrence: Occurrence, now: datetime, tz: ZoneInfo, time_format: str, me: str = ""
) -> str:
    """ "Standup Tue 16 Mar 11:00–11:30 · Chen's turn (23:00 Singapore)", in the user's zone.

    The turn names whom this occurrence costs most and their local start, so the person
    staying up late is said out loud; ``me`` (the user's member name) reads as "your".
    """
    start, end = occurrence.start.astimezone(tz), occurrence.end.astimezone(tz)
    local_now = now.astimezone(tz)
    if occurrence.start <= now:
        when = f"now until {format_time(end, time_format)}"
    elif start.date() == local_now.date():
        when = f"today {format_time_range(start, end, time_format)}"
    elif start.date() == local_now.date() + timedelta(days=1):
        when = f"tomorrow {format_time_range(start, end, time_format)}"
    else:
        when = f"{format_day(start.date())} {format_time_range(start, end, time_format)}"
    turn = occurrence.turn()
    if not turn:
        return f"{occurrence.meeting} {when} · in everyone's hours"
    mine = me.strip().casefold()
    who = ["you" if n.casefold() == mine else n for n in turn]
    if len(who) == 1:
        whose = "your turn" if who[0] == "you" else f"{who[0]}'s turn"
    else:
        whose = f"{', '.join(who[:-1])} and {who[-1]} share the turn"
    places = ", ".join(
        (f"{name} " if len(turn) > 1 else "")
        + f"{format_time(occurrence.start.astimezone(ZoneInfo(zone)), time_format)} "
        f"{zone_city(zone)}"
        for name, zone in zip(occurrence.names, occurrence.zones, strict=True)
        if name in turn
    )
    return f"{occurrence.meeting} {when} · {whose} ({places})"


def refused_line(name: str) -> str:
    """What the app says for a rotating meeting the exact planner refuses to plan."""
    return (
        f"{name}: too many combinations to plan its rotation exactly "
        "(fewer attendees or days in the agreement would do)"
    )
