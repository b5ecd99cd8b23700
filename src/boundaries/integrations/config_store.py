"""``settings.toml`` on disk: load without ever losing the user's file, save without surprises.

Loading never raises and never writes the settings file: a broken file (not TOML, wrong types,
unknown zone) gives defaults for the broken parts and a byte-identical backup copy next to it,
so the user can fix it from the message we show. Saving writes only the keys that changed into
the user's own document with tomlkit, so comments, layout, unknown keys and even the broken
values the user did not touch survive; it replaces the file atomically and turns any ``OSError``
into a :class:`ConfigWriteError` whose text can be shown as is. Only a file that cannot be read
as TOML at all is replaced by a commented template, and only after its backup exists.

``tomli`` (compiled, the parser the stdlib's ``tomllib`` came from) parses on start-up;
``tomlkit`` is imported only when saving.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli

from boundaries.core.schema import Change, Section, TableList, changes, entry_at
from boundaries.core.settings import Settings, SettingsProblem, parse_settings, settings_to_dict
from boundaries.integrations.atomic import atomic_write_bytes, atomic_write_text
from boundaries.integrations.migrations import MigrationError, migrate, needs_migration

if TYPE_CHECKING:
    from tomlkit.container import Container

SETTINGS_FILE = "settings.toml"
BACKUP_MARK = ".broken-"
NEW_FILE_MODE = 0o600
MAX_FILE_BYTES = 1024 * 1024  # a settings file is a few KB; anything near this is not one
_MAX_LISTED = 5


class ConfigWriteError(Exception):
    """Saving failed; ``str()`` says what, where and the OS reason, and that the old file stays."""


@dataclass(frozen=True)
class LoadResult:
    """Settings to run with, and what (if anything) was wrong with the file they came from."""

    settings: Settings
    problems: list[SettingsProblem]
    path: Path
    backup_path: Path | None = None  # where a broken file was copied
    backup_error: str | None = None  # why no copy could be made, if that failed
    explicit: frozenset[str] = frozenset()  # the paths the file sets itself ("workday.start")
    missing: bool = False  # no settings file yet: the first run

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unreadable(self) -> bool:
        """Nothing in the file could be used (not TOML, not UTF-8, too large or too deep)."""
        return any(not problem.path for problem in self.problems)

    def _listed(self) -> str:
        listed = "; ".join(str(problem) for problem in self.problems[:_MAX_LISTED])
        if len(self.problems) > _MAX_LISTED:
            listed += f"; and {len(self.problems) - _MAX_LISTED} more"
        return listed

    def message(self) -> str:
        """One paragraph for the UI: what was wrong and where, what is used instead, the backup."""
        if self.ok:
            return f"Settings loaded from {self.path}."
        if self.unreadable:
            text = (
                f"Boundaries could not read its settings file {self.path} ({self._listed()}), "
                "so it is running with default settings."
            )
        else:
            text = (
                f"Some settings in {self.path} could not be used ({self._listed()}). "
                "Those settings use their defaults (a broken focus block or teammate is left "
                "out); everything else in the file applies."
            )
        return f"{text} The file was left as it is{self._backup_note()}."

    def banner(self) -> str:
        """What the Settings window says about the file, including what OK will do to it."""
        if self.ok:
            return ""
        if self.unreadable:
            what_ok_does = (
                "Saving here writes a new settings file with what you see; the unreadable "
                "one is kept"
            )
            what_ok_does += f" as {self.backup_path}." if self.backup_path else " as a copy."
        else:
            what_ok_does = (
                "Saving here changes only the settings you edit: the rest of the file, "
                "including what could not be used, stays as you wrote it."
            )
        return f"{self.message()} {what_ok_does}"

    def _backup_note(self) -> str:
        if self.backup_path is not None:
            return f", and a copy was kept as {self.backup_path}"
        if self.backup_error is not None:
            return f"; no backup copy could be made ({self.backup_error})"
        return ""


@dataclass(frozen=True, eq=False)  # read once, never compared (eq=False: cheaper import)
class _Snapshot:
    """The settings file as found on disk, read once and interpreted."""

    raw: bytes | None  # None: no file
    text: str
    settings: Settings
    problems: list[SettingsProblem]
    editable: bool  # the text is TOML that tomlkit can edit key by key
    explicit: frozenset[str] = frozenset()


class ConfigStore:
    """Reads and writes ``<config_dir>/settings.toml``; holds no state between calls."""

    def __init__(self, config_dir: Path, *, clock: Callable[[], datetime] = datetime.now) -> None:
        self.path = Path(config_dir) / SETTINGS_FILE
        self._clock = clock  # only names backup copies

    # ------------------------------------------------------------------ load

    def load(self) -> LoadResult:
        """Settings from the file, or defaults for whatever is missing or broken in it."""
        try:
            snapshot = self._snapshot()
        except OSError as error:
            problem = SettingsProblem("", f"the file could not be opened: {_reason(error)}")
            return LoadResult(Settings(), [problem], self.path)
        found = (snapshot.settings, snapshot.problems, self.path)
        if snapshot.raw is None:
            return LoadResult(*found, missing=True)
        if not snapshot.problems:
            return LoadResult(*found, explicit=snapshot.explicit)
        try:
            backup = self._backup(snapshot.raw)
        except OSError as error:
            return LoadResult(*found, backup_error=_reason(error), explicit=snapshot.explicit)
        return LoadResult(*found, backup_path=backup, explicit=snapshot.explicit)

    def check(self, path: Path) -> LoadResult:
        """Read any settings file and say what is wrong with it, writing nothing."""
        try:
            snapshot = _interpret(path.read_bytes())
        except OSError as error:
            problem = SettingsProblem("", f"the file could not be opened: {_reason(error)}")
            return LoadResult(Settings(), [problem], path)
        return LoadResult(snapshot.settings, snapshot.problems, path)

    def _snapshot(self) -> _Snapshot:
        try:
            with self.path.open("rb") as file:
                raw = file.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            if self.path.is_symlink():
                raise FileNotFoundError(
                    2, f"it is a link to {self.path.readlink()}, which does not exist"
                ) from None
            return _Snapshot(None, "", Settings(), [], editable=False)
        return _interpret(raw)

    def _backup(self, raw: bytes) -> Path:
        """Copy a broken file next to it, unless an identical copy is already there."""
        folder, prefix = self.path.parent, self.path.name + BACKUP_MARK
        for existing in sorted(folder.glob(prefix + "*")):
            try:
                same = existing.stat().st_size == len(raw) and existing.read_bytes() == raw
            except OSError:
                continue
            if same:
                return existing
        stamp = self._clock().strftime("%Y%m%d-%H%M%S")
        candidate, n = folder / f"{prefix}{stamp}", 2
        while candidate.exists():
            candidate, n = folder / f"{prefix}{stamp}-{n}", n + 1
        atomic_write_bytes(candidate, raw, NEW_FILE_MODE)  # may hold a pasted token: private
        return candidate

    # ------------------------------------------------------------------ save

    def render(self, settings: Settings, *, before: Settings | None = None) -> str:
        """The text :meth:`save` would write now. Raises :class:`ConfigWriteError`."""
        return self._plan(settings, before)[0]

    def save(self, settings: Settings, *, before: Settings | None = None) -> None:
        """Write what changed from ``before`` to ``settings``; on failure leave the file as it was.

        ``before`` is what the user saw when they made the change (the settings in force);
        without it, what the file reads as now. Only the keys that differ are written.
        """
        text, snapshot, replaces = self._plan(settings, before)
        if snapshot.raw is not None and text == snapshot.text:
            return  # nothing changed: leave the file (and its mtime) alone
        target = self.path.resolve() if self.path.is_symlink() else self.path  # keep dotfile links
        mode = NEW_FILE_MODE if snapshot.raw is None else _existing_mode(target)
        if replaces and snapshot.raw is not None:
            try:
                self._backup(snapshot.raw)
            except OSError as error:
                raise self._write_error(
                    error, "no backup copy of the old file could be made"
                ) from error
        try:
            atomic_write_text(target, text, mode)
        except OSError as error:
            raise self._write_error(error) from error

    def _plan(self, settings: Settings, before: Settings | None) -> tuple[str, _Snapshot, bool]:
        """The text to write, what is on disk now, and whether the text replaces the file."""
        try:
            snapshot = self._snapshot()
        except OSError as error:
            raise self._write_error(
                error, "the current file could not be read, so it was not replaced"
            ) from error
        if snapshot.raw is None or not snapshot.editable:
            # No file yet, or one that is not TOML at all (its backup is kept).
            from boundaries.core.settings_doc import render_template  # writing: not at start

            return render_template(settings), snapshot, snapshot.raw is not None
        edits = changes(Settings, snapshot.settings if before is None else before, settings)
        text = _apply_changes(snapshot.text, edits)
        unfaithful = _misread_changes(text, edits, snapshot.problems)
        if unfaithful:
            raise ConfigWriteError(
                f"Could not save settings to {self.path}: writing {', '.join(unfaithful)} "
                "would not read back as intended. The settings file on disk was not changed."
            )
        return text, snapshot, False

    def _write_error(self, error: OSError, context: str = "") -> ConfigWriteError:
        reason = f"{context}: {_reason(error)}" if context else _reason(error)
        return ConfigWriteError(
            f"Could not save settings to {self.path}: {reason}. "
            "The settings file on disk was not changed."
        )


# ---------------------------------------------------------------------- reading helpers

_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _interpret(raw: bytes) -> _Snapshot:
    text, data, problems = _parse_bytes(raw)
    if data is None:
        return _Snapshot(raw, text, Settings(), problems, editable=False)
    settings, found = parse_settings(data)
    if problems:  # a failed migration already explains the version problem
        found = [problem for problem in found if problem.path != "version"]
    problems += [with_line(problem, text) for problem in found]
    problems.sort(key=lambda p: (p.line is None, p.line or 0))  # read top to bottom
    return _Snapshot(raw, text, settings, problems, editable=True, explicit=_paths_in(data))


def _paths_in(data: Mapping[str, Any], prefix: str = "") -> frozenset[str]:
    """Every dotted key path a document spells out (tables' keys, not list entries)."""
    found: set[str] = set()
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else key
        found.add(path)
        if isinstance(value, Mapping):
            found |= _paths_in(value, path)
    return frozenset(found)


def parse_toml_bytes(raw: bytes) -> tuple[str, dict[str, Any] | None, list[SettingsProblem]]:
    """Decode and parse any TOML file of ours; ``None`` data means nothing in it can be used.

    Never raises: too large, not UTF-8, not TOML or nested too deeply each give one problem
    (with its line where there is one).
    """
    if len(raw) > MAX_FILE_BYTES:
        reason = f"the file is over {MAX_FILE_BYTES // 1024} KB, far more than it should hold"
        return "", None, [SettingsProblem("", reason)]
    try:
        text = raw.decode("utf-8-sig")  # tolerate the BOM Windows editors add
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return "", None, [SettingsProblem("", "the file is not UTF-8 text", line)]
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        message = str(error)
        where = _TOML_WHERE.search(message)
        reason = _TOML_WHERE.sub("", message).replace(" (at end of document)", "")
        line = int(where.group(1)) if where else text.count("\n") + 1
        return text, None, [SettingsProblem("", f"not valid TOML: {reason}", line)]
    except RecursionError:
        reason = "not valid TOML for Boundaries: arrays or tables are nested too deeply"
        return text, None, [SettingsProblem("", reason)]
    return text, data, []


def _parse_bytes(raw: bytes) -> tuple[str, dict[str, Any] | None, list[SettingsProblem]]:
    """Decode and parse settings, upgrading an older version in place."""
    text, data, problems = parse_toml_bytes(raw)
    if data is None:
        return text, data, problems
    version = data.get("version")
    if needs_migration(version):
        try:
            migrate(data, version)
        except MigrationError as error:
            problems.append(with_line(SettingsProblem("version", str(error)), text))
    return text, data, problems


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\-\s\"']+?)\s*=")


