"""Every numeric limit the app enforces, defined once.

The CLI, the command protocol, the controller, the tray and the settings all check against
these, so "how long may a snooze be" has one answer and one error message.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUS_TEXT_MAX = 100
"""Slack's limit for ``status_text`` in characters (``users.profile.set``)."""


@dataclass(frozen=True)
class MinuteRange:
    """An inclusive range of whole minutes with the sentence that explains a refusal."""

    what: str
    low: int
    high: int

    def __contains__(self, value: object) -> bool:
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.low <= value <= self.high
        )

    def check(self, value: int) -> int:
        """``value`` itself, or ValueError saying what the range is."""
        if value not in self:
            raise ValueError(self.message(value))
        return value

    def message(self, value: object) -> str:
        return f"{self.what} must be between {self.low} and {self.high} minutes, not {value}"


FOCUS_MINUTES = MinuteRange("focus minutes", 1, 24 * 60)
"""A focus session started by minutes (tray, CLI): at most a day."""

SNOOZE_MINUTES = MinuteRange("snooze minutes", 1, 12 * 60)
"""A sign-off snooze; 12 hours is also when ``focus.sync`` forgets a stale snooze."""

FOCUS_UNTIL_AHEAD_HOURS = 12
"""A "focus until HH:MM" means the next such time within this many hours; a time further
ahead is a time already past today (07:00 at 07:54), refused instead of a 23-hour focus."""

PAUSE_MINUTES = MinuteRange("pause minutes", 1, 24 * 60)
"""A timed pause (tray, ``boundaries pause N``); it also ends at midnight."""

SNOOZE_DEFAULT_MINUTES = 15
"""The snooze offered by notifications and the sign-off window."""
