"""Fixtures for the Slack and keyring integrations: a fake Slack server, a controllable
clock shared by the fake and the code under test, and a private Secret Service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import SecretService

from boundaries.app.agent_client import SlackAgentClient
from boundaries.integrations.secrets import TokenStore
from boundaries.integrations.slack import SlackClient
from boundaries.integrations.slack_presence import JournalFile, SlackPresence
from tests.fakes import secret_service
from tests.fakes.slack_api import FakeSlack
from tests.slack.helpers import Clock, make_client


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def slack_clock(clock: Clock) -> Clock:
    """The fake Slack (tests/conftest.py) expires statuses and snoozes on the same clock."""
    return clock


@pytest.fixture
def client(fake_slack: FakeSlack) -> SlackClient:
    return make_client(fake_slack)


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    path = tmp_path / "state"
    path.mkdir()
    return path


@pytest.fixture
def journal(state_dir: Path) -> JournalFile:
    return JournalFile(state_dir / "slack-journal.json")


@pytest.fixture
def presence(client: SlackClient, journal: JournalFile, clock: Clock) -> SlackPresence:
    return SlackPresence(client, journal, clock=clock.datetime)


# -- keyring


@pytest.fixture(scope="session")
def secret_service_session() -> Iterator[secret_service.SecretServiceSession]:
    missing = secret_service.available()
    if missing:
        pytest.skip(missing)
    session = secret_service.SecretServiceSession().start()
    try:
        yield session
    finally:
        session.stop()


@pytest.fixture
def secret_keyring(
    secret_service_session: secret_service.SecretServiceSession, monkeypatch: pytest.MonkeyPatch
) -> SecretService.Keyring:
    """keyring's real SecretService backend, talking to the private gnome-keyring."""
    for key, value in secret_service_session.env.items():
        monkeypatch.setenv(key, value)
    backend = SecretService.Keyring()
    assert backend.priority >= 1, "the private Secret Service is not reachable"
    return backend


@pytest.fixture
def global_keyring() -> Iterator[None]:
    """Lets a test call keyring.set_keyring(); the previous backend is put back after."""
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


# -- the Slack agent (app/slack_agent.py): the app's keyring and Slack calls, in a process


@pytest.fixture
def agent_env(secret_keyring: SecretService.Keyring) -> dict[str, str]:
    """What makes an agent use the private gnome-keyring (its bus is in os.environ)."""
    return {"PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring"}


@pytest.fixture
def agent(agent_env: dict[str, str]) -> Iterator[SlackAgentClient]:
    """A real agent client: each call goes to a ``boundaries __slack-agent`` process."""
    client = SlackAgentClient(env=agent_env)
    yield client
    client.close()


@pytest.fixture
def agent_store(secret_keyring: SecretService.Keyring) -> Iterator[TokenStore]:
    """The entry the agent reads (the app's service and account), empty before and after."""
    store = TokenStore(backend=secret_keyring)
    store.delete()
    yield store
    store.delete()


NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
"""An agent environment with keyring's own "no keyring" backend."""
