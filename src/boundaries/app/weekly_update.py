"""``ui.ports.WeeklyUpdates`` for the update window: files, hints and Slack, off the GUI thread.

The draft is written by one writer thread of its own, newest text last (each keystroke stages
the draft and asks the writer to write whatever is newest), so a crash loses at most the
keystroke in flight and Quit waits for the last write. Slack calls and history reads block and
are run by the app's workers; the post itself is the Slack agent's (docs/decisions/0016).
Slack's errors become ``ServiceError`` sentences; rate limits and outages become
``RetryLater`` so the window retries after Retry-After, keeping the draft.
Loaded on first use of the weekly update, never at start-up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from boundaries.core.settings import Settings
from boundaries.core.weekly_update import (
    Draft,
    Hint,
    IsoWeek,
    hints,
    render_slack,
    scheduled_post_time,
    week_figures,
)
from boundaries.integrations.update_slack import Posted, keep_posted
from boundaries.integrations.update_store import UpdateStore
from boundaries.ui.ports import HistoryReader, RetryLater, ServiceError

if TYPE_CHECKING:
    from boundaries.app.agent_client import SlackAgentClient

log = logging.getLogger(__name__)

UNAVAILABLE_RETRY_S = 30.0


class WeeklyUpdateService:
    """The weekly update's services for one app (state folder, settings and zone in force)."""

    def __init__(
        self,
        state_dir: Path,
        settings: Callable[[], Settings],
        zone: Callable[[], ZoneInfo],
        now: Callable[[], datetime],
        history: HistoryReader,
        agent: SlackAgentClient | None = None,
    ) -> None:
        self.store = UpdateStore(state_dir)
        self._settings = settings
        self._zone = zone
        self._now = now
        self._history = history
        self._agent = agent  # the app's shared agent when first needed
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="update-writer")
        self._lock = threading.Lock()
        self._staged: Draft | None = None

    # ------------------------------------------------------------------ the draft
    def keep_draft(self, draft: Draft) -> None:
        with self._lock:
            self._staged = draft
        self._writer.submit(self._write_staged)

    def _write_staged(self) -> None:
        with self._lock:
            draft, self._staged = self._staged, None
        if draft is None:
            return  # a later job already wrote it
        try:
            self.store.save_draft(draft)
        except OSError as error:
            log.error("could not save the weekly update draft: %s", error)

    def load_draft(self) -> Draft | None:
        self._writer.submit(lambda: None).result()  # what was typed is on disk first
        return self.store.load_draft()

    def shutdown(self) -> None:
        """Write the last staged draft and stop the writer (Quit)."""
        self._writer.shutdown(wait=True)

    # ------------------------------------------------------------------ hints, past weeks
    def hints(self, week: IsoWeek) -> list[Hint]:
        records = self._history.records_between(week.monday, week.sunday)
        return hints(week_figures(records, week, self._settings(), self._zone()))

    def past(self) -> list[IsoWeek]:
        return [item.week for item in self.store.past()]

    def read_past(self, week: IsoWeek) -> str:
        try:
            return self.store.read(week)
        except OSError as error:
            raise ServiceError(f"Cannot read the update of {week}: {error}") from error

    # ------------------------------------------------------------------ Slack
    def channel(self) -> str:
        return self._settings().update.channel

    def post_later_time(self) -> datetime:
        return scheduled_post_time(self._settings(), self._now(), self._zone())

    def post(self, draft: Draft, at: datetime | None) -> str:
        from boundaries.integrations.slack_errors import (
            SlackError,
            SlackRateLimited,
            SlackUnavailable,
        )
        from boundaries.integrations.token_check import InvalidToken, KeyringUnavailable

        settings = self._settings()
        channel = settings.update.channel.strip()
        if not channel:
            raise ServiceError("Choose a channel first: Settings → Slack → Weekly update.")
        try:
            self._writer.submit(lambda: None).result()  # no older draft write lands later
            if self._agent is None:
                from boundaries.app.agent_client import shared_agent

                self._agent = shared_agent()
            answer = self._agent.call(
                "post_message",
                api_url=settings.slack.api_url,
                channel=channel,
                text=render_slack(draft),
                at=at.timestamp() if at is not None else None,
            )
            if not isinstance(answer, dict):
                raise ServiceError("No Slack token is stored: paste one in Settings → Slack.")
            sent = Posted(channel, answer["ts"], answer["scheduled_id"], post_at=at)
            posted = keep_posted(self.store, draft, sent)
        except SlackRateLimited as error:
            raise RetryLater(str(error), error.retry_after) from error
        except SlackUnavailable as error:
            raise RetryLater(str(error), UNAVAILABLE_RETRY_S) from error
        except (SlackError, KeyringUnavailable, InvalidToken, ValueError) as error:
            raise ServiceError(f"{error} Your draft is kept.") from error
        return posted.sentence()
