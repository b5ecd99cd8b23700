"""The machinery behind the settings schema: kinds of value, and reading, writing and comparing
tables of them.

The schema itself is the set of frozen dataclasses in :mod:`boundaries.core.settings`: each field
is declared once with :func:`setting` (default, kind, one-line description, label), and
everything else (parsing with path-aware reasons, the TOML form, the changed keys a save writes,
the commented template, the README reference, the Settings window's generic rows) is derived
here from those declarations. See docs/decisions/0001-settings-schema.md.

Parsing never raises on bad data: a broken value is reported as a :class:`SettingsProblem` and
its default is used; a broken entry of a list of tables (a focus block, a teammate) is left out.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import string
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, ClassVar, Generic, Literal, TypeVar, cast

from boundaries.core.timefmt import format_hours_range, format_time
from boundaries.core.timeparse import (
    WEEKDAYS,
    check_zone,
    parse_clock,
    parse_hours_range,
    parse_weekday,
)

T = TypeVar("T")
D = TypeVar("D")
C = TypeVar("C", bound=str)

# The generic editors the Settings window has; "custom" means a page builds its own widget.
Editor = Literal["check", "spin", "time", "zone", "text", "choice", "days", "numbers", "custom"]
_SPEC = "boundaries.setting"


@dataclass(frozen=True)
class SettingsProblem:
    """One thing wrong in the settings: where (dotted path) and why."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.path}: {self.reason}" if self.path else f"{where}{self.reason}"


# --------------------------------------------------------------------------- kinds of value


def describe_value(value: object) -> str:
    """How a wrong value reads in a reason: 'a number (5)', 'text ("x")', 'a list'."""
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list"}
    for kind, name in names.items():
        if type(value) is kind:
            return f"{name} ({value!r})" if kind is not list else name
    if isinstance(value, Mapping):
        return "a table"
    return type(value).__name__


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text in quotes, not {describe_value(value)}")
    return value


class Kind(Generic[T]):
    """A kind of value: how it is read from TOML (``parse``), written (``dump``), documented.

    Kinds, specs and table rules are declarations, never compared or hashed by value: their
    dataclasses skip ``__eq__`` and ``__hash__`` (``eq=False``), which makes the schema
    module ~10 ms cheaper to import on the way to the tray icon.
    """

    editor: ClassVar[Editor] = "custom"

    def parse(self, raw: object) -> T:
        """The value, or ``ValueError`` with a reason the user can act on."""
        raise NotImplementedError

    def parse_parts(self, raw: object) -> tuple[T, list[tuple[str, str]]]:
        """Like :meth:`parse`, for kinds whose parts can be wrong one by one (sub-path, reason)."""
        return self.parse(raw), []

    def dump(self, value: T) -> object:
        return value

    def describe(self) -> str:
        """What values are allowed, for the README reference."""
        raise NotImplementedError


@dataclass(frozen=True, eq=False)
class Version(Kind[int]):
    """A file's ``version``: older files were migrated before parsing; newer ones are reported."""

    current: int

    def parse(self, raw: object) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
            raise ValueError(f"must be a whole number like 1, not {describe_value(raw)}")
        if raw > self.current:
            raise ValueError(f"{raw} is newer than this app understands ({self.current})")
        return self.current

    def describe(self) -> str:
        return f"whole number (now {self.current})"


class Flag(Kind[bool]):
    editor = "check"

    def parse(self, raw: object) -> bool:
        if not isinstance(raw, bool):
            raise ValueError(f"must be true or false, not {describe_value(raw)}")
        return raw

    def describe(self) -> str:
        return "true or false"


@dataclass(frozen=True, eq=False)
class Number(Kind[int]):
    """A whole number within bounds, e.g. minutes within a day."""

    low: int
    high: int
    unit: str = "minutes"
    editor: ClassVar[Editor] = "spin"

    def parse(self, raw: object) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"must be a whole number of {self.unit}, not {describe_value(raw)}")
        if not self.low <= raw <= self.high:
            raise ValueError(f"must be between {self.low} and {self.high} {self.unit}, not {raw}")
        return raw

    def describe(self) -> str:
        return f"{self.low} to {self.high} {self.unit}"