def with_line(problem: SettingsProblem, text: str) -> SettingsProblem:
    """The problem with the line its path is written on, where the text has it."""
    if problem.line is not None:
        return problem
    line = locate(text, problem.path)
    return SettingsProblem(problem.path, problem.reason, line) if line else problem


def locate(text: str, path: str) -> int | None:
    """The line where a setting path (``focus.blocks[1].start``) is written, best effort.

    Falls back to the closest enclosing key or table header, e.g. the ``[[team]]`` line for
    a missing ``team[0].timezone``; ``None`` if nothing in the file matches.
    """
    best: tuple[int, int] | None = None  # (matched length, line)
    header, counts, in_string = "", dict[str, int](), False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count('"""') % 2 or line.count("'''") % 2:
            in_string = not in_string
            if not in_string:
                continue
        if in_string:
            continue
        if match := _HEADER.match(line):
            name = _resolved(_dotted(match.group(2)), counts)
            if match.group(1) == "[[":  # counted per parent entry: members[1].away[0]
                counts[name] = counts.get(name, -1) + 1
                name = f"{name}[{counts[name]}]"
            header, here = name, name
        elif match := _KEY.match(line):
            key = _dotted(match.group(1))
            here = f"{header}.{key}" if header else key
        else:
            continue
        inside = here == path or path.startswith((here + ".", here + "["))
        if inside and (best is None or len(here) > best[0]):
            best = (len(here), number)
    return best[1] if best else None


