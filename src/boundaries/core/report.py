"""The machine-readable answers of ``boundaries status --json`` and ``boundaries team --json``.

Shapes are a contract (PRODUCT.md "Machine-readable output"): times are ISO-8601 with offset.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from boundaries.core.focus import AppState, Mode, sync
from boundaries.core.schedule import day_plan, is_team_block, next_event
from boundaries.core.settings import Settings, Teammate
from boundaries.core.team import (
    availability,
    away_summary,
    overlap_windows,
    teammate_local_time,
    teammate_zone,
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def status_report(
    settings: Settings, state: AppState | None, now: datetime, tz: ZoneInfo
) -> dict[str, Any]:
    now = now.astimezone(tz)
    current = sync(state or AppState(), now, settings, tz)
    plan = day_plan(settings, now.date(), tz)
    upcoming = next_event(settings, now, tz)
    next_kind, next_at = (upcoming.kind.value, upcoming.at) if upcoming else (None, None)
    if current.focus_until and (next_at is None or current.focus_until < next_at):
        next_kind, next_at = "focus_end", current.focus_until
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
    }
    if current.mode is Mode.FOCUSING:
        report["focus_until"] = _iso(current.focus_until)
    if current.mode is Mode.SIGNED_OFF:
        report["back_at"] = _iso(current.back_at)
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
