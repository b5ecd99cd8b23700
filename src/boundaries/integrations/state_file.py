"""``state.json``: the app state that must survive a restart or a crash.

Reading never raises: what is valid is kept, the rest dropped (see
:mod:`boundaries.core.state_check`), and the app keeps a byte-identical copy of a file it had
to drop parts of, so nothing the user might want is lost. Writing refuses a state that breaks
the same rules, so a bad value never reaches the file.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from boundaries.core.focus import AppState
from boundaries.core.state_check import check_state, parse_state
from boundaries.integrations.atomic import atomic_write_bytes, atomic_write_text

log = logging.getLogger(__name__)

FILENAME = "state.json"
BACKUP_MARK = ".broken-"
_MAX_BYTES = 1024 * 1024  # ours is a few hundred bytes; a bigger file is not ours


class StateRejected(ValueError):
    """A state that must not be stored; ``str()`` says which part and why."""


@dataclass(frozen=True)
class StateLoad:
    """The state read at start-up, and what was wrong with the file, if anything."""

    state: AppState | None
    problems: tuple[str, ...] = ()
    path: Path | None = None
    backup: Path | None = None
    backup_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def message(self) -> str:
        """One paragraph for a notification (empty when the file was fine)."""
        if self.ok:
            return ""
        listed = "; ".join(self.problems[:5])
        text = (
            f"The saved app state in {self.path} could not all be used ({listed}). "
            "Those parts were dropped; everything else was kept."
        )
        if self.backup is not None:
            text += f" The old file was copied to {self.backup}."
        elif self.backup_error:
            text += f" No copy of the old file could be made ({self.backup_error})."
        return text


class StateFile:
    def __init__(self, state_dir: Path, clock: Callable[[], datetime] | None = None) -> None:
        self.path = state_dir / FILENAME
        self._clock = clock or (lambda: datetime.now(UTC))

    def read(self, now: datetime | None = None) -> AppState | None:
        """The saved state (bad parts dropped), or ``None`` if there is none. Writes nothing."""
        return self._load(now)[0].state

    def load(self, now: datetime | None = None) -> StateLoad:
        """Like :meth:`read`, and a file with problems is first copied next to itself."""
        result, raw = self._load(now)
        if result.ok or raw is None:
            return result
        try:
            backup = self._backup(raw)
        except OSError as error:
            log.warning("no backup of %s: %s", self.path, error)
            return StateLoad(result.state, result.problems, self.path, None, str(error))
        return StateLoad(result.state, result.problems, self.path, backup)

    def write(self, state: AppState) -> None:
        """Store ``state`` atomically; :class:`StateRejected` if it breaks the rules."""
        problems = check_state(state)
        if problems:
            raise StateRejected("; ".join(problems))
        atomic_write_text(self.path, json.dumps(state.to_json(), indent=2) + "\n")

    # ------------------------------------------------------------------ internals
    def _load(self, now: datetime | None) -> tuple[StateLoad, bytes | None]:
        try:
            with self.path.open("rb") as handle:
                raw = handle.read(_MAX_BYTES + 1)
        except FileNotFoundError:
            return StateLoad(None, (), self.path), None
        except OSError as error:
            log.warning("ignoring unreadable %s: %s", self.path, error)
            return StateLoad(None, (f"the file could not be read ({error.strerror})",)), None
        if len(raw) > _MAX_BYTES:
            return StateLoad(AppState(), ("the file is far too big",), self.path), raw
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError) as error:
            reason = (
                "the file is nested too deeply"
                if isinstance(error, RecursionError)
                else (f"the file is not JSON ({error})")
            )
            return StateLoad(AppState(), (reason,), self.path), raw
        state, problems = parse_state(data, now)
        return StateLoad(state, tuple(problems), self.path), raw

    def _backup(self, raw: bytes) -> Path:
        """Copy a damaged file next to it, unless an identical copy is already there."""
        prefix = self.path.name + BACKUP_MARK
        for existing in sorted(self.path.parent.glob(prefix + "*")):
            try:
                if existing.read_bytes() == raw:
                    return existing
            except OSError:
                continue
        stamp = self._clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        candidate, n = self.path.with_name(prefix + stamp), 2
        while candidate.exists():
            candidate, n = self.path.with_name(f"{prefix}{stamp}-{n}"), n + 1
        atomic_write_bytes(candidate, raw)
        return candidate
