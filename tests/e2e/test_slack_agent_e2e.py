"""The real app keeps the keyring and Slack's client out of its own process: a Slack agent
child does that work and leaves when idle (docs/decisions/0016-slack-agent.md).

Focus with Slack on, the agent leaving after its idle time, Settings asking it again, then a
quit: the modules the app had loaded by then hold no keyring, secretstorage, cryptography,
slack_sdk, urllib.request or ssl, and the agent goes with the app.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from boundaries.entry import AGENT_ARG
from tests.e2e import harness
from tests.e2e.app_under_test import children_running, settings_pid
from tests.e2e.harness import BOUNDARIES_CMD, Launched, Trayer
from tests.e2e.test_slack_e2e import cli, keyring_on_bus, write_settings  # noqa: F401
from tests.fakes.slack_api import FAKE_TOKEN, FakeSlack

pytestmark = pytest.mark.e2e

NEVER_IN_THE_APP = ("keyring", "secretstorage", "cryptography", "slack_sdk", "urllib.request")


def agents_of(pid: int) -> list[int]:
    """The Slack agent children of ``pid``, started by any of its threads."""
    return children_running(pid, AGENT_ARG)


def gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


def test_keyring_and_slack_live_in_a_short_lived_agent_never_in_the_app(
    trayer: Trayer,
    app_env: dict[str, str],
    keyring_on_bus: dict[str, str],  # noqa: F811
    fake_slack: FakeSlack,
    launch: Callable[..., Launched],
    tmp_path: Path,
) -> None:
    config = Path(app_env["BOUNDARIES_CONFIG_DIR"])
    write_settings(config, fake_slack.url)
    assert cli(app_env, "slack", "login", stdin=FAKE_TOKEN + "\n").returncode == 0
    dump = tmp_path / "modules.json"
    env = {**app_env, "BOUNDARIES_BENCH": "1", "BOUNDARIES_BENCH_MODULES": str(dump)}
    app = launch([*BOUNDARIES_CMD], env, name="boundaries")
    harness.tray_icon(trayer.display, pid=app.pid, timeout=20)
    assert agents_of(app.pid) == []  # nothing of ours on Slack: no agent at start

    harness.wait_for(lambda: cli(env, "focus", "5").returncode == 0, 20, message="`focus 5` taken")
    harness.wait_for(
        lambda: fake_slack.status()[0].startswith("Focusing"),
        20,
        message=lambda: f"our status on the fake Slack\n{app.output()}",
    )
    agents = agents_of(app.pid)
    assert len(agents) == 1, agents
    assert cli(env, "focus", "--end").returncode == 0
    harness.wait_for(lambda: fake_slack.status() == ("", "", 0), 20, message="Slack restored")
    first = agents[0]
    harness.wait_for(lambda: gone(first), 90, message="the idle agent to leave (and be reaped)")

    assert cli(env).returncode == 0  # a second start opens Settings, which asks the keyring
    window = settings_pid(app.pid)  # a process of its own (record 0018), with its own agent
    harness.wait_for(lambda: agents_of(window), 20, message="Settings to ask a new agent")
    second = agents_of(window)[0]
    assert second != first
    assert agents_of(app.pid) == []

    app.proc.send_signal(signal.SIGTERM)
    assert app.proc.wait(timeout=10) == 0, app.output()
    harness.wait_for(lambda: gone(second), 20, message="the agent to go with the app")
    harness.wait_for(lambda: gone(window), 20, message="Settings to close with the app")
    loaded = json.loads(dump.read_text())["quit"]
    heavy = sorted(
        m for m in loaded if any(m == p or m.startswith(p + ".") for p in NEVER_IN_THE_APP)
    )
    assert heavy == []
    assert "ssl" not in loaded  # the app's own process never speaks TLS (record 0019)
    assert FAKE_TOKEN not in app.output()
