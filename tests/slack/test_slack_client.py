"""SlackClient over the real slack_sdk against the fake server: calls, errors, retries."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request

import pytest

from boundaries.integrations.slack import (
    SlackAuthError,
    SlackClient,
    SlackDnd,
    SlackError,
    SlackIdentity,
    SlackRateLimited,
    SlackScopeError,
    SlackStatus,
    SlackUnavailable,
    SlackUser,
    fit_status_text,
)
from tests.fakes.slack_api import ALL_SCOPES, FAKE_TOKEN, FakeSlack
from tests.slack.helpers import Clock, make_client


def test_auth_test_names_workspace_and_user(client: SlackClient) -> None:
    assert client.auth_test() == SlackIdentity(
        team="Fake Team",
        team_id="T0FAKE",
        user="alice",
        user_id="U0ALICE",
        url="https://fake-team.slack.com/",
    )


def test_token_goes_in_the_authorization_header(fake_slack: FakeSlack, client: SlackClient) -> None:
    client.auth_test()
    client.set_status("x", ":tomato:", 0)
    assert fake_slack.methods() == ["auth.test", "users.profile.set"]
    # the fixture's teardown also fails the test if a token showed up in a URL or body;
    # prove that check can fail:
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(
            urllib.request.Request(fake_slack.url + "auth.test?token=xoxp-123", method="POST"),
            timeout=2,
        )
    assert fake_slack.violations == ["auth.test: token in the URL query"]
    fake_slack.violations.clear()


def test_unknown_token_is_an_auth_error(fake_slack: FakeSlack) -> None:
    with pytest.raises(SlackAuthError) as caught:
        make_client(fake_slack, token="xoxp-9999-not-a-known-token").auth_test()
    assert caught.value.reason == "invalid_auth"
    assert "Settings → Slack" in str(caught.value)


def test_revoked_token_says_so(fake_slack: FakeSlack, client: SlackClient) -> None:
    fake_slack.revoke()
    with pytest.raises(SlackAuthError, match="revoked") as caught:
        client.get_status()
    assert caught.value.reason == "token_revoked"


def test_missing_scope_names_the_scope(fake_slack: FakeSlack) -> None:
    token = "xoxp-1234-5678-statusonly"
    fake_slack.add_token(token, scopes=ALL_SCOPES - {"dnd:write"})
    client = make_client(fake_slack, token=token)
    client.set_status("ok", ":tomato:", 0)  # other scopes still work
    with pytest.raises(SlackScopeError) as caught:
        client.set_snooze(30)
    assert caught.value.needed == "dnd:write"
    assert "dnd:write" in str(caught.value)
    assert "users.profile:write" in caught.value.provided


def test_rate_limited_then_success_waits_for_retry_after(
    fake_slack: FakeSlack, client: SlackClient
) -> None:
    fake_slack.fail_next("ratelimited", times=1, retry_after=1)
    started = time.monotonic()
    assert client.get_status() == SlackStatus()
    assert fake_slack.methods() == ["users.profile.get", "users.profile.get"]
    assert time.monotonic() - started >= 1.0  # it honoured Retry-After: 1 before retrying


def test_rate_limit_that_does_not_end_becomes_slack_rate_limited(fake_slack: FakeSlack) -> None:
    client = make_client(fake_slack, rate_limit_retries=1)
    fake_slack.fail_next("ratelimited", times=5, retry_after=1)
    with pytest.raises(SlackRateLimited) as caught:
        client.get_status()
    assert caught.value.retry_after == 1
    assert len(fake_slack.calls()) == 2  # the first try and one retry


def test_long_retry_after_is_handed_back_instead_of_blocking(
    fake_slack: FakeSlack, client: SlackClient
) -> None:
    fake_slack.fail_next("ratelimited", times=1, retry_after=600)
    with pytest.raises(SlackRateLimited) as caught:
        client.get_status()
    assert caught.value.retry_after == 600
    assert "600 s" in str(caught.value)
    assert len(fake_slack.calls()) == 1


def test_close_stops_a_retry_wait(fake_slack: FakeSlack) -> None:
    client = make_client(fake_slack, max_rate_limit_wait=30)
    fake_slack.fail_next("ratelimited", times=1, retry_after=20)
    errors: list[Exception] = []

    def call() -> None:
        try:
            client.get_status()
        except SlackError as exc:
            errors.append(exc)

    worker = threading.Thread(target=call)
    worker.start()
    deadline = time.monotonic() + 10
    while not fake_slack.calls():  # the request has reached Slack: now close under it
        assert time.monotonic() < deadline, "the request never reached the fake Slack"
        time.sleep(0.01)
    client.close()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert isinstance(errors[0], SlackRateLimited)
    assert len(fake_slack.calls()) == 1


def test_server_error_is_retried_once(fake_slack: FakeSlack, client: SlackClient) -> None:
    fake_slack.fail_next("http500", times=1)
    assert client.dnd_info() == SlackDnd(snooze_enabled=False, snooze_endtime=None)
    assert len(fake_slack.calls()) == 2


def test_server_errors_become_unavailable(fake_slack: FakeSlack, client: SlackClient) -> None:
    fake_slack.fail_next("http500", times=10)
    with pytest.raises(SlackUnavailable, match="HTTP 500"):
        client.auth_test()


def test_hanging_slack_times_out_as_unavailable(fake_slack: FakeSlack) -> None:
    client = make_client(fake_slack, timeout=0.5)
    fake_slack.fail_next("hang")
    with pytest.raises(SlackUnavailable, match=r"no answer within 0.5 s"):
        client.auth_test()


def test_slow_answer_within_the_timeout_succeeds(fake_slack: FakeSlack) -> None:
    client = make_client(fake_slack, timeout=2.0)
    fake_slack.fail_next("slow", delay=0.3)
    assert client.auth_test().team == "Fake Team"


def test_slack_down_is_unavailable_after_retrying(fake_slack: FakeSlack) -> None:
    client = make_client(fake_slack, connection_retries=1)
    fake_slack.stop()
    with pytest.raises(SlackUnavailable, match="refused"):
        client.auth_test()


def test_status_round_trip(fake_slack: FakeSlack, client: SlackClient, clock: Clock) -> None:
    until = int(clock.now) + 3600
    client.set_status("Focusing until 10:00", ":tomato:", until)
    assert fake_slack.status() == ("Focusing until 10:00", ":tomato:", until)
    assert client.get_status() == SlackStatus("Focusing until 10:00", ":tomato:", until)
    client.set_status("", "", 0)
    assert client.get_status() == SlackStatus()


def test_status_text_over_100_characters_is_refused_before_calling(
    fake_slack: FakeSlack, client: SlackClient
) -> None:
    with pytest.raises(ValueError):
        client.set_status("x" * 101, "", 0)
    assert fake_slack.calls() == []
    fitted = fit_status_text("Signed off " + "very " * 30)
    assert len(fitted) == 100 and fitted.endswith("…")


def test_snooze_and_end(fake_slack: FakeSlack, client: SlackClient, clock: Clock) -> None:
    dnd = client.set_snooze(25)
    assert dnd.snooze_enabled and dnd.snooze_endtime == int(clock.now) + 25 * 60
    assert client.dnd_info().snooze_endtime == dnd.snooze_endtime
    client.end_snooze()
    assert fake_slack.snooze() is None
    client.end_snooze()  # nothing to end: not an error


def test_other_refusals_carry_slacks_reason(client: SlackClient) -> None:
    with pytest.raises(SlackError) as caught:
        client.user_info("U0NOBODY")
    assert caught.value.reason == "user_not_found"


def test_list_users_pages_and_keeps_only_people(fake_slack: FakeSlack, client: SlackClient) -> None:
    users = client.list_users(page_size=3)
    assert [u.id for u in users] == ["U0ALICE", "U0BOB", "U0DAN", "U0ERIN", "U0NOTZ"]
    pages = fake_slack.calls("users.list")
    assert len(pages) == 3
    assert [p.params.get("cursor") for p in pages] == [None, "dXNlcjo3", "dXNlcjo6"]
    assert all(int(p.params["limit"]) == 3 for p in pages)
    bob = next(u for u in users if u.id == "U0BOB")
    assert bob == SlackUser("U0BOB", "bob", "Bob", "America/New_York")
    assert next(u for u in users if u.id == "U0NOTZ").tz == ""


def test_user_info(client: SlackClient) -> None:
    assert client.user_info("U0DAN").tz == "Asia/Kolkata"


def test_repr_and_errors_hide_the_token(fake_slack: FakeSlack) -> None:
    client = make_client(fake_slack)
    assert FAKE_TOKEN not in repr(client)
    fake_slack.revoke()
    with pytest.raises(SlackError) as caught:
        client.auth_test()
    for text in (str(caught.value), repr(caught.value)):
        assert FAKE_TOKEN not in text
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_api_url_without_trailing_slash_still_works(fake_slack: FakeSlack) -> None:
    client = SlackClient(FAKE_TOKEN, fake_slack.url.rstrip("/"), timeout=2)
    assert client.auth_test().user == "alice"
