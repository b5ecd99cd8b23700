"""``boundaries update post`` as a user runs it: the token from a real (private) keyring, real
HTTP to the fake Slack, the draft kept until Slack confirms."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from boundaries.core.weekly_update import Draft, IsoWeek
from boundaries.integrations.update_store import UpdateStore
from tests.fakes import secret_service
from tests.fakes.slack_api import ALL_SCOPES, FAKE_TOKEN, FakeSlack


@pytest.fixture
def slack_clock() -> Callable[[], float]:
    """The CLI runs in its own process on the real clock, so the fake Slack does too."""
    return time.time


def _cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "boundaries", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_update_post_from_the_command_line(
    secret_service_session: secret_service.SecretServiceSession,
    fake_slack: FakeSlack,
    tmp_path: Path,
) -> None:
    (tmp_path / "settings.toml").write_text(
        '[general]\ntimezone = "Europe/Berlin"\n'
        f'[slack]\nenabled = true\napi_url = "{fake_slack.url}"\n'
        '[update]\nchannel = "#team-updates"\n'
    )
    env = {**os.environ, **secret_service_session.env, "BOUNDARIES_CONFIG_DIR": str(tmp_path)}
    stale = "xoxp-1111111111-2222222222-3333333333-nochatwritescope0"
    fake_slack.add_token(stale, ALL_SCOPES - {"chat:write"})
    assert _cli(env, "slack", "login", stdin=stale + "\n").returncode == 0
    store = UpdateStore(tmp_path / "state")
    week = IsoWeek.parse("2026-W49")
    store.save_draft(Draft(week, shipped="Billing export"))

    refused = _cli(env, "update", "post")
    assert refused.returncode == 1
    assert "missing the scope chat:write" in refused.stderr and "draft is kept" in refused.stderr
    assert store.load_draft() == Draft(week, shipped="Billing export")

    assert _cli(env, "slack", "login", stdin=FAKE_TOKEN + "\n").returncode == 0
    done = _cli(env, "update", "post")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Posted to #team-updates.")
    assert store.load_draft() is None
    assert "Billing export" in store.read(week)
    (message,) = fake_slack.posted()
    assert message.channel == "C0TEAM" and "• Billing export" in message.text

    later = _cli(
        env,
        "update",
        "post",
        "--channel",
        "C0TEAM",
        "--at",
        "2099-01-05T09:00",
        "-",
        stdin="Shipped: *everything*\n",
    )
    assert later.returncode == 1  # Slack schedules at most 120 days ahead
    assert "120 days" in later.stderr

    soon = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    scheduled = _cli(
        env, "update", "post", "--at", soon.isoformat(), "-", stdin="Shipped: *everything*\n"
    )
    assert scheduled.returncode == 0, scheduled.stderr
    assert scheduled.stdout.startswith("Scheduled for ")
    assert fake_slack.posted()[-1].post_at == int(soon.timestamp())
