"""The weekly update's core: the user's ISO week in their zone, the draft, hints, the texts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from boundaries.core.settings import Settings, UpdateSettings
from boundaries.core.weekly_update import (
    Draft,
    IsoWeek,
    hints,
    parse_post_at,
    render_markdown,
    render_slack,
    scheduled_post_time,
    week_figures,
)
from boundaries.core.workday_record import DayRecord, SignoffSource

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2026, 12, 31), "2026-W53"),  # 2026 has 53 ISO weeks
        (date(2027, 1, 3), "2026-W53"),  # a Sunday in January still belongs to it
        (date(2027, 1, 4), "2027-W01"),
        (date(2024, 12, 30), "2025-W01"),  # a December Monday can start next year's week 1
        (date(2021, 1, 3), "2020-W53"),
    ],
)
def test_iso_weeks_across_year_ends(day: date, week: str) -> None:
    assert str(IsoWeek.of(day)) == week
    assert IsoWeek.parse(week).monday <= day <= IsoWeek.parse(week).sunday


def test_a_week_that_does_not_exist_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="not a week of 2025"):
        IsoWeek.parse("2025-W53")
    with pytest.raises(ValueError, match="ISO week like"):
        IsoWeek.parse("2026-49")


def test_the_week_is_the_users_own_in_their_zone() -> None:
    instant = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # Monday 00:30 in Berlin
    assert str(IsoWeek.containing(instant, BERLIN)) == "2026-W50"
    assert str(IsoWeek.containing(instant, NEW_YORK)) == "2026-W49"  # still Sunday there


@pytest.mark.parametrize(
    ("week", "hours"), [("2026-W13", 167), ("2026-W43", 169), ("2026-W49", 168)]
)
def test_week_bounds_are_local_midnights_across_dst(week: str, hours: int) -> None:
    start, end = IsoWeek.parse(week).bounds(BERLIN)
    assert (start.hour, start.minute, end.hour) == (0, 0, 0)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=hours)


def _records() -> list[DayRecord]:
    def at(day: int, hh: int, mm: int) -> datetime:
        return datetime(2026, 12, day, hh, mm, tzinfo=BERLIN)

    return [
        DayRecord(date(2026, 12, 7), at(7, 17, 30), at(7, 17, 35), SignoffSource.BUTTON, 2, 0, 240),
        DayRecord(date(2026, 12, 8), at(8, 17, 30), at(8, 19, 10), SignoffSource.BUTTON, 1, 1, 150),
        DayRecord(date(2026, 12, 14), at(14, 17, 30), at(14, 21, 0), SignoffSource.CLI, 2, 0, 240),
    ]


def test_hints_come_from_the_weeks_record_and_sign_off_figures_are_marked_private() -> None:
    week = IsoWeek.parse("2026-W50")
    figures = week_figures(_records(), week, Settings(), BERLIN)
    assert figures.to_json() == {
        "focus_minutes": 390,
        "focus_blocks_kept": 3,
        "focus_blocks_cut_short": 1,
        "late_days": 1,
        "workdays_recorded": 2,
        "private": ["late_days", "workdays_recorded"],
    }
    found = {hint.key: hint for hint in hints(figures)}
    assert found["focus_minutes"].text == "6.5 hours of focus time this week"
    assert found["focus_blocks_kept"].text == "kept 3 of 4 focus blocks"
    assert not found["focus_minutes"].private and not found["focus_blocks_kept"].private
    assert found["late_days"].private
    assert found["late_days"].text == "signed off on time on 1 of 2 days"


def test_hints_are_never_in_the_text_unless_typed() -> None:
    draft = Draft(IsoWeek.parse("2026-W50"), shipped="Billing export")
    for text in (render_markdown(draft), render_slack(draft)):
        for hint in hints(week_figures(_records(), draft.week, Settings(), BERLIN)):
            assert hint.text not in text
        assert "signed off" not in text and "late" not in text


def test_markdown_and_slack_texts() -> None:
    draft = Draft(
        IsoWeek.parse("2026-W50"),
        shipped="- Billing export\n* CSV <fix> & tests\n\n",
        next="Rate limits",
    )
    assert render_markdown(draft) == (
        "## Weekly update 2026-W50\n\n"
        "**Shipped**\n- Billing export\n- CSV <fix> & tests\n\n"
        "**Next week**\n- Rate limits\n\n"
        "**Blockers**\n- None\n"
    )
    assert render_slack(draft) == (
        "*Weekly update 2026-W50*\n\n"
        "*Shipped*\n• Billing export\n• CSV &lt;fix&gt; &amp; tests\n\n"
        "*Next week*\n• Rate limits\n\n"
        "*Blockers*\n• None"
    )


def test_a_draft_round_trips_and_rejects_what_is_not_one() -> None:
    draft = Draft(IsoWeek.parse("2026-W50"), "a", "b", "c")
    assert Draft.from_json(draft.to_json()) == draft
    with pytest.raises(ValueError):
        Draft.from_json({"week": "2026-W50", "shipped": 3})
    assert Draft(IsoWeek.parse("2026-W50"), blockers="  ").is_empty


def _with_update(**values: object) -> Settings:
    return Settings(update=UpdateSettings(**values))  # type: ignore[arg-type]


def test_post_later_is_next_monday_nine_in_the_teams_zone() -> None:
    settings = _with_update(post_timezone="Europe/London")
    friday = datetime(2026, 12, 11, 16, 30, tzinfo=BERLIN)
    at = scheduled_post_time(settings, friday, BERLIN)
    assert at == datetime(2026, 12, 14, 9, 0, tzinfo=LONDON)
    assert at.astimezone(BERLIN).hour == 10
    monday_late = datetime(2026, 12, 14, 9, 30, tzinfo=LONDON)
    assert scheduled_post_time(settings, monday_late, BERLIN).date() == date(2026, 12, 21)
    # No team zone: the user's own.
    assert scheduled_post_time(Settings(), friday, BERLIN) == datetime(
        2026, 12, 14, 9, 0, tzinfo=BERLIN
    )


def test_post_at_must_be_in_the_future_and_naive_means_the_users_zone() -> None:
    now = datetime(2026, 12, 11, 16, 30, tzinfo=BERLIN)
    assert parse_post_at("2026-12-14T09:00", BERLIN, now) == datetime(
        2026, 12, 14, 9, 0, tzinfo=BERLIN
    )
    with pytest.raises(ValueError, match="not in the future"):
        parse_post_at("2026-12-10T09:00+00:00", BERLIN, now)
    with pytest.raises(ValueError, match="ISO-8601"):
        parse_post_at("monday", BERLIN, now)
