"""Holding nudges while the user presents, is in Do Not Disturb, or has a full-screen window.

A nudge popping up in a screen share is the most repeated complaint against break reminders,
and a nudge lost in Do Not Disturb the second. So a nudge due during a hold is kept, several
kept nudges become one (the latest), and it is delivered once the hold has been over for a
short grace (a flicker of the full-screen window does not release it), when the user releases
it, or quietly once the hold has lasted the cap. The weekly-update reminder is held beside them,
never merged into them (it is another message). Pure: time and readings come in as arguments.
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
    """What to show now; ``quiet`` when the cap ran out (no sound, low urgency)."""

    nudge: Nudge | None
    quiet: bool
    coalesced: int  # how many nudges were held into this one
    update: datetime | None = None  # the weekly-update reminder (due then), if one was held


@dataclass(frozen=True)
class Holds:
    """The held nudge (latest of those held) and weekly-update reminder, since when, why, and
    since when the hold is over."""

    nudge: Nudge | None = None
    count: int = 0
    since: datetime | None = None
    reason: HoldReason | None = None
    clear_since: datetime | None = None
    update: datetime | None = None  # a held weekly-update reminder: when it was due

    @property
    def empty(self) -> bool:
        return (self.nudge is None and self.update is None) or self.since is None

    def to_json(self) -> dict[str, Any]:
        if self.empty or self.since is None:
            return {}
        data: dict[str, Any] = {
            "count": self.count,
            "since": self.since.isoformat(),
            "reason": str(self.reason) if self.reason else None,
        }
        if self.nudge is not None:
            data["nudge"] = {
                "kind": str(self.nudge.kind),
                "at": self.nudge.at.isoformat(),
                "minutes_after": self.nudge.minutes_after,
            }
        if self.update is not None:
            data["update"] = self.update.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Holds:
        """A saved hold; anything unreadable is no hold (the nudge is then simply lost)."""
        try:
            nudge = None
            if "nudge" in data:
                raw = data["nudge"]
                nudge = Nudge(
                    NudgeKind(raw["kind"]),
                    _aware(raw["at"]),
                    int(raw.get("minutes_after", 0)),
                )
            update = _aware(data["update"]) if "update" in data else None
            if nudge is None and update is None:
                return cls()
            reason = HoldReason(data["reason"]) if data.get("reason") else None
            count = max(1, int(data.get("count", 1))) if nudge is not None else 0
            return cls(nudge, count, _aware(data["since"]), reason, update=update)
        except (KeyError, TypeError, ValueError):
            return cls()


def _aware(text: object) -> datetime:
    if not isinstance(text, str):
        raise TypeError("not a time")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a saved time without a zone")
    return moment


def _kept(holds: Holds, reason: HoldReason | None, now: datetime) -> Holds:
    """``holds`` with something more kept while ``reason`` holds (None: during the grace)."""
    now = utc(now)  # instants are kept and compared in UTC (a DST change is no hour lost)
    return replace(
        holds,
        since=holds.since or now,
        reason=reason or holds.reason,
        clear_since=None if reason else (holds.clear_since or now),
    )


def offer(holds: Holds, nudge: Nudge, reason: HoldReason | None, now: datetime) -> Holds:
    """A nudge came due while ``reason`` holds (or during the grace of a hold): keep it."""
    latest = nudge if holds.nudge is None or not before(nudge.at, holds.nudge.at) else holds.nudge
    return replace(_kept(holds, reason, now), nudge=latest, count=holds.count + 1)


def offer_update(holds: Holds, due: datetime, reason: HoldReason | None, now: datetime) -> Holds:
    """The weekly-update reminder came due during a hold: kept beside the nudge, not merged."""
    latest = due if holds.update is None or not before(due, holds.update) else holds.update
    return replace(_kept(holds, reason, now), update=latest)


def should_hold(holds: Holds, reason: HoldReason | None) -> bool:
    """A new nudge is held while a source holds, or while an earlier held one waits out its grace
    (so the two come out as one)."""
    return reason is not None or not holds.empty


def _delivery(holds: Holds, quiet: bool) -> Delivery:
    return Delivery(holds.nudge, quiet=quiet, coalesced=holds.count, update=holds.update)


def step(
    holds: Holds, reason: HoldReason | None, now: datetime, cap: timedelta
) -> tuple[Holds, Delivery | None]:
    """Re-check a hold with the sources' current ``reason``: keep it, or deliver its nudge."""
    now = utc(now)
    if holds.empty or holds.since is None:
        return Holds(), None
    if now - utc(holds.since) >= max(cap, HOLD_STALE):
        return Holds(), None
    if now - utc(holds.since) >= cap:
        return Holds(), _delivery(holds, quiet=True)
    if reason is not None:
        return replace(holds, reason=reason, clear_since=None), None
    clear_since = utc(holds.clear_since) if holds.clear_since else now
    if now - clear_since >= HOLD_GRACE:
        return Holds(), _delivery(holds, quiet=False)
    return replace(holds, clear_since=clear_since), None


def release(holds: Holds) -> tuple[Holds, Delivery | None]:
    """The user asked for the held nudge now."""
    if holds.empty:
        return Holds(), None
    return Holds(), _delivery(holds, quiet=False)


def still_due(nudge: Nudge, state: AppState, now: datetime) -> bool:
    """A held nudge is dropped if the user signed off, paused or snoozed meanwhile."""
    if state.mode in (Mode.SIGNED_OFF, Mode.PAUSED):
        return False
    return state.snoozed_until is None or not before(now, state.snoozed_until)


def next_check(holds: Holds, cap: timedelta) -> datetime | None:
    """The next instant ``step`` can change its answer without a source changing."""
    if holds.empty or holds.since is None:
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
    if holds.empty:
        return None
    kinds = []
    if holds.nudge is not None:
        kinds.append(_KIND_TEXT[holds.nudge.kind])
    if holds.update is not None:
        kinds.append("weekly update reminder" if kinds else "Weekly update reminder")
    kind = " and ".join(kinds)
    if holds.reason is None or holds.clear_since is not None:
        return f"{kind} held: coming in a moment"
    return f"{kind} held: {_REASON_TEXT[holds.reason]}"
