"""Held nudges: kept while a source holds, one nudge after a grace, quiet at the cap, saved."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from boundaries.core.holds import (
    HOLD_GRACE,
    HOLD_STALE,
    HoldReading,
    HoldReason,
    Holds,
    held_line,
    hold_reason,
    next_check,
    offer,
    offer_update,
    release,
    should_hold,
    step,
)
from boundaries.core.nudge import Nudge, NudgeKind

T0 = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
CAP = timedelta(hours=2)
DND = HoldReason.DND


def later(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


SIGNOFF = Nudge(NudgeKind.SIGNOFF, T0)
ESCALATION = Nudge(NudgeKind.ESCALATION, later(1800), 30)


def test_unknown_never_holds_and_any_held_source_does() -> None:
    assert hold_reason([HoldReading.unknown("gnome", "no dconf")]) is None
    assert hold_reason([HoldReading("kde", False), HoldReading.unknown("x11", "")]) is None
    readings = [
        HoldReading("x11", True, HoldReason.FULLSCREEN),
        HoldReading("kde", True, HoldReason.DND),
        HoldReading.unknown("gnome", "no dconf"),
    ]
    assert hold_reason(readings) is DND  # Do Not Disturb is named before full-screen


def test_a_held_nudge_waits_out_the_hold_and_its_grace() -> None:
    holds = offer(Holds(), SIGNOFF, DND, T0)
    holds, out = step(holds, DND, later(600), CAP)
    assert out is None
    holds, out = step(holds, None, later(601), CAP)  # DND ended: grace starts
    assert out is None
    holds, out = step(holds, None, later(601) + HOLD_GRACE - timedelta(seconds=1), CAP)
    assert out is None
    holds, out = step(holds, None, later(601) + HOLD_GRACE, CAP)
    assert out is not None and out.nudge == SIGNOFF and not out.quiet
    assert holds == Holds()


def test_a_flicker_inside_the_grace_does_not_release() -> None:
    holds = offer(Holds(), SIGNOFF, HoldReason.FULLSCREEN, T0)
    holds, _ = step(holds, None, later(10), CAP)  # window left full-screen for a moment
    holds, out = step(holds, HoldReason.FULLSCREEN, later(15), CAP)  # and went back
    assert out is None
    holds, _ = step(holds, None, later(16), CAP)  # and left it again: the grace starts anew
    holds, out = step(holds, None, later(16) + HOLD_GRACE - timedelta(seconds=1), CAP)
    assert out is None, "the grace restarts after each flicker"
    assert next_check(holds, CAP) == later(16) + HOLD_GRACE


def test_several_held_nudges_come_out_as_one_the_latest() -> None:
    heads_up = Nudge(NudgeKind.HEADS_UP, T0 - timedelta(minutes=15))
    holds = offer(Holds(), heads_up, DND, T0 - timedelta(minutes=15))
    holds = offer(holds, SIGNOFF, DND, T0)
    holds = offer(holds, ESCALATION, DND, later(1800))
    holds, _ = step(holds, None, later(1900), CAP)
    _, out = step(holds, None, later(1900) + HOLD_GRACE, CAP)
    assert out is not None
    assert out.nudge == ESCALATION and out.coalesced == 3


def test_a_nudge_due_during_the_grace_joins_the_held_one() -> None:
    holds = offer(Holds(), SIGNOFF, DND, T0)
    holds, _ = step(holds, None, later(60), CAP)
    assert should_hold(holds, None)
    holds = offer(holds, ESCALATION, None, later(65))
    assert holds.count == 2 and holds.clear_since == later(60)
    assert not should_hold(Holds(), None)


def test_the_cap_delivers_quietly_even_while_still_held() -> None:
    holds = offer(Holds(), SIGNOFF, HoldReason.PRESENTING, T0)
    assert next_check(holds, CAP) == T0 + CAP
    holds, out = step(holds, HoldReason.PRESENTING, T0 + CAP - timedelta(seconds=1), CAP)
    assert out is None
    _, out = step(holds, HoldReason.PRESENTING, T0 + CAP, CAP)
    assert out is not None and out.quiet


def test_the_cap_counts_real_time_across_a_dst_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    since = datetime(2026, 10, 25, 1, 30, tzinfo=berlin)  # CEST; clocks go back at 03:00
    now = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=berlin)  # CET: 2 h later, 1 h on the wall
    holds = offer(Holds(), Nudge(NudgeKind.SIGNOFF, since), DND, since)
    _, out = step(holds, DND, now, CAP)
    assert out is not None and out.quiet


def test_a_nudge_held_overnight_is_dropped_not_shown() -> None:
    holds = offer(Holds(), SIGNOFF, DND, T0)  # the app was quit with it held
    assert step(holds, None, T0 + HOLD_STALE, CAP) == (Holds(), None)


def test_release_delivers_now_and_empty_holds_deliver_nothing() -> None:
    holds = offer(Holds(), SIGNOFF, DND, T0)
    empty, out = release(holds)
    assert out is not None and out.nudge == SIGNOFF and not out.quiet
    assert release(empty) == (Holds(), None)
    assert step(Holds(), None, T0, CAP) == (Holds(), None)
    assert next_check(Holds(), CAP) is None


def test_the_tray_line_says_what_is_held_and_why() -> None:
    holds = offer(Holds(), SIGNOFF, DND, T0)
    assert held_line(holds) == "Sign-off nudge held: Do Not Disturb"
    holds = offer(Holds(), Nudge(NudgeKind.HEADS_UP, T0), HoldReason.PRESENTING, T0)
    assert held_line(holds) == "Heads-up held: presenting"
    holds, _ = step(holds, None, later(1), CAP)
    assert held_line(holds) == "Heads-up held: coming in a moment"
    assert held_line(Holds()) is None


def test_a_hold_survives_a_round_trip_through_json() -> None:
    holds = offer(offer(Holds(), SIGNOFF, DND, T0), ESCALATION, DND, later(1800))
    again = Holds.from_json(json.loads(json.dumps(holds.to_json())))
    assert again == holds
    assert Holds().to_json() == {}
    assert Holds.from_json({}) == Holds()
    assert Holds.from_json({"nudge": {"kind": "nope", "at": "x"}, "since": "y"}) == Holds()
    naive = {"nudge": {"kind": "signoff", "at": "2026-12-01T16:30"}, "since": "2026-12-01T16:30"}
    assert Holds.from_json(naive) == Holds()


FRIDAY_UPDATE = T0 - timedelta(hours=1)  # the weekly-update reminder, an hour before sign-off


def test_the_weekly_update_reminder_is_held_beside_the_nudge_never_merged_into_it() -> None:
    holds = offer_update(Holds(), FRIDAY_UPDATE, DND, FRIDAY_UPDATE)
    assert should_hold(holds, None) and holds.nudge is None and holds.count == 0
    assert held_line(holds) == "Weekly update reminder held: Do Not Disturb"
    holds = offer(holds, SIGNOFF, DND, T0)
    assert held_line(holds) == "Sign-off nudge and weekly update reminder held: Do Not Disturb"
    assert holds.since == FRIDAY_UPDATE  # the cap counts from the first thing held
    holds, _ = step(holds, None, later(60), CAP)
    _, out = step(holds, None, later(60) + HOLD_GRACE, CAP)
    assert out is not None and not out.quiet
    assert (out.nudge, out.coalesced, out.update) == (SIGNOFF, 1, FRIDAY_UPDATE)


def test_a_held_weekly_update_reminder_meets_the_cap_and_the_menu_like_a_nudge() -> None:
    holds = offer_update(Holds(), FRIDAY_UPDATE, HoldReason.PRESENTING, FRIDAY_UPDATE)
    assert next_check(holds, CAP) == FRIDAY_UPDATE + CAP
    _, out = step(holds, HoldReason.PRESENTING, FRIDAY_UPDATE + CAP, CAP)
    assert out is not None and out.quiet and out.update == FRIDAY_UPDATE and out.nudge is None
    _, out = release(holds)
    assert out is not None and not out.quiet and out.update == FRIDAY_UPDATE
    assert step(holds, None, FRIDAY_UPDATE + HOLD_STALE, CAP) == (Holds(), None)


def test_a_held_weekly_update_reminder_survives_a_round_trip_through_json() -> None:
    alone = offer_update(Holds(), FRIDAY_UPDATE, DND, FRIDAY_UPDATE)
    both = offer(alone, SIGNOFF, DND, T0)
    for holds in (alone, both):
        assert Holds.from_json(json.loads(json.dumps(holds.to_json()))) == holds
    assert Holds.from_json({"update": "2026-12-01T15:30", "since": "2026-12-01T15:30"}) == Holds()