@dataclass(frozen=True, eq=False)
class Numbers(Kind[tuple[int, ...]]):
    """An increasing list of whole numbers above zero, like ``[30, 60]``."""

    high: int
    max_items: int
    unit: str = "minutes"
    editor: ClassVar[Editor] = "numbers"

    def parse(self, raw: object) -> tuple[int, ...]:
        if not isinstance(raw, list):
            raise ValueError(
                f"must be a list of {self.unit} like [30, 60], not {describe_value(raw)}"
            )
        if len(raw) > self.max_items:
            raise ValueError(f"has {len(raw)} entries; at most {self.max_items}")
        item = Number(0, self.high, self.unit)
        values = tuple(item.parse(entry) for entry in raw)
        if any(value == 0 for value in values):
            raise ValueError(f"must all be more than 0 {self.unit}")
        if any(later <= earlier for earlier, later in itertools.pairwise(values)):
            raise ValueError("must be increasing, like [30, 60]")
        return values

    def dump(self, value: tuple[int, ...]) -> object:
        return list(value)

    def describe(self) -> str:
        return (
            f"increasing list of up to {self.max_items} numbers of {self.unit} (1 to {self.high})"
        )


@dataclass(frozen=True, eq=False)
class Text(Kind[str]):
    """Text of bounded length; ``placeholders`` lists the ``{names}`` it may use."""

    max_length: int
    placeholders: tuple[str, ...] | None = None
    strip: bool = False
    limited_by: str = ""  # who sets the limit, when it is not us ("Slack")
    editor: ClassVar[Editor] = "text"

    def parse(self, raw: object) -> str:
        text = _text(raw)
        text = text.strip() if self.strip else text
        if len(text) > self.max_length:
            limit = (
                f"{self.limited_by} allows at most {self.max_length}"
                if self.limited_by
                else f"at most {self.max_length} are allowed"
            )
            raise ValueError(f"is {len(text)} characters; {limit}")
        if self.placeholders is not None:
            allowed = " or ".join(f"{{{name}}}" for name in self.placeholders)
            for name in placeholders_in(text):
                if name not in self.placeholders:
                    raise ValueError(f"has an unknown placeholder {{{name}}} (use {allowed})")
        return text

    def describe(self) -> str:
        names = ""
        if self.placeholders:
            names = "; may use " + ", ".join(f"`{{{name}}}`" for name in self.placeholders)
        return f"text, at most {self.max_length} characters{names}"


