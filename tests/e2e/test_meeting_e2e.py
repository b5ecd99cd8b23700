"""The team agreement's standup in the real app: its next occurrence and whose turn it is in
Teammates ▸, and the "Plan a meeting…" window as a user sees it (screenshots)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e import harness
from tests.e2e.app_under_test import window_named
from tests.e2e.conftest import Started
from tests.e2e.harness import Trayer
from tests.e2e.screenshots import publish
from tests.unit.test_meeting_agreement import MEMBERS, STANDUP

pytestmark = pytest.mark.e2e


def _painted(shot: Path) -> bool:
    """False for a window not painted yet (one colour all over, black under Xvfb)."""
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    w, h = image.width(), image.height()
    points = {image.pixel(x * w // 8, y * h // 8) for x in range(1, 8) for y in range(1, 8)}
    return len(points) > 1


def _settled_shot(display: str, path: Path, crop: tuple[int, int, int, int]) -> Path:
    """A screenshot once two in a row agree: the plan arrives from a worker after the window
    shows, and the window is only worth looking at with it."""
    previous = b""

    def same() -> Path | None:
        nonlocal previous
        shot = harness.screenshot(display, path, crop=crop)
        data = shot.read_bytes()
        done = data == previous and _painted(shot)
        previous = data
        return shot if done else None

    return harness.wait_for(same, timeout=20, interval=0.5, message="the planned window")


def test_next_meeting_in_teammates_and_the_plan_window_screenshots(
    trayer: Trayer,
    start_boundaries: Callable[..., Started],
    artifacts_dir: Path,
    tmp_path: Path,
) -> None:
    agreement = tmp_path / "team.boundaries.toml"
    agreement.write_text(MEMBERS + STANDUP)
    app = start_boundaries(
        at="2027-03-01 10:00:00",  # Monday; the standup is tomorrow
        tz="Europe/London",
        settings=f'[general]\ntimezone = "Europe/London"\n'
        f'[agreement]\nfile = "{agreement}"\nme = "Ana"\n',
    ).app
    icon = harness.tray_icon(trayer.display, pid=app.pid)

    _open_teammates(trayer.display, app.pid)
    harness.press_keys(trayer.display, "p")  # &Plan a meeting…
    window_named(
        trayer.display, app.pid, harness.titled("Plan a meeting (planning…)"), settle=False
    )
    window = window_named(trayer.display, app.pid, harness.titled("Plan a meeting"), timeout=30)
    shot = _settled_shot(
        trayer.display, artifacts_dir / "meeting-planner.png", harness.region_around([window], 0)
    )
    publish(shot, "meeting-planner.png")

    # By now the agreement's standup is planned: Teammates shows it, and whose turn it is.
    menus = _open_teammates(trayer.display, app.pid, other_than=harness.titled("Plan a meeting"))
    harness.screenshot(
        trayer.display,
        artifacts_dir / "teammates-meeting.png",
        crop=harness.region_around([icon, *menus]),
    )
    harness.press_keys(trayer.display, "d")  # Team &day…: the next meeting under the summary
    day = window_named(trayer.display, app.pid, harness.titled("Team day"))
    harness.screenshot(
        trayer.display, artifacts_dir / "day-meeting.png", crop=harness.region_around([day], 0)
    )
    assert app.proc.poll() is None, app.output()
    assert "Traceback" not in app.stderr(), app.stderr()


def _open_teammates(display: str, pid: int, other_than: str = "") -> list[harness.XWindow]:
    def menus(least: int) -> list[harness.XWindow] | None:
        found = [w for w in harness.popup_windows(display, pid=pid) if w.name != other_than]
        return found if len(found) >= least else None

    harness.click_tray_icon(display, button=3, pid=pid)
    harness.wait_for(lambda: menus(1), timeout=10, message="the tray menu")
    harness.press_keys(display, "t")  # &Teammates
    return harness.wait_for(lambda: menus(2), timeout=10, message="the Teammates submenu")
