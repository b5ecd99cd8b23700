"""Focus and sign-off on Slack: what the user sees before, during and after, and crash safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from boundaries.integrations.slack import SlackError, SlackUnavailable
from boundaries.integrations.slack_presence import JournalFile, SlackPresence
from tests.fakes.slack_api import FAKE_TOKEN, FakeSlack
from tests.slack.helpers import Clock, make_client

FOCUS = ("Focusing until 10:00", ":tomato:")
SIGNOFF = ("Signed off - back Tue 09:00 CET", ":house:")


def begin_focus(
    presence: SlackPresence,
    clock: Clock,
    minutes: int = 60,
    *,
    pause: bool = True,
    replace: bool = False,
) -> int:
    until = clock.datetime() + timedelta(minutes=minutes)
    presence.begin(
        "focus", *FOCUS, until=until, pause_notifications=pause, replace_own_status=replace
    )
    return int(until.timestamp())


def test_focus_sets_status_and_snooze_then_restores_nothing_left(
    fake_slack: FakeSlack, presence: SlackPresence, clock: Clock
) -> None:
    end = begin_focus(presence, clock, 50)
    assert fake_slack.status() == (*FOCUS, end)
    assert fake_slack.snooze() == end
    assert presence.pending()
    clock.advance(20 * 60)  # the user ends the block early
    presence.restore()
    assert fake_slack.status() == ("", "", 0)
    assert fake_slack.snooze() is None
    assert not presence.pending()


def test_snooze_minutes_round_up(
    fake_slack: FakeSlack, presence: SlackPresence, clock: Clock
) -> None:
    until = clock.datetime() + timedelta(minutes=24, seconds=10)
    presence.begin("focus", *FOCUS, until=until, pause_notifications=True, replace_own_status=False)
    assert fake_slack.calls("dnd.setSnooze")[0].params["num_minutes"] == "25"


def test_users_own_status_is_left_alone(
    fake_slack: FakeSlack, presence: SlackPresence, clock: Clock
) -> None:
    fake_slack.user_sets_status("At the dentist", ":tooth:")
    begin_focus(presence, clock)
    assert fake_slack.status() == ("At the dentist", ":tooth:", 0)
    assert "users.profile.set" not in fake_slack.methods()
    assert fake_slack.snooze() is not None  # notifications are still paused
    presence.restore()
    assert fake_slack.status() == ("At the dentist", ":tooth:", 0)
    assert fake_slack.methods().count("users.profile.set") == 0


def test_replace_own_status_puts_it_back_afterwards(
    fake_slack: FakeSlack, presence: SlackPresence, clock: Clock
) -> None:
    expires = int(clock.now) + 8 * 3600
    fake_slack.user_sets_status("On call", ":pager:", expires)
    end = begin_focus(presence, clock, replace=True)
    assert fake_slack.status() == (*FOCUS, end)
    presence.restore()
    assert fake_slack.status() == ("On call", ":pager:", expires)


def test_replaced_status_returns_even_after_ours_expired(
    fake_slack: FakeSlack, presence: SlackPresence, clock: Clock
) -> None:
    fake_slack.user_sets_status("On call", ":pager:")
    begin_focus(presence, clock, 30, replace=True)
    clock.advance(31 * 60)  # Slack cleared our status at the block end; the app restores late
    assert fake_slack.status() == ("", "", 0)
    presence.restore()
    assert fake_slack.status() == ("On call", ":pager:", 0)


def test_status_changed_by_the_user_mid_block_wins(
    fake_slack: FakeSlack, presence: SlackPresence, clock: Clock
) -> None:
    begin_focus(presence, clock)
    clock.advance(600)
    fake_slack.user_sets_status("Lunch", ":sandwich:")
    presence.restore()
    assert fake_slack.status() == ("Lunch", ":sandwich:", 0)
    assert not presence.pending()


def test_users_own_snooze_is_kept(
    fake_slack: FakeSlack, presence: SlackPresence, clock: Clock
) -> None:
    fake_slack.user_sets_snooze(180)
    theirs = fake_slack.snooze()
    begin_focus(presence, clock, 60)
    assert fake_slack.snooze() == theirs
    assert "dnd.setSnooze" not in fake_slack.methods()
    presence.restore()
    assert fake_slack.snooze() == theirs
    assert "dnd.endSnooze" not in fake_slack.methods()


def test_snooze_changed_by_the_user_mid_block_is_kept(
    fake_slack: FakeSlack, presence: SlackPresence, clock: Clock
) -> None:
    begin_focus(presence, clock, 30)
    fake_slack.user_sets_snooze(240)  # the user replaced ours with a longer one
    theirs = fake_slack.snooze()
    presence.restore()
    assert fake_slack.snooze() == theirs


def test_no_pause_means_no_snooze(
    fake_slack: FakeSlack, presence: SlackPresence, clock: Clock
) -> None:
    begin_focus(presence, clock, pause=False)
    assert fake_slack.snooze() is None
    assert not any(m.startswith("dnd.") for m in fake_slack.methods())
    presence.restore()
    assert not any(m.startswith("dnd.") for m in fake_slack.methods())


def test_sign_off_and_back(fake_slack: FakeSlack, presence: SlackPresence, clock: Clock) -> None:
    fake_slack.user_sets_status("Lunch", ":sandwich:", int(clock.now) + 3600)
    clock.advance(2 * 3600)  # their lunch status expired long ago: nothing of theirs left
    back = clock.datetime() + timedelta(hours=15)
    presence.begin(
        "signoff", *SIGNOFF, until=back, pause_notifications=True, replace_own_status=False
    )
    assert fake_slack.status() == (*SIGNOFF, int(back.timestamp()))
    assert fake_slack.snooze() == int(back.timestamp())
    clock.advance(3600)
    presence.restore()  # "I'm back"
    assert fake_slack.status() == ("", "", 0)
    assert fake_slack.snooze() is None


def test_focus_then_sign_off_keeps_the_users_original_status(
    fake_slack: FakeSlack, presence: SlackPresence, journal: JournalFile, clock: Clock
) -> None:
    fake_slack.user_sets_status("Remote week", ":palm_tree:")
    begin_focus(presence, clock, 60, replace=True)
    clock.advance(60 * 60)
    back = clock.datetime() + timedelta(hours=14)
    presence.begin(
        "signoff", *SIGNOFF, until=back, pause_notifications=True, replace_own_status=True
    )
    saved = journal.read()
    assert saved is not None and saved.kind == "signoff"
    assert saved.previous_status.text == "Remote week"
    assert fake_slack.status()[0] == SIGNOFF[0]
    presence.restore()
    assert fake_slack.status() == ("Remote week", ":palm_tree:", 0)
    assert fake_slack.snooze() is None


def test_extending_a_block_moves_status_and_snooze(
    fake_slack: FakeSlack, presence: SlackPresence, clock: Clock
) -> None:
    begin_focus(presence, clock, 30)
    clock.advance(25 * 60)
    end = begin_focus(presence, clock, 30)
    assert fake_slack.status() == (*FOCUS, end)
    assert fake_slack.snooze() == end
    presence.restore()
    assert fake_slack.status() == ("", "", 0) and fake_slack.snooze() is None


def test_restore_is_idempotent(
    fake_slack: FakeSlack, presence: SlackPresence, clock: Clock
) -> None:
    begin_focus(presence, clock)
    presence.restore()
    calls = len(fake_slack.calls())
    presence.restore()
    assert len(fake_slack.calls()) == calls  # no journal: nothing to do, no Slack call


def test_journal_is_written_before_the_change(
    fake_slack: FakeSlack, presence: SlackPresence, journal: JournalFile, clock: Clock
) -> None:
    fake_slack.fail_next("http500", times=2, method="dnd.setSnooze")
    with pytest.raises(SlackUnavailable):
        begin_focus(presence, clock, 45)
    saved = journal.read()
    assert saved is not None and saved.snooze_set_by_us and saved.our_status is not None
    assert fake_slack.status()[0] == FOCUS[0]  # the status went through, the snooze did not
    presence.restore()
    assert fake_slack.status() == ("", "", 0)
    assert fake_slack.snooze() is None
    assert journal.read() is None


def test_failed_status_update_leaves_nothing_behind(
    fake_slack: FakeSlack, presence: SlackPresence, journal: JournalFile, clock: Clock
) -> None:
    fake_slack.fail_next("http500", times=2, method="users.profile.set")
    with pytest.raises(SlackUnavailable):
        begin_focus(presence, clock)
    assert journal.read() is not None
    fake_slack.user_sets_status("Reviewing", ":eyes:")  # theirs, set after our failed try
    presence.restore()
    assert fake_slack.status() == ("Reviewing", ":eyes:", 0)
    assert journal.read() is None


def test_slack_down_for_the_whole_block_then_back(
    fake_slack: FakeSlack, journal: JournalFile, clock: Clock
) -> None:
    presence = SlackPresence(
        make_client(fake_slack, connection_retries=0), journal, clock=clock.datetime
    )
    end = begin_focus(presence, clock, 50)
    fake_slack.stop()
    clock.advance(50 * 60 - 10)
    for _attempt in range(3):  # the app retries with backoff while Slack is down
        with pytest.raises(SlackUnavailable):
            presence.restore()
        assert presence.pending()
    fake_slack.start()
    presence.restore()
    assert fake_slack.status() == ("", "", 0)
    assert fake_slack.snooze() is None
    assert not presence.pending()
    assert end > clock.now


def test_revoked_token_during_restore_keeps_the_journal(
    fake_slack: FakeSlack, presence: SlackPresence, clock: Clock
) -> None:
    begin_focus(presence, clock)
    fake_slack.revoke()
    with pytest.raises(SlackError, match="revoked"):
        presence.restore()
    assert presence.pending()


def test_begin_refuses_bad_arguments(
    presence: SlackPresence, clock: Clock, fake_slack: FakeSlack
) -> None:
    with pytest.raises(ValueError):
        presence.begin("lunch", "x", "", clock.datetime() + timedelta(hours=1), True, False)
    with pytest.raises(ValueError):
        presence.begin("focus", "x", "", clock.datetime() - timedelta(minutes=1), True, False)
    assert fake_slack.calls() == []


def test_unreadable_journal_is_set_aside(journal: JournalFile) -> None:
    journal.path.write_text("{not json")
    assert journal.read() is None
    assert journal.path.with_name(journal.path.name + ".broken").exists()


def test_journal_is_plain_json_without_the_token(
    presence: SlackPresence, journal: JournalFile, clock: Clock
) -> None:
    begin_focus(presence, clock)
    raw = journal.path.read_text()
    assert json.loads(raw)["kind"] == "focus"
    assert FAKE_TOKEN not in raw
    assert journal.path.stat().st_mode & 0o077 == 0


CRASHING_APP = textwrap.dedent("""
    import sys, time
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from boundaries.integrations.slack import SlackClient
    from boundaries.integrations.slack_presence import JournalFile, SlackPresence
    url, journal_path, start = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
    token = sys.stdin.readline().strip()
    now = datetime.fromtimestamp(start, timezone.utc)
    presence = SlackPresence(SlackClient(token, url, timeout=5), JournalFile(journal_path),
                             clock=lambda: now)
    presence.begin("focus", "Focusing until 10:00", ":tomato:", now + timedelta(minutes=50),
                   pause_notifications=True, replace_own_status=False)
    print("focusing", flush=True)
    time.sleep(60)
""")


def test_killed_mid_block_restart_restores(
    fake_slack: FakeSlack, journal: JournalFile, clock: Clock, tmp_path: Path
) -> None:
    fake_slack.user_sets_status("", "")
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASHING_APP, fake_slack.url, str(journal.path), str(clock.now)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(FAKE_TOKEN + "\n")
        proc.stdin.close()
        assert proc.stdout.readline().strip() == "focusing"
        assert fake_slack.status()[0] == FOCUS[0] and fake_slack.snooze() is not None
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    clock.advance(10 * 60)
    restarted = SlackPresence(make_client(fake_slack), journal, clock=clock.datetime)
    assert restarted.pending()
    restarted.restore()
    assert fake_slack.status() == ("", "", 0)
    assert fake_slack.snooze() is None
