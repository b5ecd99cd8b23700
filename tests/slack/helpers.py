"""Helpers shared by the Slack tests (fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from boundaries.integrations.slack import SlackClient
from tests.fakes.slack_api import FAKE_TOKEN, FakeSlack

START = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # a Monday morning


class Clock:
    """The time both the fake Slack (expiry of statuses and snoozes) and SlackPresence see."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now, UTC)

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_client(fake: FakeSlack, token: str = FAKE_TOKEN, **kwargs: float) -> SlackClient:
    """A real slack_sdk-backed client with short timeouts and backoff for tests."""
    options: dict[str, float] = {"timeout": 2.0, "backoff": 0.05}
    options.update(kwargs)
    return SlackClient(token, fake.url, **options)  # type: ignore[arg-type]
