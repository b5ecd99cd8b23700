"""What ``boundaries agreement show`` says: the agreement as it stands at one instant."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from boundaries.core.agreement import Agreement
from boundaries.core.report import team_member_entry
from boundaries.core.schedule import day_plan, is_team_block
from boundaries.core.settings import Settings
from boundaries.core.team import overlap_windows
from boundaries.core.timefmt import format_day, format_day_time, format_time_range


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def agreement_report(
    agreement: Agreement, settings: Settings, now: datetime, tz: ZoneInfo
) -> dict[str, Any]:
    """JSON-ready: name, norms, members now, today's team focus blocks and overlap (user's zone).

    ``settings`` are the ones the app runs with (the agreement applied), so the overlap is the
    user's own window with everyone present.
    """
    now = now.astimezone(tz)
    today = now.date()
    blocks = [
        b for b in day_plan(settings, today, tz).focus_blocks if is_team_block(settings, b, tz)
    ]
    return {
        "name": agreement.name,
        "at": _iso(now),
        "timezone": tz.key,
        "norms": {
            "reply_within": agreement.norms.reply_within,
            "urgent": agreement.norms.urgent,
            "after_signoff": agreement.norms.after_signoff,
        },
        "members": [team_member_entry(member, now) for member in agreement.members],
        "team_focus_blocks": [{"start": _iso(b.start), "end": _iso(b.end)} for b in blocks],
        "overlap": [
            {"start": _iso(w.start), "end": _iso(w.end)}
            for w in overlap_windows(settings, today, tz)
        ],
    }


def agreement_text(report: dict[str, Any], time_format: str = "24h") -> str:
    """The same, for people, with times as the user reads them (``time_format``)."""
    title = report["name"] or "Team agreement"
    lines = [f"{title} ({report['file']})" if "file" in report else title]
    norms = report["norms"]
    for key, label in (
        ("reply_within", "Replies within"),
        ("urgent", "Urgent"),
        ("after_signoff", "After sign-off"),
    ):
        if norms[key]:
            lines.append(f"{label}: {norms[key]}")
    lines.append("")
    for member in report["members"]:
        away = member["away"]
        if away is not None and away["kind"] == "off":
            back = date.fromisoformat(away["until"])
            lines.append(f"  {member['name']} — off until {format_day(back)}")
            continue
        local = datetime.fromisoformat(member["local_time"]) if member["local_time"] else None
        when = (
            f"{format_day_time(local, time_format)} ({member['timezone']})"
            if local
            else member["timezone"]
        )
        extra = ""
        if away is not None:
            last = date.fromisoformat(away["until"]) - timedelta(days=1)
            extra = f", working from elsewhere until {format_day(last)}"
        lines.append(f"  {member['name']} — {when} · {member['status']}{extra}")
    lines.append("")
    blocks = [_range(b, time_format) for b in report["team_focus_blocks"]]
    lines.append(f"Team focus today: {', '.join(blocks) if blocks else 'none'}")
    overlap = [_range(w, time_format) for w in report["overlap"]]
    lines.append(
        f"Overlap today ({report['timezone']}): {', '.join(overlap) if overlap else 'none'}"
    )
    return "\n".join(lines) + "\n"


def _range(item: dict[str, str], time_format: str) -> str:
    start, end = datetime.fromisoformat(item["start"]), datetime.fromisoformat(item["end"])
    return format_time_range(start, end, time_format)
