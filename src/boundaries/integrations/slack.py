"""Slack Web API client: the few calls Boundaries makes, with our own errors.

Every method blocks (the app calls them from a worker thread). slack_sdk's errors are
translated into a handful of exceptions whose ``str()`` is a sentence a user can act on;
the token never appears in a message, a repr or a log record.
"""

from __future__ import annotations

import html
import logging
import random
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import (
    BackoffRetryIntervalCalculator,
    ConnectionErrorRetryHandler,
    HttpRequest,
    HttpResponse,
    Jitter,
    RateLimitErrorRetryHandler,
    RetryHandler,
    RetryState,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from boundaries.core.limits import STATUS_TEXT_MAX
from boundaries.integrations.slack_errors import (
    AUTH_ERRORS,
    SlackAuthError,
    SlackError,
    SlackPostRefused,
    SlackRateLimited,
    SlackScopeError,
    SlackUnavailable,
    redact,
)

__all__ = [
    "POST_TIMEOUT_S",
    "TIMEOUT_S",
    "ClientFactory",
    "SlackAuthError",
    "SlackClient",
    "SlackDnd",
    "SlackError",
    "SlackIdentity",
    "SlackPostRefused",
    "SlackRateLimited",
    "SlackScopeError",
    "SlackStatus",
    "SlackUnavailable",
    "SlackUser",
    "default_client",
    "fit_status_text",
    "redact",
]

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class SlackIdentity:
    team: str
    team_id: str
    user: str
    user_id: str
    url: str


@dataclass(frozen=True)
class SlackStatus:
    text: str = ""
    emoji: str = ""
    expiration: int = 0
    """Unix seconds when Slack clears the status; 0 = never."""

    @property
    def is_empty(self) -> bool:
        return not self.text and not self.emoji

    def same_as(self, other: SlackStatus) -> bool:
        """Same text and emoji as Slack shows them (Slack may HTML-escape text)."""
        return _plain(self.text) == _plain(other.text) and self.emoji.strip() == other.emoji.strip()


def _plain(text: str) -> str:
    return html.unescape(text).strip()


@dataclass(frozen=True)
class SlackDnd:
    snooze_enabled: bool = False
    snooze_endtime: int | None = None
    """Unix seconds when the snooze ends, when one is active."""
    dnd_enabled: bool = False
    """The user's scheduled Do Not Disturb hours are on (not a snooze)."""


@dataclass(frozen=True)
class SlackUser:
    id: str
    name: str
    real_name: str
    tz: str
    """IANA zone name, "" when Slack has none."""
    is_bot: bool = False
    deleted: bool = False


def fit_status_text(text: str) -> str:
    """Shorten ``text`` to Slack's 100-character limit, ending with an ellipsis if cut."""
    text = text.strip()
    if len(text) <= STATUS_TEXT_MAX:
        return text
    return text[: STATUS_TEXT_MAX - 1].rstrip() + "…"


# --------------------------------------------------------------------------- retries


class _Waiter:
    """Interruptible waits between retries.

    ``time.sleep`` (what slack_sdk's handlers use) cannot be interrupted when the app quits
    and raises EINVAL under libfaketime, which the suspend tests use; an Event wait has
    neither problem.
    """

    def __init__(self) -> None:
        self._closed = threading.Event()

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds``; False if the client was closed meanwhile."""
        return not self._closed.wait(max(0.0, seconds))

    def close(self) -> None:
        self._closed.set()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()


class _ProportionalJitter(Jitter):
    def recalculate(self, duration: float) -> float:
        return duration * (1.0 + random.random() / 4)


def _retry_after(response: HttpResponse | None, default: float = 1.0) -> float:
    if response is None:
        return default
    for key, values in response.headers.items():
        if key.lower() == "retry-after" and values:
            try:
                return max(0.0, float(values[0]))
            except ValueError:
                return default
    return default


class _RateLimitRetry(RateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, waiting Retry-After unless that is longer than ``max_wait``.

    A long Retry-After is surfaced as SlackRateLimited so the app can schedule the retry
    instead of holding a worker thread for minutes.
    """

    def __init__(self, max_retry_count: int, max_wait: float, waiter: _Waiter) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._max_wait = max_wait
        self._waiter = waiter

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        return not self._waiter.closed and _retry_after(response) <= self._max_wait

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        delay = _retry_after(response) + random.random() / 2
        log.info("Slack rate limit: waiting %.1f s before retrying", delay)
        if self._waiter.wait(delay):
            state.next_attempt_requested = True
            state.increment_current_attempt()


class _WaitingRetry(RetryHandler):
    """Backoff from the interval calculator, waited on the interruptible waiter."""

    _waiter: _Waiter

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        delay = self.interval_calculator.calculate_sleep_duration(state.current_attempt)
        if self._waiter.wait(delay):
            state.next_attempt_requested = True
            state.increment_current_attempt()


class _ConnectionRetry(_WaitingRetry, ConnectionErrorRetryHandler):
    def __init__(self, max_retry_count: int, backoff: float, waiter: _Waiter) -> None:
        ConnectionErrorRetryHandler.__init__(
            self,
            max_retry_count=max_retry_count,
            interval_calculator=BackoffRetryIntervalCalculator(backoff, _ProportionalJitter()),
        )
        self._waiter = waiter


class _ServerErrorRetry(_WaitingRetry, ServerErrorRetryHandler):
    def __init__(self, max_retry_count: int, backoff: float, waiter: _Waiter) -> None:
        ServerErrorRetryHandler.__init__(
            self,
            max_retry_count=max_retry_count,
            interval_calculator=BackoffRetryIntervalCalculator(backoff, _ProportionalJitter()),
        )
        self._waiter = waiter


# --------------------------------------------------------------------------- logging guard


class _RedactFilter(logging.Filter):
    """Belt and braces: slack_sdk redacts the Authorization header itself, this catches the rest."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_REDACT = _RedactFilter()
_GUARDED_LOGGERS = ("slack_sdk.web.base_client", "slack_sdk.web.slack_response", __name__)


def _guard_loggers() -> None:
    for name in _GUARDED_LOGGERS:
        logger = logging.getLogger(name)
        if _REDACT not in logger.filters:
            logger.addFilter(_REDACT)


# --------------------------------------------------------------------------- client


class SlackClient:
    """The Slack calls Boundaries needs, over ``slack_sdk.WebClient``; all blocking.

    Retries: a 429 waits Retry-After (up to ``max_rate_limit_wait``), connection errors and
    a 500/503 back off exponentially from ``backoff`` seconds. slack_sdk counts retries per
    call across all handlers, so ``rate_limit_retries``/``connection_retries`` are each a cap
    on the call's total retries, and a server error is retried only as the first retry.
    Read timeouts are not retried: a hanging Slack costs one ``timeout``, not several.
    """

    def __init__(
        self,
        token: str,
        api_url: str,
        timeout: float = 10.0,
        *,
        rate_limit_retries: int = 2,
        max_rate_limit_wait: float = 30.0,
        connection_retries: int = 2,
        backoff: float = 0.5,
    ) -> None:
        if not token:
            raise ValueError("no Slack token")
        if not api_url.startswith(("https://", "http://")):
            raise ValueError(f"Slack API URL must start with https:// (got {api_url!r})")
        _guard_loggers()
        self._api_url = api_url if api_url.endswith("/") else api_url + "/"
        self._timeout = timeout
        self._waiter = _Waiter()
        self._web = WebClient(
            token=token,
            base_url=self._api_url,
            timeout=timeout,  # type: ignore[arg-type]  # urllib takes float seconds
            retry_handlers=[
                _RateLimitRetry(rate_limit_retries, max_rate_limit_wait, self._waiter),
                _ConnectionRetry(connection_retries, backoff, self._waiter),
                _ServerErrorRetry(1, backoff, self._waiter),
            ],
        )

    def __repr__(self) -> str:
        return f"SlackClient(api_url={self._api_url!r}, token=<redacted>)"

    def close(self) -> None:
        """Stop waiting between retries (app shutdown); a request in flight ends at its timeout."""
        self._waiter.close()

    # -- calls

    def auth_test(self) -> SlackIdentity:
        data = self._call("auth.test")
        return SlackIdentity(
            team=_s(data, "team"),
            team_id=_s(data, "team_id"),
            user=_s(data, "user"),
            user_id=_s(data, "user_id"),
            url=_s(data, "url"),
        )

    def get_status(self) -> SlackStatus:
        profile = _d(self._call("users.profile.get"), "profile")
        return SlackStatus(
            text=_s(profile, "status_text"),
            emoji=_s(profile, "status_emoji"),
            expiration=_i(profile, "status_expiration"),
        )

    def set_status(self, text: str, emoji: str, expiration: int) -> None:
        """Set (or with "" and "" clear) the status; text must fit 100 characters."""
        if len(text) > STATUS_TEXT_MAX:
            raise ValueError(f"status text longer than {STATUS_TEXT_MAX} characters")
        profile = {
            "status_text": text,
            "status_emoji": emoji,
            "status_expiration": max(0, int(expiration)),
        }
        self._call("users.profile.set", json={"profile": profile})

    def dnd_info(self) -> SlackDnd:
        return _dnd(self._call("dnd.info"))

    def set_snooze(self, minutes: int) -> SlackDnd:
        """Snooze notifications for ``minutes``; replaces any snooze already running."""
        if minutes < 1:
            raise ValueError("snooze must last at least one minute")
        return _dnd(self._call("dnd.setSnooze", params={"num_minutes": int(minutes)}))

    def end_snooze(self) -> None:
        """End the snooze; no snooze running is not an error."""
        try:
            self._call("dnd.endSnooze")
        except SlackError as exc:
            if exc.reason != "snooze_not_active":
                raise

    def list_users(self, page_size: int = 200) -> list[SlackUser]:
        """Active human members of the workspace (no bots, no deleted, no Slackbot)."""
        users: list[SlackUser] = []
        cursor = ""
        for _page in range(1000):  # a bound, not a limit anyone reaches
            params: dict[str, Any] = {"limit": page_size}
            if cursor:
                params["cursor"] = cursor
            data = self._call("users.list", params=params)
            members = data.get("members") or []
            users += [_user(m) for m in members if isinstance(m, Mapping)]
            cursor = _s(_d(data, "response_metadata"), "next_cursor")
            if not cursor:
                break
        return [u for u in users if not u.is_bot and not u.deleted and u.id != "USLACKBOT"]

    def user_info(self, user_id: str) -> SlackUser:
        return _user(_d(self._call("users.info", params={"user": user_id}), "user"))

    def post_message(self, channel: str, text: str) -> str:
        """Post ``text`` (mrkdwn) to ``channel`` as the user; returns the message's ``ts``."""
        with _post_errors(channel):
            data = self._call("chat.postMessage", json={"channel": channel, "text": text})
        return _s(data, "ts")

    def schedule_message(self, channel: str, text: str, post_at: int) -> str:
        """Have Slack post ``text`` at ``post_at`` (Unix seconds); returns its scheduled id."""
        with _post_errors(channel):
            data = self._call(
                "chat.scheduleMessage",
                json={"channel": channel, "text": text, "post_at": int(post_at)},
            )
        return _s(data, "scheduled_message_id")

    # -- plumbing

    def _call(
        self,
        method: str,
        *,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
    ) -> Mapping[str, Any]:
        log.debug("Slack call %s", method)
        try:
            response = self._web.api_call(method, params=params, json=json)
            data = response.data
            return data if isinstance(data, Mapping) else {}
        except Exception as exc:  # every failure becomes one of ours
            error = _translate(method, exc, self._timeout)
        log.warning("Slack call %s failed: %s", method, error.reason or type(error).__name__)
        raise error  # outside the except block: no chained slack_sdk error holding the request


TIMEOUT_S = 10.0
"""Seconds a status, snooze or account call may take."""
POST_TIMEOUT_S = 15.0
"""Seconds a weekly update post may take (a long message, a slower chat.* API)."""

ClientFactory = Callable[[str, str, float], SlackClient]
"""Makes the client for a token, an API URL and a timeout: the Slack agent's and the command
line's one way to get a client (tests give it shorter retries)."""


def default_client(token: str, api_url: str, timeout: float = TIMEOUT_S) -> SlackClient:
    """``ClientFactory`` with the production retries."""
    return SlackClient(token, api_url, timeout)


@contextmanager
def _post_errors(channel: str) -> Iterator[None]:
    try:
        yield
    except SlackError as error:
        if type(error) is SlackError and error.reason in SlackPostRefused._TEXT:
            raise SlackPostRefused(error.reason, channel) from None
        raise


def _translate(method: str, exc: Exception, timeout: float) -> SlackError:
    if isinstance(exc, SlackApiError):
        response = exc.response
        status = int(getattr(response, "status_code", 0) or 0)
        data = response.data if isinstance(response.data, Mapping) else {}
        reason = str(data.get("error", "") or "")
        if status == 429 or reason == "ratelimited":
            headers = {k.lower(): v for k, v in dict(response.headers or {}).items()}
            try:
                retry_after = float(str(headers.get("retry-after", "60")).strip("[]'\" "))
            except ValueError:
                retry_after = 60.0
            return SlackRateLimited(retry_after)
        if status >= 500:
            return SlackUnavailable(f"HTTP {status} from Slack")
        if reason in AUTH_ERRORS:
            return SlackAuthError(reason)
        if reason == "missing_scope":
            return SlackScopeError(str(data.get("needed", "")), str(data.get("provided", "")))
        if status != 200:
            return SlackUnavailable(f"HTTP {status} from Slack")
        return SlackError(f"Slack refused {method} ({reason or 'no reason given'}).", reason)
    if isinstance(exc, TimeoutError):
        return SlackUnavailable(f"no answer within {timeout:g} s")
    if isinstance(exc, OSError | HTTPException):
        cause = getattr(exc, "reason", None) or exc  # URLError wraps the socket error
        if isinstance(cause, TimeoutError):
            return SlackUnavailable(f"no answer within {timeout:g} s")
        return SlackUnavailable(str(cause) or type(exc).__name__)
    if isinstance(exc, SlackClientError):
        return SlackError(f"Slack call {method} could not be made: {exc}", "client_error")
    return SlackError(
        f"Slack call {method} failed unexpectedly: {type(exc).__name__}", "unexpected"
    )


# --------------------------------------------------------------------------- parsing


def _d(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _s(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _i(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    try:
        return int(value) if value is not None else 0
    except (TypeError, ValueError):
        return 0


def _dnd(data: Mapping[str, Any]) -> SlackDnd:
    enabled = bool(data.get("snooze_enabled", False))
    end = _i(data, "snooze_endtime") if enabled else 0
    return SlackDnd(
        snooze_enabled=enabled,
        snooze_endtime=end or None,
        dnd_enabled=bool(data.get("dnd_enabled", False)),
    )


def _user(member: Mapping[str, Any]) -> SlackUser:
    profile = _d(member, "profile")
    return SlackUser(
        id=_s(member, "id"),
        name=_s(member, "name"),
        real_name=_s(member, "real_name") or _s(profile, "real_name"),
        tz=_s(member, "tz"),
        is_bot=bool(member.get("is_bot", False)),
        deleted=bool(member.get("deleted", False)),
    )
