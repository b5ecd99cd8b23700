"""``history.sqlite3`` in the state folder: the private record of each workday's end.

Nothing here leaves the machine. The schema version lives in ``PRAGMA user_version`` and
``MIGRATIONS[v]`` takes a database from version ``v`` to ``v + 1``. A damaged file is never
patched or deleted: it is renamed to ``history.sqlite3.corrupt-<timestamp>`` and a new one
started, and the message for the user is queued in :meth:`History.take_problems`.

:class:`History` is blocking and thread-safe (one connection behind a lock): the app calls it
from worker threads, never from the GUI thread. :func:`read_records` is the read-only path for
``boundaries report``: it never creates, migrates or moves a file.

The file is opened (and sqlite3 loaded, ~1.3 MiB resident) with the first read or write, not
at start: a day with nothing recorded yet carries none of it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from boundaries.core.workday_record import DayRecord, FocusSession, SignoffSource, merge_signoff
from boundaries.integrations.private_dir import make_private

if TYPE_CHECKING:
    import sqlite3

log = logging.getLogger(__name__)
T = TypeVar("T")

FILENAME = "history.sqlite3"
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_BUSY_TIMEOUT_S = 2.0


class HistoryUnavailable(Exception):
    """The history cannot be used (a newer app's file, or unreadable); the text says why."""


def _v0_to_v1(conn: sqlite3.Connection) -> None:
    """v0 was a prototype with one table ``signoffs(day, planned, actual)`` (button only)."""
    statements = (
        """CREATE TABLE workdays (
            day TEXT PRIMARY KEY,            -- local date, YYYY-MM-DD
            planned_signoff TEXT,            -- ISO-8601 with offset; NULL on a day off
            actual_signoff TEXT,             -- ISO-8601 with offset; NULL if unknown
            source TEXT CHECK (source IN ('button', 'cli', 'last_activity'))
        )""",
        """CREATE TABLE focus_sessions (
            started TEXT PRIMARY KEY,        -- ISO-8601; one row per session
            day TEXT NOT NULL,               -- the workday it counts for
            ended TEXT NOT NULL,
            planned_end TEXT NOT NULL,
            cut_short INTEGER NOT NULL,
            minutes REAL NOT NULL
        )""",
        "CREATE INDEX focus_sessions_by_day ON focus_sessions(day)",
    )
    for statement in statements:
        conn.execute(statement)
    has_v0 = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'signoffs'"
    ).fetchone()
    if has_v0:
        conn.execute(
            "INSERT OR REPLACE INTO workdays (day, planned_signoff, actual_signoff, source) "
            "SELECT day, planned, actual, CASE WHEN actual IS NULL THEN NULL ELSE 'button' END "
            "FROM signoffs"
        )
        conn.execute("DROP TABLE signoffs")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v0_to_v1]
SCHEMA_VERSION = len(MIGRATIONS)


