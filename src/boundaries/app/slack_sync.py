"""Keep Slack in step with the app's state: status + snooze while focusing or signed off.

The controller's state is turned into one *intent* (show focus / show sign-off / restore).
Intents run in order on one worker thread, each a complete description of what Slack should
show, so a newer intent simply replaces an older one that is still waiting or retrying.
Slack failing never blocks or changes anything local: retries are scheduled with a QTimer
on the GUI thread, and lasting problems are reported once through ``problem``.

The Slack calls themselves (and the keyring, and the journal they keep) run in the Slack agent
(docs/decisions/0016-slack-agent.md): this process never imports slack_sdk or keyring, and
never holds the token.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from boundaries.app.workers import WorkerPool
from boundaries.core.focus import AppState, Mode
from boundaries.core.kinds import SlackIntentKind, SlackOutcome
from boundaries.core.settings import Settings
from boundaries.core.status import focus_status_text, signoff_status_text

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from boundaries.app.agent_client import SlackAgentClient

log = logging.getLogger(__name__)

JOURNAL_NAME = "slack-journal.json"
RETRY_FIRST = 5.0
RETRY_MAX = 300.0


class ControllerLike(Protocol):
    state_changed: Any
    settings_changed: Any

    @property
    def settings(self) -> Settings: ...
    @property
    def state(self) -> AppState: ...
    @property
    def tz(self) -> ZoneInfo: ...
    def now(self) -> datetime: ...


@dataclass(frozen=True)
class Intent:
    """What Slack should show (RESTORE: nothing of ours)."""

    kind: SlackIntentKind
    text: str = ""
    emoji: str = ""
    until: datetime | None = None
    pause_notifications: bool = False
    replace_own_status: bool = False
    enabled: bool = False
    api_url: str = ""


def intent_for(state: AppState, settings: Settings, now: datetime, tz: ZoneInfo) -> Intent:
    """The Slack intent for an app state (pure: the tests and the app share it)."""
    on, url = settings.slack.enabled, settings.slack.api_url
    if state.mode is Mode.FOCUSING and state.focus_until is not None:
        return Intent(
            SlackIntentKind.FOCUS,
            focus_status_text(settings, state.focus_until, now, tz),
            settings.focus.status_emoji,
            state.focus_until,
            settings.focus.pause_notifications,
            settings.focus.replace_own_status,
            on,
            url,
        )
    if state.mode is Mode.SIGNED_OFF and state.back_at is not None and settings.signoff.set_status:
        return Intent(
            SlackIntentKind.SIGNOFF,
            signoff_status_text(settings, state.back_at, now, tz),
            settings.signoff.status_emoji,
            state.back_at,
            True,
            settings.focus.replace_own_status,
            on,
            url,
        )
    return Intent(SlackIntentKind.RESTORE, enabled=on, api_url=url)


class _NoToken(Exception):
    """Slack is on but no token is stored."""


def problem_text(error: BaseException) -> str | None:
    """One sentence for the tray naming the problem, or None if ``error`` is not Slack's."""
    from boundaries.integrations.slack_errors import (
        SlackAuthError,
        SlackRateLimited,
        SlackScopeError,
        SlackUnavailable,
    )
    from boundaries.integrations.token_check import KeyringUnavailable

    if isinstance(error, _NoToken):
        return "Slack: no token saved — paste one in Settings > Slack"
    if isinstance(error, KeyringUnavailable):
        return "Slack: no usable keyring for the token — see Settings > Slack"
    if isinstance(error, SlackScopeError):
        return (
            f"Slack: missing scope {error.needed or '(unknown)'} — add it to your Slack app "
            "and paste the new token in Settings > Slack"
        )
    if isinstance(error, SlackAuthError):
        what = {
            "token_revoked": "token revoked",
            "token_expired": "token expired",
            "invalid_auth": "token not accepted",
            "account_inactive": "account deactivated",
            "not_authed": "no token sent",
        }.get(error.reason, "token rejected")
        return f"Slack: {what} — paste a new one in Settings > Slack"
    if isinstance(error, SlackRateLimited):
        return "Slack: rate-limited — retrying; local features keep working"
    if isinstance(error, SlackUnavailable):
        return f"Slack: unreachable ({error.reason}) — retrying; local features keep working"
    return None


def _retryable(error: BaseException) -> float | None:
    """Seconds Slack asked us to wait (rate limit), 0.0 for plain backoff, None: do not retry."""
    from boundaries.integrations.slack_errors import SlackRateLimited, SlackUnavailable

    if isinstance(error, SlackRateLimited):
        return max(0.0, error.retry_after)
    if isinstance(error, SlackUnavailable):
        return 0.0
    return None