def placeholders_in(text: str) -> list[str]:
    """The ``{names}`` a template uses; ``ValueError`` on an unmatched brace."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        raise ValueError("has an unmatched { or }; write {{ or }} for a literal brace") from None


@dataclass(frozen=True, eq=False)
class Emoji(Kind[str]):
    """A Slack emoji code like ``:headphones:``, or empty for none."""

    max_length: int = 100
    editor: ClassVar[Editor] = "text"

    def parse(self, raw: object) -> str:
        text = _text(raw).strip()
        if len(text) > self.max_length:
            raise ValueError(f"is {len(text)} characters; at most {self.max_length} are allowed")
        if text and not (text.startswith(":") and text.endswith(":") and len(text) > 2):
            raise ValueError(f'"{text}" is not an emoji code like ":headphones:"')
        return text

    def describe(self) -> str:
        return 'an emoji code like ":headphones:", or "" for none'


@dataclass(frozen=True, eq=False)
class WebAddress(Kind[str]):
    """An http(s) address, kept with a trailing slash."""

    max_length: int = 2000
    editor: ClassVar[Editor] = "text"

    def parse(self, raw: object) -> str:
        text = _text(raw).strip()
        if len(text) > self.max_length:
            raise ValueError(f"is {len(text)} characters; at most {self.max_length} are allowed")
        if not text.startswith(("https://", "http://")) or len(text) <= len("https://"):
            raise ValueError(f'"{text}" is not a web address (https://...)')
        return text if text.endswith("/") else text + "/"

    def describe(self) -> str:
        return "a web address (https://...)"


class Clock(Kind[time]):
    """A wall time, written ``"HH:MM"`` (24-hour); read as a person types it ("5:30 PM")."""

    editor = "time"

    def parse(self, raw: object) -> time:
        return parse_clock(_text(raw))

    def dump(self, value: time) -> object:
        return format_time(value)

    def describe(self) -> str:
        return '24-hour time "HH:MM"'


class HoursRange(Kind[tuple[time, time]]):
    """Working hours, ``"09:00-17:30"``; an end before the start runs past midnight."""

    def parse(self, raw: object) -> tuple[time, time]:
        return parse_hours_range(_text(raw))

    def dump(self, value: tuple[time, time]) -> object:
        return format_hours_range(*value)

    def describe(self) -> str:
        return '"HH:MM-HH:MM"'


@dataclass(frozen=True, eq=False)
class Zone(Kind[str]):
    """An IANA time zone name; empty allowed only where it means "the system's"."""

    allow_empty: bool = True
    editor: ClassVar[Editor] = "zone"

    def parse(self, raw: object) -> str:
        name = _text(raw).strip()
        if not name and not self.allow_empty:
            raise ValueError("is required")
        if len(name) > 100:
            raise ValueError(f"is {len(name)} characters; no time zone name is that long")
        if name:
            check_zone(name)
        return name

    def describe(self) -> str:
        empty = ', or "" for the system\'s zone' if self.allow_empty else ""
        return f'an IANA time zone like "Europe/Berlin"{empty}'


@dataclass(frozen=True, eq=False)
class Choice(Kind[C]):
    """One of a few words; ``options`` pairs each word with its label in the Settings window."""

    options: tuple[tuple[C, str], ...]
    editor: ClassVar[Editor] = "choice"

    def parse(self, raw: object) -> C:
        text = _text(raw)
        for word, _label in self.options:
            if text == word:
                return word
        words = " or ".join(f'"{word}"' for word, _ in self.options)
        raise ValueError(f'must be {words}, not "{text}"')

    def describe(self) -> str:
        return " or ".join(f'`"{word}"`' for word, _ in self.options)


@dataclass(frozen=True, eq=False)
class Day(Kind[date]):
    """A calendar date: a TOML date (2026-12-21) or the text "2026-12-21"."""

    first_year: int = 1971
    last_year: int = 2199
    editor: ClassVar[Editor] = "custom"

    def parse(self, raw: object) -> date:
        if isinstance(raw, datetime):
            raise ValueError(f"must be a date like 2026-12-21, not a date and time ({raw})")
        if isinstance(raw, date):
            found = raw
        else:
            text = _text(raw).strip()
            try:
                found = date.fromisoformat(text)
            except ValueError:
                raise ValueError(f'"{text}" is not a date like "2026-12-21"') from None
        if not self.first_year <= found.year <= self.last_year:
            raise ValueError(f"{found} is not between {self.first_year} and {self.last_year}")
        return found

    def dump(self, value: date) -> object:
        return value.isoformat()

    def describe(self) -> str:
        return 'a date "YYYY-MM-DD"'


@dataclass(frozen=True, eq=False)
class Duration(Kind[str]):
    """A span like "4h", "30m", "1h30m" or "2d", kept as written (normalised)."""

    editor: ClassVar[Editor] = "text"

    def parse(self, raw: object) -> str:
        text = _text(raw).strip().lower().replace(" ", "")
        if not text:
            return ""
        match = _DURATION.fullmatch(text)
        if match is None or not any(match.groups()):
            raise ValueError(f'"{text}" is not a span of time like "4h", "30m" or "1d"')
        return text

    def describe(self) -> str:
        return 'a span like "4h", "30m", "1h30m" or "1d", or "" for none'


_DURATION = re.compile(r"(?:(\d{1,3})d)?(?:(\d{1,3})h)?(?:(\d{1,4})m)?")


def duration_minutes(text: str) -> int:
    """Minutes in a :class:`Duration` text ("1h30m" -> 90); 0 for ""."""
    match = _DURATION.fullmatch(text)
    if not text or match is None:
        return 0
    days, hours, minutes = (int(part or 0) for part in match.groups())
    return (days * 24 + hours) * 60 + minutes


class Days(Kind[tuple[str, ...]]):
    """Weekdays, written ``["mon", "tue"]``; kept in week order, each once."""

    editor = "days"

    def parse(self, raw: object) -> tuple[str, ...]:
        if not isinstance(raw, list):
            raise ValueError(
                f'must be a list of weekdays like ["mon", "tue"], not {describe_value(raw)}'
            )
        if len(raw) > 7 * 4:
            raise ValueError(f"has {len(raw)} entries; a week has 7 days")
        days = {parse_weekday(_text(item)) for item in raw}
        return tuple(day for day in WEEKDAYS if day in days)

    def dump(self, value: tuple[str, ...]) -> object:
        return list(value)

    def describe(self) -> str:
        return 'list of weekdays: "mon" … "sun"'


class DayTimes(Kind[Mapping[str, time]]):
    """A time for some weekdays, ``{ fri = "16:00" }``; each day's problem has its own path."""

    def parse(self, raw: object) -> Mapping[str, time]:
        value, problems = self.parse_parts(raw)
        if problems:
            raise ValueError(problems[0][1])
        return value

    def parse_parts(self, raw: object) -> tuple[Mapping[str, time], list[tuple[str, str]]]:
        if not isinstance(raw, Mapping):
            raise ValueError(f'must be a table like {{ fri = "16:00" }}, not {describe_value(raw)}')
        found: dict[str, time] = {}
        problems: list[tuple[str, str]] = []
        for key, value in raw.items():
            try:
                found[parse_weekday(str(key))] = parse_clock(_text(value))
            except ValueError as error:
                problems.append((str(key), str(error)))
        return {day: found[day] for day in WEEKDAYS if day in found}, problems

    def dump(self, value: Mapping[str, time]) -> object:
        return {day: format_time(at) for day, at in value.items()}

    def describe(self) -> str:
        return 'a table of weekday = "HH:MM", like { fri = "16:00" }'


