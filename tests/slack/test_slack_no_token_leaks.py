"""After every kind of flow the token is in no file of ours and in no log line, not even
slack_sdk's DEBUG output (which logs request and response details)."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from boundaries.integrations.secrets import TokenStore
from boundaries.integrations.slack import SlackClient, SlackError, redact
from boundaries.integrations.slack_presence import JournalFile, SlackPresence
from tests.fakes.slack_api import FAKE_TOKEN, FakeSlack
from tests.slack.helpers import Clock, make_client


def _every_flow(
    fake: FakeSlack, client: SlackClient, presence: SlackPresence, clock: Clock
) -> None:
    client.auth_test()
    client.list_users(page_size=2)
    presence.begin(
        "focus",
        "Focusing until 10:00",
        ":tomato:",
        clock.datetime() + timedelta(minutes=50),
        True,
        False,
    )
    fake.fail_next("ratelimited", retry_after=1)
    fake.fail_next("http500", times=2, method="users.profile.get")
    with pytest.raises(SlackError):
        presence.restore()
    presence.restore()
    presence.begin(
        "signoff", "Signed off", ":house:", clock.datetime() + timedelta(hours=15), True, False
    )
    fake.revoke()
    with pytest.raises(SlackError):
        presence.restore()
    with pytest.raises(SlackError):
        make_client(fake, timeout=0.3, connection_retries=0).auth_test()


def _assert_no_token_in_files(*folders: Path) -> int:
    checked = 0
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                checked += 1
                assert FAKE_TOKEN.encode() not in path.read_bytes(), path
    return checked


def test_token_in_no_file_and_no_log(
    fake_slack: FakeSlack,
    journal: JournalFile,
    clock: Clock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    secret_keyring: SecretServiceKeyring,
) -> None:
    caplog.set_level(logging.DEBUG)  # root: captures slack_sdk.*, urllib and ours
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    store = TokenStore(account="leak-check", backend=secret_keyring)
    store.set(FAKE_TOKEN)
    try:
        token = store.get()
        assert token == FAKE_TOKEN
        client = make_client(fake_slack, token=token)
        presence = SlackPresence(client, journal, clock=clock.datetime)
        _every_flow(fake_slack, client, presence, clock)
    finally:
        store.delete()

    sdk_records = [r for r in caplog.records if r.name.startswith("slack_sdk")]
    assert any("Sending a request" in r.getMessage() for r in sdk_records)  # DEBUG was on
    assert any(r.name.startswith("boundaries.integrations") for r in caplog.records)
    for record in caplog.records:
        assert FAKE_TOKEN not in record.getMessage(), record.name
    assert FAKE_TOKEN not in caplog.text
    out, err = capfd.readouterr()
    assert FAKE_TOKEN not in out and FAKE_TOKEN not in err
    assert journal.read() is not None  # the revoked token left a restore pending on disk
    assert _assert_no_token_in_files(config_dir, journal.path.parent, tmp_path) >= 1


def test_log_guard_redacts_a_token_someone_logs(
    caplog: pytest.LogCaptureFixture, fake_slack: FakeSlack
) -> None:
    make_client(fake_slack)  # installs the guard on slack_sdk's loggers
    caplog.set_level(logging.DEBUG)
    logging.getLogger("slack_sdk.web.base_client").debug(
        "headers: %s", {"X-Echo": f"Bearer {FAKE_TOKEN}"}
    )
    assert FAKE_TOKEN not in caplog.text
    assert "xox…(redacted)" in caplog.text
    assert redact(f"token={FAKE_TOKEN}&x=1") == "token=xox…(redacted)&x=1"
