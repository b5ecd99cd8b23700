"""Hypothesis strategies made from the settings schema: every setting, automatically.

A new setting declared in ``core/settings.py`` is covered by the property tests without a
line here, as long as its kind is one of the kinds below (a new kind fails loudly).
Where the schema has rules across keys (a workday ends after it starts), ``_BY_PATH`` draws
values that satisfy them, so nothing has to be filtered away.
"""

from __future__ import annotations

import dataclasses
from datetime import date, time, timedelta
from typing import Any

from hypothesis import strategies as st

from boundaries.core import schema
from boundaries.core.settings import Away, Settings
from boundaries.core.timeparse import WEEKDAYS

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
times = st.builds(time, st.integers(0, 23), st.integers(0, 59))
morning = st.builds(time, st.integers(0, 11), st.integers(0, 59))
afternoon = st.builds(time, st.integers(12, 23), st.integers(0, 59))
day_sets = st.sets(st.sampled_from(WEEKDAYS)).map(lambda s: tuple(d for d in WEEKDAYS if d in s))
_plain = st.characters(exclude_categories=["Cs", "Cc"], exclude_characters="{}")

dates = st.dates(date(2020, 1, 1), date(2030, 12, 31))


@st.composite
def away_periods(draw: st.DrawFn) -> Away:
    start = draw(dates)
    end = start + timedelta(days=draw(st.integers(0, 40)))
    zone = draw(st.sampled_from(["", *ZONES]))
    return Away(start, end, "elsewhere" if zone else "off", zone)


# Values for the keys that rules across keys constrain: start before noon, sign-offs after,
# time away that ends after it starts and has a zone only when working from elsewhere.
_BY_PATH: dict[str, st.SearchStrategy[Any]] = {
    "team.away": st.lists(away_periods(), max_size=2).map(tuple),
    "workday.start": morning,
    "workday.signoff": afternoon,
    "workday.signoff_by_day": st.dictionaries(st.sampled_from(WEEKDAYS), afternoon, max_size=3),
}


def values_for(kind: schema.Kind[Any], path: str, required: bool) -> st.SearchStrategy[Any]:
    """Any value the kind allows (kept small: a few entries, short texts)."""
    if path in _BY_PATH:
        return _BY_PATH[path]
    if isinstance(kind, schema.Flag):
        return st.booleans()
    if isinstance(kind, schema.Number):
        return st.integers(kind.low, kind.high)
    if isinstance(kind, schema.Numbers):
        return st.sets(st.integers(1, kind.high), max_size=min(kind.max_items, 4)).map(
            lambda found: tuple(sorted(found))
        )
    if isinstance(kind, schema.Text):
        return _texts(kind, required)
    if isinstance(kind, schema.Emoji):
        code = st.from_regex(r"[a-z_+\-0-9]{1,12}", fullmatch=True).map(lambda s: f":{s}:")
        return st.one_of(st.just(""), code)
    if isinstance(kind, schema.WebAddress):
        return st.sampled_from(
            ["https://slack.com/api/", "https://example.enterprise.slack.com/api/"]
        )
    if isinstance(kind, schema.Day):
        return dates
    if isinstance(kind, schema.Duration):
        return st.sampled_from(["", "4h", "30m", "1h30m", "2d"])
    if isinstance(kind, schema.Clock):
        return times
    if isinstance(kind, schema.HoursRange):
        return st.tuples(times, times).filter(lambda hours: hours[0] != hours[1])
    if isinstance(kind, schema.Zone):
        return st.sampled_from(([""] if kind.allow_empty else []) + ZONES)
    if isinstance(kind, schema.Choice):
        return st.sampled_from([word for word, _label in kind.options])
    if isinstance(kind, schema.Days):
        return day_sets
    if isinstance(kind, schema.TableList):
        if kind.unique:  # no two entries share it (the parser leaves the later one out)
            unique = kind.unique
            return st.lists(
                table(kind.table, path),
                max_size=3,
                unique_by=lambda entry: str(getattr(entry, unique)).casefold(),
            ).map(tuple)
        return st.lists(table(kind.table, path), max_size=3).map(tuple)
    if isinstance(kind, schema.Section):
        return table(kind.table, path)
    if isinstance(kind, schema.Version):
        return st.just(kind.current)
    raise NotImplementedError(f"no strategy for {path}'s kind {kind!r}: add one here")


def _texts(kind: schema.Text, required: bool) -> st.SearchStrategy[str]:
    body = st.text(_plain, max_size=min(kind.max_length, 40) - 8)
    if kind.placeholders:
        suffixes = [""] + [f" {{{name}}}" for name in kind.placeholders]
        body = st.tuples(body, st.sampled_from(suffixes)).map("".join)
    if kind.strip:
        body = body.map(str.strip)
    return body.filter(bool) if required else body


def table(cls: type, path: str = "") -> st.SearchStrategy[Any]:
    """Any instance of a settings dataclass the schema allows."""
    fields: dict[str, st.SearchStrategy[Any]] = {}
    spans: dict[str, tuple[str, ...]] = {}
    for item in dataclasses.fields(cls):
        spec = schema.spec_of(item)
        if spec is None:
            continue
        where = f"{path}.{spec.key or item.name}" if path else spec.key or item.name
        fields[item.name] = values_for(spec.kind, where, spec.required)
        if spec.spans:
            spans[item.name] = spec.spans

    def build(values: dict[str, Any]) -> Any:
        for name, parts in spans.items():
            values.update(zip(parts, values.pop(name), strict=True))
        return cls(**values)

    built = st.fixed_dictionaries(fields).map(build)
    check = schema.rules_of(cls).check
    if check is None:
        return built
    return built.filter(lambda value: not check(value)[1])


all_settings: st.SearchStrategy[Settings] = table(Settings)
