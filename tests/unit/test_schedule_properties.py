"""Properties of the weekly plan for any settings, zone and ``now`` (including DST changes)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from boundaries.core.schedule import (
    KIND_ORDER,
    EventKind,
    ScheduleEvent,
    current_focus_block,
    day_plan,
    events_after,
    is_workday,
    next_event,
    wall_to_instant,
)
from boundaries.core.settings import FocusBlock, FocusSettings, Settings, WorkdaySettings
from boundaries.core.timeparse import WEEKDAYS

# DST north and south, at 02:00, at midnight (Havana, Santiago), half-hour shifts (Lord Howe),
# half- and quarter-hour offsets (St John's, Adelaide, Kolkata, Kathmandu, Chatham) and none.
ZONES = [
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/St_Johns",
    "America/Havana",
    "America/Santiago",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "UTC",
]
# Clock changes in 2026 of the zones above; `now` is often placed a few days before one.
TRANSITIONS = [
    date(2026, 3, 8),
    date(2026, 3, 29),
    date(2026, 4, 5),
    date(2026, 9, 6),
    date(2026, 9, 27),
    date(2026, 10, 4),
    date(2026, 10, 25),
    date(2026, 11, 1),
]
EVENTS = 60
SIGNOFF_KINDS = {EventKind.WORKDAY_START, EventKind.HEADS_UP, EventKind.SIGNOFF}

zones = st.sampled_from(ZONES).map(ZoneInfo)
# Times near the small hours hit DST gaps and folds more often.
minutes_of_day = st.one_of(
    st.integers(0, 24 * 60 - 1),
    st.sampled_from([0, 30, 60, 90, 120, 135, 150, 165, 180, 210, 23 * 60, 23 * 60 + 30]),
)
weekday_sets = st.sets(st.sampled_from(WEEKDAYS)).map(
    lambda days: tuple(d for d in WEEKDAYS if d in days)
)


def as_time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@st.composite
def workdays(draw: st.DrawFn) -> WorkdaySettings:
    start = draw(st.integers(0, 24 * 60 - 2))
    later = st.integers(start + 1, 24 * 60 - 1)
    overrides = draw(st.dictionaries(st.sampled_from(WEEKDAYS), later, max_size=3))
    return WorkdaySettings(
        days=draw(weekday_sets),
        start=as_time(start),
        signoff=as_time(draw(later)),
        signoff_by_day={day: as_time(m) for day, m in overrides.items()},
        heads_up_minutes=draw(st.one_of(st.sampled_from([0, 15]), st.integers(0, 24 * 60))),
        escalate_after_minutes=tuple(sorted(draw(st.sets(st.integers(1, 24 * 60), max_size=3)))),
    )


@st.composite
def blocks(draw: st.DrawFn) -> FocusBlock:
    start, end = draw(minutes_of_day), draw(minutes_of_day)
    return FocusBlock(draw(weekday_sets), as_time(start), as_time(end))


schedules = st.builds(
    lambda w, b: Settings(workday=w, focus=FocusSettings(blocks=tuple(b))),
    workdays(),
    st.lists(blocks(), max_size=4),
)


@st.composite
def instants(draw: st.DrawFn, tz: ZoneInfo) -> datetime:
    """An aware `now` in some zone, often a few days before a clock change."""
    near = draw(st.booleans())
    if near:
        base = datetime.combine(draw(st.sampled_from(TRANSITIONS)), time(0), tzinfo=UTC)
        moment = base + timedelta(minutes=draw(st.integers(-6 * 24 * 60, 24 * 60)))
    else:
        moment = draw(
            st.datetimes(datetime(2020, 1, 1), datetime(2035, 1, 1), timezones=st.just(UTC))
        )
    return moment.astimezone(draw(st.sampled_from([tz, UTC, ZoneInfo("Asia/Tokyo")])))


@st.composite
def cases(draw: st.DrawFn) -> tuple[Settings, ZoneInfo, datetime]:
    tz = draw(zones)
    return draw(schedules), tz, draw(instants(tz))


def in_utc(value: datetime) -> datetime:
    """Compare and add in UTC: on one zone, Python compares and adds wall clocks, not instants."""
    return value.astimezone(UTC)


def canon(event: ScheduleEvent) -> tuple[Any, ...]:
    """An event compared by real instants (datetime == is unreliable inside DST folds)."""
    block = (in_utc(event.block.start), in_utc(event.block.end)) if event.block else None
    return (event.kind, in_utc(event.at), block, event.level, event.minutes_after)


def first_events(s: Settings, now: datetime, tz: ZoneInfo) -> list[ScheduleEvent]:
    return list(itertools.islice(events_after(s, now, tz), EVENTS))


def near_days(instant: datetime, tz: ZoneInfo, before: int, after: int) -> list[date]:
    local = instant.astimezone(tz).date()
    return [local + timedelta(days=n) for n in range(-before, after + 1)]


def is_signoff_of_a_workday(s: Settings, instant: datetime, tz: ZoneInfo) -> bool:
    return any(
        is_workday(s, d)
        and in_utc(wall_to_instant(d, s.workday.signoff_on(WEEKDAYS[d.weekday()]), tz))
        == in_utc(instant)
        for d in near_days(instant, tz, 2, 2)
    )


def starts_a_configured_block(s: Settings, instant: datetime, tz: ZoneInfo) -> bool:
    return any(
        WEEKDAYS[d.weekday()] in b.days
        and in_utc(wall_to_instant(d, b.start, tz)) == in_utc(instant)
        for b in s.focus.blocks
        for d in near_days(instant, tz, 1, 1)
    )


def ends_a_configured_block(s: Settings, instant: datetime, tz: ZoneInfo) -> bool:
    for b in s.focus.blocks:
        overnight = timedelta(days=1 if b.end <= b.start else 0)
        for d in near_days(instant, tz, 2, 1):
            if WEEKDAYS[d.weekday()] in b.days and in_utc(
                wall_to_instant(d + overnight, b.end, tz)
            ) == in_utc(instant):
                return True
    return False


PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(cases())
def test_events_strictly_increase_after_now_in_the_users_zone(
    case: tuple[Settings, ZoneInfo, datetime],
) -> None:
    s, tz, now = case
    events = first_events(s, now, tz)
    assert all(e.at.tzinfo is tz for e in events)
    assert all(in_utc(e.at) > in_utc(now) for e in events)
    keys = [(in_utc(e.at), KIND_ORDER[e.kind]) for e in events]
    assert all(a < b for a, b in itertools.pairwise(keys))
    first = next_event(s, now, tz)
    assert (canon(first) if first else None) == (canon(events[0]) if events else None)


@PROPERTY
@given(cases())
def test_signoff_events_belong_to_a_workday(case: tuple[Settings, ZoneInfo, datetime]) -> None:
    s, tz, now = case
    w = s.workday
    for e in first_events(s, now, tz):
        if e.kind is EventKind.WORKDAY_START:
            assert any(
                is_workday(s, d) and in_utc(wall_to_instant(d, w.start, tz)) == in_utc(e.at)
                for d in near_days(e.at, tz, 1, 0)
            )
        elif e.kind is EventKind.SIGNOFF:
            assert is_signoff_of_a_workday(s, e.at, tz)
        elif e.kind is EventKind.HEADS_UP:
            assert w.heads_up_minutes > 0
            assert is_signoff_of_a_workday(
                s, in_utc(e.at) + timedelta(minutes=w.heads_up_minutes), tz
            )
        elif e.kind is EventKind.ESCALATION:
            assert w.escalate_after_minutes[e.level - 1] == e.minutes_after
            assert is_signoff_of_a_workday(s, in_utc(e.at) - timedelta(minutes=e.minutes_after), tz)
    if not w.days:
        assert not any(e.kind in SIGNOFF_KINDS for e in first_events(s, now, tz))


@PROPERTY
@given(cases())
def test_focus_events_are_configured_walls_of_merged_blocks(
    case: tuple[Settings, ZoneInfo, datetime],
) -> None:
    s, tz, now = case
    focus = [
        e
        for e in first_events(s, now, tz)
        if e.kind in (EventKind.FOCUS_START, EventKind.FOCUS_END)
    ]
    current = current_focus_block(s, now, tz)
    if focus:
        # a block in progress at `now` shows only its end; otherwise a block starts first
        assert (focus[0].kind is EventKind.FOCUS_END) == (current is not None)
    previous_end: datetime | None = None
    for e in focus:
        assert e.block is not None
        start, end = in_utc(e.block.start), in_utc(e.block.end)
        assert start < end
        assert starts_a_configured_block(s, start, tz)
        assert ends_a_configured_block(s, end, tz)
        if e.kind is EventKind.FOCUS_START:
            assert in_utc(e.at) == start
            if previous_end is not None:
                assert start > previous_end  # touching blocks would have merged
        else:
            assert in_utc(e.at) == end
            previous_end = end
    starts_and_ends = [e.kind for e in focus]
    if starts_and_ends and starts_and_ends[0] is EventKind.FOCUS_END:
        starts_and_ends = starts_and_ends[1:]
    assert starts_and_ends[0::2] == [EventKind.FOCUS_START] * len(starts_and_ends[0::2])
    assert starts_and_ends[1::2] == [EventKind.FOCUS_END] * len(starts_and_ends[1::2])


@PROPERTY
@given(cases(), st.integers(0, EVENTS - 1), st.integers(0, 59))
def test_asking_again_later_gives_the_rest_of_the_same_plan(
    case: tuple[Settings, ZoneInfo, datetime], pick: int, seconds: int
) -> None:
    """Re-planning after any event (as the app does on each firing) changes nothing ahead."""
    s, tz, now = case
    events = first_events(s, now, tz)
    if not events:
        return
    later = in_utc(events[pick % len(events)].at) + timedelta(seconds=seconds)
    expected = [canon(e) for e in events if in_utc(e.at) > in_utc(later)]
    again = [canon(e) for e in itertools.islice(events_after(s, later, tz), len(expected))]
    assert again == expected


@PROPERTY
@given(cases())
def test_in_progress_block_is_the_current_one(case: tuple[Settings, ZoneInfo, datetime]) -> None:
    s, tz, now = case
    start = next((e for e in first_events(s, now, tz) if e.kind is EventKind.FOCUS_START), None)
    if start is None or start.block is None:
        return
    inside = in_utc(start.at) + (in_utc(start.block.end) - in_utc(start.at)) / 2
    current = current_focus_block(s, inside, tz)
    assert current is not None
    assert (in_utc(current.start), in_utc(current.end)) == (
        in_utc(start.block.start),
        in_utc(start.block.end),
    )
    first = next_event(s, inside, tz)
    assert first is not None and first.kind is not EventKind.FOCUS_START
    focus_next = next(
        e
        for e in events_after(s, inside, tz)
        if e.kind in (EventKind.FOCUS_START, EventKind.FOCUS_END)
    )
    assert focus_next.kind is EventKind.FOCUS_END
    assert in_utc(focus_next.at) == in_utc(start.block.end)


@PROPERTY
@given(zones, st.sampled_from(TRANSITIONS), st.integers(-1, 1), minutes_of_day)
def test_wall_to_instant_keeps_the_wall_time_or_skips_the_gap(
    tz: ZoneInfo, transition: date, shift: int, minutes: int
) -> None:
    day = transition + timedelta(days=shift)
    wall = datetime.combine(day, as_time(minutes))
    got = wall_to_instant(day, as_time(minutes), tz)
    assert got.tzinfo is tz
    if got.replace(tzinfo=None) == wall:
        assert got.fold == 0  # the first of two occurrences
    else:
        # a wall time that never happened: the answer is the first instant after the gap
        assert got.replace(tzinfo=None) > wall
        just_before = (in_utc(got) - timedelta(seconds=1)).astimezone(tz)
        assert just_before.replace(tzinfo=None) < wall


@PROPERTY
@given(cases())
def test_day_plan_blocks_overlap_their_day_and_match_the_events(
    case: tuple[Settings, ZoneInfo, datetime],
) -> None:
    s, tz, now = case
    day = now.astimezone(tz).date()
    plan = day_plan(s, day, tz)
    midnight = in_utc(wall_to_instant(day, time(0), tz))
    next_midnight = in_utc(wall_to_instant(day + timedelta(days=1), time(0), tz))
    for b in plan.focus_blocks:
        assert in_utc(b.start) < next_midnight and in_utc(b.end) > midnight
    assert plan.is_workday == is_workday(s, day)
    assert (plan.signoff is None) == (not plan.is_workday)
    # every start of a block in the plan that is still ahead appears as an event
    ahead = {in_utc(b.start) for b in plan.focus_blocks if in_utc(b.start) > in_utc(now)}
    starts = {
        in_utc(e.at)
        for e in itertools.takewhile(
            lambda e: in_utc(e.at) < next_midnight, events_after(s, now, tz)
        )
        if e.kind is EventKind.FOCUS_START
    }
    assert ahead == starts


@settings(max_examples=50, deadline=None)
@given(zones, st.lists(blocks(), max_size=3), st.data())
def test_nothing_planned_ends_the_stream(
    tz: ZoneInfo, some_blocks: list[FocusBlock], data: st.DataObject
) -> None:
    never = tuple(FocusBlock((), b.start, b.end) for b in some_blocks)
    s = Settings(workday=WorkdaySettings(days=()), focus=FocusSettings(blocks=never))
    now = data.draw(instants(tz))
    assert list(events_after(s, now, tz)) == []
