"""The team agreement: the operating model a team writes down and keeps in its repo.

One TOML file (``team.boundaries.toml``) holds the response norms, team-wide focus blocks and
every member's zone, hours, workdays and dated time away. It is declared with the same schema
machinery as ``settings.toml`` (one declaration per key, path-aware reasons, bounds), and each
member's app turns it into the settings it runs with (:func:`apply_agreement`): teammates and
their time away, the user's own hours unless set locally, team focus blocks beside the
personal ones, and the norms in the Slack status.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import Any

from boundaries.core.interval import Interval, merge_intervals
from boundaries.core.meeting_spec import (
    MAX_MEETINGS,
    MAX_ROTATING_ZONES,
    Meeting,
    unknown_attendees,
)
from boundaries.core.schema import (
    SettingsProblem,
    TableList,
    Text,
    Version,
    parse_table,
    section,
    setting,
)
from boundaries.core.settings import (
    MAX_FOCUS_BLOCKS,
    MAX_NAME,
    MAX_TEAMMATES,
    FocusBlock,
    Norms,
    Settings,
    Teammate,
)
from boundaries.core.team import shift_on
from boundaries.core.timeparse import WEEKDAY_NAMES, WEEKDAYS, check_zone

AGREEMENT_VERSION = 1
AGREEMENT_FILE_NAME = "team.boundaries.toml"

# The focus status an agreement's norms give, unless the user wrote their own.
_STATUS_BOTH = "Focusing until {end} - replies within {reply_within}; urgent? {urgent}"
_STATUS_REPLY = "Focusing until {end} - replies within {reply_within}"
_STATUS_URGENT = "Focusing until {end} - replies after that; urgent? {urgent}"


@dataclass(frozen=True)
class Agreement:
    version: int = setting(AGREEMENT_VERSION, Version(AGREEMENT_VERSION), "Format of this file.")
    name: str = setting("", Text(MAX_NAME, strip=True), "The team's name.")
    norms: Norms = section(Norms, "How the team answers; each member's Slack status says so.")
    focus_blocks: tuple[FocusBlock, ...] = setting(
        (),
        TableList(FocusBlock, MAX_FOCUS_BLOCKS, "team focus blocks"),
        "Team-wide focus blocks (no meetings, notifications off), one [[focus_blocks]] each.",
    )
    members: tuple[Teammate, ...] = setting(
        (),
        TableList(Teammate, MAX_TEAMMATES, "members"),
        "Everyone on the team with their zone, hours and time away, one [[members]] each.",
    )
    meetings: tuple[Meeting, ...] = setting(
        (),
        TableList(Meeting, MAX_MEETINGS, "meetings"),
        "Recurring meetings, one [[meetings]] each; rotate = true shares the late slot.",
    )


@dataclass(frozen=True)
class Checked:
    """An agreement as read: what can be used, what is wrong, and what is worth a look."""

    agreement: Agreement
    problems: list[SettingsProblem]  # the file is wrong here (exit 2)
    warnings: list[SettingsProblem]  # valid, but a team lead would want to know (exit 0)


def parse_agreement(data: Mapping[str, Any], today: date) -> Checked:
    """Read a parsed TOML document; broken parts are left out and reported, never raised."""
    problems: list[SettingsProblem] = []
    agreement = parse_table(Agreement, data, "", problems) or Agreement()
    agreement = _once_per_name(agreement, data.get("members"), problems)
    agreement = _meetings_of_members(agreement, data.get("meetings"), problems)
    warnings = [
        SettingsProblem(p.path, f"{p.reason}; this member is left out until it is fixed")
        for p in problems
        if _is_unknown_zone(p)
    ]
    problems = [p for p in problems if not _is_unknown_zone(p)]
    warnings += no_common_window_warnings(agreement.members, today)
    return Checked(agreement, problems, warnings)


def _once_per_name(agreement: Agreement, raw: object, problems: list[SettingsProblem]) -> Agreement:
    """Names identify members (``me = "Ana"``, ``--attendees``): each one only once.

    Checked on the file's own entries, so the path names the line the user wrote.
    """
    if not isinstance(raw, list):
        return agreement
    seen: set[str] = set()
    repeated: set[str] = set()
    for index, entry in enumerate(raw):
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if not isinstance(name, str) or not name.strip():
            continue
        key = name.strip().casefold()
        if key in seen:
            repeated.add(key)
            problems.append(SettingsProblem(f"members[{index}].name", f'"{name}" is listed twice'))
        seen.add(key)
    if not repeated:
        return agreement
    kept: list[Teammate] = []
    for member in agreement.members:
        if member.name.casefold() not in {m.name.casefold() for m in kept}:
            kept.append(member)
    return replace(agreement, members=tuple(kept))


def _meetings_of_members(
    agreement: Agreement, raw: object, problems: list[SettingsProblem]
) -> Agreement:
    """Each meeting's attendees are members (a meeting naming someone else is left out) and
    each meeting's name is used once. Paths are the file's own entries, so lines are right."""
    if not isinstance(raw, list):
        return agreement
    members = ", ".join(member.name for member in agreement.members) or "none yet"
    entries = {
        entry.get("name", "").strip().casefold(): index
        for index, entry in reversed(list(enumerate(raw)))
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str)
    }
    kept: list[Meeting] = []
    for meeting in agreement.meetings:
        index = entries.get(meeting.name.casefold(), 0)
        if any(m.name.casefold() == meeting.name.casefold() for m in kept):
            where = _repeat_index(raw, meeting.name, index)
            problems.append(
                SettingsProblem(f"meetings[{where}].name", f'"{meeting.name}" is listed twice')
            )
            continue
        unknown = unknown_attendees(meeting, agreement.members)
        if unknown:
            names = ", ".join(f'"{name}"' for name in unknown)
            verb = "is not a member" if len(unknown) == 1 else "are not members"
            problems.append(
                SettingsProblem(
                    f"meetings[{index}].attendees",
                    f"{names} {verb} (members: {members}); this meeting is left out",
                )
            )
            continue
        meeting = meeting.with_people(agreement.members)
        if meeting.rotate and len(meeting.zones()) > MAX_ROTATING_ZONES:
            problems.append(
                SettingsProblem(
                    f"meetings[{index}].attendees",
                    f"are in {len(meeting.zones())} time zones; a rotating meeting can span at "
                    f"most {MAX_ROTATING_ZONES} (one turn per zone in each cycle); this meeting "
                    "is left out",
                )
            )
            continue
        kept.append(meeting)
    return replace(agreement, meetings=tuple(kept))


def _repeat_index(raw: list[Any], name: str, first: int) -> int:
    """The index of the second entry called ``name`` (after ``first``)."""
    for index, entry in enumerate(raw):
        if not (index > first and isinstance(entry, Mapping)):
            continue
        if str(entry.get("name", "")).strip().casefold() == name.casefold():
            return index
    return first


def _is_unknown_zone(problem: SettingsProblem) -> bool:
    return (
        problem.path.startswith("members[")
        and problem.path.endswith("].timezone")
        and ("is not a known time zone" in problem.reason)
    )


# --------------------------------------------------------------------------- the week's windows


def common_window(members: Sequence[Teammate], day: date) -> list[Interval] | None:
    """Where everyone working on (their own) ``day`` works at once, in UTC.

    None when fewer than two work that day (nothing to agree on).
    """
    shifts = [shift for member in members if (shift := shift_on(member, day)) is not None]
    if len(shifts) < 2:
        return None
    windows = [shifts[0]]
    for shift in shifts[1:]:
        found = (window.intersect(shift) for window in windows)
        windows = merge_intervals(item for item in found if item is not None)
    return windows


def no_common_window_warnings(members: Sequence[Teammate], today: date) -> list[SettingsProblem]:
    """One per weekday of the coming week on which the members working never overlap."""
    usable = [member for member in members if _zone_known(member.timezone)]
    warnings = []
    for offset in range(7):
        day = today + timedelta(days=offset)
        windows = common_window(usable, day)
        if windows == []:
            names = ", ".join(member.name for member in usable if shift_on(member, day) is not None)
            weekday = WEEKDAY_NAMES[WEEKDAYS[day.weekday()]]
            reason = f"{weekday} {day.isoformat()}: no common working window ({names})"
            warnings.append(SettingsProblem("members", reason))
    return warnings


def _zone_known(name: str) -> bool:
    try:
        check_zone(name)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- in the app


def find_member(agreement: Agreement, me: str) -> Teammate | None:
    """The member the user is: by name (any case) or by Slack member ID."""
    wanted = me.strip()
    if not wanted:
        return None
    for member in agreement.members:
        if member.name.casefold() == wanted.casefold() or (
            member.slack_user and member.slack_user == wanted
        ):
            return member
    return None


def team_focus_status(norms: Norms) -> str | None:
    """The default focus status when the team's norms say how replies work; None otherwise."""
    if norms.reply_within and norms.urgent:
        return _STATUS_BOTH
    if norms.reply_within:
        return _STATUS_REPLY
    if norms.urgent:
        return _STATUS_URGENT
    return None


