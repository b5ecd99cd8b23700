"""``boundaries update ...`` and ``boundaries slack setup`` on real files, without the app."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from boundaries.cli import main
from boundaries.core.weekly_update import Draft, IsoWeek
from boundaries.core.workday_record import FocusSession, SignoffSource
from boundaries.integrations.history import History
from boundaries.integrations.slack_manifest import create_app_url
from boundaries.integrations.update_store import UpdateStore

BERLIN = ZoneInfo("Europe/Berlin")
SETTINGS = '[general]\ntimezone = "Europe/Berlin"\n'  # the profile of ``config_dir``


def test_update_draft_json_has_the_draft_and_the_weeks_figures(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = config_dir / "state"
    UpdateStore(state).save_draft(Draft(IsoWeek.parse("2026-W49"), shipped="Export", next="API"))
    history = History(state)
    start = datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)
    end = datetime(2026, 12, 1, 11, 0, tzinfo=BERLIN)
    history.record_focus(date(2026, 12, 1), FocusSession(start, end, end, cut_short=False))
    history.observe_signoff(
        date(2026, 12, 1),
        datetime(2026, 12, 1, 18, 30, tzinfo=BERLIN),
        SignoffSource.BUTTON,
        datetime(2026, 12, 1, 17, 30, tzinfo=BERLIN),
    )
    history.close()

    assert main(["update", "draft", "--week", "2026-W49", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "week": "2026-W49",
        "shipped": "Export",
        "next": "API",
        "blockers": "",
        "hints": {
            "focus_minutes": 120,
            "focus_blocks_kept": 1,
            "focus_blocks_cut_short": 0,
            "late_days": 1,
            "workdays_recorded": 1,
            "private": ["late_days", "workdays_recorded"],
        },
    }
    # Another week: an empty draft, not this one.
    assert main(["update", "draft", "--week", "2026-W50", "--json"]) == 0
    other = json.loads(capsys.readouterr().out)
    assert (other["week"], other["shipped"], other["hints"]["focus_minutes"]) == ("2026-W50", "", 0)

    assert main(["update", "draft", "--week", "2026-W49"]) == 0
    text = capsys.readouterr().out
    assert "Week 2026-W49 (Mon 30 Nov to Sun 6 Dec 2026, Europe/Berlin)" in text
    assert "2 hours of focus time this week" in text
    assert "signed off on time on 0 of 1 days  [private]" in text


def test_update_draft_refuses_a_bad_week(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["update", "draft", "--week", "2026-W60"]) == 2
    assert "not a week of 2026" in capsys.readouterr().err


def test_update_list_and_post_without_a_channel(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["update", "list"]) == 0
    assert "No updates kept yet." in capsys.readouterr().out
    UpdateStore(config_dir / "state").keep(IsoWeek.parse("2026-W48"), "x")
    assert main(["update", "list"]) == 0
    assert capsys.readouterr().out.startswith("2026-W48  ")
    assert main(["update", "post", "-"]) == 2
    assert "no channel" in capsys.readouterr().err
    assert main(["update", "post", "--channel", "C0TEAM", "--at", "2020-01-01T09:00"]) == 2
    assert "not in the future" in capsys.readouterr().err


def test_slack_setup_prints_the_prefilled_page(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["slack", "setup", "--print-url"]) == 0
    out = capsys.readouterr().out
    assert create_app_url() in out and "chat:write" in out and "boundaries slack login" in out


def test_slack_setup_opens_the_users_browser(config_dir: Path, tmp_path: Path) -> None:
    """Python's webbrowser honours $BROWSER: a script records what it was asked to open."""
    opened = tmp_path / "opened"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {opened}\n')
    browser.chmod(browser.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "BROWSER": str(browser), "DISPLAY": ""}
    done = subprocess.run(
        [sys.executable, "-m", "boundaries", "slack", "setup"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert opened.read_text() == create_app_url()
