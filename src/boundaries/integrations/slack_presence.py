"""Focus and sign-off on Slack: set our status and snooze, and later restore only what is ours.

Every outside change is described in a journal file first (atomically), so a crash, a
SIGKILL or Slack being down leaves enough on disk to finish the restore later. The rule
for restoring is "the user wins": a status or snooze that no longer matches what we set
was changed by the user in Slack, and we leave it alone.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from boundaries.core.kinds import SlackIntentKind
from boundaries.integrations.atomic import atomic_write_text
from boundaries.integrations.slack import SlackClient, SlackDnd, SlackStatus, fit_status_text

log = logging.getLogger(__name__)

KINDS = (SlackIntentKind.FOCUS, SlackIntentKind.SIGNOFF)  # what a journal can record
JOURNAL_VERSION = 1
SNOOZE_TOLERANCE = 120
"""Seconds a snooze end may differ from the one we asked for and still count as ours
(Slack computes the end from its own clock)."""
_KEEP_EARLIER = 4


@dataclass(frozen=True)
class SlackJournal:
    """What we changed on Slack and what to put back; JSON-serialisable."""

    kind: SlackIntentKind
    previous_status: SlackStatus
    """The user's own status before we touched anything (restored if ours is still shown)."""
    our_status: SlackStatus | None
    """The status we set; None when we left the user's status alone."""
    snooze_set_by_us: bool
    previous_snooze: SlackDnd
    """The user's own snooze before ours, brought back on restore if it has not ended."""
    our_snooze_endtime: int | None = None
    earlier_ours: tuple[SlackStatus, ...] = ()
    """Statuses we set earlier in the same chain (focus → sign-off): still ours if shown."""

    def owns(self, current: SlackStatus, now: float) -> bool:
        """True if ``current`` is a status we set (or ours that Slack just expired)."""
        if self.our_status is None:
            return any(current.same_as(s) for s in self.earlier_ours)
        if current.same_as(self.our_status) or any(current.same_as(s) for s in self.earlier_ours):
            return True
        expired = 0 < self.our_status.expiration <= now
        return current.is_empty and expired

    def owns_snooze(self, dnd: SlackDnd) -> bool:
        if not (self.snooze_set_by_us and dnd.snooze_enabled and dnd.snooze_endtime):
            return False
        if self.our_snooze_endtime is None:
            return False
        return abs(dnd.snooze_endtime - self.our_snooze_endtime) <= SNOOZE_TOLERANCE

    def to_json(self) -> str:
        data = asdict(self)
        data["version"] = JOURNAL_VERSION
        return json.dumps(data, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SlackJournal:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("kind") not in KINDS:
            raise ValueError("not a Slack journal")
        ours = data.get("our_status")
        return cls(
            kind=SlackIntentKind(data["kind"]),
            previous_status=_status(data["previous_status"]),
            our_status=_status(ours) if ours is not None else None,
            snooze_set_by_us=bool(data["snooze_set_by_us"]),
            previous_snooze=_dnd(data["previous_snooze"]),
            our_snooze_endtime=_opt_int(data.get("our_snooze_endtime")),
            earlier_ours=tuple(_status(s) for s in data.get("earlier_ours") or ()),
        )


def _status(data: Mapping[str, Any]) -> SlackStatus:
    return SlackStatus(
        text=str(data.get("text", "")),
        emoji=str(data.get("emoji", "")),
        expiration=int(data.get("expiration", 0) or 0),
    )


def _dnd(data: Mapping[str, Any]) -> SlackDnd:
    return SlackDnd(
        snooze_enabled=bool(data.get("snooze_enabled", False)),
        snooze_endtime=_opt_int(data.get("snooze_endtime")),
        dnd_enabled=bool(data.get("dnd_enabled", False)),
    )


def _opt_int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float | str) and str(value) else None


