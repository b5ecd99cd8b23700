"""Posting the weekly update to Slack as the user, now or at a time, and keeping what was sent.

Blocking (the app's Slack agent posts, and a worker keeps what was sent; the CLI does both
in its own process). The draft stays on disk
until Slack confirms: only then is the week's Markdown file written with a note of where it
went, and the draft forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from boundaries.core.timefmt import format_day, format_time
from boundaries.core.weekly_update import Draft, render_markdown, render_slack
from boundaries.integrations.update_store import UpdateStore

if TYPE_CHECKING:
    from boundaries.integrations.slack import SlackClient


@dataclass(frozen=True)
class Posted:
    """What Slack confirmed: a message ``ts``, or a scheduled message for ``post_at``."""

    channel: str
    ts: str = ""
    scheduled_id: str = ""
    post_at: datetime | None = None
    kept: Path | None = None

    def sentence(self) -> str:
        if self.post_at is not None:
            at = self.post_at  # "Fri 4 Dec 16:00 CET" in every locale, like the app's texts
            when = f"{format_day(at.date())} {format_time(at)} {at.tzname() or ''}".strip()
            return f"Scheduled for {when} in {self.channel}."
        return f"Posted to {self.channel}."


def post_text(client: SlackClient, channel: str, text: str, at: datetime | None = None) -> Posted:
    """``chat.postMessage`` now, or ``chat.scheduleMessage`` for ``at`` (aware)."""
    if not channel.strip():
        raise ValueError("No channel to post to: choose one in Settings → Slack (Weekly update).")
    if at is None:
        return Posted(channel, ts=client.post_message(channel, text))
    post_at = int(at.astimezone(UTC).timestamp())
    return Posted(channel, scheduled_id=client.schedule_message(channel, text, post_at), post_at=at)


def post_draft(
    store: UpdateStore,
    client: SlackClient,
    draft: Draft,
    channel: str,
    at: datetime | None = None,
) -> Posted:
    """Post ``draft``; once Slack confirmed, keep its Markdown and forget the draft."""
    return keep_posted(store, draft, post_text(client, channel, render_slack(draft), at))


def keep_posted(store: UpdateStore, draft: Draft, posted: Posted) -> Posted:
    """What Slack confirmed for ``draft``: its Markdown kept with a note, the draft forgotten."""
    note = f"\n_{posted.sentence()}_\n"
    kept = store.keep(draft.week, render_markdown(draft) + note)
    store.clear_draft(draft.week)
    return Posted(posted.channel, posted.ts, posted.scheduled_id, posted.post_at, kept)
