"""Which days count as late, and the weekly numbers: the weekly window and ``boundaries
report`` show the same ones, so both always agree.

Pure: every function takes days and the zone as parameters. Kept apart from
:mod:`boundaries.core.workday_record` (what is recorded, needed from start-up on) so its
dataclasses load only when a week is shown or reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from boundaries.core.schedule import day_plan
from boundaries.core.settings import Settings
from boundaries.core.timefmt import format_day, format_time
from boundaries.core.workday_record import DayRecord, SignoffSource

# Not late: up to one snooze (15 min) past the planned sign-off.
LATE_GRACE_MINUTES = 15
# "Late days in the last 4 weeks" looks this far back, today included.
RECENT_DAYS = 28


@dataclass(frozen=True)
class DaySummary:
    """One day as the weekly view and the report show it."""

    day: date
    is_workday: bool
    planned_signoff: datetime | None
    actual_signoff: datetime | None
    source: SignoffSource | None
    late: bool
    late_minutes: int  # minutes past the planned sign-off (0 when not late)
    focus_minutes: int
    focus_done: int
    focus_cut_short: int


@dataclass(frozen=True)
class WeekSummary:
    """A Monday-to-Sunday week of day summaries."""

    week_start: date  # a Monday
    days: tuple[DaySummary, ...]  # Monday..Sunday

    @property
    def late_days(self) -> int:
        return sum(1 for day in self.days if day.late)

    @property
    def focus_minutes(self) -> int:
        return sum(day.focus_minutes for day in self.days)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def summarize_day(
    record: DayRecord | None,
    day: date,
    settings: Settings,
    tz: ZoneInfo,
    today: date | None = None,
) -> DaySummary:
    """``day`` as shown: the plan recorded that day, and lateness.

    Today and later days are planned by the current settings. A day before ``today`` whose plan
    was never recorded has none: today's settings would put a sign-off time on it that was not
    the plan that day (after a settings change the column would mix old and new times).
    """
    plan = day_plan(settings, day, tz)
    record = record or DayRecord(day)
    before_today = today is not None and day < today
    planned = record.planned_signoff or (None if before_today else plan.signoff)
    actual = record.actual_signoff
    late_minutes = 0
    if planned is not None and actual is not None:
        past = (actual.astimezone(UTC) - planned.astimezone(UTC)).total_seconds() / 60
        if past > LATE_GRACE_MINUTES:
            late_minutes = round(past)
    return DaySummary(
        day=day,
        is_workday=plan.is_workday or record.planned_signoff is not None,
        planned_signoff=planned.astimezone(tz) if planned else None,
        actual_signoff=actual.astimezone(tz) if actual else None,
        source=record.source,
        late=late_minutes > 0,
        late_minutes=late_minutes,
        focus_minutes=round(record.focus_minutes),
        focus_done=record.focus_done,
        focus_cut_short=record.focus_cut_short,
    )


def summarize_week(
    records: Iterable[DayRecord],
    start: date,
    settings: Settings,
    tz: ZoneInfo,
    today: date | None = None,
) -> WeekSummary:
    """Monday ``start`` and the six days after it (``today``: see :func:`summarize_day`)."""
    by_day = {record.day: record for record in records}
    dates = [start + timedelta(days=i) for i in range(7)]
    days = tuple(summarize_day(by_day.get(day), day, settings, tz, today) for day in dates)
    return WeekSummary(start, days)


def still_open(summary: DaySummary, today: date) -> bool:
    """Today is not over while its end is only the user's activity (no sign-off yet, or
    "I'm back" after one): its time is "last seen at work", not a sign-off."""
    return summary.day == today and summary.source is SignoffSource.LAST_ACTIVITY


def recent_range(today: date) -> tuple[date, date]:
    """First and last day of "the last 4 weeks" (28 days ending today)."""
    return today - timedelta(days=RECENT_DAYS - 1), today


def late_days_between(
    records: Iterable[DayRecord], first: date, last: date, settings: Settings, tz: ZoneInfo
) -> int:
    return sum(
        1
        for record in records
        if first <= record.day <= last and summarize_day(record, record.day, settings, tz).late
    )


def report(
    records: Iterable[DayRecord], today: date, weeks: int, settings: Settings, tz: ZoneInfo
) -> dict[str, Any]:
    """``boundaries report --json``: the last ``weeks`` weeks (oldest first) and 4-week count."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    stored = list(records)
    current = week_start(today)
    first, last = recent_range(today)
    return {
        "timezone": tz.key,
        "today": today.isoformat(),
        "late_grace_minutes": LATE_GRACE_MINUTES,
        "late_days_last_4_weeks": late_days_between(stored, first, last, settings, tz),
        "weeks": [
            _week_json(summarize_week(stored, current - timedelta(weeks=n), settings, tz, today))
            for n in range(weeks - 1, -1, -1)
        ],
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="minutes") if moment else None


def _week_json(week: WeekSummary) -> dict[str, Any]:
    return {
        "week_start": week.week_start.isoformat(),
        "late_days": week.late_days,
        "focus_minutes": week.focus_minutes,
        "days": [
            {
                "day": d.day.isoformat(),
                "workday": d.is_workday,
                "planned_signoff": _iso(d.planned_signoff),
                "actual_signoff": _iso(d.actual_signoff),
                "source": d.source.value if d.source else None,
                "late": d.late,
                "late_minutes": d.late_minutes,
                "focus_minutes": d.focus_minutes,
                "focus_blocks_done": d.focus_done,
                "focus_blocks_cut_short": d.focus_cut_short,
            }
            for d in week.days
        ],
    }


def report_lines(data: dict[str, Any]) -> list[str]:
    """The plain-text form of :func:`report`'s dict (one line per day)."""
    lines = [f"Late days in the last 4 weeks: {data['late_days_last_4_weeks']}"]
    for week in data["weeks"]:
        lines.append("")
        lines.append(
            f"Week of {week['week_start']}: {week['late_days']} late, "
            f"{week['focus_minutes']} min focus"
        )
        for day in week["days"]:
            when = format_day(date.fromisoformat(day["day"]))
            planned = _hhmm(day["planned_signoff"]) or ("-" if day["workday"] else "day off")
            actual = _hhmm(day["actual_signoff"]) or "-"
            mark = f"  LATE +{day['late_minutes']} min" if day["late"] else ""
            source = f" ({day['source'].replace('_', ' ')})" if day["source"] else ""
            ended = actual + source
            focus = f"focus {day['focus_minutes']} min"
            lines.append(f"  {when}  planned {planned:<7}  actual {ended:<21}  {focus}{mark}")
    return lines


def _hhmm(iso: str | None) -> str | None:
    return format_time(datetime.fromisoformat(iso)) if iso else None
