"""Team files a team keeps in its repo: CSV (``name,timezone,hours,slack_user``) or TOML.

Parsing never raises on a bad row: it returns the good teammates and, for each bad row, its
line number and the reason, worded exactly as the settings file's messages (each row goes
through :func:`parse_settings`), so one teammate fixed in either place reads the same. Text in,
text out: reading and writing the file is the caller's job.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import tomli

from boundaries.core.settings import (
    WORKWEEK,
    Settings,
    Teammate,
    parse_settings,
    settings_to_dict,
)

TeamFormat = Literal["csv", "toml"]
CSV_COLUMNS = ("name", "timezone", "hours", "slack_user")
OPTIONAL_COLUMNS = ("days",)  # written only when someone works other days than Mon-Fri
REQUIRED_COLUMNS = ("name", "timezone")
CSV_EXAMPLE = "name,timezone,hours,slack_user"

_TOML_KEYS = ("name", "timezone", "hours", "days", "slack_user")
_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TEAM_HEADER = re.compile(r"^\s*\[\[\s*team\s*\]\]\s*(#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A spreadsheet runs a cell that starts with one of these as a formula; names imported from
# Slack are chosen by other people, so export prefixes such a cell with "'" (and import drops it).
FORMULA_STARTS = frozenset("=+-@\t\r")
_QUOTE = "'"


@dataclass(frozen=True)
class BadRow:
    """A row that will not be imported: where it is, why, and what it said."""

    line: int
    reason: str
    text: str = ""

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class TeamFile:
    """What a team file holds: teammates to import, and the rows left out."""

    teammates: tuple[Teammate, ...]
    bad_rows: tuple[BadRow, ...]


@dataclass(frozen=True)
class MergeResult:
    team: tuple[Teammate, ...]
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]


def format_for(filename: str) -> TeamFormat:
    """``"csv"`` or ``"toml"`` from the file name's extension; ``ValueError`` otherwise."""
    lowered = filename.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith(".toml"):
        return "toml"
    raise ValueError(f'"{filename}" must end in .csv or .toml to say which kind of team file')


def parse_team(text: str, kind: TeamFormat) -> TeamFile:
    return parse_team_csv(text) if kind == "csv" else parse_team_toml(text)


# --------------------------------------------------------------------------- one teammate


@dataclass(frozen=True)
class _Checked:
    mate: Teammate | None
    reasons: list[str]


def _check(entry: Mapping[str, Any]) -> _Checked:
    """Validate one ``[[team]]`` table exactly as the settings file would."""
    settings, problems = parse_settings({"team": [entry]})
    reasons = [_reason(problem.path, problem.reason) for problem in problems]
    return _Checked(settings.team[0] if settings.team else None, reasons)


def _reason(path: str, reason: str) -> str:
    field = path.split(".", 1)[1] if "." in path else ""
    if reason.endswith("(ignored)"):  # the settings file keeps the teammate; an import is strict
        reason = f"is not a known setting (known: {', '.join(_TOML_KEYS)})"
    return f"{field}: {reason}" if field else reason


class _Rows:
    """Collects good teammates and bad rows; a repeated name is a bad row (merge is by name)."""

    def __init__(self) -> None:
        self.good: list[Teammate] = []
        self.bad: list[BadRow] = []
        self._first_line: dict[str, int] = {}

    def add(self, line: int, checked: _Checked, text: str) -> None:
        mate, reasons = checked.mate, list(checked.reasons)
        if mate is not None:
            seen = self._first_line.get(mate.name.casefold())
            if seen is not None:
                reasons.append(f'name: "{mate.name}" is already on line {seen}')
                mate = None
        if reasons or mate is None:
            self.bad.append(BadRow(line, "; ".join(reasons) or "is not a teammate", text))
            return
        self._first_line[mate.name.casefold()] = line
        self.good.append(mate)

    def result(self) -> TeamFile:
        return TeamFile(tuple(self.good), tuple(sorted(self.bad, key=lambda row: row.line)))


# --------------------------------------------------------------------------- CSV


def parse_team_csv(text: str) -> TeamFile:
    """Rows of ``name,timezone,hours,slack_user`` under a header row naming the columns.

    Empty cells take the defaults (hours 09:00-17:30); blank lines and lines starting with
    ``#`` are skipped; an optional ``days`` column holds weekdays like ``mon tue wed``.
    """
    text = text.removeprefix("\ufeff")  # spreadsheets save CSV with a byte-order mark
    rows = _Rows()
    lines = _LINE_BREAK.split(text)  # the same line ends the csv module splits on
    reader = csv.reader(io.StringIO(text, newline=""))
    columns: list[str] | None = None
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            raw = "\n".join(lines[start - 1 : end]).strip()
            if not any(cell.strip() for cell in cells) or raw.startswith("#"):
                continue
            if columns is None:
                columns, problem = _header(cells)
                if problem:
                    rows.bad.append(BadRow(start, problem, raw))
                    if not set(REQUIRED_COLUMNS) <= set(columns):
                        return rows.result()
                continue
            if len(cells) > len(columns):
                reason = f"has {len(cells)} values, but the header names {len(columns)} columns"
                rows.bad.append(BadRow(start, reason, raw))
                continue
            rows.add(start, _check(_csv_entry(columns, cells)), raw)
    except csv.Error as error:  # e.g. a cell over the csv module's size limit
        rows.bad.append(BadRow(end + 1, f"is not readable as CSV ({error}); nothing after it"))
        return rows.result()
    if columns is None:
        rows.bad.append(
            BadRow(1, f"the file is empty; the first row names the columns: {CSV_EXAMPLE}")
        )
    return rows.result()


