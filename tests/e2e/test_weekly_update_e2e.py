"""The weekly update end to end: Friday's reminder is a real notification that opens the window."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from boundaries.core.weekly_update import Draft, IsoWeek
from boundaries.integrations.update_store import UpdateStore
from tests.e2e import harness
from tests.e2e.conftest import NotificationsView
from tests.e2e.harness import Launched, Trayer
from tests.e2e.test_app_e2e import (
    SEED_HISTORY,
    publish,
    start_app,
    window_named,
    with_faketime,
    write_settings,
)

pytestmark = pytest.mark.e2e


def test_the_friday_reminder_opens_the_update_window_with_the_saved_draft(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    notifications: NotificationsView,
    artifacts_dir: Path,
    tmp_path: Path,
) -> None:
    write_settings(app_env)
    state = Path(app_env["BOUNDARIES_CONFIG_DIR"]) / "state"
    seeded = harness.run([sys.executable, "-c", SEED_HISTORY, str(state)], app_env)
    assert seeded.returncode == 0, seeded.stderr
    UpdateStore(state).save_draft(
        Draft(
            IsoWeek.parse("2026-W48"),
            shipped="Billing export to CSV\nFaster sign-in on slow networks",
            next="Rate limits for the public API",
        )
    )
    # Friday, four seconds before the reminder (one hour before the 17:30 sign-off).
    env = with_faketime(app_env, tmp_path / "clock", "2026-11-27 16:29:56")
    app = start_app(launch, env, trayer.display)

    note = notifications.wait_for(lambda n: n["summary"] == "Weekly update", timeout=20)
    assert note["sender_pid"] == app.pid
    assert "shipped" in note["body"]
    notifications.invoke_action(note["id"], "default")
    window = window_named(
        trayer.display, app.pid, harness.titled("Weekly update 2026-W48"), timeout=30
    )
    harness.wait_for(lambda: (state / "updates" / "draft.json").exists(), timeout=5)
    # The draft and the hints arrive from workers a moment later. The text cursor blinks, so
    # the picture never "settles"; wait a little for the README's picture only (no assertion
    # depends on it: the Qt tests check the restored draft and the hints).
    time.sleep(1.5)
    shot = harness.screenshot(
        trayer.display,
        artifacts_dir / "weekly-update.png",
        crop=harness.region_around([window], 0),
    )
    publish(shot, "weekly-update.png")
    assert app.proc.poll() is None, app.output()
    assert "Traceback" not in app.stderr(), app.stderr()
