"""Instants compare in UTC everywhere: property tests around DST folds and gaps in several zones.

Two aware datetimes sharing a ``tzinfo`` compare by wall clock in Python, so inside a fall-back
fold the second 01:30 sorts before the first 01:45. Every comparison here is checked against
the UTC truth for instants drawn close to real transitions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from boundaries.core import focus
from boundaries.core.focus import AppState, Mode
from boundaries.core.instant import at_or_before, before, in_range, utc
from boundaries.core.interval import Interval
from boundaries.core.nudge import nudge_for, snooze_over
from boundaries.core.settings import FocusSettings, Settings

ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",  # a 30-minute shift
    "America/Santiago",  # southern hemisphere, changes at midnight
    "Pacific/Chatham",
    "Europe/London",
)
NO_BLOCKS = Settings(focus=FocusSettings(blocks=()))


def transitions(zone_name: str) -> tuple[datetime, ...]:
    """UTC instants in 2025-2027 at which the zone's offset changes (to the half hour)."""
    zone = ZoneInfo(zone_name)
    found = []
    day = datetime(2025, 1, 1, tzinfo=UTC)
    while day.year < 2028:
        following = day + timedelta(days=1)
        if day.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
            moment = day
            while moment.astimezone(zone).utcoffset() == day.astimezone(zone).utcoffset():
                moment += timedelta(minutes=30)
            found.append(moment)
        day = following
    return tuple(found)


TRANSITIONS = {name: transitions(name) for name in ZONES}  # once, not while drawing examples


@st.composite
def near_transition(draw: st.DrawFn) -> tuple[ZoneInfo, datetime]:
    """A zone, and two local instants within three hours of one of its transitions."""
    name = draw(st.sampled_from(ZONES))
    edge = draw(st.sampled_from(TRANSITIONS[name]))
    zone = ZoneInfo(name)
    seconds = st.integers(min_value=-3 * 3600, max_value=3 * 3600)
    return zone, (edge + timedelta(seconds=draw(seconds))).astimezone(zone)


@given(near_transition(), near_transition())
def test_helpers_agree_with_utc(a: tuple[ZoneInfo, datetime], b: tuple[ZoneInfo, datetime]) -> None:
    zone, first = a
    second = b[1].astimezone(zone)  # the same zone: where wall-clock comparison goes wrong
    assert before(first, second) == (first.astimezone(UTC) < second.astimezone(UTC))
    assert at_or_before(first, second) == (first.astimezone(UTC) <= second.astimezone(UTC))
    assert utc(first).tzinfo is UTC
    assert in_range(first)


@settings(max_examples=300)
@given(near_transition(), st.integers(min_value=1, max_value=4 * 60))
def test_focus_ends_at_its_instant_not_its_wall_time(
    start: tuple[ZoneInfo, datetime], minutes: int
) -> None:
    zone, now = start
    state = focus.start_focus(AppState(), now, focus.after(now, minutes))
    until = state.focus_until
    assert until is not None
    assert until.astimezone(UTC) - now.astimezone(UTC) == timedelta(minutes=minutes)
    for probe_minutes in (minutes - 1, minutes, minutes + 1):
        probe = focus.after(now, probe_minutes)  # same zone, maybe the other side of a fold
        synced = focus.sync(state, probe, NO_BLOCKS, zone)
        assert (synced.mode is Mode.FOCUSING) == (probe_minutes < minutes), (now, probe, until)


@settings(max_examples=300)
@given(near_transition(), st.integers(min_value=1, max_value=4 * 60))
def test_a_snooze_ends_at_its_instant(start: tuple[ZoneInfo, datetime], minutes: int) -> None:
    _zone, now = start
    state = focus.snooze_signoff(AppState(), now, minutes)
    for probe_minutes in (minutes - 1, minutes):
        probe = focus.after(now, probe_minutes)
        over = snooze_over(state, probe)
        assert (over is not None) == (probe_minutes >= minutes)
        assert nudge_for([], state, probe) is None


@settings(max_examples=300)
@given(near_transition(), st.integers(min_value=1, max_value=180), st.integers(-200, 200))
def test_an_interval_contains_by_instant(
    start: tuple[ZoneInfo, datetime], length: int, probe_minutes: int
) -> None:
    _zone, first = start
    interval = Interval(first, focus.after(first, length))
    probe = focus.after(first, probe_minutes)
    assert interval.contains(probe) == (0 <= probe_minutes < length)
    assert interval.duration == timedelta(minutes=length)