def is_corruption(error: BaseException) -> bool:
    """True for "this file is damaged / not a database", false for locked, full, read-only."""
    import sqlite3

    if not isinstance(error, sqlite3.DatabaseError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(error).lower()
    return "malformed" in text or "not a database" in text


TABLES = ("workdays", "focus_sessions")


def _missing_tables(conn: sqlite3.Connection) -> list[str]:
    found = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return [name for name in TABLES if name not in found]


def migrate(conn: sqlite3.Connection) -> None:
    """Bring ``conn`` up to :data:`SCHEMA_VERSION` in one transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise HistoryUnavailable(
            f"the history file is from a newer Boundaries (schema {version}); it is left as it is"
        )
    if version == SCHEMA_VERSION:
        return
    # One explicit transaction: sqlite3 would otherwise run each CREATE in autocommit, and a
    # crash halfway would leave a file that is neither the old schema nor the new one.
    conn.execute("BEGIN IMMEDIATE")
    try:
        for step in MIGRATIONS[version:]:
            step(conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _records(conn: sqlite3.Connection, first: date, last: date) -> list[DayRecord]:
    lo, hi = first.isoformat(), last.isoformat()
    focus = {
        row[0]: row[1:]
        for row in conn.execute(
            "SELECT day, SUM(NOT cut_short), SUM(cut_short), SUM(minutes) FROM focus_sessions "
            "WHERE day BETWEEN ? AND ? GROUP BY day",
            (lo, hi),
        )
    }
    days = {
        row[0]: row[1:]
        for row in conn.execute(
            "SELECT day, planned_signoff, actual_signoff, source FROM workdays "
            "WHERE day BETWEEN ? AND ?",
            (lo, hi),
        )
    }
    records = []
    for day in sorted(set(focus) | set(days)):
        planned, actual, source = days.get(day, (None, None, None))
        done, cut, minutes = focus.get(day, (0, 0, 0.0))
        records.append(
            DayRecord(
                day=date.fromisoformat(day),
                planned_signoff=_parse(planned),
                actual_signoff=_parse(actual),
                source=SignoffSource(source) if source else None,
                focus_done=int(done or 0),
                focus_cut_short=int(cut or 0),
                focus_minutes=float(minutes or 0.0),
            )
        )
    return records


class History:
    """The history database; every method may block briefly (call it off the GUI thread)."""

    def __init__(self, state_dir: Path, clock: Callable[[], datetime] | None = None) -> None:
        self.path = state_dir / FILENAME
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._problems: list[str] = []

    # ------------------------------------------------------------------ public API
    def open(self) -> None:
        """Open (create, migrate, or replace a damaged file); idempotent."""
        with self._lock:
            self._connection()

    def take_problems(self) -> list[str]:
        """Messages for the user since the last call (e.g. "damaged file kept as ...")."""
        with self._lock:
            problems, self._problems = self._problems, []
        return problems

    def observe_signoff(
        self, day: date, actual: datetime, source: SignoffSource, planned: datetime | None
    ) -> DayRecord:
        """Record that the user worked on ``day`` until ``actual`` (the latest moment wins)."""

        def write(conn: sqlite3.Connection) -> DayRecord:
            with conn:
                found = _records(conn, day, day)
                record = merge_signoff(
                    found[0] if found else DayRecord(day), actual, source, planned
                )
                conn.execute(
                    "INSERT OR REPLACE INTO workdays "
                    "(day, planned_signoff, actual_signoff, source) VALUES (?, ?, ?, ?)",
                    (
                        day.isoformat(),
                        record.planned_signoff.isoformat() if record.planned_signoff else None,
                        record.actual_signoff.isoformat() if record.actual_signoff else None,
                        record.source.value if record.source else None,
                    ),
                )
            return record

        return self._run(write)

    def record_focus(self, day: date, session: FocusSession) -> None:
        """Add a finished focus session to ``day`` (recording the same session twice is once)."""

        def write(conn: sqlite3.Connection) -> None:
            with conn:
                conn.execute(
                    "INSERT OR REPLACE INTO focus_sessions "
                    "(started, day, ended, planned_end, cut_short, minutes) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        session.started.isoformat(),
                        day.isoformat(),
                        session.ended.isoformat(),
                        session.planned_end.isoformat(),
                        int(session.cut_short),
                        session.minutes,
                    ),
                )

        self._run(write)

    def records_between(self, first: date, last: date) -> list[DayRecord]:
        """Stored days in ``[first, last]``, oldest first (days with nothing are absent)."""
        return self._run(lambda conn: _records(conn, first, last))

    def clear(self) -> None:
        """Forget everything ("Clear history"): rows deleted and the file compacted."""

        def wipe(conn: sqlite3.Connection) -> None:
            with conn:
                conn.execute("DELETE FROM workdays")
                conn.execute("DELETE FROM focus_sessions")
            conn.execute("VACUUM")  # deleted rows must not linger in free pages

        self._run(wipe)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # ------------------------------------------------------------------ internals
    def _run(self, operation: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``operation``; a damaged file is set aside and the operation retried once."""
        import sqlite3

        with self._lock:
            try:
                return operation(self._connection())
            except sqlite3.DatabaseError as error:
                if not is_corruption(error):
                    raise
                self._set_aside(error)
                return operation(self._connection())

    def _connection(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        import sqlite3

        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = self._connect()
        except sqlite3.DatabaseError as error:
            if not is_corruption(error):
                raise
            self._set_aside(error)
            conn = self._connect()
        self._conn = conn
        return conn

    def _connect(self) -> sqlite3.Connection:
        import sqlite3

        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S, check_same_thread=False)
        make_private(self.path)  # a file an older version created 0644
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"database disk image is malformed: {check}")
            migrate(conn)
            missing = _missing_tables(conn)
            if missing:  # a right version over a wrong body: every write would fail
                raise sqlite3.DatabaseError(
                    f"file is not a database Boundaries can use: it says schema {SCHEMA_VERSION} "
                    f"but has no {' or '.join(missing)} table"
                )
        except BaseException:
            conn.close()
            raise
        return conn

    def _set_aside(self, error: BaseException) -> None:
        """Rename the damaged file (and its journal) out of the way and queue a message."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        stamp = self._clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while kept.exists():
            n += 1
            kept = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        self.path.replace(kept)
        for suffix in ("-journal", "-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.replace(kept.with_name(kept.name + suffix))
        log.warning("history database damaged (%s); kept as %s", error, kept)
        self._problems.append(
            f"Your sign-off history was damaged and could not be read ({error}). "
            f"It is kept as {kept}; a new history was started."
        )


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    import sqlite3

    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S)
    try:
        yield conn
    finally:
        conn.close()


def read_records(state_dir: Path, first: date, last: date) -> list[DayRecord]:
    """Days in ``[first, last]`` without writing anything (for ``boundaries report``).

    An older schema is migrated in a memory copy; a missing file is an empty history.
    Raises :class:`HistoryUnavailable` for a damaged or newer file.
    """
    path = state_dir / FILENAME
    if not path.exists():
        return []
    import sqlite3

    try:
        with _read_only(path) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                missing = _missing_tables(conn)
                if missing:
                    raise HistoryUnavailable(
                        f"{path} says schema {version} but has no {' or '.join(missing)} table; "
                        "the app keeps it as a copy and starts a new history when it next "
                        "records a day"
                    )
                return _records(conn, first, last)
            memory = sqlite3.connect(":memory:")
            try:
                conn.backup(memory)
                migrate(memory)
                return _records(memory, first, last)
            finally:
                memory.close()
    except sqlite3.DatabaseError as error:
        if is_corruption(error):
            raise HistoryUnavailable(
                f"{path} is damaged ({error}); the app sets it aside when it next records a day"
            ) from error
        raise HistoryUnavailable(f"cannot read {path}: {error}") from error
