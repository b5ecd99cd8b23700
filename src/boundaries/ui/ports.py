"""What widgets need from the running app, as small typed interfaces that ``app/`` implements.

``ui/`` imports neither ``boundaries.integrations`` nor ``boundaries.app`` (a test enforces it):
a widget that needs the keyring, Slack, a team file, the history or another thread receives
one of these and never learns what is behind it. Services marked "blocking" are only ever
called through ``Workers.submit``, so no widget waits for the disk, the network or the keyring
on the GUI thread. See docs/architecture.md ("Layers").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, SignalInstance

from boundaries.core.focus import AppState
from boundaries.core.settings import Settings, Teammate
from boundaries.core.workday_record import DayRecord

if TYPE_CHECKING:  # loaded when used, not at start
    from boundaries.core.meetings import Occurrence
    from boundaries.core.team_file import TeamFile
    from boundaries.core.weekly_update import Draft, Hint, IsoWeek

T = TypeVar("T")


class ServiceError(Exception):
    """A failure whose message is a sentence fit to show (it never carries a secret).

    Services translate their own exceptions (keyring, Slack, files) into this; a widget shows
    ``str(error)`` for it and only the exception's type name for anything else.
    """


def error_text(error: BaseException, prefix: str = "Unexpected error") -> str:
    """What a widget shows for a failed service call."""
    if isinstance(error, ServiceError):
        return str(error)
    return f"{prefix}: {type(error).__name__}"


class Workers(Protocol):
    """Runs ``fn`` off the GUI thread; ``on_done``/``on_error`` come back on the GUI thread,
    unless ``context`` has been destroyed meanwhile (``app.workers.WorkerPool``)."""

    def submit(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        context: QObject | None = None,
    ) -> object: ...


class TrayModel(Protocol):
    """What the tray reads and asks of the app's state (``app.controller.Controller``)."""

    @property
    def state_changed(self) -> SignalInstance: ...  # (old AppState, new AppState)
    @property
    def settings_changed(self) -> SignalInstance: ...  # (Settings)
    @property
    def state(self) -> AppState: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def tz(self) -> ZoneInfo: ...
    def now(self) -> datetime: ...
    def next_block_end(self, now: datetime | None = None) -> datetime | None: ...
    def until_time(self, text: str) -> datetime: ...
    def start_focus_minutes(self, minutes: int) -> object: ...
    def start_focus_until(self, until: datetime) -> object: ...
    def end_focus(self) -> None: ...
    def extend_focus(self, minutes: int) -> None: ...
    def snooze(self, minutes: int = ...) -> None: ...
    def snooze_available(self, now: datetime | None = None) -> bool: ...
    def sign_off(self) -> None: ...
    def back_to_work(self) -> None: ...
    def pause_today(self) -> None: ...
    def pause_for(self, minutes: int) -> None: ...
    def skip_next_block(self) -> object: ...


@dataclass(frozen=True)
class SlackIdentity:
    """Who a token belongs to (``auth.test``)."""

    team: str
    user: str


@dataclass(frozen=True)
class TokenStatus:
    """Which keyring holds the token, in words ("macOS Keychain"), and whether one is stored."""

    keyring: str
    stored: bool


@dataclass(frozen=True)
class SlackMember:
    """A workspace member as the import dialog lists them."""

    id: str
    name: str
    real_name: str
    tz: str  # IANA zone name, "" when Slack has none


class SlackAccount(Protocol):
    """The user's Slack token and the calls Settings makes with it. Blocking: use a worker.

    Failures the user can act on (no keyring, a rejected token, Slack unreachable) are raised
    as ``ServiceError``.
    """

    def token_status(self) -> TokenStatus: ...
    def save_token(self, token: str) -> None: ...
    def forget_token(self) -> bool:
        """Remove the stored token; False if there was none."""
        ...

    def test(self, token: str | None, api_url: str) -> SlackIdentity | None:
        """``auth.test`` with ``token`` (else the stored one); None if there is no token."""
        ...

    def members(self, api_url: str) -> list[SlackMember]:
        """The workspace's people (no bots, no deleted accounts) with the stored token."""
        ...


class TeamFiles(Protocol):
    """Reading and writing team files (CSV or TOML, by the name's suffix). Blocking: use a
    worker."""

    def read(self, path: Path) -> TeamFile:
        """The parsed rows; a file that cannot be read comes back as one bad row saying why."""
        ...

    def write(self, path: Path, team: tuple[Teammate, ...]) -> None:
        """Write ``team`` atomically; ServiceError says why not."""
        ...


@dataclass(frozen=True)
class SettingsServices:
    """What the Settings window needs from the app (``SettingsDialog``'s one argument)."""

    workers: Workers
    slack: SlackAccount
    team_files: TeamFiles


class HistoryReader(Protocol):
    """The local sign-off history. Blocking: use a worker."""

    def records_between(self, first: date, last: date) -> list[DayRecord]: ...


class RetryLater(ServiceError):
    """Slack is busy or unreachable; the same call may succeed after ``seconds``."""

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


class WeeklyUpdates(Protocol):
    """The weekly update's draft, hints, kept weeks and Slack (``app.weekly_update``).

    ``keep_draft`` returns at once: the draft is written on the service's own writer thread,
    newest text last. Everything else blocks: use a worker.
    """

    def keep_draft(self, draft: Draft) -> None: ...
    def load_draft(self) -> Draft | None: ...
    def hints(self, week: IsoWeek) -> list[Hint]: ...
    def channel(self) -> str: ...
    def post_later_time(self) -> datetime:
        """When "Post later" would post (update.post_day/post_time in the team's zone)."""
        ...

    def post(self, draft: Draft, at: datetime | None) -> str:
        """Post now (or schedule for ``at``); the sentence says where. ``RetryLater`` or
        ``ServiceError`` on failure, and the draft is kept until Slack confirms."""
        ...

    def past(self) -> list[IsoWeek]: ...
    def read_past(self, week: IsoWeek) -> str: ...


class MeetingTimes(Protocol):
    """The team agreement's meetings (``app.meeting_times``): never blocks, planning runs on a
    worker and ``changed`` fires when new occurrences are known."""

    @property
    def changed(self) -> SignalInstance: ...
    def next_occurrences(self, now: datetime) -> list[Occurrence]: ...
    def refused(self) -> list[str]: ...  # meetings too large to plan exactly


ZoneSource = Callable[[], ZoneInfo]
"""The user's zone now (the configured one, else the system's)."""