def apply_agreement(settings: Settings, agreement: Agreement, explicit: Container[str]) -> Settings:
    """The settings the app runs with: the user's own file, completed by the agreement.

    ``explicit`` holds the paths the user's settings file sets itself ("workday.start"); those
    win over the agreement. Members (but the user) come before personal teammates, who are
    kept unless a member has the same name.
    """
    mine = find_member(agreement, settings.agreement.me)
    members = tuple(
        replace(member, from_agreement=True) for member in agreement.members if member is not mine
    )
    names = {member.name.casefold() for member in agreement.members}
    personal = tuple(mate for mate in settings.team if mate.name.casefold() not in names)
    workday = settings.workday
    if mine is not None:
        own: dict[str, Any] = {}
        if "workday.days" not in explicit:
            own["days"] = mine.days
        start = workday.start if "workday.start" in explicit else mine.hours_start
        if "workday.start" not in explicit:
            own["start"] = start
        if "workday.signoff" not in explicit and mine.hours_end > start:
            own["signoff"] = mine.hours_end
        workday = replace(workday, **own)
    blocks = settings.focus.blocks + tuple(
        replace(block, team=True) for block in agreement.focus_blocks
    )
    focus = replace(settings.focus, blocks=blocks)
    status = team_focus_status(agreement.norms)
    if status is not None and "focus.status_text" not in explicit:
        focus = replace(focus, status_text=status)
    return replace(
        settings,
        workday=workday,
        focus=focus,
        team=members + personal,
        norms=agreement.norms,
        meetings=agreement.meetings,
    )


# --------------------------------------------------------------------------- a starting file


def starting_agreement(settings: Settings, my_name: str, my_zone: str) -> Agreement:
    """A first agreement from what the user has now: themselves and their personal team."""
    w = settings.workday
    me = Teammate(
        name=my_name,
        timezone=my_zone,
        hours_start=w.start,
        hours_end=w.signoff,
        days=w.days,
    )
    others = tuple(mate for mate in settings.team if mate.name.casefold() != my_name.casefold())
    example_block = FocusBlock(("mon", "tue", "wed", "thu"), time(9, 0), time(11, 0))
    return Agreement(
        name="Our team",
        norms=Norms(
            reply_within="4h",
            urgent="say 'urgent'",
            after_signoff="no non-urgent messages",
        ),
        focus_blocks=(example_block,),
        members=(me, *others),
    )