def _resolved(name: str, counts: dict[str, int]) -> str:
    """``members.away`` inside the second ``[[members]]`` is ``members[1].away``."""
    *parents, last = name.split(".")
    prefix = ""
    for part in parents:
        prefix = f"{prefix}.{part}" if prefix else part
        if prefix in counts:
            prefix = f"{prefix}[{counts[prefix]}]"
    return f"{prefix}.{last}" if prefix else last


def _dotted(key: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in key.split("."))


def _existing_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return NEW_FILE_MODE


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


# ---------------------------------------------------------------------- writing helpers


def _apply_changes(text: str, edits: list[Change]) -> str:
    """Write each change into the user's document; everything else stays as it was."""
    import tomlkit

    doc = tomlkit.parse(text)
    version = doc.get("version")
    if needs_migration(version):
        migrate(doc, version)
    for change in edits:
        _apply(doc, change)
    return doc.as_string()


def _apply(doc: Container, change: Change) -> None:
    import tomlkit

    *parents, key = change.keys
    container: Any = doc
    for name in parents:
        child = container.get(name)
        if not isinstance(child, Mapping):  # missing, or not a table (that was a problem)
            if name in container:
                del container[name]
            container[name] = tomlkit.table()
            child = container[name]
        container = child
    value = change.value
    if isinstance(value, list) and (value or _is_tables(container.get(key))):
        _write_tables(container, key, value, change)
    elif value == [] and entry_at(Settings, change.path).default == [] and key in container:
        del container[key]  # an empty list that is also the default: no key at all
    else:
        container[key] = _toml_item(value)


