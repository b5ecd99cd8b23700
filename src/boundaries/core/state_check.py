"""What a saved :class:`AppState` may hold: checked on read (bad parts dropped) and before a write.

``state.json`` is ours, but a power loss, a hand edit or an old bug can leave anything in it,
and one instant near the end of ``datetime``'s range used to crash every later start. Reading
keeps what is valid, drops the rest with a reason per field, and never raises; the same rules
refuse a state before it is stored, so nothing out of range reaches the file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from boundaries.core.focus import AppState, FocusSource, Mode
from boundaries.core.instant import RANGE_TEXT, in_range, utc
from boundaries.core.limits import SNOOZE_MINUTES

# Focus and "back at" lie at most this far ahead of now: a merged chain of scheduled blocks is
# cut ~15 days out (core.schedule), and the next workday start is at most ~9 days away.
MAX_AHEAD = timedelta(days=32)

_DATETIMES = (
    "focus_started",
    "focus_until",
    "back_at",
    "snoozed_until",
    "declined_block_end",
    "skipped_block_end",
    "paused_until",
    "signed_off_at",
    "update_reminder_held",
)


def parse_state(data: object, now: datetime | None = None) -> tuple[AppState, list[str]]:
    """The state in ``data`` (decoded JSON) and one reason per part that was dropped.

    With ``now``, instants implausibly far ahead of it (a snooze of years) are dropped too.
    """
    if not isinstance(data, Mapping):
        return AppState(), [f"is not a JSON object but {type(data).__name__}"]
    kwargs: dict[str, Any] = {}
    problems: list[str] = []
    for field in dataclasses.fields(AppState):
        if field.name not in data or data[field.name] is None:
            continue
        raw = data[field.name]
        try:
            kwargs[field.name] = _parse_field(field.name, raw)
        except (TypeError, ValueError, OverflowError) as error:
            problems.append(f"{field.name}: {error}")
    state = AppState(**kwargs)
    return _consistent(state, problems, now)


def check_state(state: AppState, now: datetime | None = None) -> list[str]:
    """Why ``state`` must not be stored (empty when it may)."""
    return parse_state(state.to_json(), now)[1]


def _parse_field(name: str, raw: object) -> object:
    if name == "mode":
        return Mode(_text(raw))
    if name == "focus_source":
        return FocusSource(_text(raw))
    if name in ("paused_on", "nudged_day"):
        day = date.fromisoformat(_text(raw))
        if not _day_in_range(day):
            raise ValueError(f"{day.isoformat()} is not {RANGE_TEXT}")
        return day
    if name == "nudged_rank":
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 100_000:
            raise ValueError(f"{raw!r} is not a small whole number")
        return raw
    if name in _DATETIMES:
        moment = datetime.fromisoformat(_text(raw))
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{raw!r} has no UTC offset")
        if not in_range(moment):
            raise ValueError(f"{raw!r} is not {RANGE_TEXT}")
        return moment
    raise ValueError("is not a known part of the state")  # pragma: no cover - fields above


def _text(raw: object) -> str:
    if not isinstance(raw, str):
        raise TypeError(f"{raw!r} is not text")
    return raw


def _day_in_range(day: date) -> bool:
    from boundaries.core.instant import EARLIEST, LATEST

    return EARLIEST.date() <= day < LATEST.date()


def _consistent(
    state: AppState, problems: list[str], now: datetime | None
) -> tuple[AppState, list[str]]:
    """Drop parts that contradict each other or lie implausibly far from ``now``."""
    changes: dict[str, Any] = {}
    if now is not None:
        limits = {
            "snoozed_until": timedelta(minutes=SNOOZE_MINUTES.high),
            "focus_until": MAX_AHEAD,
            "back_at": MAX_AHEAD,
            "paused_until": MAX_AHEAD,
            "skipped_block_end": MAX_AHEAD,
        }
        for name, limit in limits.items():
            moment = getattr(state, name)
            if moment is not None and utc(moment) - utc(now) > limit:
                problems.append(f"{name}: {moment.isoformat()} is too far ahead")
                changes[name] = None
    state = dataclasses.replace(state, **changes)
    if (
        state.focus_started
        and state.focus_until
        and utc(state.focus_until) < utc(state.focus_started)
    ):
        problems.append("focus_until: is before focus_started")
        state = dataclasses.replace(state, focus_until=None)
    needs = {Mode.FOCUSING: "focus_until", Mode.SIGNED_OFF: "back_at", Mode.PAUSED: "paused_on"}
    field = needs.get(state.mode)
    if field is not None and getattr(state, field) is None:
        problems.append(f"mode: {state.mode.value} without {field}")
        state = AppState(
            nudged_day=state.nudged_day,
            nudged_rank=state.nudged_rank,
            update_reminder_held=state.update_reminder_held,
        )
    return state, problems
