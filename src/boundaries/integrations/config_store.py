"""``settings.toml`` on disk: load without ever losing the user's file, save without surprises.

Loading never raises and never writes the settings file: a broken file (not TOML, wrong types,
unknown zone) gives defaults for the broken parts and a byte-identical backup copy next to it,
so the user can fix it from the message we show. Saving edits the existing document with
tomlkit so comments and layout survive, replaces it atomically, and turns any ``OSError``
into a :class:`ConfigWriteError` whose text can be shown as is. A file that was broken is
replaced by a commented template only after its backup exists.

``tomllib`` (stdlib, fast) parses on start-up; ``tomlkit`` is imported only when saving.
"""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boundaries.core.settings import (
    CURRENT_VERSION,
    Settings,
    SettingsProblem,
    parse_settings,
    settings_to_dict,
)
from boundaries.integrations.atomic import atomic_write_bytes, atomic_write_text
from boundaries.integrations.migrations import MigrationError, migrate, needs_migration

if TYPE_CHECKING:
    from tomlkit.items import Table

SETTINGS_FILE = "settings.toml"
BACKUP_MARK = ".broken-"
NEW_FILE_MODE = 0o600
SECTIONS = ("general", "workday", "focus", "signoff", "slack")
# Only these [slack] keys are ever written; the token lives in the OS keyring.
SLACK_KEYS = ("enabled", "api_url")
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

    @property
    def ok(self) -> bool:
        return not self.problems

    def message(self) -> str:
        """One paragraph for the UI: what was wrong and where, what is used instead, the backup."""
        if self.ok:
            return f"Settings loaded from {self.path}."
        whole_file = any(not problem.path for problem in self.problems)
        listed = "; ".join(str(problem) for problem in self.problems[:_MAX_LISTED])
        if len(self.problems) > _MAX_LISTED:
            listed += f"; and {len(self.problems) - _MAX_LISTED} more"
        if whole_file:
            text = (
                f"Boundaries could not read its settings file {self.path} ({listed}), "
                "so it is running with default settings."
            )
        else:
            text = (
                f"Some settings in {self.path} could not be used ({listed}). "
                "Those settings use their defaults (a broken focus block or teammate is left "
                "out); everything else in the file applies."
            )
        if self.backup_path is not None:
            text += f" The file was left as it is, and a copy was kept as {self.backup_path}."
        elif self.backup_error is not None:
            text += (
                f" The file was left as it is; no backup copy could be made ({self.backup_error})."
            )
        else:
            text += " The file was left as it is."
        return text


@dataclass(frozen=True)
class _Snapshot:
    """The settings file as found on disk, read once and interpreted."""

    raw: bytes | None  # None: no file
    text: str
    settings: Settings
    problems: list[SettingsProblem]


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
        if not snapshot.problems or snapshot.raw is None:
            return LoadResult(snapshot.settings, snapshot.problems, self.path)
        try:
            backup = self._backup(snapshot.raw)
        except OSError as error:
            return LoadResult(
                snapshot.settings, snapshot.problems, self.path, backup_error=_reason(error)
            )
        return LoadResult(snapshot.settings, snapshot.problems, self.path, backup_path=backup)

    def _snapshot(self) -> _Snapshot:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _Snapshot(None, "", Settings(), [])
        text, data, problems = _parse_bytes(raw)
        if data is None:
            return _Snapshot(raw, text, Settings(), problems)
        settings, found = parse_settings(data)
        if problems:  # a failed migration already explains the version problem
            found = [problem for problem in found if problem.path != "version"]
        problems += [_with_line(problem, text) for problem in found]
        problems.sort(key=lambda p: (p.line is None, p.line or 0))  # read top to bottom
        return _Snapshot(raw, text, settings, problems)

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

    def render(self, settings: Settings) -> str:
        """The text :meth:`save` would write now. Raises :class:`ConfigWriteError`."""
        return self._plan(settings)[0]

    def save(self, settings: Settings) -> None:
        """Write ``settings`` atomically; on failure raise and leave the old file as it was."""
        text, snapshot, replaces = self._plan(settings)
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

    def _plan(self, settings: Settings) -> tuple[str, _Snapshot, bool]:
        """The text to write, what is on disk now, and whether the text replaces the file."""
        try:
            snapshot = self._snapshot()
        except OSError as error:
            raise self._write_error(
                error, "the current file could not be read, so it was not replaced"
            ) from error
        if snapshot.raw is not None and not snapshot.problems:
            merged = _merge(snapshot.text, snapshot.settings, settings)
            if merged is not None and _reads_back_as(merged, settings):
                return merged, snapshot, False
        # No file, a broken one (its backup is kept), or one tomlkit could not edit faithfully.
        return render_template(settings), snapshot, True

    def _write_error(self, error: OSError, context: str = "") -> ConfigWriteError:
        reason = f"{context}: {_reason(error)}" if context else _reason(error)
        return ConfigWriteError(
            f"Could not save settings to {self.path}: {reason}. "
            "The settings file on disk was not changed."
        )


