"""Every window the app opens is titled the same way: what it is, in sentence case.

The app's name is not in the title: ``main`` sets it as the application's display name, and
Qt appends " — Boundaries" on the desktops that show one (the e2e tests read those titles).
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from tests.qt.settings_in_process import settings_dialog

from .conftest import MakeApp

BERLIN = ZoneInfo("Europe/Berlin")
SETTINGS = """\
[general]
timezone = "Europe/Berlin"

[[team]]
name = "Ana"
timezone = "Europe/London"
"""


def test_every_window_has_a_title_in_one_style(make_app: MakeApp, qtbot: QtBot) -> None:
    app = make_app(SETTINGS, datetime(2026, 11, 27, 17, 40, tzinfo=BERLIN))
    app.open_week_view()
    app.open_team_day()
    app.open_copy_time()
    app.open_weekly_update()
    app.open_signoff_window("Time to sign off", "It's 17:40.")
    app.open_settings()
    app.open_meeting_planner()
    planned = lambda: "Plan a meeting" in [w.windowTitle() for w in app.open_windows]  # noqa: E731
    qtbot.waitUntil(planned)  # "Plan a meeting (planning…)" until its worker answers
    settings = settings_dialog(app)  # its own process in the real app (record 0018)
    assert settings is not None
    titles = sorted(w.windowTitle() for w in [*app.open_windows, settings])
    assert titles == [
        "Copy a time for the team",
        "Plan a meeting",
        "Settings",
        "Sign off",
        "Team day",
        "This week",
        "Weekly update 2026-W48",
    ]
    for title in titles:
        assert "Boundaries" not in title  # Qt adds it, once
        assert not re.search(r"\s[-–—]\s", title)  # no separator of our own
    for window in [*app.open_windows, settings]:
        window.close()