# --------------------------------------------------------------------------- nested tables


@dataclass(frozen=True, eq=False)
class Section(Kind[Any]):
    """A ``[table]`` whose keys are the fields of ``table``."""

    table: type


@dataclass(frozen=True, eq=False)
class TableList(Kind[tuple[Any, ...]]):
    """An ``[[array of tables]]`` of ``table`` entries, at most ``max_items``."""

    table: type
    max_items: int
    what: str  # "focus blocks"
    example: Mapping[str, Any] | None = None  # shown commented in a new file while empty
    unique: str = ""  # a field no two entries may share, ignoring case ("name"); the later one
    # is left out, so "Ana" twice never means two rows the menu cannot tell apart


Check = Callable[[Any], tuple[Any, list[tuple[str, str]]]]


@dataclass(frozen=True, eq=False)
class TableRules:
    """How a table reads as a whole (set with :func:`table_rules`).

    ``strict``: an entry with any broken value is left out (a focus block, a teammate) rather
    than run with defaults in its place. ``check`` sees the parsed entry and returns it (maybe
    corrected) with (key, reason) problems that involve several keys. ``forbidden`` names keys
    that must never be in the file, with the reason.
    """

    strict: bool = False
    check: Check | None = None
    forbidden: Mapping[str, str] = field(default_factory=dict)


_RULES = "__boundaries_rules__"


def table_rules(
    *, strict: bool = False, check: Check | None = None, forbidden: Mapping[str, str] | None = None
) -> Callable[[type[D]], type[D]]:
    """Class decorator attaching :class:`TableRules` to a settings dataclass."""

    def attach(cls: type[D]) -> type[D]:
        setattr(cls, _RULES, TableRules(strict, check, dict(forbidden or {})))
        return cls

    return attach


def rules_of(table: type) -> TableRules:
    rules = getattr(table, _RULES, None)
    return rules if isinstance(rules, TableRules) else TableRules()


# --------------------------------------------------------------------------- declaring


@dataclass(frozen=True, eq=False)
class Spec:
    """Everything the schema says about one setting besides its name, type and default."""

    kind: Kind[Any]
    doc: str  # one line, for the file's comment, the README and the tooltip
    label: str = ""  # the Settings window's label, with an &mnemonic
    key: str = ""  # the TOML key when it differs from the field name
    spans: tuple[str, ...] = ()  # fields this one TOML value fills (e.g. hours -> start, end)
    required: bool = False
    omit_default: bool = False  # leave the key out of a written entry while it has its default

    @property
    def editor(self) -> Editor:
        return self.kind.editor


def setting(
    default: T,
    kind: Kind[Any],
    doc: str,
    *,
    label: str = "",
    key: str = "",
    spans: tuple[str, ...] = (),
    required: bool = False,
    omit_default: bool = False,
) -> T:
    """Declare a dataclass field as a setting: its default, kind and description, once."""
    spec = Spec(kind, doc, label, key, spans, required, omit_default)
    metadata = {_SPEC: spec}
    if isinstance(default, Mapping | list):
        frozen = dict(default) if isinstance(default, Mapping) else list(default)
        made: Any = field(default_factory=lambda: type(frozen)(frozen), metadata=metadata)
        return cast(T, made)
    kept: T = field(default=default, metadata=metadata)
    return kept