# ---------------------------------------------------------------------- reading helpers

_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _parse_bytes(raw: bytes) -> tuple[str, dict[str, Any] | None, list[SettingsProblem]]:
    """Decode and parse; ``None`` data means nothing in the file can be used."""
    try:
        text = raw.decode("utf-8-sig")  # tolerate the BOM Windows editors add
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return "", None, [SettingsProblem("", "the file is not UTF-8 text", line)]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = _TOML_WHERE.search(message)
        reason = _TOML_WHERE.sub("", message).replace(" (at end of document)", "")
        line = int(where.group(1)) if where else text.count("\n") + 1
        return text, None, [SettingsProblem("", f"not valid TOML: {reason}", line)]
    problems: list[SettingsProblem] = []
    version = data.get("version")
    if needs_migration(version):
        try:
            migrate(data, version)
        except MigrationError as error:
            problems.append(_with_line(SettingsProblem("version", str(error)), text))
    return text, data, problems


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\-\s\"']+?)\s*=")


def _with_line(problem: SettingsProblem, text: str) -> SettingsProblem:
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
            name = _dotted(match.group(2))
            if match.group(1) == "[[":
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


def _reads_back_as(text: str, settings: Settings) -> bool:
    _, data, problems = _parse_bytes(text.encode("utf-8"))
    if data is None or problems:
        return False
    parsed, problems = parse_settings(data)
    return not problems and parsed == settings


