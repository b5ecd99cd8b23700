"""``ui.ports.WeeklyUpdates`` for the update window: files, hints and Slack, off the GUI thread.

The draft is written by one writer thread of its own, newest text last (each keystroke stages
the draft and asks the writer to write whatever is newest), so a crash loses at most the
keystroke in flight and Quit waits for the last write. Slack calls and history reads block and
are run by the app's workers. Slack's errors become ``ServiceError`` sentences; rate limits and
outages become ``RetryLater`` so the window retries after Retry-After, keeping the draft.
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
    scheduled_post_time,
    week_figures,
)
from boundaries.integrations.update_slack import ClientFactory, default_client, post_draft
from boundaries.integrations.update_store import UpdateStore
from boundaries.ui.ports import HistoryReader, RetryLater, ServiceError

if TYPE_CHECKING:
    from boundaries.app.slack_sync import TokenSource

log = logging.getLogger(__name__)

UNAVAILABLE_RETRY_S = 30.0


def _default_tokens() -> TokenSource:
    from boundaries.app.slack_sync import AgentTokens

    return AgentTokens()


class WeeklyUpdateService:
    """The weekly update's services for one app (state folder, settings and zone in force)."""

    def __init__(
        self,
        state_dir: Path,
        settings: Callable[[], Settings],
        zone: Callable[[], ZoneInfo],
        now: Callable[[], datetime],
        history: HistoryReader,
        tokens: TokenSource | None = None,
        client_factory: ClientFactory = default_client,
    ) -> None:
        self.store = UpdateStore(state_dir)
        self._settings = settings
        self._zone = zone
        self._now = now
        self._history = history
        self._tokens = tokens
        self._client_factory = client_factory
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
            tokens = self._tokens or _default_tokens()
            self._tokens = tokens
            token = tokens.get()
            if not token:
                raise ServiceError("No Slack token is stored: paste one in Settings → Slack.")
            client = self._client_factory(token, settings.slack.api_url)
            try:
                self._writer.submit(lambda: None).result()  # no older draft write lands later
                posted = post_draft(self.store, client, draft, channel, at)
            finally:
                client.close()
        except SlackRateLimited as error:
            raise RetryLater(str(error), error.retry_after) from error
        except SlackUnavailable as error:
            raise RetryLater(str(error), UNAVAILABLE_RETRY_S) from error
        except (SlackError, KeyringUnavailable, InvalidToken, ValueError) as error:
            raise ServiceError(f"{error} Your draft is kept.") from error
        return posted.sentence()
