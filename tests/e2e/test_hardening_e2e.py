"""The real app against a careless or hostile world: damaged state, clocks going back, signals,
squatted sockets, stale locks, a flood of idle connections."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import harness
from tests.e2e.conftest import NotificationsView
from tests.e2e.harness import Launched, Trayer
from tests.e2e.test_app_e2e import cli, set_clock, start_app, status, with_faketime, write_settings

pytestmark = pytest.mark.e2e

SEND = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from boundaries.app.ipc import send_command
app = QCoreApplication(sys.argv[:1])
print(json.dumps(send_command(Path(sys.argv[1]), json.loads(sys.argv[2]))))
"""


def state_dir(env: dict[str, str]) -> Path:
    return Path(env["BOUNDARIES_CONFIG_DIR"]) / "state"


def send(env: dict[str, str], request: dict[str, Any]) -> Any:
    """One raw protocol request, as any local program could send it (not via the CLI)."""
    done = harness.run(
        [sys.executable, "-c", SEND, str(state_dir(env)), json.dumps(request)], env
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def summaries(notifications: NotificationsView) -> list[str]:
    return [n["summary"] for n in notifications.all()]


# ---------------------------------------------------------------- row 4: the state file


def test_a_state_file_from_year_9999_is_repaired_once_and_kept_as_a_copy(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    notifications: NotificationsView,
) -> None:
    write_settings(app_env)
    folder = state_dir(app_env)
    folder.mkdir(parents=True)
    damaged = json.dumps({"mode": "signed_off", "back_at": "9999-12-31T23:59:59+00:00"})
    (folder / "state.json").write_text(damaged)

    app = start_app(launch, app_env, trayer.display)
    note = notifications.wait_for(lambda n: n["summary"] == "Saved state repaired", timeout=20)
    assert "back_at" in note["body"] and "9999" in note["body"]
    copies = list(folder.glob("state.json.broken-*"))
    assert [c.read_text() for c in copies] == [damaged]
    assert str(copies[0]) in note["body"]
    assert status(app_env)["state"] != "signed_off"
    harness.stop(app.proc)

    again = start_app(launch, app_env, trayer.display)
    status(app_env)
    assert summaries(notifications) == ["Saved state repaired"]  # told once
    assert again.proc.poll() is None
    assert "Traceback" not in app.stderr() + again.stderr()


def test_a_snooze_of_millennia_over_the_socket_is_refused_and_not_stored(
    trayer: Trayer, app_env: dict[str, str], launch: Callable[..., Launched]
) -> None:
    write_settings(app_env)
    app = start_app(launch, app_env, trayer.display)
    reply = send(app_env, {"command": "snooze", "minutes": 4_193_435_804})
    assert reply["ok"] is False
    status(app_env)  # a round trip: any state write has been queued before this
    harness.stop(app.proc)
    saved = json.loads((state_dir(app_env) / "state.json").read_text())
    assert saved.get("snoozed_until") is None

    again = start_app(launch, app_env, trayer.display)
    assert status(app_env)["state"] in ("idle", "focusing")
    assert again.proc.poll() is None, again.output()


# ---------------------------------------------------------------- row 9: once per workday


def test_clock_going_back_after_the_nudge_does_not_repeat_it_nor_does_a_restart(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    notifications: NotificationsView,
    tmp_path: Path,
) -> None:
    write_settings(app_env)
    clock = tmp_path / "clock"
    env = with_faketime(app_env, clock, "2026-11-24 17:29:56")  # a Tuesday
    app = start_app(launch, env, trayer.display)
    notifications.wait_for(lambda n: n["summary"] == "Time to sign off", timeout=20)

    set_clock(clock, "2026-11-24 15:30:00")  # NTP fix or a manual change: two hours back
    send(env, {"command": "wake"})
    set_clock(clock, "2026-11-24 17:29:59")  # time catches up past the heads-up
    send(env, {"command": "wake"})
    set_clock(clock, "2026-11-24 18:00:30")  # ...past the sign-off, to the first escalation
    send(env, {"command": "wake"})
    notifications.wait_for(lambda n: n["summary"].startswith("Still working, 30"), timeout=15)
    assert summaries(notifications) == [
        "Time to sign off",
        "Still working, 30 min past sign-off",
    ], app.output()

    harness.stop(app.proc)  # a restart, with the clock back again
    set_clock(clock, "2026-11-24 17:29:58")
    again = start_app(launch, env, trayer.display)
    set_clock(clock, "2026-11-24 17:30:30")
    send(env, {"command": "wake"})
    set_clock(clock, "2026-11-24 18:30:30")
    send(env, {"command": "wake"})
    notifications.wait_for(lambda n: n["summary"].startswith("Still working, 60"), timeout=15)
    assert summaries(notifications) == [
        "Time to sign off",
        "Still working, 30 min past sign-off",
        "Still working, 60 min past sign-off",
    ], again.output()
    cli(env, "status")
