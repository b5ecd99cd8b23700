"""Three-way merge of settings: the user's unsaved edits with a file changed on disk meanwhile.

Settings open while ``settings.toml`` is edited by hand or by ``team import --yes`` must not
drop what the user typed. Both sides are TOML-shaped dicts (``settings_to_dict``) compared
with the settings both started from: a key only one side changed takes that side's value;
one both changed differently is a conflict, resolved by ``prefer``. Teammates are matched
by name, so a teammate edited here and another added on disk both stay.
Why: docs/decisions/0015-settings-merge.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Side = Literal["mine", "theirs"]
_GONE: Any = object()  # a key or teammate one side does not have


@dataclass(frozen=True)
class Conflict:
    """A setting both sides changed: where (``"workday.signoff"``, ``"team[Ana].hours"``)."""

    path: str
    mine: Any  # None when this side removed it
    theirs: Any


def merge_edits(
    base: Mapping[str, Any],
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    prefer: Side = "mine",
) -> tuple[dict[str, Any], list[Conflict]]:
    """``mine`` and ``theirs`` merged over ``base``, and what both changed differently."""
    conflicts: list[Conflict] = []
    merged = _merge(base, mine, theirs, "", prefer, conflicts)
    return dict(merged), conflicts


def _merge(b: Any, m: Any, t: Any, path: str, prefer: Side, out: list[Conflict]) -> Any:
    if m == b:
        return t
    if t == b or m == t:
        return m
    if all(isinstance(v, Mapping) for v in (b, m, t)):
        keys = [*m, *(k for k in t if k not in m)]
        merged = {}
        for key in keys:
            value = _merge(
                b.get(key, _GONE),
                m.get(key, _GONE),
                t.get(key, _GONE),
                _join(path, key),
                prefer,
                out,
            )
            if value is not _GONE:
                merged[key] = value
        return merged
    if all(_named_tables(v) for v in (b, m, t)):
        return _merge_named(b, m, t, path, prefer, out)
    out.append(Conflict(path, None if m is _GONE else m, None if t is _GONE else t))
    return m if prefer == "mine" else t


def _named_tables(value: Any) -> bool:
    """A list of tables with distinct, non-empty names (the team), matched by name."""
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        return False
    names = [str(v.get("name", "")).casefold() for v in value]
    return all(names) and len(set(names)) == len(names)


def _merge_named(
    b: list[Any], m: list[Any], t: list[Any], path: str, prefer: Side, out: list[Conflict]
) -> list[Any]:
    def by_name(tables: list[Any]) -> dict[str, Any]:
        return {str(table["name"]).casefold(): table for table in tables}

    bases, mines, theirs = by_name(b), by_name(m), by_name(t)
    merged = []
    for key in [*mines, *(k for k in theirs if k not in mines)]:
        name = (mines.get(key) or theirs[key])["name"]
        value = _merge(
            bases.get(key, _GONE),
            mines.get(key, _GONE),
            theirs.get(key, _GONE),
            f"{path}[{name}]",
            prefer,
            out,
        )
        if value is not _GONE:
            merged.append(value)
    return merged


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