class JournalFile:
    """The journal on disk (the state folder); written atomically, mode 0600."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> SlackJournal | None:
        """The journal, or None if there is none; an unreadable one is set aside, not trusted."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            return SlackJournal.from_json(text)
        except (ValueError, KeyError, TypeError) as exc:
            broken = self.path.with_name(self.path.name + ".broken")
            log.warning("Slack journal %s is unreadable (%s); kept as %s", self.path, exc, broken)
            self.path.replace(broken)
            return None

    def write(self, journal: SlackJournal) -> None:
        atomic_write_text(self.path, journal.to_json() + "\n")

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SlackPresence:
    """Begin/restore focus and sign-off on Slack; blocking, call from a worker thread."""

    def __init__(
        self, client: SlackClient, journal: JournalFile, clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self._client = client
        self._journal = journal
        self._clock = clock

    def pending(self) -> bool:
        """A journal exists: something is still ours on Slack (crash recovery at start)."""
        return self._journal.read() is not None

    def begin(
        self,
        kind: SlackIntentKind,
        text: str,
        emoji: str,
        until: datetime,
        pause_notifications: bool,
        replace_own_status: bool,
    ) -> None:
        """Show ``kind`` on Slack until ``until`` without trampling what the user set.

        A journal left by an earlier begin (focus → sign-off, or an extended block) keeps the
        user's original status and snooze as the ones to restore.
        """
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {[k.value for k in KINDS]}, not {kind!r}")
        if until.tzinfo is None:
            raise ValueError("until must be timezone-aware")
        now = self._clock().timestamp()
        end = until.timestamp()
        if end <= now:
            raise ValueError("until is not in the future")
        earlier = self._journal.read()
        current = self._client.get_status()
        need_dnd = pause_notifications or (earlier is not None and earlier.snooze_set_by_us)
        dnd = self._client.dnd_info() if need_dnd else SlackDnd()

        # -- status
        shows_ours = earlier is not None and earlier.owns(current, now)
        previous_status = earlier.previous_status if earlier and shows_ours else current
        users_own = not current.is_empty and not shows_ours
        ours: SlackStatus | None = None
        if not users_own or replace_own_status:
            ours = SlackStatus(fit_status_text(text), emoji, math.ceil(end))
        earlier_ours: tuple[SlackStatus, ...] = ()
        if earlier is not None and shows_ours:
            shown = [s for s in (earlier.our_status, *earlier.earlier_ours) if s is not None]
            earlier_ours = tuple(shown[:_KEEP_EARLIER])

        # -- snooze
        snooze_ours = earlier is not None and earlier.owns_snooze(dnd)
        if earlier is not None and (snooze_ours or not dnd.snooze_enabled):
            previous_snooze = earlier.previous_snooze
        else:
            previous_snooze = dnd if dnd.snooze_enabled else SlackDnd()
        users_snooze = dnd.snooze_enabled and not snooze_ours
        minutes = math.ceil((end - now) / 60)
        snooze_now = pause_notifications and not users_snooze

        journal = SlackJournal(
            kind=kind,
            previous_status=previous_status,
            our_status=ours,
            snooze_set_by_us=snooze_now or snooze_ours,
            previous_snooze=previous_snooze,
            our_snooze_endtime=(
                int(now) + minutes * 60
                if snooze_now
                else earlier.our_snooze_endtime
                if snooze_ours and earlier
                else None
            ),
            earlier_ours=earlier_ours,
        )
        self._journal.write(journal)  # before the change it describes
        if ours is not None:
            self._client.set_status(ours.text, ours.emoji, ours.expiration)
        if snooze_now:
            result = self._client.set_snooze(minutes)
            if result.snooze_endtime is not None:
                journal = replace(journal, our_snooze_endtime=result.snooze_endtime)
                self._journal.write(journal)
        elif snooze_ours:  # this kind pauses nothing: end the snooze left by the earlier one
            self._put_back_snooze(journal, now)
            self._journal.write(replace(journal, snooze_set_by_us=False, our_snooze_endtime=None))
        log.info(
            "Slack %s begun (status %s, snooze %s)",
            kind,
            "ours" if ours else "the user's",
            "ours" if snooze_now else "untouched",
        )

    def restore(self) -> None:
        """Put back what is still ours; idempotent. On SlackError the journal stays for a retry."""
        journal = self._journal.read()
        if journal is None:
            return
        now = self._clock().timestamp()
        if journal.our_status is not None or journal.earlier_ours:
            current = self._client.get_status()
            if journal.owns(current, now):
                before = journal.previous_status
                if before.expiration and before.expiration <= now:
                    before = SlackStatus()  # it would have expired by now
                if not current.same_as(before):  # profile updates are rate-limited: 10/min
                    self._client.set_status(before.text, before.emoji, before.expiration)
            else:
                log.info("Slack status was changed by the user; leaving theirs")
            journal = replace(journal, our_status=None, earlier_ours=())
            self._journal.write(journal)
        if journal.snooze_set_by_us:
            self._put_back_snooze(journal, now)
        self._journal.clear()
        log.info("Slack %s restored", journal.kind)

    def _put_back_snooze(self, journal: SlackJournal, now: float) -> None:
        """End our snooze, or shorten it back to the user's own if that has not ended yet."""
        dnd = self._client.dnd_info()
        if not journal.owns_snooze(dnd):
            log.info("Slack snooze is not ours any more; leaving it")
            return
        theirs = journal.previous_snooze
        if theirs.snooze_enabled and theirs.snooze_endtime and theirs.snooze_endtime > now + 60:
            self._client.set_snooze(math.ceil((theirs.snooze_endtime - now) / 60))
        else:
            self._client.end_snooze()
