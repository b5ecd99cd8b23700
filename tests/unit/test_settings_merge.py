"""Unsaved Settings edits merged with a file changed on disk: nothing typed is lost."""

from __future__ import annotations

from datetime import time

from boundaries.core.settings import Settings, Teammate, WorkdaySettings, settings_to_dict
from boundaries.core.settings_merge import Conflict, merge_edits

ANA = Teammate("Ana", "Europe/London")
BO = Teammate("Bo", "America/New_York")


def as_dict(**changes: object) -> dict:
    return settings_to_dict(Settings(**changes))  # type: ignore[arg-type]


def test_a_teammate_edited_here_and_one_added_on_disk_both_stay() -> None:
    base = as_dict(team=(ANA,))
    mine = as_dict(team=(Teammate("Ana", "Europe/London", time(8), time(16)),))
    theirs = as_dict(team=(ANA, BO))
    merged, conflicts = merge_edits(base, mine, theirs)
    assert conflicts == []
    assert merged["team"] == [
        {"name": "Ana", "timezone": "Europe/London", "hours": "08:00-16:00"},
        {"name": "Bo", "timezone": "America/New_York", "hours": "09:00-17:30"},
    ]


def test_different_fields_changed_on_each_side_are_both_kept() -> None:
    base = as_dict()
    mine = as_dict(workday=WorkdaySettings(signoff=time(18)))
    theirs = as_dict(workday=WorkdaySettings(start=time(8)), team=(BO,))
    merged, conflicts = merge_edits(base, mine, theirs)
    assert conflicts == []
    assert (merged["workday"]["start"], merged["workday"]["signoff"]) == ("08:00", "18:00")
    assert [mate["name"] for mate in merged["team"]] == ["Bo"]


def test_the_same_field_changed_on_both_sides_is_a_conflict_each_side_can_win() -> None:
    base = as_dict(team=(ANA,))
    mine = as_dict(team=(Teammate("Ana", "Europe/Lisbon"),))
    theirs = as_dict(team=(Teammate("Ana", "Europe/Paris"),))
    merged, conflicts = merge_edits(base, mine, theirs)
    assert conflicts == [Conflict("team[Ana].timezone", "Europe/Lisbon", "Europe/Paris")]
    assert merged["team"][0]["timezone"] == "Europe/Lisbon"
    merged, _ = merge_edits(base, mine, theirs, prefer="theirs")
    assert merged["team"][0]["timezone"] == "Europe/Paris"


def test_a_teammate_removed_here_but_changed_on_disk_is_asked_about() -> None:
    base = as_dict(team=(ANA, BO))
    mine = as_dict(team=(BO,))
    theirs = as_dict(team=(Teammate("Ana", "Asia/Tokyo"), BO))
    merged, conflicts = merge_edits(base, mine, theirs)
    assert [c.path for c in conflicts] == ["team[Ana]"]
    assert [mate["name"] for mate in merged["team"]] == ["Bo"]
