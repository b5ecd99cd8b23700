"""``boundaries meeting plan``: a recurring meeting that shares the inconvenience fairly.

Attendees are the running settings' team (the agreement's members and the personal team) and
``me`` (the user's own hours and zone); the organiser's zone is the user's. The planning itself
is in :mod:`boundaries.core.meeting`; this module reads arguments and prints.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any

from boundaries.core.meeting import PERIODS, Attendee, Request
from boundaries.core.meetings import ME

EXIT_OK, EXIT_USAGE = 0, 2
MAX_COUNT = 52
MAX_DURATION = 8 * 60


def add_meeting_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    meeting = sub.add_parser(
        "meeting", parents=[common], help="plan a recurring meeting fairly across time zones"
    )
    actions = meeting.add_subparsers(dest="meeting_action", metavar="ACTION", required=True)
    plan = actions.add_parser(
        "plan",
        parents=[common],
        help="one start per occurrence, minimising the largest burden of anyone",
        description="Propose a start for each occurrence so that the most inconvenienced "
        "attendee is as little inconvenienced as possible (then everyone in total), and "
        "compare with the best fixed slot. The cost model is in the README.",
    )
    plan.add_argument("--duration", type=int, required=True, metavar="MIN", help="minutes")
    plan.add_argument("--count", type=int, required=True, metavar="N", help="occurrences")
    plan.add_argument("--every", choices=sorted(PERIODS), default="week")
    plan.add_argument("--from", dest="start", metavar="DATE", help="first week (default today)")
    plan.add_argument("--days", metavar="DAYS", help="allowed weekdays, like tue,thu")
    plan.add_argument("--attendees", metavar="NAMES", help="like Ana,Bo,me (default: everyone)")
    plan.add_argument("--step", type=int, default=15, metavar="MIN", help="candidate spacing")
    plan.add_argument("--json", action="store_true", help="machine-readable output")


def _fail(message: str) -> int:
    print(f"boundaries: {message}", file=sys.stderr)
    return EXIT_USAGE


def everyone(settings: Any, my_zone: str) -> list[Attendee]:
    """The user first (as ``me`` unless the agreement names them), then the team."""
    from boundaries.core.meetings import meeting_people

    return meeting_people(settings, my_zone)


def choose(people: list[Attendee], text: str | None) -> list[Attendee]:
    """The named attendees in the order given; ``me`` is the user. Raises ValueError."""
    if text is None:
        return people
    chosen: list[Attendee] = []
    for raw in text.split(","):
        name = raw.strip()
        if not name:
            continue
        key = name.casefold()
        found = people[0] if key == ME else None
        found = found or next((p for p in people if p.name.casefold() == key), None)
        if found is None:
            known = ", ".join([ME, *(p.name for p in people[1:])])
            raise ValueError(f'--attendees: nobody is called "{name}" (known: {known})')
        if found not in chosen:
            chosen.append(found)
    if not chosen:
        raise ValueError("--attendees: name at least one attendee")
    return chosen


def request_from(args: argparse.Namespace, my_zone: str, my_days: tuple[str, ...]) -> Request:
    """The planning request, or ValueError with the reason (exit 2)."""
    from boundaries.core.timeparse import WEEKDAYS, parse_weekday

    if not 1 <= args.duration <= MAX_DURATION:
        raise ValueError(f"--duration must be 1 to {MAX_DURATION} minutes")
    if not 1 <= args.count <= MAX_COUNT:
        raise ValueError(f"--count must be 1 to {MAX_COUNT}")
    if not 5 <= args.step <= 240 or (24 * 60) % args.step:
        raise ValueError("--step must divide a day and be 5 to 240 minutes (15, 30, 60, ...)")
    if args.start is None:
        first = datetime.now(UTC).astimezone(_zone(my_zone)).date()
    else:
        try:
            first = date.fromisoformat(args.start)
        except ValueError:
            raise ValueError(f'--from "{args.start}" is not a date like 2027-03-01') from None
        if not 1971 <= first.year <= 9990:
            raise ValueError("--from must be between the years 1971 and 9990")
    if args.days is None:
        days = my_days or WEEKDAYS[:5]
    else:
        days = tuple(parse_weekday(part) for part in args.days.split(",") if part.strip())
        if not days:
            raise ValueError("--days: name at least one weekday, like tue,thu")
    return Request(
        timedelta(minutes=args.duration),
        args.count,
        PERIODS[args.every],
        first,
        tuple(dict.fromkeys(days)),
        args.step,
        my_zone,
    )


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def run_meeting(args: argparse.Namespace, settings: Any) -> int:
    from boundaries.core.meeting import TooLarge, best_fixed, options, plan
    from boundaries.core.meeting_view import plan_report, plan_text
    from boundaries.integrations.system_zone import user_zone

    my_zone = str(user_zone(settings.general.timezone))
    try:
        people = choose(everyone(settings, my_zone), args.attendees)
        request = request_from(args, my_zone, settings.workday.days)
    except ValueError as error:
        return _fail(str(error))
    per = options(request, people)
    try:
        proposal = plan(per, len(people))
    except TooLarge:
        return _fail(
            "too many combinations to plan exactly: use fewer --days or --attendees, a larger "
            "--step, or fewer occurrences (--count)"
        )
    if proposal is None:
        return _fail("no candidate start: --days names no day in some occurrence's week")
    fixed = best_fixed(request, per, len(people))
    if args.json:
        report = plan_report(people, request.duration, proposal, fixed, my_zone)
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(plan_text(people, proposal, fixed, my_zone, settings.general.time_format))
    return EXIT_OK