def section(table: type[D], doc: str) -> D:
    """Declare a ``[table]`` of settings; its defaults are those of its own fields."""
    made: D = field(default_factory=table, metadata={_SPEC: Spec(Section(table), doc)})
    return made


def spec_of(item: dataclasses.Field[Any]) -> Spec | None:
    """The setting a field declares, or None for a field filled through another's ``spans``."""
    spec = item.metadata.get(_SPEC)
    return spec if isinstance(spec, Spec) else None


@dataclass(frozen=True)
class Entry:
    """One declared setting, found by walking the schema: its dotted path and spec."""

    path: str  # "workday.heads_up_minutes", "focus.blocks", "focus.blocks.start"
    spec: Spec
    default: object  # the TOML form of its default


def entries(table: type, prefix: str = "") -> Iterator[Entry]:
    """Every setting under ``table`` in declaration order, tables before their keys."""
    example = _default_instance(table)
    for item in dataclasses.fields(table):
        spec = spec_of(item)
        if spec is None:
            continue
        path = _join(prefix, spec.key or item.name)
        value = _dump_field(example, item, spec) if example is not None else None
        yield Entry(path, spec, value)
        if isinstance(spec.kind, Section | TableList):
            yield from entries(spec.kind.table, path)


def entry_at(table: type, path: str) -> Entry:
    """The setting at a dotted path (list indexes are ignored: ``team[0].name``)."""
    plain = _strip_indexes(path)
    for entry in entries(table):
        if entry.path == plain:
            return entry
    raise KeyError(path)


def _default_instance(table: type) -> object | None:
    try:
        made: object = table()
    except TypeError:  # required fields (a teammate's name)
        return None
    return made


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _strip_indexes(path: str) -> str:
    out, depth = [], 0
    for char in path:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


# --------------------------------------------------------------------------- reading


def parse_table(
    table: type[D], data: Mapping[str, Any], path: str, problems: list[SettingsProblem]
) -> D | None:
    """Read ``data`` as a ``table``; None only for a strict table with a broken value."""
    rules = rules_of(table)
    values: dict[str, Any] = {}
    broken = False
    declared = _declared(cast(type, table))
    for name, key, spec in declared:
        if key not in data:
            if spec.required:
                problems.append(SettingsProblem(_join(path, key), "is missing"))
                broken = True
            continue
        ok, value = _parse_value(spec, data[key], _join(path, key), problems)
        if not ok:
            broken = True
            continue
        if spec.spans:
            values.update(zip(spec.spans, value, strict=True))
        else:
            values[name] = value
    known = _keys(cast(type, table))
    for key in data:
        if key in rules.forbidden:
            problems.append(SettingsProblem(_join(path, key), rules.forbidden[key]))
        elif key not in known:
            in_order = [declared_key for _name, declared_key, _spec in declared]
            problems.append(SettingsProblem(_join(path, key), _unknown(key, in_order)))
    if broken and rules.strict:
        return None
    try:
        parsed = table(**values)
    except TypeError:  # a required value is missing; already reported
        return None
    if rules.check is None:
        return parsed
    checked, found = rules.check(parsed)
    problems.extend(SettingsProblem(_join(path, key), reason) for key, reason in found)
    if found and rules.strict:
        return None
    return cast(D, checked)


@functools.cache
def _declared(table: type) -> tuple[tuple[str, str, Spec], ...]:
    """(field name, TOML key, spec) of each setting ``table`` declares, in order; cached: a
    file with 300 teammates reads the same table's fields 300 times."""
    found = ((item.name, spec_of(item)) for item in dataclasses.fields(cast(Any, table)))
    return tuple((name, spec.key or name, spec) for name, spec in found if spec is not None)


@functools.cache
def _keys(table: type) -> frozenset[str]:
    """The TOML keys ``table`` declares, for telling an unknown key apart."""
    return frozenset(key for _name, key, _spec in _declared(table))


