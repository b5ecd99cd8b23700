"""The searchable zone picker: matching by zone or city, lazy loading, picking with the keyboard."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from boundaries.core.timeparse import CITY_ALIASES, all_zone_names
from boundaries.ui.zone_picker import (
    SYSTEM_DEFAULT_LABEL,
    ZonePicker,
    match_zones,
    zone_problem,
)


def zones(query: str) -> list[str]:
    return [match.zone for match in match_zones(query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("berl", "Europe/Berlin"),
        ("BERLIN", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("newyork", "America/New_York"),
        ("kolkata", "Asia/Kolkata"),
        ("bangalore", "Asia/Kolkata"),
        ("san fran", "America/Los_Angeles"),
    ],
)
def test_partial_zone_or_city_names_find_the_zone_first(query: str, expected: str) -> None:
    assert zones(query)[0] == expected


def test_substring_matches_every_zone_containing_it() -> None:
    found = zones("york")
    assert "America/New_York" in found
    assert all("york" in zone.lower() for zone in found)


def test_an_exact_name_ranks_above_names_that_contain_it() -> None:
    assert zones("utc")[0] == "UTC"


def test_empty_query_lists_every_zone_and_the_system_default_first() -> None:
    matches = match_zones("", include_system_default=True)
    assert matches[0].zone == "" and matches[0].label == SYSTEM_DEFAULT_LABEL
    assert {m.zone for m in matches[1:]} == all_zone_names()


def test_every_city_alias_points_at_a_real_zone() -> None:
    assert set(CITY_ALIASES.values()) <= all_zone_names()


def test_zone_problem_explains_with_a_suggestion() -> None:
    assert zone_problem("Europe/Berlin") is None
    assert zone_problem("") is None
    reason = zone_problem("Europe/Berlinn")
    assert reason is not None and 'did you mean "Europe/Berlin"' in reason


def test_a_zone_folder_name_is_a_problem_not_a_crash() -> None:
    # zoneinfo raises IsADirectoryError for "Europe"; the user must get a sentence instead.
    reason = zone_problem("Europe")
    assert reason is not None and "not a known time zone" in reason


def test_the_zone_list_loads_on_first_focus_not_at_construction(qtbot: QtBot) -> None:
    picker = ZonePicker("Europe/London")
    qtbot.addWidget(picker)
    assert not picker.is_loaded()
    with qtbot.waitActive(picker):
        picker.show()
        picker.activateWindow()
    picker.setFocus()
    assert picker.is_loaded()


def test_typing_berl_and_enter_picks_europe_berlin(qtbot: QtBot) -> None:
    picker = ZonePicker()
    qtbot.addWidget(picker)
    picker.show()
    qtbot.keyClicks(picker.line_edit, "berl")
    popup = picker.popup()
    assert popup is not None and popup.isVisible()
    assert picker.popup_labels()[0] == "Europe/Berlin"
    with qtbot.waitSignal(picker.zoneChanged) as changed:
        qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert changed.args == ["Europe/Berlin"]
    assert picker.zone() == "Europe/Berlin"


def test_a_city_alias_fills_in_the_iana_name(qtbot: QtBot) -> None:
    picker = ZonePicker()
    qtbot.addWidget(picker)
    picker.show()
    qtbot.keyClicks(picker.line_edit, "bengaluru")
    popup = picker.popup()
    assert popup is not None
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.zone() == "Asia/Kolkata"


@pytest.mark.parametrize("typed", ["New Yo", "berl"])
def test_down_then_enter_picks_the_highlighted_zone_not_the_typed_text(
    qtbot: QtBot, typed: str
) -> None:
    picker = ZonePicker()
    qtbot.addWidget(picker)
    picker.show()
    qtbot.keyClicks(picker.line_edit, typed)
    popup = picker.popup()
    assert popup is not None and popup.isVisible()
    labels = picker.popup_labels()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)  # past the end of a short list, too
    highlighted = labels[popup.currentIndex().row()]
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.zone() == highlighted.split(" (")[0]
    assert picker.zone() in all_zone_names()


def test_down_on_an_empty_field_offers_the_system_default(qtbot: QtBot) -> None:
    picker = ZonePicker("Europe/Paris", allow_system_default=True)
    qtbot.addWidget(picker)
    picker.show()
    picker.line_edit.clear()
    qtbot.keyClick(picker.line_edit, Qt.Key.Key_Down)
    popup = picker.popup()
    assert popup is not None and popup.isVisible()
    assert picker.popup_labels()[0] == SYSTEM_DEFAULT_LABEL
    popup.setCurrentIndex(popup.model().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.zone() == ""


def test_set_zone_and_typing_emit_zone_changed(qtbot: QtBot) -> None:
    picker = ZonePicker()
    qtbot.addWidget(picker)
    with qtbot.waitSignal(picker.zoneChanged) as changed:
        picker.setZone("Asia/Tokyo")
    assert changed.args == ["Asia/Tokyo"]
    assert picker.zone() == "Asia/Tokyo"
