"""When to remind the user to write the weekly update: a small, pure rule the planner uses.

Default: Friday, one hour before that day's sign-off, in the user's zone. A reminder never
interrupts focus: one that falls inside a scheduled focus block moves to the block's end (the
next free minute); one due while a manual focus runs waits until it ends (the controller keeps
it in the app state, so a restart does not lose it). A reminder missed during a suspend, or
kept across a restart, is still shown while its week lasts, and never in the week after.

Kept apart from :mod:`boundaries.core.weekly_update` (drafts, hints, rendering) so planning it
at start-up loads nothing of the update window.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from boundaries.core.schedule import focus_intervals, wall_to_instant
from boundaries.core.settings import Settings
from boundaries.core.timeparse import WEEKDAYS


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def reminder_in_week(settings: Settings, monday: date, tz: ZoneInfo) -> datetime | None:
    """The reminder of the week starting ``monday`` (aware, in ``tz``), or None if it is off."""
    update = settings.update
    if not update.reminder:
        return None
    day = monday + timedelta(days=WEEKDAYS.index(update.reminder_day))
    signoff = wall_to_instant(day, settings.workday.signoff_on(update.reminder_day), tz)
    at = signoff.astimezone(UTC) - timedelta(minutes=update.reminder_before_signoff)
    # Out of the focus block it lands in; blocks are merged, so its end is a free minute.
    for block in focus_intervals(settings, at, at + timedelta(microseconds=1), tz):
        start, end = block.start.astimezone(UTC), block.end.astimezone(UTC)
        if start <= at < end:
            at = end
    return at.astimezone(tz)


def next_reminder(settings: Settings, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The first reminder strictly after ``now``."""
    monday = _monday(now.astimezone(tz).date())
    for weeks in range(3):  # this week's may be past; a moved one may cross into next week
        at = reminder_in_week(settings, monday + timedelta(weeks=weeks), tz)
        if at is not None and at.astimezone(UTC) > now.astimezone(UTC):
            return at
    return None


def reminder_due(
    settings: Settings, since: datetime, now: datetime, tz: ZoneInfo
) -> datetime | None:
    """The reminder that came due in ``(since, now]`` and whose week is not over, if any.

    After a suspend from Friday to Monday nothing is due: last week's update is history.
    """
    now_utc, since_utc = now.astimezone(UTC), since.astimezone(UTC)
    monday = _monday(now.astimezone(tz).date())
    at = reminder_in_week(settings, monday, tz)
    if at is not None and since_utc < at.astimezone(UTC) <= now_utc:
        return at
    # A reminder pushed past Sunday midnight by a focus block belongs to the week before.
    previous = reminder_in_week(settings, monday - timedelta(weeks=1), tz)
    if (
        previous is not None
        and previous.astimezone(tz).date() >= monday
        and since_utc < previous.astimezone(UTC) <= now_utc
    ):
        return previous
    return None


def reminder_expired(at: datetime, now: datetime, tz: ZoneInfo) -> bool:
    """A reminder kept for later (during focus, across a restart) whose week is over by ``now``."""
    return _monday(now.astimezone(tz).date()) > _monday(at.astimezone(tz).date())
