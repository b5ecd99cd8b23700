"""The README's pictures: which there are, and how the e2e tests publish them.

Every picture in the README is taken by an e2e test. With ``BOUNDARIES_UPDATE_SCREENSHOTS=1``
the tests copy them to docs/screenshots, and the session fails if any README picture was not
taken in that run (so all of them always come from one run of one version of the app).
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.e2e.harness import REPO_ROOT, colour_count

SHOTS_DIR = REPO_ROOT / "docs" / "screenshots"
README_PICTURES = frozenset(
    {
        "tray-menu.png",
        "settings.png",
        "settings-team.png",
        "settings-slack.png",
        "settings-general.png",
        "teammates.png",
        "day-view.png",
        "week-view.png",
        "tray-menu-wayland.png",
        "weekly-update.png",
        "meeting-planner.png",
        "first-run.png",
    }
)
_taken: set[str] = set()


def updating() -> bool:
    return os.environ.get("BOUNDARIES_UPDATE_SCREENSHOTS") == "1"


def publish(shot: Path, name: str) -> None:
    """Record that the README picture ``name`` was taken; when updating, copy it to docs/."""
    assert name in README_PICTURES, f"{name} is not a README picture (add it to the list)"
    assert colour_count(shot) > 16, f"{shot} is blank: taken before the window was painted"
    _taken.add(name)
    if updating():
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        (SHOTS_DIR / name).write_bytes(shot.read_bytes())


def not_taken() -> list[str]:
    """README pictures this run has not taken (yet)."""
    return sorted(README_PICTURES - _taken)
