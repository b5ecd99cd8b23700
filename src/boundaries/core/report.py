"""The machine-readable answers of ``boundaries status --json`` and ``boundaries team --json``.

Shapes are a contract (PRODUCT.md "Machine-readable output"): times are ISO-8601 with offset.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from boundaries.core.focus import AppState, Mode, block_declined, paused_until, sync
from boundaries.core.schedule import (
    EventKind,
    ScheduleEvent,
    day_plan,
    events_after,
    is_team_block,
)
from boundaries.core.settings import Settings, Teammate
from boundaries.core.status import summary_line
from boundaries.core.team import (
    availability,
    away_summary,
    overlap_windows,
    teammate_local_time,
    teammate_zone,
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


_LOOKAHEAD_EVENTS = 200
_NUDGES = (EventKind.HEADS_UP, EventKind.SIGNOFF, EventKind.ESCALATION)


def _fires(event: ScheduleEvent, state: AppState) -> bool:
    """Whether ``event`` will do anything in ``state`` (a nudge while snoozed does not)."""
    utc = event.at.astimezone(UTC)
    if event.kind in _NUDGES and state.snoozed_until is not None:
        return utc >= state.snoozed_until.astimezone(UTC)
    if event.kind is EventKind.FOCUS_END:
        return False  # while focusing, focus_until says when it ends; otherwise nothing ends
    if event.kind is EventKind.FOCUS_START and event.block is not None:
        return not block_declined(state, event.block.end)
    return True


def next_happening(
    state: AppState, settings: Settings, now: datetime, tz: ZoneInfo
) -> tuple[str, datetime] | None:
    """What happens next for this user, given the state: "back" while signed off, "resume"
    while paused, "snooze_end" while snoozed, else the next schedule event that will fire.
    ``state`` is already synced to ``now``."""
    if state.mode is Mode.SIGNED_OFF and state.back_at is not None:
        return "back", state.back_at.astimezone(tz)
    if state.mode is Mode.PAUSED:
        return "resume", paused_until(state, tz)
    found: list[tuple[str, datetime]] = []
    if state.focusing and state.focus_until is not None:
        found.append(("focus_end", state.focus_until.astimezone(tz)))
    if state.snoozed_until is not None and state.snoozed_until.astimezone(UTC) > now:
        found.append(("snooze_end", state.snoozed_until.astimezone(tz)))
    for event in itertools.islice(events_after(settings, now, tz), _LOOKAHEAD_EVENTS):
        if _fires(event, state):
            found.append((event.kind.value, event.at))
            break
    return min(found, key=lambda item: item[1].astimezone(UTC)) if found else None


def status_report(
    settings: Settings, state: AppState | None, now: datetime, tz: ZoneInfo
) -> dict[str, Any]:
    now = now.astimezone(tz)
    current = sync(state or AppState(), now, settings, tz)
    plan = day_plan(settings, now.date(), tz)
    upcoming = next_happening(current, settings, now, tz)
    next_kind, next_at = upcoming if upcoming else (None, None)
    report: dict[str, Any] = {
        "now": _iso(now),
        "timezone": tz.key,
        "state": current.mode.value,
        "focus_blocks": [
            {
                "start": _iso(block.start),
                "end": _iso(block.end),
                "source": "team" if is_team_block(settings, block, tz) else "personal",
            }
            for block in plan.focus_blocks
        ],
        "signoff": _iso(plan.signoff),
        "next_event": {"kind": next_kind, "at": _iso(next_at)} if next_kind else None,
        "summary": summary_line(current, settings, now, tz),  # what the tray menu says
    }
    if current.mode is Mode.FOCUSING:
        report["focus_until"] = _iso(current.focus_until)
    if current.mode is Mode.SIGNED_OFF:
        report["back_at"] = _iso(current.back_at)
    if current.snoozed_until is not None:
        report["snoozed_until"] = _iso(current.snoozed_until)
    return report


def _away(mate: Teammate, now: datetime) -> dict[str, str] | None:
    """``{"until": first day back, "kind": "off"|"elsewhere"}`` while away, else None."""
    away = away_summary(mate, now.astimezone(teammate_zone(mate)).date())
    if away is None:
        return None
    back, kind = away
    return {"until": back.isoformat(), "kind": kind}


def team_member_entry(mate: Teammate, now: datetime) -> dict[str, Any]:
    """One teammate in ``team --json`` (and ``agreement show --json``)."""
    return {
        "name": mate.name,
        "timezone": mate.timezone,
        "local_time": _iso(teammate_local_time(mate, now)),
        "status": availability(mate, now).value,
        "away": _away(mate, now),
    }


def team_report(settings: Settings, now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    now = now.astimezone(tz)
    return {
        "at": _iso(now),
        "teammates": [team_member_entry(mate, now) for mate in settings.team],
        "overlap": [
            {"start": _iso(window.start), "end": _iso(window.end)}
            for window in overlap_windows(settings, now.date(), tz)
        ],
    }
