"""Posting the weekly update through the real slack_sdk client against the fake Slack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from boundaries.core.weekly_update import Draft, IsoWeek
from boundaries.integrations.slack import (
    SlackClient,
    SlackPostRefused,
    SlackRateLimited,
    SlackScopeError,
)
from boundaries.integrations.slack_manifest import POST_SCOPE, create_app_url, user_scopes
from boundaries.integrations.update_slack import Posted, post_draft, post_text
from boundaries.integrations.update_store import UpdateStore
from tests.fakes.slack_api import ALL_SCOPES, SCOPE_FOR, FakeSlack
from tests.slack.helpers import Clock, make_client

W50 = IsoWeek.parse("2026-W50")


def test_posting_now_sends_the_slack_text_as_the_user(
    fake_slack: FakeSlack, client: SlackClient
) -> None:
    posted = post_text(client, "#team-updates", "*Weekly update*")
    (message,) = fake_slack.posted()
    assert (message.channel, message.text, message.post_at) == ("C0TEAM", "*Weekly update*", None)
    assert posted.ts == message.ts and posted.sentence() == "Posted to #team-updates."
    assert "as_user" not in fake_slack.calls("chat.postMessage")[0].params


def test_posting_later_schedules_it_with_post_at_in_unix_seconds(
    fake_slack: FakeSlack, client: SlackClient, clock: Clock
) -> None:
    at = clock.datetime() + timedelta(days=3)
    posted = post_text(client, "C0TEAM", "text", at)
    (message,) = fake_slack.posted()
    assert message.post_at == int(at.astimezone(UTC).timestamp())
    assert posted.scheduled_id == message.scheduled_id
    with pytest.raises(SlackPostRefused, match="in the past"):
        post_text(client, "C0TEAM", "text", clock.datetime() - timedelta(minutes=1))


def test_a_scheduled_post_says_when_in_the_same_words_as_the_rest_of_the_app() -> None:
    at = datetime(2026, 12, 4, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    posted = Posted("#team", scheduled_id="Q1", post_at=at)
    assert posted.sentence() == "Scheduled for Fri 4 Dec 16:00 CET in #team."
    assert Posted("#team", ts="1.2").sentence() == "Posted to #team."


def test_a_token_without_chat_write_keeps_status_working_and_posting_names_the_scope(
    fake_slack: FakeSlack,
) -> None:
    old = "xoxp-1111111111-2222222222-3333333333-oldtokenwithoutchat"
    fake_slack.add_token(old, ALL_SCOPES - {POST_SCOPE})
    client = make_client(fake_slack, token=old)
    client.set_status("Focusing", ":headphones:", 0)
    assert fake_slack.status()[0] == "Focusing"
    with pytest.raises(SlackScopeError, match="chat:write") as raised:
        post_text(client, "C0TEAM", "text")
    assert raised.value.needed == "chat:write"
    assert fake_slack.posted() == []


@pytest.mark.parametrize(
    ("channel", "says"),
    [
        ("#elsewhere", "not a member of #elsewhere"),
        ("C0NOPE", "no channel C0NOPE"),
        ("#old-news", "archived"),
    ],
)
def test_channel_refusals_are_sentences(client: SlackClient, channel: str, says: str) -> None:
    with pytest.raises(SlackPostRefused, match=says):
        post_text(client, channel, "text")


def test_rate_limited_posts_wait_retry_after_then_succeed(
    fake_slack: FakeSlack, client: SlackClient
) -> None:
    fake_slack.fail_next("ratelimited", method="chat.postMessage", retry_after=1)
    post_text(client, "C0TEAM", "text")
    assert [c.method for c in fake_slack.calls()] == ["chat.postMessage"] * 2
    assert len(fake_slack.posted()) == 1


def test_a_long_retry_after_is_reported_for_the_app_to_retry_later(
    fake_slack: FakeSlack,
) -> None:
    client = make_client(fake_slack, max_rate_limit_wait=1)
    fake_slack.fail_next("ratelimited", method="chat.postMessage", retry_after=90)
    with pytest.raises(SlackRateLimited) as raised:
        post_text(client, "C0TEAM", "text")
    assert raised.value.retry_after == 90


def test_the_draft_is_kept_until_slack_confirms(
    fake_slack: FakeSlack, client: SlackClient, tmp_path: Path
) -> None:
    store = UpdateStore(tmp_path)
    draft = Draft(W50, shipped="Billing export")
    store.save_draft(draft)
    with pytest.raises(SlackPostRefused):
        post_draft(store, client, draft, "#elsewhere")
    assert store.load_draft() == draft and store.past() == []

    posted = post_draft(store, client, draft, "#team-updates")
    assert store.load_draft() is None
    assert posted.kept == store.week_path(W50)
    kept = store.read(W50)
    assert kept.startswith("## Weekly update 2026-W50") and "_Posted to #team-updates._" in kept
    assert "• Billing export" in fake_slack.posted()[0].text


def test_the_manifest_asks_for_exactly_the_scopes_boundaries_uses() -> None:
    used = {scope for scope in SCOPE_FOR.values() if scope}
    assert set(user_scopes()) == used
    assert POST_SCOPE in user_scopes()
    url = create_app_url()
    assert url.startswith("https://api.slack.com/apps?new_app=1&manifest_json=%7B")
    assert "chat%3Awrite" in url and " " not in url
