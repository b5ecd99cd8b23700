"""Teammates' status and the team's overlap window, including weeks when clocks change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from boundaries.core.interval import Interval
from boundaries.core.schedule import wall_to_instant as local_instant
from boundaries.core.settings import Settings, Teammate, WorkdaySettings
from boundaries.core.team import (
    Availability,
    availability,
    best_partial_windows,
    overlap_windows,
    sorted_by_offset,
    teammate_local_time,
    user_working_interval,
    working_intervals,
)

BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")

ANA = Teammate("Ana", "Europe/London")
BO = Teammate("Bo", "America/New_York")
CY = Teammate("Cy", "America/Los_Angeles", hours_start=time(7, 0), hours_end=time(15, 0))
DI = Teammate("Di", "Asia/Singapore")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


# --------------------------------------------------------------------------- availability


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (london(2026, 1, 14, 10, 0), Availability.WORKING),  # Wednesday morning
        (london(2026, 1, 14, 9, 0), Availability.WORKING),  # first minute of the day
        (london(2026, 1, 14, 17, 30), Availability.OFF),  # the end is not included
        (london(2026, 1, 14, 19, 0), Availability.OFF),
        (london(2026, 1, 14, 23, 0), Availability.ASLEEP),
        (london(2026, 1, 15, 6, 59), Availability.ASLEEP),
        (london(2026, 1, 15, 7, 0), Availability.OFF),
        (london(2026, 1, 17, 11, 0), Availability.OFF),  # Saturday
    ],
)
def test_availability_of_a_nine_to_five_teammate(at: datetime, expected: Availability) -> None:
    assert availability(ANA, at) == expected


def test_availability_is_read_in_the_teammates_zone() -> None:
    # 10:00 in Berlin is 04:00 in New York: asleep there, although Berlin is at work.
    assert availability(BO, datetime(2026, 1, 14, 10, 0, tzinfo=BERLIN)) == Availability.ASLEEP
    assert availability(BO, datetime(2026, 1, 14, 16, 0, tzinfo=BERLIN)) == Availability.WORKING


def test_a_weekend_teammate_works_saturday_and_is_off_on_monday() -> None:
    weekend = Teammate("Wes", "Europe/London", days=("sat", "sun"))
    assert availability(weekend, london(2026, 1, 17, 11, 0)) == Availability.WORKING
    assert availability(weekend, london(2026, 1, 18, 17, 0)) == Availability.WORKING
    assert availability(weekend, london(2026, 1, 19, 11, 0)) == Availability.OFF


def test_night_shift_across_midnight_belongs_to_the_day_it_starts() -> None:
    night = Teammate("Nia", "Europe/London", hours_start=time(22, 0), hours_end=time(6, 0))
    # Friday's shift runs into Saturday morning; Monday 02:00 follows a Sunday with no shift.
    assert availability(night, london(2026, 1, 16, 23, 0)) == Availability.WORKING
    assert availability(night, london(2026, 1, 17, 2, 0)) == Availability.WORKING
    assert availability(night, london(2026, 1, 17, 6, 0)) == Availability.ASLEEP
    assert availability(night, london(2026, 1, 19, 2, 0)) == Availability.ASLEEP
    assert availability(night, london(2026, 1, 17, 22, 30)) == Availability.ASLEEP  # Saturday


def test_night_shift_on_the_night_the_clocks_go_forward_is_an_hour_shorter() -> None:
    night = Teammate(
        "Nia", "Europe/London", hours_start=time(22, 0), days=("sat",), hours_end=time(6, 0)
    )
    shifts = working_intervals(night, utc(2026, 3, 28), utc(2026, 3, 30))
    assert in_utc(shifts) == [(utc(2026, 3, 28, 22), utc(2026, 3, 29, 5))]
    # Interval.duration subtracts wall times when both ends share a zone (PEP 495): use UTC.
    assert shifts[0].end.astimezone(UTC) - shifts[0].start.astimezone(UTC) == timedelta(hours=7)


def test_working_intervals_are_clipped_and_in_the_teammates_zone() -> None:
    shifts = working_intervals(ANA, utc(2026, 1, 14, 12), utc(2026, 1, 16, 0))
    assert [(s.start, s.end) for s in shifts] == [
        (utc(2026, 1, 14, 12), utc(2026, 1, 14, 17, 30)),
        (utc(2026, 1, 15, 9), utc(2026, 1, 15, 17, 30)),
    ]
    assert all(s.start.tzinfo == LONDON for s in shifts)


def test_teammate_local_time() -> None:
    local = teammate_local_time(DI, datetime(2026, 1, 16, 17, 0, tzinfo=BERLIN))
    assert (local.date(), local.time()) == (date(2026, 1, 17), time(0, 0))


# --------------------------------------------------------------------------- DST wall times


def test_a_wall_time_skipped_by_dst_becomes_the_moment_of_the_jump() -> None:
    jumped = local_instant(date(2026, 3, 29), time(2, 30), BERLIN)
    assert jumped == utc(2026, 3, 29, 1, 0)
    assert (jumped.hour, jumped.minute, jumped.tzname()) == (3, 0, "CEST")


def test_a_repeated_wall_time_is_its_first_occurrence() -> None:
    # Compared in UTC: == across zones is always False for a time in a fold (PEP 495).
    first = local_instant(date(2026, 10, 25), time(2, 30), BERLIN)
    assert (first.astimezone(UTC), first.tzname()) == (utc(2026, 10, 25, 0, 30), "CEST")


# --------------------------------------------------------------------------- overlap windows


def in_utc(windows: list[Interval]) -> list[tuple[datetime, datetime]]:
    return [(w.start.astimezone(UTC), w.end.astimezone(UTC)) for w in windows]


def test_overlap_of_berlin_london_new_york_and_san_francisco() -> None:
    settings = Settings(team=(ANA, BO, CY))
    windows = overlap_windows(settings, date(2026, 4, 15), BERLIN)
    # Berlin 07:00-15:30Z, London 08:00-16:30Z, New York 13:00-21:30Z, LA 14:00-22:00Z.
    assert in_utc(windows) == [(utc(2026, 4, 15, 14, 0), utc(2026, 4, 15, 15, 30))]
    assert windows[0].start.tzinfo == BERLIN
    assert (windows[0].start.hour, windows[0].end.hour, windows[0].end.minute) == (16, 17, 30)


def test_no_common_window_once_singapore_joins() -> None:
    settings = Settings(team=(ANA, BO, CY, DI))
    assert overlap_windows(settings, date(2026, 4, 15), BERLIN) == []


def test_best_partial_windows_name_the_largest_groups() -> None:
    settings = Settings(team=(ANA, BO, CY, DI))
    best = best_partial_windows(settings, date(2026, 4, 15), BERLIN)
    assert [(p.names, in_utc([p.window])[0]) for p in best] == [
        (("Ana", "Bo", "Cy"), (utc(2026, 4, 15, 14, 0), utc(2026, 4, 15, 15, 30))),
        (("Ana", "Bo"), (utc(2026, 4, 15, 13, 0), utc(2026, 4, 15, 15, 30))),
        (("Ana", "Di"), (utc(2026, 4, 15, 8, 0), utc(2026, 4, 15, 9, 30))),
    ]
    assert all(p.window.start.tzinfo == BERLIN for p in best)
    assert len(best_partial_windows(settings, date(2026, 4, 15), BERLIN, limit=5)) == 5


def test_a_groups_window_is_the_whole_stretch_they_are_all_at_work() -> None:
    # Berlin 07:00-15:30Z; Ana 08:00-16:30Z; Eve 09:00-11:00Z; Di 01:00-09:30Z.
    eve = Teammate("Eve", "Europe/London", hours_start=time(10, 0), hours_end=time(12, 0))
    settings = Settings(team=(ANA, eve, DI))
    best = best_partial_windows(settings, date(2026, 4, 15), BERLIN, limit=10)
    assert [(p.names, in_utc([p.window])[0]) for p in best] == [
        (("Ana", "Eve", "Di"), (utc(2026, 4, 15, 9, 0), utc(2026, 4, 15, 9, 30))),
        (("Ana", "Eve"), (utc(2026, 4, 15, 9, 0), utc(2026, 4, 15, 11, 0))),
        (("Ana", "Di"), (utc(2026, 4, 15, 8, 0), utc(2026, 4, 15, 9, 30))),
        (("Ana",), (utc(2026, 4, 15, 8, 0), utc(2026, 4, 15, 15, 30))),
        (("Di",), (utc(2026, 4, 15, 7, 0), utc(2026, 4, 15, 9, 30))),
    ]


def test_best_partial_windows_with_a_full_overlap_start_with_the_whole_team() -> None:
    settings = Settings(team=(ANA, BO))
    best = best_partial_windows(settings, date(2026, 4, 15), BERLIN)
    assert best[0].names == ("Ana", "Bo")
    assert [best[0].window] == overlap_windows(settings, date(2026, 4, 15), BERLIN)


def test_without_teammates_the_overlap_is_the_users_own_day() -> None:
    settings = Settings()
    assert in_utc(overlap_windows(settings, date(2026, 1, 14), BERLIN)) == [
        (utc(2026, 1, 14, 8, 0), utc(2026, 1, 14, 16, 30))
    ]
    assert best_partial_windows(settings, date(2026, 1, 14), BERLIN) == []


def test_no_overlap_on_the_users_day_off() -> None:
    settings = Settings(team=(ANA,))
    assert overlap_windows(settings, date(2026, 1, 17), BERLIN) == []
    assert user_working_interval(settings, date(2026, 1, 17), BERLIN) is None
    assert best_partial_windows(settings, date(2026, 1, 17), BERLIN) == []


def test_the_users_day_ends_at_that_days_signoff() -> None:
    settings = Settings(workday=WorkdaySettings(signoff_by_day={"fri": time(16, 0)}))
    friday = user_working_interval(settings, date(2026, 1, 16), BERLIN)
    thursday = user_working_interval(settings, date(2026, 1, 15), BERLIN)
    assert friday == Interval(
        datetime(2026, 1, 16, 9, tzinfo=BERLIN), datetime(2026, 1, 16, 16, tzinfo=BERLIN)
    )
    assert thursday is not None and thursday.end == datetime(2026, 1, 15, 17, 30, tzinfo=BERLIN)


WORKDAYS_BETWEEN_THE_US_AND_EU_CHANGES = [
    date(2026, 3, 9) + timedelta(days=d)
    for d in range(19)
    if (date(2026, 3, 9) + timedelta(d)).weekday() < 5
]


@pytest.mark.parametrize("day", WORKDAYS_BETWEEN_THE_US_AND_EU_CHANGES)
def test_overlap_while_only_new_york_has_changed_clocks(day: date) -> None:
    # New York is on EDT (-4), Berlin still CET (+1), London GMT: the window opens at 14:00.
    windows = overlap_windows(Settings(team=(ANA, BO)), day, BERLIN)
    assert [(w.start.time(), w.end.time()) for w in windows] == [(time(14, 0), time(17, 30))]
    assert windows[0].duration == timedelta(hours=3, minutes=30)


@pytest.mark.parametrize("day", [date(2026, 3, 4), date(2026, 3, 30), date(2026, 4, 1)])
def test_overlap_when_both_sides_agree_on_summer_or_winter_time(day: date) -> None:
    windows = overlap_windows(Settings(team=(ANA, BO)), day, BERLIN)
    assert [(w.start.time(), w.end.time()) for w in windows] == [(time(15, 0), time(17, 30))]
    assert windows[0].duration == timedelta(hours=2, minutes=30)


def test_sorted_by_offset_goes_west_to_east() -> None:
    now = utc(2026, 1, 14, 12)
    assert [m.name for m in sorted_by_offset((DI, ANA, CY, BO), now)] == ["Cy", "Bo", "Ana", "Di"]
    same_zone = Teammate("Abe", "Europe/London")
    assert [m.name for m in sorted_by_offset((ANA, same_zone), now)] == ["Abe", "Ana"]
