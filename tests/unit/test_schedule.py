"""The weekly plan as a user lives it: what happens when, in their zone, across DST changes."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from boundaries.core.interval import Interval
from boundaries.core.schedule import (
    EventKind,
    ScheduleEvent,
    current_focus_block,
    day_plan,
    events_after,
    focus_intervals,
    is_workday,
    next_event,
    next_workday_start,
    wall_to_instant,
)
from boundaries.core.settings import (
    DEFAULT_FOCUS_BLOCKS,
    FocusBlock,
    FocusSettings,
    Settings,
    WorkdaySettings,
)

BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

K = EventKind


def settings(
    *blocks: FocusBlock,
    days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri"),
    start: time = time(9, 0),
    signoff: time = time(17, 30),
    by_day: dict[str, time] | None = None,
    heads_up: int = 15,
    escalate: tuple[int, ...] = (30, 60),
) -> Settings:
    return Settings(
        workday=WorkdaySettings(
            days=days,
            start=start,
            signoff=signoff,
            signoff_by_day=by_day or {},
            heads_up_minutes=heads_up,
            escalate_after_minutes=escalate,
        ),
        focus=FocusSettings(blocks=blocks),
    )


def block(days: str | tuple[str, ...], start: str, end: str) -> FocusBlock:
    days = (days,) if isinstance(days, str) else days
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return FocusBlock(days, time(h1, m1), time(h2, m2))


def until(events: Iterable[ScheduleEvent], stop: datetime) -> list[ScheduleEvent]:
    """The events before ``stop`` (compared in UTC: same-zone comparisons ignore DST folds)."""
    stop_utc = stop.astimezone(UTC)
    return list(itertools.takewhile(lambda e: e.at.astimezone(UTC) < stop_utc, events))


def show(events: list[ScheduleEvent]) -> list[str]:
    """Events as a person reads them: kind and local wall time."""
    return [f"{e.kind} {e.at:%a %H:%M}" for e in events]


def in_utc(value: datetime | None) -> datetime | None:
    """Compare instants via UTC: Python never finds a datetime inside a DST fold equal to
    one in another zone (PEP 495), even when both mean the same instant."""
    return None if value is None else value.astimezone(UTC)


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --------------------------------------------------------------------------- a normal week


def test_default_week_with_early_friday() -> None:
    s = Settings(workday=WorkdaySettings(signoff_by_day={"fri": time(16, 0)}))
    sunday_noon = datetime(2026, 6, 7, 12, 0, tzinfo=BERLIN)
    next_monday = datetime(2026, 6, 15, 0, 0, tzinfo=BERLIN)
    got = show(until(events_after(s, sunday_noon, BERLIN), next_monday))

    def ordinary(day: str) -> list[str]:
        return [
            f"workday_start {day} 09:00",
            f"focus_start {day} 09:00",
            f"focus_end {day} 11:00",
            f"focus_start {day} 14:00",
            f"focus_end {day} 16:00",
            f"heads_up {day} 17:15",
            f"signoff {day} 17:30",
            f"escalation {day} 18:00",
            f"escalation {day} 18:30",
        ]

    friday = [
        "workday_start Fri 09:00",
        "focus_start Fri 09:00",
        "focus_end Fri 11:00",
        "focus_start Fri 14:00",
        "heads_up Fri 15:45",
        "focus_end Fri 16:00",  # the block ends before the sign-off at the same minute
        "signoff Fri 16:00",
        "escalation Fri 16:30",
        "escalation Fri 17:00",
    ]
    assert got == [*ordinary("Mon"), *ordinary("Tue"), *ordinary("Wed"), *ordinary("Thu"), *friday]


def test_escalations_say_how_late_it_is() -> None:
    s = settings(escalate=(30, 90))
    monday = datetime(2026, 6, 8, 17, 31, tzinfo=BERLIN)
    escalations = until(events_after(s, monday, BERLIN), monday + timedelta(hours=3))
    assert [(e.kind, e.level, e.minutes_after, f"{e.at:%H:%M}") for e in escalations] == [
        (K.ESCALATION, 1, 30, "18:00"),
        (K.ESCALATION, 2, 90, "19:00"),
    ]


def test_no_heads_up_when_turned_off() -> None:
    s = settings(heads_up=0)
    monday = datetime(2026, 6, 8, 12, 0, tzinfo=BERLIN)
    kinds = [e.kind for e in until(events_after(s, monday, BERLIN), monday + timedelta(hours=12))]
    assert kinds == [K.SIGNOFF, K.ESCALATION, K.ESCALATION]


def test_day_plan_for_status() -> None:
    s = Settings(workday=WorkdaySettings(signoff_by_day={"fri": time(16, 0)}))
    friday = day_plan(s, date(2026, 6, 12), BERLIN)
    assert friday.is_workday
    assert friday.workday_start == datetime(2026, 6, 12, 9, 0, tzinfo=BERLIN)
    assert friday.signoff == datetime(2026, 6, 12, 16, 0, tzinfo=BERLIN)
    assert friday.heads_up == datetime(2026, 6, 12, 15, 45, tzinfo=BERLIN)
    assert friday.escalations == (
        datetime(2026, 6, 12, 16, 30, tzinfo=BERLIN),
        datetime(2026, 6, 12, 17, 0, tzinfo=BERLIN),
    )
    assert [(f"{b.start:%H:%M}", f"{b.end:%H:%M}") for b in friday.focus_blocks] == [
        ("09:00", "11:00"),
        ("14:00", "16:00"),
    ]
    saturday = day_plan(s, date(2026, 6, 13), BERLIN)
    assert not saturday.is_workday
    assert (saturday.workday_start, saturday.signoff, saturday.heads_up) == (None, None, None)
    assert saturday.escalations == ()
    assert saturday.focus_blocks == ()


def test_focus_blocks_follow_their_own_days_not_workdays() -> None:
    s = settings(block("sat", "10:00", "12:00"))
    friday_evening = datetime(2026, 6, 12, 20, 0, tzinfo=BERLIN)
    got = show(until(events_after(s, friday_evening, BERLIN), friday_evening + timedelta(days=2)))
    assert got == ["focus_start Sat 10:00", "focus_end Sat 12:00"]
    assert not is_workday(s, date(2026, 6, 13))


def test_next_workday_start_is_strictly_after() -> None:
    s = settings()
    friday_evening = datetime(2026, 6, 12, 18, 0, tzinfo=BERLIN)
    assert next_workday_start(s, friday_evening, BERLIN) == datetime(2026, 6, 15, 9, tzinfo=BERLIN)
    monday_9 = datetime(2026, 6, 15, 9, 0, tzinfo=BERLIN)
    assert next_workday_start(s, monday_9 - timedelta(minutes=1), BERLIN) == monday_9
    assert next_workday_start(s, monday_9, BERLIN) == monday_9 + timedelta(days=1)
    # asked from another zone, answered in the user's
    answer = next_workday_start(s, friday_evening.astimezone(NEW_YORK), BERLIN)
    assert answer is not None and answer.tzinfo is BERLIN


# --------------------------------------------------------------------------- merging blocks


def test_overlapping_and_adjacent_blocks_merge_across_entries() -> None:
    s = settings(
        block("mon", "09:00", "10:00"),
        block("mon", "10:00", "11:00"),  # touches the first
        block("mon", "10:30", "12:00"),  # overlaps the second
        block("mon", "14:00", "15:00"),  # separate
    )
    monday = datetime(2026, 6, 8, 0, 0, tzinfo=BERLIN)
    day = until(events_after(s, monday, BERLIN), monday + timedelta(days=1))
    focus = [e for e in day if e.kind in (K.FOCUS_START, K.FOCUS_END)]
    assert show(focus) == [
        "focus_start Mon 09:00",
        "focus_end Mon 12:00",
        "focus_start Mon 14:00",
        "focus_end Mon 15:00",
    ]
    merged = Interval(
        datetime(2026, 6, 8, 9, 0, tzinfo=BERLIN), datetime(2026, 6, 8, 12, 0, tzinfo=BERLIN)
    )
    assert focus[0].block == focus[1].block == merged
    assert day_plan(s, monday.date(), BERLIN).focus_blocks[0] == merged


def test_block_across_midnight_belongs_to_the_day_it_starts() -> None:
    s = settings(block("fri", "22:00", "02:00"), days=())
    thursday = datetime(2026, 6, 11, 12, 0, tzinfo=BERLIN)
    got = show(until(events_after(s, thursday, BERLIN), thursday + timedelta(days=3)))
    assert got == ["focus_start Fri 22:00", "focus_end Sat 02:00"]
    # Saturday's plan shows the part of Friday's block that runs into it; Thursday has none.
    saturday = day_plan(s, date(2026, 6, 13), BERLIN)
    assert [(f"{b.start:%a %H:%M}", f"{b.end:%a %H:%M}") for b in saturday.focus_blocks] == [
        ("Fri 22:00", "Sat 02:00")
    ]
    assert day_plan(s, date(2026, 6, 11), BERLIN).focus_blocks == ()


def test_blocks_merge_across_midnight() -> None:
    s = settings(block("fri", "22:00", "02:00"), block("sat", "01:00", "03:00"), days=())
    thursday = datetime(2026, 6, 11, 12, 0, tzinfo=BERLIN)
    got = show(until(events_after(s, thursday, BERLIN), thursday + timedelta(days=3)))
    assert got == ["focus_start Fri 22:00", "focus_end Sat 03:00"]
    saturday_1am = datetime(2026, 6, 13, 1, 0, tzinfo=BERLIN)
    current = current_focus_block(s, saturday_1am, BERLIN)
    assert current == Interval(
        datetime(2026, 6, 12, 22, tzinfo=BERLIN), saturday_1am.replace(hour=3)
    )


def test_blocks_chained_over_several_days_are_one_block() -> None:
    # Sat 20:00 -> Mon 08:00 through two overnight entries and a whole Sunday
    s = settings(
        block("sat", "20:00", "00:00"),
        block("sun", "00:00", "00:00"),  # end == start: runs a full day
        block("mon", "00:00", "08:00"),
        days=(),
    )
    friday = datetime(2026, 6, 12, 12, 0, tzinfo=BERLIN)
    got = show(until(events_after(s, friday, BERLIN), friday + timedelta(days=4)))
    assert got == ["focus_start Sat 20:00", "focus_end Mon 08:00"]


def test_focus_intervals_are_whole_blocks_overlapping_the_window() -> None:
    s = settings(*DEFAULT_FOCUS_BLOCKS)
    window_start = datetime(2026, 6, 8, 10, 0, tzinfo=BERLIN)
    got = focus_intervals(s, window_start, window_start + timedelta(hours=5), BERLIN)
    assert [(f"{b.start:%H:%M}", f"{b.end:%H:%M}") for b in got] == [
        ("09:00", "11:00"),
        ("14:00", "16:00"),
    ]


def test_every_block_ends_whatever_day_we_ask_from() -> None:
    # Blocks ending at midnight once went missing when `now` fell on certain weekdays.
    s = settings(block("mon", "22:00", "00:00"), block("wed", "00:00", "00:00"), days=())
    for hours in range(0, 8 * 24, 5):
        now = datetime(2026, 6, 1, 0, 0, tzinfo=BERLIN) + timedelta(hours=hours)
        got = until(events_after(s, now, BERLIN), now + timedelta(days=21))
        kinds = [e.kind for e in got]
        if kinds[0] is K.FOCUS_END:
            kinds = kinds[1:]
        if kinds[-1] is K.FOCUS_START:  # cut off by the 21 days
            kinds = kinds[:-1]
        assert kinds == [K.FOCUS_START, K.FOCUS_END] * (len(kinds) // 2), now
        assert len(kinds) >= 8


# --------------------------------------------------------------------------- now in a block


def test_block_in_progress_yields_only_its_end() -> None:
    s = settings(*DEFAULT_FOCUS_BLOCKS)
    ten = datetime(2026, 6, 8, 10, 0, tzinfo=BERLIN)
    first = next_event(s, ten, BERLIN)
    assert first is not None
    assert (first.kind, f"{first.at:%H:%M}") == (K.FOCUS_END, "11:00")
    assert first.block is not None and f"{first.block.start:%H:%M}" == "09:00"
    assert current_focus_block(s, ten, BERLIN) == first.block


def test_events_are_strictly_after_now() -> None:
    s = settings(*DEFAULT_FOCUS_BLOCKS)
    nine = datetime(2026, 6, 8, 9, 0, tzinfo=BERLIN)  # workday and block start right now
    assert show(until(events_after(s, nine, BERLIN), nine.replace(hour=12))) == [
        "focus_end Mon 11:00"
    ]
    eleven = nine.replace(hour=11)
    assert current_focus_block(s, eleven, BERLIN) is None  # blocks are half-open
    nxt = next_event(s, eleven, BERLIN)
    assert nxt is not None and show([nxt]) == ["focus_start Mon 14:00"]


def test_block_across_midnight_in_progress_after_midnight() -> None:
    s = settings(block("fri", "22:00", "02:00"), days=())
    saturday_1am = datetime(2026, 6, 13, 1, 0, tzinfo=BERLIN)
    first = next_event(s, saturday_1am, BERLIN)
    assert first is not None and show([first]) == ["focus_end Sat 02:00"]


def test_now_in_another_zone_gives_events_in_the_users_zone() -> None:
    s = settings(*DEFAULT_FOCUS_BLOCKS)
    now = datetime(2026, 6, 8, 4, 0, tzinfo=NEW_YORK)  # 10:00 in Berlin
    first = next_event(s, now, BERLIN)
    assert first is not None
    assert first.at.tzinfo is BERLIN and show([first]) == ["focus_end Mon 11:00"]


# --------------------------------------------------------------------------- nothing planned


def test_settings_with_nothing_planned_terminate() -> None:
    s = settings(days=())
    now = datetime(2026, 6, 8, 12, 0, tzinfo=BERLIN)
    assert list(events_after(s, now, BERLIN)) == []
    assert next_event(s, now, BERLIN) is None
    assert next_workday_start(s, now, BERLIN) is None
    blocks_on_no_day = settings(FocusBlock((), time(9), time(10)), days=())
    assert list(events_after(blocks_on_no_day, now, BERLIN)) == []


def test_focus_around_the_clock_has_no_start_or_end_and_terminates() -> None:
    s = settings(block(EVERY_DAY, "00:00", "00:00"), days=())
    now = datetime(2026, 6, 8, 12, 0, tzinfo=BERLIN)
    assert list(events_after(s, now, BERLIN)) == []
    current = current_focus_block(s, now, BERLIN)
    assert current is not None and current.start < now < current.end


def test_naive_now_is_a_bug() -> None:
    naive = datetime(2026, 6, 8, 12, 0)
    with pytest.raises(ValueError, match="aware"):
        next_event(settings(), naive, BERLIN)
    with pytest.raises(ValueError, match="aware"):
        events_after(settings(), naive, BERLIN)
    with pytest.raises(ValueError, match="aware"):
        current_focus_block(settings(), naive, BERLIN)
    with pytest.raises(ValueError, match="aware"):
        next_workday_start(settings(), naive, BERLIN)
    with pytest.raises(ValueError, match="aware"):
        focus_intervals(settings(), naive, naive, BERLIN)


def test_two_days_escalations_on_the_same_minute_are_one_event() -> None:
    # Mon signs off 23:30 (+60 -> Tue 00:30); Tue signs off 00:20 (+10 -> Tue 00:30).
    s = settings(
        start=time(0, 0), signoff=time(23, 30), by_day={"tue": time(0, 20)}, escalate=(10, 60)
    )
    monday = datetime(2026, 6, 8, 23, 0, tzinfo=BERLIN)
    got = until(events_after(s, monday, BERLIN), monday + timedelta(hours=3))
    at_0030 = [e for e in got if f"{e.at:%a %H:%M}" == "Tue 00:30"]
    assert [(e.kind, e.minutes_after) for e in at_0030] == [(K.ESCALATION, 10)]


# --------------------------------------------------------------------------- DST in Berlin
# 2026-03-29 (a Sunday): 02:00 CET -> 03:00 CEST. 2026-10-25 (a Sunday): 03:00 CEST -> 02:00 CET.

SPRING = date(2026, 3, 29)
AUTUMN = date(2026, 10, 25)


def test_wall_time_in_the_gap_moves_to_the_end_of_the_gap() -> None:
    got = wall_to_instant(SPRING, time(2, 30), BERLIN)
    assert got == utc(2026, 3, 29, 1, 0)
    assert (got.tzinfo, f"{got:%H:%M %Z}") == (BERLIN, "03:00 CEST")
    assert wall_to_instant(SPRING, time(2, 0), BERLIN) == utc(2026, 3, 29, 1, 0)
    assert wall_to_instant(SPRING, time(1, 59), BERLIN) == utc(2026, 3, 29, 0, 59)
    assert wall_to_instant(SPRING, time(3, 0), BERLIN) == utc(2026, 3, 29, 1, 0)


def test_wall_time_in_the_fold_is_its_first_occurrence() -> None:
    got = wall_to_instant(AUTUMN, time(2, 30), BERLIN)
    assert in_utc(got) == utc(2026, 10, 25, 0, 30)
    assert f"{got:%H:%M %Z}" == "02:30 CEST"
    assert wall_to_instant(AUTUMN, time(2, 30, fold=1), BERLIN) == got  # fold is ours to choose


def test_block_over_the_spring_gap_lasts_real_time() -> None:
    s = settings(block("sun", "01:00", "04:00"), days=())
    (b,) = day_plan(s, SPRING, BERLIN).focus_blocks
    assert b.end.astimezone(UTC) - b.start.astimezone(UTC) == timedelta(hours=2)
    assert (f"{b.start:%H:%M %Z}", f"{b.end:%H:%M %Z}") == ("01:00 CET", "04:00 CEST")


def test_block_inside_the_spring_gap_never_happens() -> None:
    s = settings(block("sun", "02:10", "02:50"), days=())
    assert day_plan(s, SPRING, BERLIN).focus_blocks == ()
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN)
    got = until(events_after(s, saturday, BERLIN), saturday + timedelta(days=2))
    assert got == []
    # the next Sunday it is back
    (b,) = day_plan(s, SPRING + timedelta(days=7), BERLIN).focus_blocks
    assert b.end.astimezone(UTC) - b.start.astimezone(UTC) == timedelta(minutes=40)


def test_block_starting_in_the_gap_starts_when_the_gap_ends() -> None:
    s = settings(block("sun", "02:30", "04:00"), days=())
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN)
    got = until(events_after(s, saturday, BERLIN), saturday + timedelta(days=1))
    assert [(e.kind, f"{e.at:%H:%M %Z}") for e in got] == [
        (K.FOCUS_START, "03:00 CEST"),
        (K.FOCUS_END, "04:00 CEST"),
    ]


def test_signoff_in_the_spring_gap() -> None:
    s = settings(days=("sun",), start=time(0, 0), signoff=time(2, 30), escalate=(30,))
    plan = day_plan(s, SPRING, BERLIN)
    assert plan.signoff == utc(2026, 3, 29, 1, 0)  # 03:00 CEST
    # nudges are real minutes from the sign-off instant
    assert plan.heads_up == utc(2026, 3, 29, 0, 45)
    assert f"{plan.heads_up:%H:%M %Z}" == "01:45 CET"
    assert plan.escalations == (utc(2026, 3, 29, 1, 30),)


def test_block_over_the_fold_lasts_real_time() -> None:
    s = settings(block("sun", "02:00", "03:00"), days=())
    (b,) = day_plan(s, AUTUMN, BERLIN).focus_blocks
    assert in_utc(b.start) == utc(2026, 10, 25, 0, 0)  # the first 02:00 (CEST)
    assert in_utc(b.end) == utc(2026, 10, 25, 2, 0)  # 03:00 CET
    assert b.end.astimezone(UTC) - b.start.astimezone(UTC) == timedelta(hours=2)


def test_signoff_in_the_fold_and_events_in_real_order() -> None:
    # Sign-off at the first 02:45; its escalation 30 real minutes later is the second 02:15.
    # A block starting at the first 02:30 comes between them though its wall time sorts after.
    s = settings(
        block("sun", "02:30", "04:00"),
        days=("sun",),
        start=time(0, 0),
        signoff=time(2, 45),
        heads_up=0,
        escalate=(30,),
    )
    saturday = datetime(2026, 10, 24, 12, 0, tzinfo=BERLIN)
    got = until(events_after(s, saturday, BERLIN), saturday + timedelta(days=1))
    assert [(e.kind, f"{e.at:%H:%M %Z}") for e in got] == [
        (K.WORKDAY_START, "00:00 CEST"),
        (K.FOCUS_START, "02:30 CEST"),
        (K.SIGNOFF, "02:45 CEST"),
        (K.ESCALATION, "02:15 CET"),
        (K.FOCUS_END, "04:00 CET"),
    ]
    escalation = got[3]
    assert in_utc(escalation.at) == utc(2026, 10, 25, 1, 15) and escalation.at.fold == 1


def test_day_plan_on_dst_days_is_the_local_day() -> None:
    s = settings(block("sun", "23:00", "01:00"), days=())
    # the Sunday 23:00 block starts inside both 23- and 25-hour days
    for day in (SPRING, AUTUMN):
        (b,) = day_plan(s, day, BERLIN).focus_blocks
        assert b.start.date() == day and f"{b.start:%H:%M}" == "23:00"


# --------------------------------------------------------------------------- two zones, two dates
# The US changes clocks on 2026-03-08 and 2026-11-01, the UK on 2026-03-29 and 2026-10-25.


@pytest.mark.parametrize(
    ("zone", "monday", "expected_utc"),
    [
        (NEW_YORK, date(2026, 3, 2), utc(2026, 3, 2, 22, 30)),  # EST
        (LONDON, date(2026, 3, 2), utc(2026, 3, 2, 17, 30)),  # GMT
        (NEW_YORK, date(2026, 3, 9), utc(2026, 3, 9, 21, 30)),  # EDT since Sunday
        (LONDON, date(2026, 3, 9), utc(2026, 3, 9, 17, 30)),  # still GMT: only 4 h apart
        (NEW_YORK, date(2026, 3, 30), utc(2026, 3, 30, 21, 30)),
        (LONDON, date(2026, 3, 30), utc(2026, 3, 30, 16, 30)),  # BST since Sunday
        (LONDON, date(2026, 10, 26), utc(2026, 10, 26, 17, 30)),  # GMT since Sunday
        (NEW_YORK, date(2026, 10, 26), utc(2026, 10, 26, 21, 30)),  # still EDT
        (NEW_YORK, date(2026, 11, 2), utc(2026, 11, 2, 22, 30)),  # EST since Sunday
    ],
)
def test_signoff_is_half_past_five_local_whatever_the_other_zone_did(
    zone: ZoneInfo, monday: date, expected_utc: datetime
) -> None:
    s = settings()
    plan = day_plan(s, monday, zone)
    assert plan.signoff == expected_utc
    assert plan.signoff is not None and f"{plan.signoff:%H:%M}" == "17:30"
    # and the event stream, asked at the start of that Monday in UTC, agrees
    midnight = wall_to_instant(monday, time(0), zone).astimezone(UTC)
    signoff = next(e for e in events_after(s, midnight, zone) if e.kind is K.SIGNOFF)
    assert signoff.at == expected_utc and signoff.at.tzinfo is zone
