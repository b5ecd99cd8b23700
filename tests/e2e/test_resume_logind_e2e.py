"""Resume on a Linux desktop: logind's ``PrepareForSleep(false)`` on the system bus re-plans the
real app at once (scheduler.py ``_listen_for_resume``), however long its drift check is.

The fake logind (tests/fakes/logind.py) stands in for systemd, which this machine lacks, on a
private bus the app takes for its system bus; libfaketime plays the kernel's wall clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import harness
from tests.e2e.app_under_test import (
    cli,
    set_clock,
    start_app,
    status,
    with_faketime,
    write_settings,
)
from tests.e2e.conftest import NotificationsView
from tests.e2e.harness import FakeLogind, Launched, Trayer

pytestmark = pytest.mark.e2e

# Ten minutes: nothing but logind's signal can wake the app within this test.
LONG_DRIFT_CHECK_MS = "600000"
RESUMED = datetime.fromisoformat("2026-11-24T17:31:00+01:00")


def test_logind_resume_signal_brings_the_missed_sign_off_nudge_at_once(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    tmp_path: Path,
    fake_logind: FakeLogind,
    notifications: NotificationsView,
) -> None:
    write_settings(app_env)  # sign-off 17:30 (the default), Tuesday a workday
    clock = tmp_path / "clock"
    env = {
        **with_faketime(app_env, clock, "2026-11-24 16:50:00"),
        "BOUNDARIES_DRIFT_CHECK_MS": LONG_DRIFT_CHECK_MS,
        "DBUS_SYSTEM_BUS_ADDRESS": fake_logind.system_bus,
    }
    app = start_app(launch, env, trayer.display)

    def mine() -> list[dict[str, Any]]:
        return [n for n in notifications.all() if n["sender_pid"] == app.pid]

    status(env)  # answered after the planner subscribed to logind (both in _after_start)
    fake_logind.prepare_for_sleep(True)  # the lid closes
    set_clock(clock, "2026-11-24 17:31:00")  # ...and opens 41 minutes later

    # On a real resume the kernel's clock is right before logind says so. libfaketime re-reads
    # the clock file at most once a second (FAKETIME_CACHE_DURATION=1), so the app may go on
    # reading 16:50-something for a second or two after the rewrite: ask the app for its time
    # (a status answer wakes nothing) until it reads the resumed one.
    harness.wait_for(
        lambda: datetime.fromisoformat(status(env)["now"]) >= RESUMED,
        timeout=10,
        message="the app's clock to show the resume",
    )
    assert mine() == []  # the app sees 17:31, but nothing has told it the machine slept

    fake_logind.prepare_for_sleep(False)
    note = notifications.wait_for(lambda n: n["sender_pid"] == app.pid, timeout=15)
    assert note["summary"] == "Time to sign off"
    assert "17:30" in note["body"]
    cli(env, "status")  # a round trip through the app's event loop after the nudge
    # The heads-up (17:15) was missed too: it coalesced into the one nudge.
    assert [n["summary"] for n in mine()] == ["Time to sign off"], app.output()