def _parse_value(
    spec: Spec, raw: object, where: str, problems: list[SettingsProblem]
) -> tuple[bool, Any]:
    kind = spec.kind
    if isinstance(kind, Section):
        if not isinstance(raw, Mapping):
            problems.append(SettingsProblem(where, f"must be a table, not {describe_value(raw)}"))
            return False, None
        return True, parse_table(kind.table, raw, where, problems)
    if isinstance(kind, TableList):
        return _parse_list(kind, raw, where, problems)
    try:
        value, parts = kind.parse_parts(raw)
    except ValueError as error:
        problems.append(SettingsProblem(where, str(error)))
        return False, None
    problems.extend(SettingsProblem(f"{where}.{sub}", reason) for sub, reason in parts)
    return True, value


def _parse_list(
    kind: TableList, raw: object, where: str, problems: list[SettingsProblem]
) -> tuple[bool, Any]:
    header = f"[[{_strip_indexes(where)}]]"
    if not isinstance(raw, list):
        problems.append(
            SettingsProblem(where, f"must be a list of {header} tables, not {describe_value(raw)}")
        )
        return False, None
    if len(raw) > kind.max_items:
        problems.append(
            SettingsProblem(
                where,
                f"has {len(raw)} {kind.what}; at most {kind.max_items} are allowed, "
                f"so only the first {kind.max_items} are used",
            )
        )
        raw = raw[: kind.max_items]
    found: list[Any] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        item_where = f"{where}[{index}]"
        if not isinstance(item, Mapping):
            problems.append(
                SettingsProblem(item_where, f"must be a {header} table, not {describe_value(item)}")
            )
            continue
        parsed = parse_table(kind.table, item, item_where, problems)
        if parsed is None:
            continue
        if kind.unique:
            value = str(getattr(parsed, kind.unique))
            if value.casefold() in seen:
                reason = f'"{value}" is listed twice; give each a different {kind.unique}'
                problems.append(SettingsProblem(f"{item_where}.{kind.unique}", reason))
                continue
            seen.add(value.casefold())
        found.append(parsed)
    return True, tuple(found)


def _unknown(key: str, known: Sequence[str]) -> str:
    import difflib  # only for an unknown key: not on every start (~0.45 MiB)

    close = difflib.get_close_matches(key, known, n=1)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    return f"is not a known setting (ignored){hint}"


# --------------------------------------------------------------------------- writing


def dump_table(value: object) -> dict[str, Any]:
    """The TOML-ready form of a settings dataclass (the inverse of :func:`parse_table`)."""
    out: dict[str, Any] = {}
    for item in dataclasses.fields(cast(Any, value)):
        spec = spec_of(item)
        if spec is None:
            continue
        dumped = _dump_field(value, item, spec)
        omit = spec.omit_default and item.default is not dataclasses.MISSING
        if omit and dumped == _dump_value(spec, item.default):
            continue
        out[spec.key or item.name] = dumped
    return out


def _dump_field(owner: object, item: dataclasses.Field[Any], spec: Spec) -> Any:
    if spec.spans:
        value: Any = tuple(getattr(owner, name) for name in spec.spans)
    else:
        value = getattr(owner, item.name)
    return _dump_value(spec, value)


def _dump_value(spec: Spec, value: Any) -> Any:
    if isinstance(spec.kind, Section):
        return dump_table(value)
    if isinstance(spec.kind, TableList):
        return [dump_table(entry) for entry in value]
    return spec.kind.dump(value)


@dataclass(frozen=True)
class Change:
    """One key a save writes: its path as TOML keys, and the new TOML value."""

    keys: tuple[str, ...]  # ("workday", "heads_up_minutes"), ("team",)
    value: Any

    @property
    def path(self) -> str:
        return ".".join(self.keys)


def changes(table: type, before: object, after: object) -> list[Change]:
    """The keys whose values differ between two settings, as the file would spell them.

    Scalars compare key by key; a list of tables (focus blocks, teammates) is one change.
    """
    return list(_changes(table, dump_table(before), dump_table(after), ()))


def _changes(
    table: type, before: Mapping[str, Any], after: Mapping[str, Any], prefix: tuple[str, ...]
) -> Iterator[Change]:
    for item in dataclasses.fields(table):
        spec = spec_of(item)
        if spec is None:
            continue
        key = spec.key or item.name
        keys = (*prefix, key)
        old, new = before.get(key), after.get(key)
        if isinstance(spec.kind, Section):
            yield from _changes(spec.kind.table, old or {}, new or {}, keys)
        elif old != new:
            yield Change(keys, new)
