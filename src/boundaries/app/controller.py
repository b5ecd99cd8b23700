"""The running app's brain: turns schedule events and the user's intents into state changes.

It asks the core "what is due, given now?", keeps one wake-up armed with the planner, persists
the state after each change (off the GUI thread), and tells listeners (tray, Slack) through
signals. Time comes from an injected clock, so tests drive it without sleeping.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from boundaries.core import focus
from boundaries.core.focus import AppState
from boundaries.core.instant import at_or_before, before, utc
from boundaries.core.interval import Interval
from boundaries.core.limits import (
    FOCUS_MINUTES,
    FOCUS_UNTIL_AHEAD_HOURS,
    SNOOZE_DEFAULT_MINUTES,
    SNOOZE_MINUTES,
)
from boundaries.core.nudge import nudge_for, record_shown, snooze_over
from boundaries.core.schedule import (
    EventKind,
    current_focus_block,
    events_after,
    next_event,
    wall_to_instant,
)
from boundaries.core.settings import Settings
from boundaries.core.state_check import check_state
from boundaries.core.timefmt import format_day_time, format_time
from boundaries.core.timeparse import parse_clock
from boundaries.core.update_reminder import next_reminder, reminder_due, reminder_expired
from boundaries.integrations.lazy_pool import LazyThreadPool

if TYPE_CHECKING:
    from concurrent.futures import Future

log = logging.getLogger(__name__)

# After a failed save: retry after 1 s, then twice as long each time, at most once a minute.
SAVE_RETRY_FIRST_MS = 1_000
SAVE_RETRY_MAX_MS = 60_000

Clock = Callable[[], datetime]
_MINUTE = timedelta(minutes=1)


class Waker(Protocol):
    """What the controller needs from the planner (a fake in tests)."""

    def wake_at(self, when: datetime | None) -> None: ...


class StateSink(Protocol):
    def write(self, state: AppState) -> None: ...


class Controller(QObject):
    """Owns ``AppState``; every change goes through ``_commit``.

    Signals: ``state_changed(old, new)``, ``nudged(Nudge)``, ``settings_changed(Settings)``,
    ``update_reminder(datetime)`` (write the weekly update; never while focusing).
    """

    state_changed = Signal(object, object)
    state_save_failed = Signal(str)  # why; the controller retries until a save succeeds
    state_saved = Signal()
    nudged = Signal(object)
    settings_changed = Signal(object)
    update_reminder = Signal(object)

    def __init__(
        self,
        settings: Settings,
        zone: Callable[[Settings], ZoneInfo],
        clock: Clock,
        waker: Waker,
        state_sink: StateSink,
        initial_state: AppState | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._zone = zone
        self._clock = clock
        self._waker = waker
        self._sink = state_sink
        self._writer = LazyThreadPool(1, "state-writer")  # its thread with the first write
        self._last_write: Future[None] | None = None
        self._start_unsaved = False  # start()'s state is stored right after the icon
        self._retry = QTimer(self)  # after a failed save (disk full, folder gone)
        self._retry.setSingleShot(True)
        self._retry.setInterval(SAVE_RETRY_FIRST_MS)
        self._retry.timeout.connect(self._retry_save)
        self.state_save_failed.connect(self._on_save_failed)
        self.state_saved.connect(self._on_saved)
        self._state = initial_state or AppState()
        self._last_check = self.now()

    # ------------------------------------------------------------------ queries
    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def state(self) -> AppState:
        return self._state

    @property
    def tz(self) -> ZoneInfo:
        return self._zone(self._settings)

    def now(self) -> datetime:
        return self._clock().astimezone(self.tz)

    def status(self) -> dict[str, Any]:
        from boundaries.core.report import status_report  # the status command: after start-up

        return status_report(self._settings, self._state, self.now(), self.tz)

    def last_save(self) -> Future[None] | None:
        """The latest state write: its result is None, or the error that kept it off the disk."""
        return self._last_write

    def next_block_end(self, now: datetime | None = None) -> datetime | None:
        """End of the current scheduled block, else of the next one (for "until block end");
        ``now``: the instant a caller already read (one refresh asks at one instant)."""
        now = self.now() if now is None else now
        block = current_focus_block(self._settings, now, self.tz)
        if block is not None:
            return block.end
        for event in itertools.islice(events_after(self._settings, now, self.tz), 50):
            if event.block is not None:
                return event.block.end
        return None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Catch up with now (a restart mid-block resumes it) and arm the first wake-up."""
        now = self.now()
        self._last_check = now
        state, reminder = self._release_reminder(
            focus.sync(self._state, now, self._settings, self.tz)
        )
        self._commit(state)  # a restart mid-block resumes it, and stores that at once
        # Stored in any case (a repaired or a first file), once the event loop runs: right
        # after the icon, so the writer's thread and concurrent.futures load after it.
        self._start_unsaved = True
        QTimer.singleShot(0, self, self._store_start_state)
        self._plan(now)
        if reminder is not None:  # held for a focus that ended while the app was off
            QTimer.singleShot(0, self, lambda: self._emit_reminder(reminder))  # after the start

    def shutdown(self) -> None:
        self._retry.stop()
        self._store_start_state()  # a quit before the event loop ran still stores it
        self._writer.shutdown(wait=True)

    def _store_start_state(self) -> None:
        if self._start_unsaved:
            self._commit(self._state, force_write=True)

    @Slot(str)
    def wake(self, reason: str = "due") -> None:
        """Handle everything that came due since the last check, coalesced."""
        now = self.now()
        if before(now, self._last_check):  # clock went backwards: don't replay, just re-plan
            self._last_check = now
        since = self._last_check
        due = list(
            itertools.takewhile(
                lambda event: at_or_before(event.at, now),
                events_after(self._settings, self._last_check, self.tz),
            )
        )
        self._last_check = now
        state = focus.sync(self._state, now, self._settings, self.tz)
        nudge = nudge_for(due, state, now)
        if nudge is not None:
            shown = record_shown(nudge, state, self.tz)  # once per workday, also across restarts
            state, nudge = (state, None) if shown is None else (shown, nudge)
        elif focus.signoff_due(state, self._settings, now, self.tz):
            nudge = snooze_over(state, now)  # asked for by the user: always shown
        if state.snoozed_until is not None and at_or_before(state.snoozed_until, now):
            state = dataclasses.replace(state, snoozed_until=None)
        came = reminder_due(self._settings, since, now, self.tz)
        if came is not None:
            state = dataclasses.replace(state, update_reminder_held=came)
        state, reminder = self._release_reminder(state)
        self._commit(state)
        if nudge is not None:
            log.info("nudge %s (woke: %s, %d events due)", nudge.kind, reason, len(due))
            self.nudged.emit(nudge)
        self._emit_reminder(reminder)
        self._plan(now)

    def apply_settings(self, settings: Settings) -> None:
        """New settings take effect at once: state re-synced, wake-up re-planned."""
        self._settings = settings
        now = self.now()
        self._last_check = now
        self.settings_changed.emit(settings)
        self._commit(focus.sync(self._state, now, settings, self.tz))
        self._plan(now)

    # ------------------------------------------------------------------ intents
    def start_focus_minutes(self, minutes: int) -> str:
        """Focus for ``minutes`` (to the whole minute); returns what that did to a block."""
        FOCUS_MINUTES.check(minutes)
        now = self.now()
        until = focus.minutes_from(now, minutes)
        block = current_focus_block(self._settings, now, self.tz)
        exact = focus.after(now, minutes).astimezone(UTC)
        if block is not None and abs(exact - block.end.astimezone(UTC)) < _MINUTE:
            until = block.end  # "focus 90" at 09:30:20 keeps an 11:00 block, not 11:01
        return self.start_focus_until(until)

    def start_focus_until(self, until: datetime) -> str:
        """Focus until ``until``. Inside a scheduled block this extends it, keeps it, or
        shortens it (the rest of the block is skipped today); the answer says which."""
        now = self.now()
        block = current_focus_block(self._settings, now, self.tz)
        state = focus.start_focus(self._state, now, until)
        fmt = self._settings.general.time_format
        said = f"Focusing until {format_time(until.astimezone(self.tz), fmt)}"
        if block is not None and not focus.block_declined(state, block.end):
            end = format_time(block.end, fmt)
            if focus.same_instant(until, block.end):
                said += f": the scheduled block ({end}) is kept"
            elif until.astimezone(UTC) > block.end.astimezone(UTC):
                said += f": extends the scheduled block that ended at {end}"
            else:
                state = dataclasses.replace(state, declined_block_end=block.end)
                said += f": shortens the scheduled block that ran until {end}"
        self._change(state)
        return said

    def end_focus(self) -> None:
        """End the current focus, whatever started it; ValueError when there is none."""
        if not self._state.focusing:
            raise ValueError("not focusing: there is no focus to end")
        now = self.now()
        block = current_focus_block(self._settings, now, self.tz)
        self._change(focus.end_focus(self._state, now, block))

    def extend_focus(self, minutes: int) -> None:
        self._change(focus.extend_focus(self._state, self.now(), minutes))

    def sign_off(self) -> None:
        self._change(focus.sign_off(self._state, self.now(), self._settings, self.tz))

    def back_to_work(self) -> None:
        """Undo a sign-off or a pause; ValueError when neither is on."""
        if self._state.mode not in (focus.Mode.SIGNED_OFF, focus.Mode.PAUSED):
            raise ValueError("not signed off or paused: nothing to come back from")
        self._change(focus.back_to_work(self._state))

    def pause_today(self) -> None:
        self._change(focus.pause_today(self._state, self.now()))

    def resume(self) -> None:
        """End a pause; ValueError when not paused."""
        if self._state.mode is not focus.Mode.PAUSED:
            raise ValueError("not paused: there is nothing to resume")
        self._change(focus.back_to_work(self._state))

    def pause_for(self, minutes: int) -> None:
        self._change(focus.pause_for(self._state, self.now(), minutes))

    def skip_next_block(self) -> str:
        """Skip the next scheduled focus block; says which one."""
        now = self.now()
        state = focus.skip_next_block(self._state, self._settings, now, self.tz)
        self._change(state)
        skipped = [
            b
            for b in self._upcoming_blocks(now)
            if focus.same_instant(b.end, state.skipped_block_end)
        ]
        fmt = self._settings.general.time_format
        if skipped:
            block = skipped[0]
            start = format_day_time(block.start, fmt, now)
            return f"Skipping the focus block {start}–{format_time(block.end, fmt)}"
        return "Skipping the next focus block"

    def _upcoming_blocks(self, now: datetime) -> list[Interval]:
        return [
            event.block
            for event in itertools.islice(events_after(self._settings, now, self.tz), 200)
            if event.block is not None and event.kind is EventKind.FOCUS_START
        ]

    def snooze(self, minutes: int = SNOOZE_DEFAULT_MINUTES) -> None:
        SNOOZE_MINUTES.check(minutes)
        now = self.now()
        focus.check_snooze(self._state, self._settings, now, self.tz)
        self._change(focus.snooze_signoff(self._state, now, minutes))

    def snooze_available(self, now: datetime | None = None) -> bool:
        """Whether a sign-off nudge is due or past (the only time a snooze means anything)."""
        now = self.now() if now is None else now
        return focus.signoff_due(self._state, self._settings, now, self.tz)

    def until_time(self, text: str) -> datetime:
        """The next occurrence of a typed time ("17:30", "5pm"): today, or tomorrow if past."""
        return self.next_time(parse_clock(text))

    def next_time(self, at: time) -> datetime:
        """The next occurrence of the wall time ``at`` in the user's zone, at most
        ``FOCUS_UNTIL_AHEAD_HOURS`` ahead (after midnight counts); ValueError for a time that
        has already passed today."""
        now = self.now()
        candidate = wall_to_instant(now.date(), at, self.tz)
        if at_or_before(candidate, now):
            candidate = wall_to_instant(now.date() + timedelta(days=1), at, self.tz)
        if candidate.astimezone(UTC) - now.astimezone(UTC) > timedelta(
            hours=FOCUS_UNTIL_AHEAD_HOURS
        ):
            fmt = self._settings.general.time_format
            raise ValueError(
                f"{format_time(at, fmt)} has already passed (it is {format_time(now, fmt)}); "
                "give a time later today"
            )
        return candidate

    # ------------------------------------------------------------------ internals
    def _change(self, state: AppState) -> None:
        now = self.now()
        problems = check_state(state, now)
        if problems:  # e.g. a snooze of years: refused here, so it is never stored
            raise ValueError("refused, the app state would be invalid: " + "; ".join(problems))
        state, reminder = self._release_reminder(state)
        self._commit(state)
        self._emit_reminder(reminder)
        self._plan(now)

    def hold_update_reminder(self, at: datetime) -> None:
        """A reminder that comes back (from a desktop hold) during focus waits for its end."""
        held = self._state.update_reminder_held
        keep = at if held is None or before(held, at) else held
        state = dataclasses.replace(self._state, update_reminder_held=keep)
        state, reminder = self._release_reminder(state)
        self._commit(state)
        self._emit_reminder(reminder)

    def _release_reminder(self, state: AppState) -> tuple[AppState, datetime | None]:
        """A weekly-update reminder held in ``state`` comes out once the user is not focusing
        (None while focusing); one whose week ended meanwhile (the app was off) is dropped."""
        at = state.update_reminder_held
        if at is None or state.focusing:
            return state, None
        state = dataclasses.replace(state, update_reminder_held=None)
        if reminder_expired(at, self.now(), self.tz):
            log.info("dropping the weekly update reminder of %s: its week is over", at.date())
            return state, None
        return state, at

    def _emit_reminder(self, at: datetime | None) -> None:
        if at is not None:
            log.info("weekly update reminder (due %s)", at.isoformat(timespec="minutes"))
            self.update_reminder.emit(at)

    def _commit(self, state: AppState, force_write: bool = False) -> None:
        old = self._state
        if state == old and not force_write:
            return
        self._state = state
        self._start_unsaved = False
        self._last_write = self._writer.submit(self._write_state, state)
        if state != old:
            log.info("state %s -> %s", old.mode, state.mode)
            self.state_changed.emit(old, state)

    def _write_state(self, state: AppState) -> None:
        """On the writer thread; a failure is reported (queued to the GUI thread) and raised
        into the write's future, which a command's reply waits for."""
        try:
            self._sink.write(state)
        except (OSError, ValueError) as error:  # ValueError: the file refused an invalid state
            log.error("could not save the app state: %s", error)
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            self.state_save_failed.emit(str(reason))
            raise
        self.state_saved.emit()

    @Slot(str)
    def _on_save_failed(self, _reason: str) -> None:
        if not self._retry.isActive():
            self._retry.start()
            self._retry.setInterval(min(self._retry.interval() * 2, SAVE_RETRY_MAX_MS))

    @Slot()
    def _on_saved(self) -> None:
        self._retry.stop()
        self._retry.setInterval(SAVE_RETRY_FIRST_MS)

    @Slot()
    def _retry_save(self) -> None:
        self._commit(self._state, force_write=True)  # the newest state, not the failed one

    def _plan(self, now: datetime) -> None:
        tz = self.tz
        candidates = focus.deadlines(self._state)
        upcoming = next_event(self._settings, now, tz)
        if upcoming is not None:
            candidates.append(upcoming.at)
        reminder = next_reminder(self._settings, now, tz)
        if reminder is not None:
            candidates.append(reminder)
        candidates.append(wall_to_instant(now.date() + timedelta(days=1), time(0, 0), tz))
        future = [moment for moment in candidates if before(now, moment)]
        self._waker.wake_at(min(future, key=utc) if future else None)
