"""The weekly async update: its week, the draft, hints from the week's record, its two texts.

Pure: the week is the user's own ISO week (Monday to Sunday) in the user's zone, computed from
``now`` and the zone passed in. The draft is only what the user typed: hints from the local
history are offered to insert and are never part of the text by themselves, and the private
ones (personal sign-off figures) say so, because the update goes to the team.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from boundaries.core.schedule import wall_to_instant
from boundaries.core.settings import Settings
from boundaries.core.timeparse import WEEKDAYS
from boundaries.core.workday_record import DayRecord
from boundaries.core.workday_summary import summarize_week

MAX_FIELD = 4000  # characters per field; Slack's message limit is far above three of them
SLACK_TEXT_MAX = 40_000  # chat.postMessage truncates text beyond this
SECTIONS: tuple[tuple[str, str], ...] = (
    ("shipped", "Shipped"),
    ("next", "Next week"),
    ("blockers", "Blockers"),
)
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO 8601 week, ``2026-W49``; week 1 holds the year's first Thursday."""

    year: int
    week: int

    def __post_init__(self) -> None:
        try:
            date.fromisocalendar(self.year, self.week, 1)
        except ValueError:
            raise ValueError(f"{self.year}-W{self.week:02d} is not a week of {self.year}") from None

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        match = _WEEK_RE.match(text.strip())
        if match is None:
            raise ValueError(f'"{text}" is not an ISO week like 2026-W49')
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def containing(cls, now: datetime, tz: ZoneInfo) -> IsoWeek:
        """The week ``now`` falls in, on the user's wall calendar."""
        return cls.of(now.astimezone(tz).date())

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """Monday 00:00 to the next Monday 00:00 in ``tz`` (a DST week is 167 or 169 hours)."""
        start = wall_to_instant(self.monday, time(0), tz)
        return start, wall_to_instant(self.monday + timedelta(weeks=1), time(0), tz)


