"""Fixtures shared by every test folder. Keep folder-specific fixtures in that folder.

``fake_slack``: the fake Slack Web API (tests/fakes/slack_api.py) on a local port, stopped after
the test, which fails if the token was sent anywhere but the Authorization header. Its clock is
``slack_clock`` (the real time; tests/slack overrides it with a hand-moved one).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from tests.fakes.slack_api import FakeSlack


@pytest.fixture
def slack_clock() -> Callable[[], float]:
    return time.time


@pytest.fixture
def fake_slack(slack_clock: Callable[[], float]) -> Iterator[FakeSlack]:
    fake = FakeSlack(clock=slack_clock).start()
    try:
        yield fake
    finally:
        fake.stop()
    assert fake.violations == [], "the client sent the token somewhere other than the header"
