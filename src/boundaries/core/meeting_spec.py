"""A team agreement's recurring meetings (``[[meetings]]``), as the file declares them.

Declared with the settings schema (one ``setting`` per key, path-aware reasons). A rotating
meeting gets its times from the fair-meeting planner (:mod:`boundaries.core.meetings`); one that
does not rotate meets at ``start`` on each of its ``days``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time
from typing import TYPE_CHECKING, Any

from boundaries.core.schema import (
    Choice,
    Clock,
    Day,
    Days,
    Flag,
    Kind,
    Number,
    Text,
    Zone,
    describe_value,
    setting,
    table_rules,
)

if TYPE_CHECKING:
    from boundaries.core.settings import Teammate

MAX_MEETINGS = 20
MAX_ATTENDEES = 20
# A rotating meeting's cycle has a turn per time zone. Measured by hand (mon-fri, every 15
# minutes, one person a zone): 5 zones plan in about 2 s, 7 always make the exact planner
# refuse. Within the cap many attendees with different hours can still make it refuse; the app
# then says so (meeting_view.refused_line) instead of guessing.
MAX_ROTATING_ZONES = 5
MIN_DURATION, MAX_DURATION = 5, 8 * 60
MEETING_NAME_MAX = 80
EPOCH = date(2024, 1, 1)  # a Monday: periods count from here unless ``from`` says otherwise
_WORKWEEK = ("mon", "tue", "wed", "thu", "fri")


@dataclass(frozen=True)
class Names(Kind[tuple[str, ...]]):
    """A list of member names, ``["Ana", "Bo"]``; each once, in the order written."""

    max_items: int

    def parse(self, raw: object) -> tuple[str, ...]:
        if not isinstance(raw, list):
            example = '["Ana", "Bo"]'
            raise ValueError(f"must be a list of names like {example}, not {describe_value(raw)}")
        if len(raw) > self.max_items:
            raise ValueError(f"has {len(raw)} names; at most {self.max_items} are allowed")
        names: list[str] = []
        for item in raw:
            if not isinstance(item, str) or not item.strip():
                raise ValueError(f"must hold names in quotes, not {describe_value(item)}")
            name = item.strip()
            if name.casefold() in {n.casefold() for n in names}:
                raise ValueError(f'names "{name}" twice')
            names.append(name)
        return tuple(names)

    def dump(self, value: tuple[str, ...]) -> object:
        return list(value)

    def describe(self) -> str:
        return f"list of member names, at most {self.max_items}"


def _check(meeting: Meeting) -> tuple[Meeting, list[tuple[str, str]]]:
    """Rules across keys: what ``rotate`` needs, and enough people to meet."""
    problems: list[tuple[str, str]] = []
    if len(meeting.attendees) < 2:
        problems.append(("attendees", "name at least two members (a meeting needs two people)"))
    if meeting.rotate:
        if meeting.start is not None:
            problems.append(
                (
                    "start",
                    "is for a meeting that does not rotate; with rotate = true the "
                    "planner chooses each time (remove start, or set rotate = false)",
                )
            )
    elif meeting.start is None:
        problems.append(
            (
                "start",
                "is missing: a meeting that does not rotate needs its time, like "
                'start = "16:00" (or set rotate = true to share the inconvenience)',
            )
        )
    if not meeting.days:
        problems.append(("days", 'name at least one weekday, like ["tue", "thu"]'))
    return meeting, problems


class _OptionalClock(Kind[time | None]):
    """A wall time "HH:MM", or nothing when the key is left out."""

    def parse(self, raw: object) -> time | None:
        return Clock().parse(raw)

    def dump(self, value: time | None) -> object:
        return None if value is None else Clock().dump(value)

    def describe(self) -> str:
        return Clock().describe()


@table_rules(strict=True, check=_check)
@dataclass(frozen=True)
class Meeting:
    name: str = setting(
        "", Text(MEETING_NAME_MAX, strip=True), "The meeting's name.", required=True
    )
    duration: int = setting(
        30, Number(MIN_DURATION, MAX_DURATION), "How long it lasts, in minutes.", required=True
    )
    every: str = setting(
        "week",
        Choice[str]((("week", "Every week"), ("2weeks", "Every 2 weeks"))),
        'How often: "week" or "2weeks".',
    )
    days: tuple[str, ...] = setting(
        _WORKWEEK,
        Days(),
        "Rotating: the weekdays it may fall on (once a period); else the days it meets.",
    )
    attendees: tuple[str, ...] = setting(
        (), Names(MAX_ATTENDEES), "Who attends: names of [[members]].", required=True
    )
    rotate: bool = setting(
        False, Flag(), "Rotate the time so the inconvenient slot is shared, turn by turn."
    )
    start: time | None = setting(
        None,
        _OptionalClock(),
        "When it starts, for a meeting that does not rotate.",
        omit_default=True,
    )
    zone: str = setting(
        "",
        Zone(allow_empty=True),
        "The zone of days and start; empty means the first attendee's.",
        omit_default=True,
    )
    first_week: date = setting(
        EPOCH,
        Day(),
        "A date in the week its periods count from (every 2 weeks: a week it meets).",
        key="from",
        omit_default=True,
    )
    people: tuple[Teammate, ...] = ()  # the attendees' member entries (not a key in any file)

    def zones(self) -> tuple[str, ...]:
        """Its attendees' time zones, each once, in the order they first appear."""
        return tuple(dict.fromkeys(person.timezone for person in self.people))

    def with_people(self, members: tuple[Teammate, ...]) -> Meeting:
        """This meeting with its attendees' member entries, in the order written."""
        found = {m.name.casefold(): m for m in members}
        people = tuple(found[n.casefold()] for n in self.attendees if n.casefold() in found)
        return replace(self, people=people)


def unknown_attendees(meeting: Meeting, members: Any) -> list[str]:
    """Attendee names that name no member (any case)."""
    known = {member.name.casefold() for member in members}
    return [name for name in meeting.attendees if name.casefold() not in known]
