"""How times and zones read in the tray, the CLI and Slack statuses."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from boundaries.core.timefmt import (
    format_day_time,
    format_offset,
    format_time,
    format_time_range,
    zone_abbreviation,
    zone_city,
    zone_label,
)

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("wall", "h24", "h12"),
    [
        (time(17, 0), "17:00", "5:00 PM"),
        (time(9, 5), "09:05", "9:05 AM"),
        (time(0, 0), "00:00", "12:00 AM"),
        (time(12, 0), "12:00", "12:00 PM"),
        (time(12, 30), "12:30", "12:30 PM"),
        (time(23, 59), "23:59", "11:59 PM"),
    ],
)
def test_format_time_in_both_formats(wall: time, h24: str, h12: str) -> None:
    assert format_time(wall, "24h") == h24
    assert format_time(wall, "12h") == h12
    assert format_time(datetime.combine(datetime(2026, 1, 16).date(), wall, BERLIN), "12h") == h12


def test_format_day_time_drops_the_weekday_on_the_reference_date() -> None:
    friday = datetime(2026, 1, 16, 17, 0, tzinfo=BERLIN)
    assert format_day_time(friday, "24h") == "Fri 17:00"
    assert format_day_time(friday, "12h") == "Fri 5:00 PM"
    assert format_day_time(friday, "24h", ref=friday.replace(hour=8)) == "17:00"
    assert format_day_time(friday, "24h", ref=datetime(2026, 1, 15, 23, tzinfo=BERLIN)) == (
        "Fri 17:00"
    )


def test_format_day_time_compares_dates_each_in_its_own_zone() -> None:
    mine = datetime(2026, 1, 16, 17, 0, tzinfo=BERLIN)
    singapore = mine.astimezone(ZoneInfo("Asia/Singapore"))
    new_york = mine.astimezone(ZoneInfo("America/New_York"))
    assert format_day_time(singapore, "24h", ref=mine) == "Sat 00:00"
    assert format_day_time(new_york, "24h", ref=mine) == "11:00"


def test_format_time_range() -> None:
    start = datetime(2026, 1, 16, 14, 0, tzinfo=BERLIN)
    assert format_time_range(start, start.replace(hour=16), "24h") == "14:00–16:00"
    assert format_time_range(start, start.replace(hour=16), "12h") == "2:00 PM–4:00 PM"


@pytest.mark.parametrize(
    ("zone", "city"),
    [
        ("America/New_York", "New York"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires"),
        ("Asia/Singapore", "Singapore"),
        ("UTC", "UTC"),
        ("", ""),
    ],
)
def test_zone_city(zone: str, city: str) -> None:
    assert zone_city(zone) == city


@pytest.mark.parametrize(
    ("zone", "when", "expected"),
    [
        ("Europe/Berlin", datetime(2026, 1, 16, 12, tzinfo=UTC), "CET"),
        ("Europe/Berlin", datetime(2026, 7, 16, 12, tzinfo=UTC), "CEST"),
        ("Europe/London", datetime(2026, 7, 16, 12, tzinfo=UTC), "BST"),
        ("America/New_York", datetime(2026, 1, 16, 12, tzinfo=UTC), "EST"),
        ("Asia/Singapore", datetime(2026, 1, 16, 12, tzinfo=UTC), None),
        ("America/Sao_Paulo", datetime(2026, 1, 16, 12, tzinfo=UTC), None),
        ("Asia/Kolkata", datetime(2026, 1, 16, 12, tzinfo=UTC), "IST"),
    ],
)
def test_zone_abbreviation_only_when_it_is_letters(
    zone: str, when: datetime, expected: str | None
) -> None:
    assert zone_abbreviation(when.astimezone(ZoneInfo(zone))) == expected


def test_zone_label() -> None:
    winter = datetime(2026, 1, 16, 12, tzinfo=UTC)
    summer = datetime(2026, 7, 16, 12, tzinfo=UTC)
    assert zone_label("America/New_York", winter) == "New York (EST)"
    assert zone_label("America/New_York", summer) == "New York (EDT)"
    assert zone_label("Asia/Singapore", winter) == "Singapore"
    assert zone_label("UTC", winter) == "UTC"


def test_format_offset() -> None:
    kolkata = datetime(2026, 1, 16, 12, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert format_offset(kolkata.utcoffset()) == "UTC+05:30"
    st_johns = datetime(2026, 1, 16, 12, tzinfo=ZoneInfo("America/St_Johns"))
    assert format_offset(st_johns.utcoffset()) == "UTC-03:30"