@dataclass(frozen=True)
class Draft:
    """What the user wrote for one week; nothing else is ever in it."""

    week: IsoWeek
    shipped: str = ""
    next: str = ""
    blockers: str = ""

    def __post_init__(self) -> None:
        for key, label in SECTIONS:
            if len(getattr(self, key)) > MAX_FIELD:
                raise ValueError(f"{label} is longer than {MAX_FIELD} characters")

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, key).strip() for key, _ in SECTIONS)

    def to_json(self) -> dict[str, Any]:
        return {"week": str(self.week), **{key: getattr(self, key) for key, _ in SECTIONS}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Draft:
        """Inverse of :meth:`to_json`; ``ValueError`` if it is not a draft."""
        week = IsoWeek.parse(str(data.get("week", "")))
        texts = {key: data.get(key, "") for key, _ in SECTIONS}
        if not all(isinstance(value, str) for value in texts.values()):
            raise ValueError("a draft's fields must be text")
        return cls(week, **{key: str(value)[:MAX_FIELD] for key, value in texts.items()})


# --------------------------------------------------------------------------- hints


@dataclass(frozen=True)
class Hint:
    """A sentence the user may insert; ``private`` ones are personal figures."""

    key: str
    text: str
    private: bool = False


@dataclass(frozen=True)
class WeekFigures:
    """The week's numbers from the local history (``update draft --json``'s ``hints``)."""

    focus_minutes: int
    focus_blocks_kept: int
    focus_blocks_cut_short: int
    late_days: int  # private: days signed off more than the grace period late
    workdays_recorded: int  # private: days with a recorded sign-off

    def to_json(self) -> dict[str, Any]:
        return {
            "focus_minutes": self.focus_minutes,
            "focus_blocks_kept": self.focus_blocks_kept,
            "focus_blocks_cut_short": self.focus_blocks_cut_short,
            "late_days": self.late_days,
            "workdays_recorded": self.workdays_recorded,
            "private": ["late_days", "workdays_recorded"],
        }


def week_figures(
    records: Iterable[DayRecord], week: IsoWeek, settings: Settings, tz: ZoneInfo
) -> WeekFigures:
    """The numbers for ``week`` from the stored days (days outside it are ignored)."""
    inside = [r for r in records if week.monday <= r.day <= week.sunday]
    summary = summarize_week(inside, week.monday, settings, tz)
    return WeekFigures(
        focus_minutes=summary.focus_minutes,
        focus_blocks_kept=sum(day.focus_done for day in summary.days),
        focus_blocks_cut_short=sum(day.focus_cut_short for day in summary.days),
        late_days=summary.late_days,
        workdays_recorded=sum(1 for day in summary.days if day.actual_signoff is not None),
    )


def _hours(minutes: int) -> str:
    hours = minutes / 60
    return f"{hours:.0f}" if hours >= 10 or hours == int(hours) else f"{hours:.1f}"


def hints(figures: WeekFigures) -> list[Hint]:
    """Sentences to insert; none of them is in the draft unless the user inserts it."""
    found: list[Hint] = []
    if figures.focus_minutes:
        found.append(
            Hint("focus_minutes", f"{_hours(figures.focus_minutes)} hours of focus time this week")
        )
    if figures.focus_blocks_kept or figures.focus_blocks_cut_short:
        total = figures.focus_blocks_kept + figures.focus_blocks_cut_short
        found.append(
            Hint(
                "focus_blocks_kept",
                f"kept {figures.focus_blocks_kept} of {total} focus blocks",
            )
        )
    if figures.workdays_recorded:
        on_time = figures.workdays_recorded - figures.late_days
        found.append(
            Hint(
                "late_days",
                f"signed off on time on {on_time} of {figures.workdays_recorded} days",
                private=True,
            )
        )
    return found


# --------------------------------------------------------------------------- texts


def _bullets(text: str, bullet: str) -> list[str]:
    """Each non-empty line as a list item; a line already starting with - * or • keeps it."""
    lines = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        line = re.sub(r"^[-*•]\s+", "", line)
        lines.append(f"{bullet} {line}")
    return lines


def render_markdown(draft: Draft) -> str:
    """The update as Markdown (the file kept for the week, "Copy as Markdown")."""
    out = [f"## Weekly update {draft.week}", ""]
    for key, label in SECTIONS:
        text = getattr(draft, key)
        out.append(f"**{label}**")
        items = _bullets(text, "-")
        out += items or (["- None"] if key == "blockers" else ["- (nothing yet)"])
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def slack_escape(text: str) -> str:
    """Slack's mrkdwn needs only these three escaped (its formatting docs)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_slack(draft: Draft) -> str:
    """The update in Slack's mrkdwn (what is posted, "Copy as Slack text")."""
    out = [f"*Weekly update {draft.week}*"]
    for key, label in SECTIONS:
        items = _bullets(slack_escape(getattr(draft, key)), "•")
        if not items:
            items = ["• None"] if key == "blockers" else ["• (nothing yet)"]
        out += ["", f"*{label}*", *items]
    return "\n".join(out)


# --------------------------------------------------------------------------- posting later


def scheduled_post_time(settings: Settings, now: datetime, tz: ZoneInfo) -> datetime:
    """The next post day and time (default Monday 09:00) in the team's zone, after ``now``.

    The team's zone is ``update.post_timezone``, else the user's own ``tz``.
    """
    update = settings.update
    zone = ZoneInfo(update.post_timezone) if update.post_timezone else tz
    today = now.astimezone(zone).date()
    day = today + timedelta(days=(WEEKDAYS.index(update.post_day) - today.weekday()) % 7)
    at = wall_to_instant(day, update.post_time, zone)
    if at.astimezone(UTC) <= now.astimezone(UTC):
        at = wall_to_instant(day + timedelta(weeks=1), update.post_time, zone)
    return at


def parse_post_at(text: str, tz: ZoneInfo, now: datetime) -> datetime:
    """``--at`` ISO-8601 (no offset means the user's zone); must be in the future."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f'"{text}" is not an ISO-8601 time like 2026-12-07T09:00') from None
    at = parsed if parsed.tzinfo else wall_to_instant(parsed.date(), parsed.time(), tz)
    if at.astimezone(UTC) <= now.astimezone(UTC):
        raise ValueError(f"{at.isoformat(timespec='minutes')} is not in the future")
    return at
