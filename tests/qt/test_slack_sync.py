"""SlackSync with the real controller, the real slack_sdk client and the fake Slack server.

Time is a hand-moved clock shared by the controller, SlackPresence and the fake (so status
expiry and snoozes agree); only retries run on short real Qt timers.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from boundaries.app.agent_client import SlackAgentClient
from boundaries.app.controller import Controller
from boundaries.app.slack_sync import SlackSync
from boundaries.core.focus import Mode
from boundaries.core.settings import FocusSettings, Settings, SlackSettings
from boundaries.integrations.secrets import TokenStore
from tests.fakes.slack_api import FAKE_TOKEN, FakeSlack

from .fakes import FakeClock, MemorySink, RecordingWaker

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 24, 8, 0, tzinfo=BERLIN)  # a Tuesday, before any block


FAST = {"timeout": 1.0, "backoff": 0.01, "connection_retries": 0}
"""The agent's Slack clients in these tests: a dead fake Slack costs milliseconds."""


class RecordingAgent(SlackAgentClient):
    """A real agent client, noting which of this process's threads asked it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.threads: list[str] = []

    def call(self, op: str, **args: Any) -> Any:
        self.threads.append(threading.current_thread().name)
        return super().call(op, **args)


class Rig:
    def __init__(
        self, state_dir: Path, fake: FakeSlack, agent: SlackAgentClient, **settings: Any
    ) -> None:
        self.clock = FakeClock(START)
        fake.clock = lambda: self.clock.now.timestamp()
        self.fake = fake
        self.agent = agent
        self.settings = Settings(
            focus=FocusSettings(blocks=(), **settings),
            slack=SlackSettings(enabled=True, api_url=fake.url),
        )
        self.controller = Controller(
            self.settings,
            zone=lambda s: BERLIN,
            clock=self.clock,
            waker=RecordingWaker(),
            state_sink=MemorySink(),
        )
        self.state_dir = state_dir
        self.sync = SlackSync(
            self.controller, state_dir, agent=agent, retry_first=0.05, retry_max=0.2
        )
        self.problems: list[str | None] = []
        self.sync.problem.connect(self.problems.append)
        self.settled: list[str] = []
        self.sync.settled.connect(self.settled.append)

    def start(self, qtbot: QtBot) -> None:
        self.controller.start()
        self.sync.start()
        qtbot.waitUntil(lambda: bool(self.settled))

    def wait_settled(self, qtbot: QtBot, kind: str, timeout: int = 5000) -> None:
        count = self.settled.count(kind)
        qtbot.waitUntil(lambda: self.settled.count(kind) > count, timeout=timeout)

    def close(self) -> None:
        self.sync.shutdown()
        self.controller.shutdown()


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    path = tmp_path / "state"
    path.mkdir()
    return path


@pytest.fixture
def make_agent(
    agent_env: dict[str, str], agent_store: TokenStore
) -> Iterator[Callable[..., RecordingAgent]]:
    """Agents on the private gnome-keyring, which holds the fake's token."""
    agent_store.set(FAKE_TOKEN)
    made: list[RecordingAgent] = []

    def make(**slack_options: float) -> RecordingAgent:
        client = RecordingAgent(env=agent_env, slack_options={**FAST, **slack_options})
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def rig(
    qtbot: QtBot, state_dir: Path, fake_slack: FakeSlack, make_agent: Callable[..., RecordingAgent]
) -> Iterator[Rig]:
    rig = Rig(state_dir, fake_slack, make_agent())
    rig.start(qtbot)
    yield rig
    rig.close()


def focus_for(rig: Rig, qtbot: QtBot, minutes: int) -> None:
    with qtbot.waitSignal(rig.sync.settled, check_params_cb=lambda k: k == "focus"):
        rig.controller.start_focus_minutes(minutes)


def end_focus(rig: Rig, qtbot: QtBot) -> None:
    with qtbot.waitSignal(rig.sync.settled, check_params_cb=lambda k: k == "restore"):
        rig.controller.end_focus()


def no_token_anywhere(root: Path, log_text: str) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            assert FAKE_TOKEN not in path.read_text(errors="replace"), path
    assert FAKE_TOKEN not in log_text


