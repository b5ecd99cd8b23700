"""The Slack agent's lifetime, with real ``boundaries __slack-agent`` processes and the private
gnome-keyring: started by the first call, gone after its idle time, and a killed or hung agent
answered with the usual Slack-outage error while the next call starts a new one."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from boundaries.app.agent_client import AgentUnavailable, SlackAgentClient
from boundaries.app.agent_protocol import AgentFailed
from boundaries.integrations.secrets import TokenStore
from boundaries.integrations.slack_errors import SlackUnavailable
from boundaries.integrations.token_check import InvalidToken, KeyringUnavailable
from tests.e2e.harness import wait_for
from tests.fakes.slack_api import FAKE_TOKEN
from tests.slack.conftest import NO_KEYRING


def gone(pid: int) -> bool:
    """The process has exited and been reaped (no zombie left behind)."""
    return not Path(f"/proc/{pid}").exists()


@pytest.fixture
def make_agent(agent_env: dict[str, str]) -> Iterator[Callable[..., SlackAgentClient]]:
    made: list[SlackAgentClient] = []

    def make(**options: float) -> SlackAgentClient:
        client = SlackAgentClient(env=agent_env, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def test_started_by_the_first_call_and_gone_after_its_idle_time(
    make_agent: Callable[..., SlackAgentClient], agent_store: TokenStore
) -> None:
    client = make_agent(idle_s=0.5)
    assert client.pid() is None and client.started == 0  # nothing runs until asked
    agent_store.set(FAKE_TOKEN)
    assert client.call("token_status")["stored"] is True
    pid = client.pid()
    assert pid is not None and client.started == 1
    assert client.call("token_status")["stored"] is True  # the same agent, while it is busy
    assert client.started == 1
    wait_for(lambda: client.pid() is None and gone(pid), 20, message="the idle agent to leave")
    assert client.call("token_delete") is True  # a new agent for the next call
    assert client.started == 2
    assert agent_store.get() is None


def test_an_agent_killed_while_idle_is_replaced_by_the_next_call(
    make_agent: Callable[..., SlackAgentClient], agent_store: TokenStore
) -> None:
    client = make_agent()
    assert client.call("token_status")["stored"] is False
    pid = client.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: gone(pid), 20, message="the killed agent reaped")
    agent_store.set(FAKE_TOKEN)
    assert client.call("token_status")["stored"] is True
    assert client.started == 2


def test_an_agent_killed_with_a_request_in_flight_is_a_slack_outage(
    make_agent: Callable[..., SlackAgentClient],
) -> None:
    client = make_agent()
    client.call("token_status")
    pid = client.pid()
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # it cannot answer what is asked next
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            client.call("token_status")
        except BaseException as error:
            errors.append(error)

    asking = threading.Thread(target=ask)
    asking.start()
    wait_for(lambda: client.in_flight() == 1, 20, message="the request written")
    os.kill(pid, signal.SIGKILL)
    asking.join(30)
    assert len(errors) == 1
    assert isinstance(errors[0], AgentUnavailable) and isinstance(errors[0], SlackUnavailable)
    assert "stopped unexpectedly" in str(errors[0])
    assert client.call("token_status")["stored"] is False  # and the next call starts a new one
    assert client.started == 2


def test_a_hung_agent_is_ended_and_the_next_call_starts_a_new_one(
    make_agent: Callable[..., SlackAgentClient],
) -> None:
    client = make_agent(answer_within_s=1.0)
    client.call("token_status")
    pid = client.pid()
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    with pytest.raises(AgentUnavailable, match="did not answer within 1 s"):
        client.call("token_status")
    wait_for(lambda: gone(pid), 20, message="the hung agent ended")
    assert client.call("token_status")["stored"] is False
    assert client.started == 2


def test_the_stored_token_is_never_sent_back(
    make_agent: Callable[..., SlackAgentClient], agent_store: TokenStore
) -> None:
    client = make_agent()
    agent_store.set(FAKE_TOKEN)
    assert client.call("token_status") == {
        "keyring": "Secret Service (GNOME Keyring or KWallet)",
        "stored": True,
    }
    with pytest.raises(AgentFailed, match="no such request: token_get"):
        client.call("token_get")  # there is no way to ask for it


def test_the_keyrings_errors_arrive_as_themselves() -> None:
    client = SlackAgentClient(env=NO_KEYRING)
    try:
        with pytest.raises(KeyringUnavailable, match="No keyring is available"):
            client.call("token_status")
        with pytest.raises(InvalidToken, match="bot token"):
            client.call("token_set", token="xoxb-1234567890-abcdefghij")
    finally:
        client.close()


# The first agent says bye without reading anything (as an idle agent does when a request
# crosses its bye); the next is the real one.
_LEAVES_FIRST = """
import os, sys
marker = sys.argv[1]
if not os.path.exists(marker):
    open(marker, "w").close()
    sys.stdout.write('{"bye": true}\\n')
    sys.stdout.flush()
    sys.exit(0)
os.execv(sys.executable, [sys.executable, "-m", "boundaries", *sys.argv[2:]])
"""


def test_a_request_that_crossed_the_agents_bye_goes_to_a_new_agent(
    agent_env: dict[str, str], agent_store: TokenStore, tmp_path: Path
) -> None:
    import sys

    from boundaries.entry import AGENT_ARG

    marker = tmp_path / "left-once"
    command = [sys.executable, "-c", _LEAVES_FIRST, str(marker), AGENT_ARG]
    client = SlackAgentClient(command=command, env=agent_env)
    try:
        agent_store.set(FAKE_TOKEN)
        assert client.call("token_status")["stored"] is True  # asked again, answered once
        assert marker.exists() and client.started == 2
    finally:
        client.close()
