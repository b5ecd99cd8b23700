"""A ``TZ`` that names no zone (a POSIX rule) is not followed silently: the app says which
zone the schedule uses instead and where to choose one."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from boundaries.integrations.system_zone import system_zone_name
from tests.qt.conftest import MakeApp

POSIX_RULE = "CET-1CEST,M3.5.0,M10.5.0/3"
NOW = datetime(2026, 11, 24, 10, 30, tzinfo=ZoneInfo("UTC"))
NO_ZONE = "version = 1\n"
ZONE_CHOSEN = 'version = 1\n\n[general]\ntimezone = "Europe/Berlin"\n'


def test_a_posix_rule_in_tz_is_named_with_the_zone_used_instead(
    make_app: MakeApp, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", POSIX_RULE)
    used = system_zone_name()  # what the schedule follows: /etc/localtime's zone
    app = make_app(NO_ZONE, NOW)
    qtbot.waitUntil(lambda: bool(app.notes))  # type: ignore[attr-defined]
    [note] = app.notes  # type: ignore[attr-defined]
    assert note.title == "Time zone not known"
    assert f'TZ is set to "{POSIX_RULE}"' in note.body
    assert f"your schedule follows {used}" in note.body
    assert "Settings > General" in note.body


@pytest.mark.parametrize(
    ("tz", "settings"), [(POSIX_RULE, ZONE_CHOSEN), ("Europe/Berlin", NO_ZONE)]
)
def test_nothing_is_said_when_a_zone_is_named(
    make_app: MakeApp, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tz: str, settings: str
) -> None:
    monkeypatch.setenv("TZ", tz)
    app = make_app(settings, NOW)
    qtbot.waitUntil(lambda: app.server is not None)  # the after-start work has run
    assert [note.title for note in app.notes] == []  # type: ignore[attr-defined]
