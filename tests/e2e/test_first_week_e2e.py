"""Issue #18, the first week of daily use, against the real app: Xvfb + trayer, real
notifications over the private D-Bus, the CLI, and libfaketime for the app's wall clock.

Default schedule: blocks 09:00-11:00 and 14:00-16:00 Mon-Fri, heads-up 17:15, sign-off 17:30,
escalations 18:00 and 18:30. 2026-11-24 is a Tuesday.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from tests.e2e import harness
from tests.e2e.app_under_test import cli, set_clock, status
from tests.e2e.conftest import NotificationsView, Started

pytestmark = pytest.mark.e2e


def started(start_boundaries: Callable[..., Started], at: str) -> Started:
    """The app at ``at``, once its icon is up and its command socket answers (a harmless
    command that is refused while not paused)."""
    up = start_boundaries(at=at)

    def answers() -> bool:
        done = harness.run([*harness.BOUNDARIES_CMD, "resume"], up.env)
        return "is not running" not in done.stderr

    harness.wait_for(answers, timeout=20, interval=1.0, message="the command socket")
    return up


def refused(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI and expect it to say no (exit 1) with a sentence on stderr."""
    done = harness.run([*harness.BOUNDARIES_CMD, *args], env)
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert done.stderr.strip(), "a refusal must say why"
    return done


def test_a_morning_snooze_is_refused_and_no_sign_off_nudge_follows(
    start_boundaries: Callable[..., Started],
    notifications: NotificationsView,
) -> None:
    _, env, clock = started(start_boundaries, "2026-11-24 08:22:00")

    done = refused(env, "snooze", "15")
    assert "no sign-off to snooze" in done.stderr
    set_clock(clock, "2026-11-24 08:37:30")
    cli(env, "status")  # a round trip through the app's loop after the jump
    harness.wait_for(lambda: status(env)["now"].startswith("2026-11-24T08:3"), timeout=10)
    assert [n["summary"] for n in notifications.all()] == []


def test_end_focus_ends_a_manual_focus_started_inside_a_block(
    start_boundaries: Callable[..., Started],
) -> None:
    _, env, clock = started(start_boundaries, "2026-11-24 09:30:00")
    assert status(env)["state"] == "focusing"  # the 09:00-11:00 block

    out = cli(env, "focus", "90").stdout
    assert "the scheduled block (11:00) is kept" in out
    out = cli(env, "focus", "5").stdout
    assert "shortens the scheduled block that ran until 11:00" in out
    cli(env, "focus", "--end")
    assert status(env)["state"] == "idle"
    set_clock(clock, "2026-11-24 09:40:00")  # a wake-up later: the block does not come back
    harness.wait_for(lambda: status(env)["now"].startswith("2026-11-24T09:4"), timeout=10)
    assert status(env)["state"] == "idle"
    assert status(env)["next_event"]["kind"] == "focus_start"  # 14:00, not "focus end 11:00"


def test_nudges_replace_each_other_escalate_and_are_withdrawn_on_sign_off(
    start_boundaries: Callable[..., Started],
    notifications: NotificationsView,
    notify_recorder: harness.NotifyRecorder,
) -> None:
    _, env, clock = started(start_boundaries, "2026-11-24 17:14:57")

    heads_up = notifications.wait_for(lambda n: n["summary"] == "Sign-off in 15 min", timeout=20)
    set_clock(clock, "2026-11-24 17:30:00")
    nudge = notifications.wait_for(lambda n: n["summary"] == "Time to sign off", timeout=20)
    assert nudge["replaces_id"] == heads_up["id"] and nudge["id"] == heads_up["id"]
    set_clock(clock, "2026-11-24 18:00:00")
    escalation = notifications.wait_for(lambda n: n["summary"].startswith("Still working"))
    assert escalation["id"] == heads_up["id"]  # still one bubble on screen
    assert (heads_up["hints"]["urgency"], nudge["hints"]["urgency"]) == (0, 1)
    assert escalation["hints"]["urgency"] == 2

    cli(env, "signoff")
    harness.wait_for(
        lambda: any(
            e.get("event") == "closed" and e.get("id") == heads_up["id"]
            for e in notify_recorder.events()
        ),
        timeout=10,
        message="the nudge withdrawn (CloseNotification) after signing off",
    )


def test_the_cli_says_no_when_there_is_nothing_to_do(
    start_boundaries: Callable[..., Started],
) -> None:
    env = started(start_boundaries, "2026-11-24 07:53:58").env

    assert "not focusing" in refused(env, "focus", "--end").stderr
    assert "not signed off" in refused(env, "signoff", "--back").stderr
    assert "07:00 has already passed" in refused(env, "focus", "--until", "07:00").stderr
    assert status(env)["state"] == "idle"
    out = cli(env, "focus", "25").stdout
    now = datetime.fromisoformat(status(env)["now"])
    shown = datetime.strptime(out.splitlines()[0], "Focusing until %H:%M").time()
    end = datetime.combine(now.date(), shown, tzinfo=now.tzinfo)
    # Never reads as 24. At most 26: the end is rounded up to the minute, and `status` gives
    # "now" to the second, so a focus started at 07:54:00.4 ends at 08:20 while "now" reads
    # 07:54:00 (this bound was "< 26" and failed when both fell in that second).
    assert timedelta(minutes=25) <= end - now <= timedelta(minutes=26)
    bad = subprocess.run(
        [*harness.BOUNDARIES_CMD, "slack", "login"],
        env=env,
        input="xoxb-not-a-user-token\n",
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert bad.returncode == 2, bad.stderr  # bad input, not "the app refused"


def test_pause_resume_snooze_and_skip_from_the_cli(
    start_boundaries: Callable[..., Started],
) -> None:
    _, env, clock = started(start_boundaries, "2026-11-24 12:00:00")

    out = cli(env, "pause", "1h").stdout
    assert out.splitlines()[0] in ("Paused until 13:00", "Paused until 13:01")  # whole minutes
    assert "next: pause ends at 13:0" in out
    cli(env, "resume")
    out = cli(env, "skip").stdout
    assert "Skipping the focus block 14:00–16:00" in out
    set_clock(clock, "2026-11-24 14:00:30")
    harness.wait_for(lambda: status(env)["now"].startswith("2026-11-24T14:"), timeout=10)
    assert status(env)["state"] == "idle"

    set_clock(clock, "2026-11-24 17:50:00")
    harness.wait_for(lambda: status(env)["now"].startswith("2026-11-24T17:5"), timeout=10)
    out = cli(env, "snooze", "30").stdout
    assert "Sign-off snoozed until 18:20" in out.splitlines()[0]
    assert "next: snoozed sign-off comes back at 18:20" in out  # not "escalation at 18:00"
    assert "T18:" not in out  # what the menu says, not raw ISO timestamps