def _header(cells: list[str]) -> tuple[list[str], str]:
    columns = [cell.strip().lower() for cell in cells]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        named = " and ".join(f'"{name}"' for name in missing)
        verb = "is" if len(missing) == 1 else "are"
        return (
            columns,
            f"the first row must name the columns ({CSV_EXAMPLE}); {named} {verb} missing",
        )
    unknown = [c for c in columns if c and c not in CSV_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        named = ", ".join(f'"{name}"' for name in unknown)
        return columns, f"column {named} is not known (ignored; known: {CSV_EXAMPLE},days)"
    return columns, ""


def _csv_entry(columns: Sequence[str], cells: Sequence[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for column, cell in zip(columns, cells, strict=False):
        value = cell.strip()
        if not value or column not in CSV_COLUMNS + OPTIONAL_COLUMNS:
            continue  # an empty cell is a missing key: the default, or "is missing"
        value = unquote_cell(value)
        entry[column] = re.split(r"[\s;/]+", value) if column == "days" else value
    return entry


def quote_cell(value: str) -> str:
    """``value`` safe for a spreadsheet: ``=SUM(1)`` becomes ``'=SUM(1)`` (see FORMULA_STARTS).

    A value already starting with ``'`` before such a character (or another ``'``) gets one more,
    so :func:`unquote_cell` gives back exactly ``value`` for every text.
    """
    first, second = value[:1], value[1:2]
    if first in FORMULA_STARTS or (first == _QUOTE and second in FORMULA_STARTS | {_QUOTE}):
        return _QUOTE + value
    return value


def unquote_cell(value: str) -> str:
    """Inverse of :func:`quote_cell`; a plain ``'Bo`` typed by hand stays ``'Bo``."""
    if value[:1] == _QUOTE and value[1:2] in FORMULA_STARTS | {_QUOTE}:
        return value[1:]
    return value


def render_team_csv(team: Iterable[Teammate]) -> str:
    mates = list(team)
    with_days = any(mate.days != WORKWEEK for mate in mates)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS + (OPTIONAL_COLUMNS if with_days else ()))
    for entry in _entries(mates):
        row = [entry["name"], entry["timezone"], entry["hours"], entry.get("slack_user", "")]
        if with_days:
            row.append(" ".join(entry.get("days", WORKWEEK)))
        writer.writerow([quote_cell(cell) for cell in row])
    return out.getvalue()


# --------------------------------------------------------------------------- TOML


def parse_team_toml(text: str) -> TeamFile:
    """``[[team]]`` tables, as in settings.toml (a whole settings.toml works too)."""
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_WHERE.search(message)
        line = int(match.group(1)) if match else 1
        reason = f"the file is not valid TOML: {_TOML_WHERE.sub('', message)}"
        return TeamFile((), (BadRow(line, reason),))
    except RecursionError:  # tomli refuses arrays/tables nested over 400 levels: "[[[[..."
        return TeamFile((), (BadRow(1, "the file is nested too deeply to be a team file"),))
    raw = data.get("team", [])
    if not isinstance(raw, list) or not raw:
        return TeamFile(
            (), (BadRow(1, "the file has no [[team]] tables (each holds name and timezone)"),)
        )
    starts = _table_lines(text)
    lines = text.splitlines()
    rows = _Rows()
    for index, entry in enumerate(raw):
        line = starts[index] if index < len(starts) else 1
        if not isinstance(entry, Mapping):
            rows.bad.append(BadRow(line, "must be a [[team]] table with name and timezone"))
            continue
        checked = _check(entry)
        line = _key_line(lines, line, checked.reasons)
        rows.add(line, checked, lines[line - 1].strip() if 0 < line <= len(lines) else "")
    return rows.result()


def _table_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if _TEAM_HEADER.match(line)]


def _key_line(lines: Sequence[str], table_line: int, reasons: Sequence[str]) -> int:
    """The line of the first key a reason names inside the table at ``table_line``."""
    if not reasons:
        return table_line
    key = reasons[0].split(":", 1)[0].strip()
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number in range(table_line + 1, len(lines) + 1):
        line = lines[number - 1]
        if _ANY_HEADER.match(line):
            break
        if key and pattern.match(line):
            return number
    return table_line


def render_team_toml(team: Iterable[Teammate]) -> str:
    import tomlkit

    document = tomlkit.document()
    document.add(tomlkit.comment("The team for Boundaries: boundaries team import FILE"))
    document.add(tomlkit.comment("hours are each person's own local working hours"))
    tables = tomlkit.aot()
    for entry in _entries(team):
        tables.append(tomlkit.item(entry))
    document.add("team", tables)
    return tomlkit.dumps(document)


def _entries(team: Iterable[Teammate]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = settings_to_dict(Settings(team=tuple(team)))["team"]
    return entries


# --------------------------------------------------------------------------- merging


def merge_team(current: Sequence[Teammate], incoming: Sequence[Teammate]) -> MergeResult:
    """Add newcomers at the end; a teammate with the same name (any case) is updated in place."""
    team = list(current)
    index = {mate.name.casefold(): i for i, mate in enumerate(team)}
    added: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    for mate in incoming:
        at = index.get(mate.name.casefold())
        if at is None:
            index[mate.name.casefold()] = len(team)
            team.append(mate)
            added.append(mate.name)
        elif team[at] == mate:
            unchanged.append(mate.name)
        else:
            team[at] = mate
            updated.append(mate.name)
    return MergeResult(tuple(team), tuple(added), tuple(updated), tuple(unchanged))
