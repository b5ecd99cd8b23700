"""The weekly update loads on first use: building the app's start path imports none of it."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
import boundaries.app.application, boundaries.ui.tray, boundaries.cli
loaded = sorted(m for m in sys.modules if m.startswith("boundaries"))
print("\\n".join(loaded))
"""

LAZY = (
    "boundaries.core.weekly_update",
    "boundaries.app.weekly_update",
    "boundaries.ui.weekly_update",
    "boundaries.integrations.update_store",
    "boundaries.integrations.update_slack",
    "boundaries.integrations.slack_manifest",
    "boundaries.cli_update",
)


def test_the_start_path_does_not_load_the_weekly_update() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "boundaries.core.update_reminder" in loaded  # the planner needs the reminder rule
    assert loaded.isdisjoint(LAZY), sorted(loaded & set(LAZY))
