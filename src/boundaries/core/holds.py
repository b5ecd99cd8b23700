"""Holding nudges while the user presents, is in Do Not Disturb, or has a full-screen window.

A nudge popping up in a screen share is the most repeated complaint against break reminders,
and a nudge lost in Do Not Disturb the second. So a nudge due during a hold is kept, several
kept nudges become one (the latest), and it is delivered once the hold has been over for a
short grace (a flicker of the full-screen window does not release it), when the user releases
it, or quietly once the hold has lasted the cap. Pure: time and readings come in as arguments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from boundaries.core.focus import AppState, Mode
from boundaries.core.instant import before, utc
from boundaries.core.nudge import Nudge, NudgeKind

# How long a hold must stay over before a held nudge is delivered.
HOLD_GRACE = timedelta(seconds=20)
# A held nudge this old (the app was off overnight) belongs to another day: dropped, not shown.
HOLD_STALE = timedelta(hours=12)


class HoldReason(StrEnum):
    """Why nudges are held; the value is stored in ``held-nudges.json``."""

    DND = "dnd"
    PRESENTING = "presenting"
    FULLSCREEN = "fullscreen"


# Most telling first: when several sources hold, the tray names this one.
_REASON_ORDER = (HoldReason.PRESENTING, HoldReason.DND, HoldReason.FULLSCREEN)
_REASON_TEXT = {
    HoldReason.DND: "Do Not Disturb",
    HoldReason.PRESENTING: "presenting",
    HoldReason.FULLSCREEN: "a full-screen window",
}


@dataclass(frozen=True)
class HoldReading:
    """One source's answer: held yes (``True``), no (``False``) or unknown (``None``), and why."""

    source: str
    held: bool | None
    reason: HoldReason | None = None
    detail: str = ""  # for the log: what the source saw, or why it cannot tell

    @classmethod
    def unknown(cls, source: str, detail: str) -> HoldReading:
        return cls(source, None, None, detail)


def hold_reason(readings: Iterable[HoldReading]) -> HoldReason | None:
    """The reason to hold, if any source says "held". Unknown never holds: a nudge that
    cannot be shown for sure is shown, never lost."""
    found = {r.reason or HoldReason.DND for r in readings if r.held}
    return next((reason for reason in _REASON_ORDER if reason in found), None)


@dataclass(frozen=True)
class Delivery:
    """A nudge to show now; ``quiet`` when the cap ran out (no sound, low urgency)."""

    nudge: Nudge
    quiet: bool
    coalesced: int  # how many nudges were held into this one


@dataclass(frozen=True)
class Holds:
    """The held nudge (latest of those held), since when, why, and since when the hold is over."""

    nudge: Nudge | None = None
    count: int = 0
    since: datetime | None = None
    reason: HoldReason | None = None
    clear_since: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        if self.nudge is None or self.since is None:
            return {}
        return {
            "nudge": {
                "kind": str(self.nudge.kind),
                "at": self.nudge.at.isoformat(),
                "minutes_after": self.nudge.minutes_after,
            },
            "count": self.count,
            "since": self.since.isoformat(),
            "reason": str(self.reason) if self.reason else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Holds:
        """A saved hold; anything unreadable is no hold (the nudge is then simply lost)."""
        try:
            raw = data["nudge"]
            nudge = Nudge(
                NudgeKind(raw["kind"]),
                _aware(raw["at"]),
                int(raw.get("minutes_after", 0)),
            )
            reason = HoldReason(data["reason"]) if data.get("reason") else None
            return cls(nudge, max(1, int(data.get("count", 1))), _aware(data["since"]), reason)
        except (KeyError, TypeError, ValueError):
            return cls()


def _aware(text: object) -> datetime:
    if not isinstance(text, str):
        raise TypeError("not a time")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a saved time without a zone")
    return moment


def offer(holds: Holds, nudge: Nudge, reason: HoldReason | None, now: datetime) -> Holds:
    """A nudge came due while ``reason`` holds (or during the grace of a hold): keep it."""
    now = utc(now)  # instants are kept and compared in UTC (a DST change is no hour lost)
    latest = nudge if holds.nudge is None or not before(nudge.at, holds.nudge.at) else holds.nudge
    return Holds(
        latest,
        holds.count + 1,
        holds.since or now,
        reason or holds.reason,
        None if reason else (holds.clear_since or now),
    )


def should_hold(holds: Holds, reason: HoldReason | None) -> bool:
    """A new nudge is held while a source holds, or while an earlier held one waits out its grace
    (so the two come out as one)."""
    return reason is not None or holds.nudge is not None


def step(
    holds: Holds, reason: HoldReason | None, now: datetime, cap: timedelta
) -> tuple[Holds, Delivery | None]:
    """Re-check a hold with the sources' current ``reason``: keep it, or deliver its nudge."""
    now = utc(now)
    if holds.nudge is None or holds.since is None:
        return Holds(), None
    if now - utc(holds.since) >= max(cap, HOLD_STALE):
        return Holds(), None
    if now - utc(holds.since) >= cap:
        return Holds(), Delivery(holds.nudge, quiet=True, coalesced=holds.count)
    if reason is not None:
        return replace(holds, reason=reason, clear_since=None), None
    clear_since = utc(holds.clear_since) if holds.clear_since else now
    if now - clear_since >= HOLD_GRACE:
        return Holds(), Delivery(holds.nudge, quiet=False, coalesced=holds.count)
    return replace(holds, clear_since=clear_since), None


def release(holds: Holds) -> tuple[Holds, Delivery | None]:
    """The user asked for the held nudge now."""
    if holds.nudge is None:
        return Holds(), None
    return Holds(), Delivery(holds.nudge, quiet=False, coalesced=holds.count)


def still_due(nudge: Nudge, state: AppState, now: datetime) -> bool:
    """A held nudge is dropped if the user signed off, paused or snoozed meanwhile."""
    if state.mode in (Mode.SIGNED_OFF, Mode.PAUSED):
        return False
    return state.snoozed_until is None or not before(now, state.snoozed_until)


def next_check(holds: Holds, cap: timedelta) -> datetime | None:
    """The next instant ``step`` can change its answer without a source changing."""
    if holds.nudge is None or holds.since is None:
        return None
    cap_at = utc(holds.since) + cap
    if holds.clear_since is None:
        return cap_at
    return min(cap_at, utc(holds.clear_since) + HOLD_GRACE)


_KIND_TEXT = {
    NudgeKind.HEADS_UP: "Heads-up",
    NudgeKind.SIGNOFF: "Sign-off nudge",
    NudgeKind.ESCALATION: "Sign-off reminder",
}


def held_line(holds: Holds) -> str | None:
    """The tray's first line while a nudge is held: "Sign-off nudge held: Do Not Disturb"."""
    if holds.nudge is None:
        return None
    kind = _KIND_TEXT.get(holds.nudge.kind, str(holds.nudge.kind).replace("_", " ").capitalize())
    if holds.reason is None or holds.clear_since is not None:
        return f"{kind} held: coming in a moment"
    return f"{kind} held: {_REASON_TEXT[holds.reason]}"