def _is_tables(item: Any) -> bool:
    from tomlkit.items import AoT

    return isinstance(item, AoT)


def _write_tables(container: Any, key: str, entries: list[Any], change: Change) -> None:
    """Edit an [[array of tables]] entry by entry, so comments and unknown keys inside survive."""
    import tomlkit

    if not all(isinstance(entry, Mapping) for entry in entries):
        container[key] = _toml_item(entries)
        return
    existing = container.get(key)
    if not _is_tables(existing):
        if key in container:
            del container[key]
        if entries:
            container[key] = _toml_item(entries)
        else:
            container[key] = tomlkit.array()
        return
    known = {entry.path.rsplit(".", 1)[-1] for entry in _item_entries(change.path)}
    for table, entry in zip(existing, entries, strict=False):
        for name, value in entry.items():
            if not _same(change.path, name, table.get(name), value):
                table[name] = _toml_item(value)
        for name in [n for n in table if n in known and n not in entry]:
            del table[name]
    if len(entries) < len(existing):
        if not entries:
            del container[key]
            if entry_at(Settings, change.path).default != []:
                container[key] = tomlkit.array()
            return
        del existing[len(entries) :]
    for entry in entries[len(existing) :]:
        existing.append(_toml_item([entry])[0])


def _item_entries(path: str) -> list[Any]:
    from boundaries.core.schema import entries

    return [entry for entry in entries(Settings) if entry.path.startswith(path + ".")]


def _same(path: str, name: str, old: Any, new: Any) -> bool:
    """Whether a file's value already means ``new`` ("9:00" and "09:00" are the same time)."""
    if old is None:
        return False
    raw = old.unwrap() if hasattr(old, "unwrap") else old
    if raw == new:
        return True
    try:
        kind = entry_at(Settings, f"{path}.{name}").spec.kind
    except KeyError:
        return False
    if isinstance(kind, Section | TableList):
        return False  # nested tables: rewritten whenever they differ as written
    try:
        return bool(kind.parse(raw) == kind.parse(new))
    except ValueError:
        return False


def _toml_item(value: Any) -> Any:
    """A tomlkit item: inline tables for mappings, [[arrays of tables]] for lists of them."""
    import tomlkit

    if isinstance(value, Mapping):
        inline = tomlkit.inline_table()
        inline.update(value)
        return inline
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        array = tomlkit.aot()
        for entry in value:
            table = tomlkit.table()
            table.update(entry)
            array.append(table)
        return array
    return tomlkit.item(value)


def _misread_changes(
    text: str, edits: list[Change], problems_before: list[SettingsProblem]
) -> list[str]:
    """The changed paths that would not read back as written, or that gained a problem."""
    _, data, problems = _parse_bytes(text.encode("utf-8"))
    if data is None or problems:
        return [edit.path for edit in edits] or ["the file"]
    parsed, found = parse_settings(data)
    dumped = settings_to_dict(parsed)
    old = {(p.path, p.reason) for p in problems_before}
    bad = []
    for edit in edits:
        here: Any = dumped
        for key in edit.keys:
            here = here.get(key) if isinstance(here, Mapping) else None
        new_problem = any(
            (p.path, p.reason) not in old
            and (p.path == edit.path or p.path.startswith((edit.path + ".", edit.path + "[")))
            for p in found
        )
        if here != edit.value or new_problem:
            bad.append(edit.path)
    return bad