def test_focus_sets_status_and_snooze_then_restores(
    rig: Rig, qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    focus_for(rig, qtbot, 50)
    text, emoji, expiration = rig.fake.status()
    assert text.startswith("Focusing until 08:50")
    assert emoji == ":headphones:"
    assert expiration == int(START.timestamp()) + 50 * 60
    assert rig.fake.snooze() is not None
    assert rig.sync.journal_path.exists()  # crash-safe: what to restore is on disk

    end_focus(rig, qtbot)
    assert rig.fake.status() == ("", "", 0)
    assert rig.fake.snooze() is None
    assert not rig.sync.journal_path.exists()
    assert rig.problems == []
    no_token_anywhere(tmp_path, caplog.text)


def test_slack_calls_are_asked_of_the_agent_from_the_slack_worker_thread(
    rig: Rig, qtbot: QtBot
) -> None:
    focus_for(rig, qtbot, 25)
    gui = threading.current_thread().name
    assert rig.fake.calls("users.profile.set"), "no Slack calls were made"
    assert isinstance(rig.agent, RecordingAgent)
    assert set(rig.agent.threads) == {"slack_0"}
    assert gui != "slack_0"
    assert rig.agent.pid() is not None  # the calls were the agent's, a process of its own


def test_extending_focus_updates_the_status(rig: Rig, qtbot: QtBot) -> None:
    focus_for(rig, qtbot, 25)
    focus_for(rig, qtbot, 90)  # starting again while focusing extends the block
    assert rig.fake.status()[0].startswith("Focusing until 09:30")
    end_focus(rig, qtbot)
    assert rig.fake.status() == ("", "", 0)


def test_users_own_status_is_kept(rig: Rig, qtbot: QtBot) -> None:
    rig.fake.user_sets_status("At the dentist", ":tooth:")
    focus_for(rig, qtbot, 50)
    assert rig.fake.status()[:2] == ("At the dentist", ":tooth:")
    assert rig.fake.snooze() is not None  # notifications are still paused
    end_focus(rig, qtbot)
    assert rig.fake.status()[:2] == ("At the dentist", ":tooth:")
    assert rig.fake.snooze() is None


def test_status_changed_mid_block_wins(rig: Rig, qtbot: QtBot) -> None:
    focus_for(rig, qtbot, 50)
    rig.fake.user_sets_status("Lunch", ":pizza:")
    end_focus(rig, qtbot)
    assert rig.fake.status()[:2] == ("Lunch", ":pizza:")


def test_sign_off_and_back(rig: Rig, qtbot: QtBot) -> None:
    with qtbot.waitSignal(rig.sync.settled, check_params_cb=lambda k: k == "signoff"):
        rig.controller.sign_off()
    assert rig.controller.state.mode is Mode.SIGNED_OFF
    text, emoji, expiration = rig.fake.status()
    assert text == "Signed off - back Tue 09:00 CET"  # before the workday: back today
    assert emoji == ":house_with_garden:"
    back = rig.controller.state.back_at
    assert back is not None and expiration == int(back.timestamp())
    assert rig.fake.snooze() is not None
    with qtbot.waitSignal(rig.sync.settled, check_params_cb=lambda k: k == "restore"):
        rig.controller.back_to_work()
    assert rig.fake.status() == ("", "", 0)
    assert rig.fake.snooze() is None


def test_slack_down_for_the_whole_block(rig: Rig, qtbot: QtBot) -> None:
    rig.fake.stop()
    rig.controller.start_focus_minutes(50)
    assert rig.controller.state.mode is Mode.FOCUSING  # local focus does not wait for Slack
    qtbot.waitUntil(lambda: bool(rig.problems))
    assert rig.problems[-1] is not None and rig.problems[-1].startswith("Slack: unreachable")
    rig.clock.advance(minutes=50)
    rig.controller.wake()
    assert rig.controller.state.mode is Mode.IDLE
    rig.fake.start()  # Slack is back: nothing was set, nothing to restore on Slack
    qtbot.waitUntil(lambda: rig.problems[-1] is None, timeout=5000)
    assert rig.fake.status() == ("", "", 0)
    assert not rig.sync.journal_path.exists()


def test_slack_goes_down_mid_block_restore_completes_when_back(rig: Rig, qtbot: QtBot) -> None:
    focus_for(rig, qtbot, 50)
    rig.fake.stop()
    rig.controller.end_focus()
    assert rig.controller.state.mode is Mode.IDLE
    qtbot.waitUntil(lambda: bool(rig.problems))
    assert rig.sync.journal_path.exists()
    assert rig.fake.status()[0].startswith("Focusing")  # Slack still shows ours
    rig.fake.start()
    rig.wait_settled(qtbot, "restore")
    assert rig.fake.status() == ("", "", 0)
    assert rig.fake.snooze() is None
    assert rig.problems[-1] is None
    assert not rig.sync.journal_path.exists()


def test_revoked_token_reports_exactly_one_problem(rig: Rig, qtbot: QtBot) -> None:
    rig.fake.revoke()
    rig.controller.start_focus_minutes(50)
    qtbot.waitUntil(lambda: bool(rig.problems))
    with qtbot.waitSignal(rig.sync.settled):  # nothing of ours to restore
        rig.controller.end_focus()
    rig.controller.start_focus_minutes(25)
    qtbot.waitUntil(lambda: len(rig.fake.calls("users.profile.get")) == 2)
    qtbot.wait(100)  # let any further (wrong) retries or reports surface
    assert rig.problems == ["Slack: token revoked — paste a new one in Settings > Slack"]
    assert rig.sync.retry_in_ms() is None  # no retry of an auth failure
    assert len(rig.fake.calls("users.profile.get")) == 2


def test_turning_slack_off_clears_its_problem(rig: Rig, qtbot: QtBot) -> None:
    rig.fake.revoke()
    rig.controller.start_focus_minutes(50)
    qtbot.waitUntil(lambda: bool(rig.problems))
    with qtbot.waitSignal(rig.sync.settled, check_params_cb=lambda k: k == "off"):
        rig.controller.apply_settings(Settings(focus=FocusSettings(blocks=())))
    assert rig.problems[-1] is None


def test_missing_scope_is_named(rig: Rig, qtbot: QtBot) -> None:
    rig.fake.fail_next("missing_scope", method="dnd.setSnooze")
    rig.controller.start_focus_minutes(50)
    qtbot.waitUntil(lambda: bool(rig.problems))
    assert rig.problems == [
        "Slack: missing scope dnd:write — add it to your Slack app and paste the new token "
        "in Settings > Slack"
    ]


def test_rate_limited_then_success(
    qtbot: QtBot,
    state_dir: Path,
    fake_slack: FakeSlack,
    make_agent: Callable[..., RecordingAgent],
) -> None:
    surfacing = make_agent(rate_limit_retries=0, max_rate_limit_wait=0)  # the first 429
    rig = Rig(state_dir, fake_slack, surfacing)
    rig.start(qtbot)
    try:
        fake_slack.fail_next("ratelimited", retry_after=7)
        rig.controller.start_focus_minutes(50)
        qtbot.waitUntil(lambda: rig.sync.retry_in_ms() is not None)
        assert rig.problems[-1] == "Slack: rate-limited — retrying; local features keep working"
        wait = rig.sync.retry_in_ms()
        assert wait is not None and 6000 < wait <= 7000  # Slack's Retry-After, not our backoff
        rig.sync.resync()  # what the timer does when it fires
        rig.wait_settled(qtbot, "focus")
        assert rig.fake.status()[0].startswith("Focusing")
        assert rig.problems[-1] is None
        assert rig.sync.retry_in_ms() is None
    finally:
        rig.close()


def test_newer_intent_supersedes_a_pending_retry(rig: Rig, qtbot: QtBot) -> None:
    rig.fake.stop()
    rig.controller.start_focus_minutes(50)
    qtbot.waitUntil(lambda: rig.sync.retry_in_ms() is not None)
    rig.controller.end_focus()  # nothing was set on Slack: the restore has nothing to do
    qtbot.waitUntil(lambda: rig.problems[-1] is None)
    assert rig.sync.retry_in_ms() is None
    rig.fake.start()
    qtbot.wait(300)  # longer than the retry backoff: a stale focus retry would show now
    assert rig.fake.status() == ("", "", 0)


def test_event_loop_keeps_serving_while_slack_hangs(rig: Rig, qtbot: QtBot) -> None:
    ticks: list[int] = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    rig.fake.fail_next("hang", times=5, delay=30)
    rig.controller.start_focus_minutes(50)
    qtbot.waitUntil(lambda: len(ticks) >= 20, timeout=3000)  # while the call hangs
    assert rig.controller.state.mode is Mode.FOCUSING
    assert "focus" not in rig.settled
    timer.stop()
    rig.fake.clear_faults()


def test_restart_completes_a_restore_left_by_a_crash(
    qtbot: QtBot,
    state_dir: Path,
    fake_slack: FakeSlack,
    make_agent: Callable[..., RecordingAgent],
) -> None:
    first = Rig(state_dir, fake_slack, make_agent())
    first.start(qtbot)
    focus_for(first, qtbot, 50)
    first.sync.shutdown()  # the app dies; the journal stays
    first.controller.shutdown()
    assert fake_slack.status()[0].startswith("Focusing")

    second = Rig(state_dir, fake_slack, make_agent())  # restarted, idle
    second.clock.advance(minutes=10)
    try:
        second.controller.start()
        second.sync.start()
        second.wait_settled(qtbot, "restore")
        assert fake_slack.status() == ("", "", 0)
        assert fake_slack.snooze() is None
        assert not second.sync.journal_path.exists()
    finally:
        second.close()


def test_disabled_slack_makes_no_calls(
    qtbot: QtBot,
    state_dir: Path,
    fake_slack: FakeSlack,
    make_agent: Callable[..., RecordingAgent],
) -> None:
    agent = make_agent()
    rig = Rig(state_dir, fake_slack, agent)
    rig.controller.apply_settings(Settings(focus=FocusSettings(blocks=())))  # Slack off
    rig.start(qtbot)
    try:
        with qtbot.waitSignal(rig.sync.settled):
            rig.controller.start_focus_minutes(50)
        assert fake_slack.calls() == []
        assert agent.threads == [] and agent.started == 0  # no agent, no keyring
    finally:
        rig.close()


def test_token_from_the_real_keyring(
    qtbot: QtBot,
    state_dir: Path,
    fake_slack: FakeSlack,
    agent: SlackAgentClient,
    agent_store: TokenStore,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    store = agent_store
    store.set(FAKE_TOKEN)
    rig = Rig(state_dir, fake_slack, agent)  # the agent reads the keyring
    rig.start(qtbot)
    try:
        focus_for(rig, qtbot, 50)
        assert fake_slack.status()[0].startswith("Focusing")
        end_focus(rig, qtbot)
        store.delete()
        rig.controller.start_focus_minutes(25)
        qtbot.waitUntil(lambda: bool(rig.problems))
        assert rig.problems == ["Slack: no token saved — paste one in Settings > Slack"]
    finally:
        rig.close()
    no_token_anywhere(tmp_path, caplog.text)


def test_a_killed_agent_is_said_as_slack_unreachable_and_the_retry_starts_a_new_one(
    qtbot: QtBot,
    state_dir: Path,
    fake_slack: FakeSlack,
    agent: SlackAgentClient,
    agent_store: TokenStore,
) -> None:
    agent_store.set(FAKE_TOKEN)
    rig = Rig(state_dir, fake_slack, agent)
    rig.start(qtbot)
    try:
        assert agent.call("token_status")["stored"] is True
        pid = agent.pid()
        assert pid is not None
        os.kill(pid, signal.SIGSTOP)  # it reads nothing more until killed
        rig.controller.start_focus_minutes(50)
        qtbot.waitUntil(lambda: agent.in_flight() == 1)
        os.kill(pid, signal.SIGKILL)
        qtbot.waitUntil(lambda: bool(rig.problems))
        assert rig.problems == [
            "Slack: unreachable (Boundaries' Slack helper stopped unexpectedly) — retrying; "
            "local features keep working"
        ]
        rig.wait_settled(qtbot, "focus")  # the retry asked a new agent
        assert fake_slack.status()[0].startswith("Focusing")
        assert rig.problems[-1] is None
        assert agent.started == 2
    finally:
        rig.close()