def _merge(text: str, old: Settings, new: Settings) -> str | None:
    """Edit the document in ``text``: change only values that differ, keep everything else.

    Keys already in the file are updated in place (their comments stay); keys not in the file
    are added only when the new value differs from the default. Arrays of tables are rewritten
    as a whole when anything in them changed. ``None`` if tomlkit cannot parse the text.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        doc = tomlkit.parse(text)
    except TOMLKitError:
        return None
    version = doc.get("version")
    if needs_migration(version):
        migrate(doc, version)
    before, after = settings_to_dict(old), settings_to_dict(new)
    for section in SECTIONS:
        keys = SLACK_KEYS if section == "slack" else tuple(after[section])
        changed = {k: after[section][k] for k in keys if after[section][k] != before[section][k]}
        if not changed:
            continue
        if section not in doc:
            doc[section] = tomlkit.table()
        table: Table = doc[section]
        for key, value in changed.items():
            if not _update_tables(table.get(key), before[section][key], value):
                table[key] = _toml_item(value)
    if after["team"] != before["team"] and not _update_tables(
        doc.get("team"), before["team"], after["team"]
    ):
        if after["team"]:
            doc["team"] = _toml_item(after["team"])
        elif "team" in doc:
            del doc["team"]
    return doc.as_string()


def _update_tables(existing: Any, old: Any, new: Any) -> bool:
    """Edit an [[array of tables]] entry by entry, so comments inside its entries survive.

    Only when the file's array lines up with the old settings (same number of entries);
    otherwise (an entry added or removed) the caller rewrites the whole array.
    """
    from tomlkit.items import AoT

    if not isinstance(existing, AoT) or not isinstance(old, list) or not isinstance(new, list):
        return False
    if not (len(existing) == len(old) == len(new)):
        return False
    for table, before, after in zip(existing, old, new, strict=True):
        for key, value in after.items():
            if before.get(key) != value:
                table[key] = _toml_item(value)
        for key in before.keys() - after.keys():
            if key in table:
                del table[key]
    return True


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


def _format(value: Any) -> str:
    return str(_toml_item(value).as_string())


_TEMPLATE_HEAD = "# Boundaries settings."
_HEADER_COMMENT = f"""{_TEMPLATE_HEAD} Every key is optional: delete a line to use its default.
# Times are 24-hour HH:MM in your own time zone; days are mon tue wed thu fri sat sun.
# The Slack token is never kept here: paste it in Settings > Slack (it goes to the OS keyring).
"""

COMMENTS: dict[str, str] = {
    "version": "Format of this file; Boundaries upgrades older versions when it saves.",
    "general": "How Boundaries behaves on this desktop.",
    "general.timezone": 'Your IANA time zone, like "Europe/Berlin"; empty means the system\'s.',
    "general.time_format": 'How times are shown: "24h" or "12h".',
    "general.notifications": "Show desktop notifications (heads-up, sign-off nudges).",
    "general.start_at_login": "Start Boundaries when you log in.",
    "workday": "Your working days and when the workday ends.",
    "workday.days": "The days you work; nudges and focus blocks happen only on these.",
    "workday.start": "When your workday starts (also when you are back after signing off).",
    "workday.signoff": "When you sign off.",
    "workday.signoff_by_day": 'Other sign-off times for some days, like { fri = "16:00" }.',
    "workday.heads_up_minutes": "Minutes before sign-off for the heads-up notification.",
    "workday.escalate_after_minutes": "Minutes after sign-off to nudge again while you work on.",
    "focus": "Focus blocks: Slack status and Do Not Disturb while you focus.",
    "focus.status_text": "Slack status while focusing; {end} becomes the end time (max 100).",
    "focus.status_emoji": 'Slack status emoji while focusing, like ":headphones:".',
    "focus.pause_notifications": "Pause Slack notifications (Do Not Disturb) while focusing.",
    "focus.replace_own_status": "Replace a Slack status you set yourself (normally yours wins).",
    "focus.blocks": "Weekly focus blocks, one [[focus.blocks]] each; blocks = [] for none.",
    "focus.blocks.days": "The days this block happens.",
    "focus.blocks.start": "When the block starts.",
    "focus.blocks.end": "When it ends (an end before the start runs past midnight).",
    "signoff": "What signing off does.",
    "signoff.set_status": "Set a Slack status when you sign off.",
    "signoff.status_text": "Slack status after signing off; {back} becomes when you are back.",
    "signoff.status_emoji": "Slack status emoji after signing off.",
    "slack": "Slack (optional). The token is stored in the OS keyring, never in this file.",
    "slack.enabled": "Use Slack for status and Do Not Disturb.",
    "slack.api_url": "Slack Web API address (change it only for Enterprise Grid or GovSlack).",
    "team": "Teammates, one [[team]] each, to see their local time and the overlap window.",
    "team.name": "Their name, as shown in the menu.",
    "team.timezone": 'Their IANA time zone, like "America/New_York".',
    "team.hours": "Their working hours in their own time zone.",
    "team.days": "Their working days (default mon to fri).",
    "team.slack_user": "Their Slack member ID (optional).",
}

_TEAM_EXAMPLE = {
    "name": "Ana",
    "timezone": "Europe/London",
    "hours": "09:00-17:30",
    "days": ["mon", "tue", "wed", "thu", "fri"],
    "slack_user": "U0123ABC",
}


def render_template(settings: Settings) -> str:
    """The whole file written fresh: every setting with a one-line comment saying what it does."""
    data = settings_to_dict(settings)
    out = [_HEADER_COMMENT, f"# {COMMENTS['version']}", f"version = {CURRENT_VERSION}"]

    def keys(prefix: str, entries: Mapping[str, Any], commented: bool, quote: str = "") -> None:
        for key, value in entries.items():
            if commented:
                out.append(f"# {COMMENTS[f'{prefix}.{key}']}")
            out.append(f"{quote}{key} = {_format(value)}")

    for section in SECTIONS:
        values = dict(data[section])
        if section == "slack":
            values = {key: values[key] for key in SLACK_KEYS}
        blocks = values.pop("blocks", None) if section == "focus" else None
        out += ["", f"# {COMMENTS[section]}", f"[{section}]"]
        keys(section, values, commented=True)
        if blocks == []:
            out += [f"# {COMMENTS['focus.blocks']}", "blocks = []"]
        elif blocks:
            out.append(f"# {COMMENTS['focus.blocks']}")
            for i, block in enumerate(blocks):
                out += ["", "[[focus.blocks]]"] if i else ["[[focus.blocks]]"]
                keys("focus.blocks", block, commented=i == 0)
    out += ["", f"# {COMMENTS['team']}"]
    if not data["team"]:
        out.append("# For example:")
        out.append("# [[team]]")
        keys("team", _TEAM_EXAMPLE, commented=False, quote="# ")
    for i, mate in enumerate(data["team"]):
        out += ["", "[[team]]"] if i else ["[[team]]"]
        keys("team", mate, commented=i == 0)
    return "\n".join(out) + "\n"
