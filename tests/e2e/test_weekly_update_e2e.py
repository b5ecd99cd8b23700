"""The weekly update end to end: Friday's reminder is a real notification that opens the window."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from boundaries.core.weekly_update import Draft, IsoWeek
from boundaries.integrations.update_store import UpdateStore
from tests.e2e import harness
from tests.e2e.app_under_test import window_named
from tests.e2e.conftest import NotificationsView, Started
from tests.e2e.harness import Trayer
from tests.e2e.screenshots import publish

pytestmark = pytest.mark.e2e

# A text cursor, blinking: a few pixels; the draft or the hints arriving change far more.
CURSOR_PIXELS = 400


def _pixels_changed(a: Path, b: Path) -> int:
    done = subprocess.run(
        ["compare", "-metric", "AE", str(a), str(b), "null:"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return int(float(done.stderr.split()[0]))  # exit 1 only says they differ


def _loaded_shot(display: str, path: Path, crop: tuple[int, int, int, int]) -> Path:
    """A screenshot once the text cursor blinks: the fields stay disabled, without a cursor,
    until the saved draft (read on a worker, as the hints are) is in them and one has focus."""
    previous = harness.screenshot(display, path.with_name(f"{path.stem}-before.png"), crop)

    def blinked() -> Path | None:
        shot = harness.screenshot(display, path, crop)
        changed = _pixels_changed(previous, shot)
        previous.write_bytes(shot.read_bytes())
        return shot if 0 < changed < CURSOR_PIXELS else None

    return harness.wait_for(blinked, timeout=20, interval=0.2, message="the cursor to blink")


def test_the_friday_reminder_opens_the_update_window_with_the_saved_draft(
    trayer: Trayer,
    app_env: dict[str, str],
    start_boundaries: Callable[..., Started],
    notifications: NotificationsView,
    artifacts_dir: Path,
) -> None:
    state = Path(app_env["BOUNDARIES_CONFIG_DIR"]) / "state"
    UpdateStore(state).save_draft(
        Draft(
            IsoWeek.parse("2026-W48"),
            shipped="Billing export to CSV\nFaster sign-in on slow networks",
            next="Rate limits for the public API",
        )
    )
    # Friday, four seconds before the reminder (one hour before the 17:30 sign-off).
    app = start_boundaries(at="2026-11-27 16:29:56", history=True).app

    note = notifications.wait_for(lambda n: n["summary"] == "Weekly update", timeout=20)
    assert note["sender_pid"] == app.pid
    assert "shipped" in note["body"]
    notifications.invoke_action(note["id"], "default")
    window = window_named(
        trayer.display, app.pid, harness.titled("Weekly update 2026-W48"), timeout=30
    )
    harness.wait_for(lambda: (state / "updates" / "draft.json").exists(), timeout=5)
    # For the README's picture only (the Qt tests check the restored draft and the hints).
    shot = _loaded_shot(
        trayer.display, artifacts_dir / "weekly-update.png", harness.region_around([window], 0)
    )
    publish(shot, "weekly-update.png")
    assert app.proc.poll() is None, app.output()
    assert "Traceback" not in app.stderr(), app.stderr()