class SlackSync(QObject):
    """Follows ``controller.state_changed`` and applies the matching Slack intent.

    Signals: ``problem(str | None)`` — a lasting problem to show (None: it is over);
    ``settled(SlackOutcome)`` — how an intent finished; for tests and the UI.
    """

    problem = Signal(object)
    settled = Signal(object)

    def __init__(
        self,
        controller: ControllerLike,
        state_dir: Path,
        *,
        agent: SlackAgentClient | None = None,
        retry_first: float = RETRY_FIRST,
        retry_max: float = RETRY_MAX,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self.journal_path = state_dir / JOURNAL_NAME
        self._agent = agent  # the app's shared agent when first needed
        self._retry_first = retry_first
        self._retry_max = retry_max
        self._pool = WorkerPool(max_workers=1, name="slack", parent=self)
        self._generation = 0
        self._last: Intent | None = None
        self._failures = 0
        self._problem: str | None = None
        self._lasting = False  # the problem needs the user (token, scope), not a retry
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)  # made precise when first armed (_arm_retry)
        self._retry.timeout.connect(self.resync)
        self._started = False
        controller.state_changed.connect(self._on_state_changed)
        controller.settings_changed.connect(self._on_settings_changed)

    # ------------------------------------------------------------------ public
    def start(self) -> None:
        """Apply the intent for the current state; completes a restore left by a crash."""
        self._started = True
        self._submit(self._intent(), force=True)

    def resync(self) -> None:
        """Try the current intent again now (retry timer, a new token saved in Settings)."""
        if self._started:
            self._submit(self._intent(), force=True)

    def shutdown(self) -> None:
        """Stop retrying; a call in flight ends at its timeout. Slack is left as it is."""
        self._started = False
        self._retry.stop()
        self._generation += 1
        self._pool.shutdown(wait=False)
        agents = sys.modules.get("boundaries.app.agent_client")  # loaded only if ever asked
        if agents is not None:
            agents.close_shared()  # the agent leaves now instead of after its idle time

    def retry_in_ms(self) -> int | None:
        """Milliseconds until the scheduled retry, None if none is pending."""
        return self._retry.remainingTime() if self._retry.isActive() else None

    # ------------------------------------------------------------------ reacting
    def _intent(self) -> Intent:
        c = self._controller
        return intent_for(c.state, c.settings, c.now(), c.tz)

    def _on_state_changed(self, _old: AppState, _new: AppState) -> None:
        if self._started:
            self._submit(self._intent())

    def _on_settings_changed(self, _settings: Settings) -> None:
        if self._started:
            self._submit(self._intent())

    def _submit(self, intent: Intent, force: bool = False) -> None:
        if intent == self._last and not force:
            return
        if intent != self._last:
            self._failures = 0
        self._last = intent
        self._retry.stop()  # a newer intent supersedes a pending retry
        self._generation += 1
        generation = self._generation
        self._pool.submit(
            lambda: self._apply(generation, intent),
            lambda outcome: self._done(generation, outcome),
            lambda error: self._failed(generation, error),
        )

    # ------------------------------------------------------------------ worker
    def _apply(self, generation: int, intent: Intent) -> SlackOutcome:
        """Runs on the Slack worker thread."""
        if generation != self._generation:
            return SlackOutcome.SKIPPED  # a newer intent is queued behind this one
        if intent.kind is SlackIntentKind.RESTORE:
            if not self.journal_path.exists():
                return SlackOutcome.SKIPPED  # nothing of ours on Slack: no keyring, no network
        elif not intent.enabled:
            return SlackOutcome.OFF
        now = self._controller.now()
        restore = (
            intent.kind is SlackIntentKind.RESTORE or intent.until is None or intent.until <= now
        )
        args: dict[str, object] = {
            "journal": str(self.journal_path),
            "api_url": intent.api_url,
            "now": now.timestamp(),
            "kind": SlackIntentKind.RESTORE.value if restore else intent.kind.value,
        }
        if not restore and intent.until is not None:
            args.update(
                text=intent.text,
                emoji=intent.emoji,
                until=intent.until.timestamp(),
                pause=intent.pause_notifications,
                replace_own=intent.replace_own_status,
            )
        if self._agent is None:
            from boundaries.app.agent_client import shared_agent

            self._agent = shared_agent()
        if self._agent.call("presence", **args) == "no_token":
            if not intent.enabled:
                return SlackOutcome.OFF
            raise _NoToken()
        return SlackOutcome.RESTORE if restore else SlackOutcome(intent.kind.value)

    # ------------------------------------------------------------------ results (GUI thread)
    def _done(self, generation: int, outcome: SlackOutcome) -> None:
        if generation == self._generation and (
            outcome is not SlackOutcome.SKIPPED or not self._lasting
        ):
            # a skipped step proves nothing about the token: a token problem stays shown
            self._failures = 0
            self._set_problem(None)
        self.settled.emit(outcome)

    def _failed(self, generation: int, error: BaseException) -> None:
        text = problem_text(error)
        if text is None:
            log.error("Slack update failed unexpectedly", exc_info=error)
            text = "Slack: could not update your status — see the log"
        else:
            log.warning("Slack update failed: %s", error)
        if generation != self._generation:
            return  # superseded: the newer intent reports for itself
        wait = _retryable(error)
        self._set_problem(text, lasting=wait is None)
        if wait is None or not self._started:
            return
        backoff = min(self._retry_max, self._retry_first * 2**self._failures)
        self._failures += 1
        delay = wait if wait else backoff  # Slack's Retry-After when it gave one
        log.info("Slack: retrying in %.1f s", delay)
        self._arm_retry(delay)

    def _arm_retry(self, delay: float) -> None:
        from PySide6.QtCore import Qt  # first use builds every Qt.* enum: not at start-up

        # Precise: a coarse timer may fire up to 5 % early, i.e. before Slack's Retry-After.
        self._retry.setTimerType(Qt.TimerType.PreciseTimer)
        self._retry.start(int(delay * 1000))

    def _set_problem(self, text: str | None, lasting: bool = False) -> None:
        self._lasting = lasting and text is not None
        if text != self._problem:
            self._problem = text
            self.problem.emit(text)
