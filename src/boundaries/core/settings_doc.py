"""Text made from the settings schema: the commented file a new user gets, and the README's
settings reference. Both walk the same declarations as parsing does, so neither can drift.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from boundaries.core.schema import Section, Spec, TableList, dump_table, spec_of
from boundaries.core.settings import Settings

TEMPLATE_HEAD = "# Boundaries settings."
_HEADER = f"""{TEMPLATE_HEAD} Every key is optional: delete a line to use its default.
# Times are 24-hour HH:MM in your own time zone; days are mon tue wed thu fri sat sun.
# The Slack token is never kept here: paste it in Settings > Slack (it goes to the OS keyring).
"""

REFERENCE_BEGIN = "<!-- settings reference: generated from src/boundaries/core/settings.py -->"
REFERENCE_END = "<!-- end of settings reference -->"


def toml_value(value: object) -> str:
    """A value as TOML spells it: ``"09:00"``, ``[30, 60]``, ``{ fri = "16:00" }``."""
    import tomlkit

    if isinstance(value, Mapping):
        table = tomlkit.inline_table()
        table.update(value)
        return str(table.as_string())
    return str(tomlkit.item(value).as_string())


def _declared(table: type) -> list[tuple[str, Spec]]:
    found = []
    for item in dataclasses.fields(table):
        spec = spec_of(item)
        if spec is not None:
            found.append((spec.key or item.name, spec))
    return found


def render_template(settings: Settings) -> str:
    """The whole file written fresh: every setting with a one-line comment saying what it does."""
    return render_document(Settings, settings, _HEADER)


def render_document(table: type, value: object, header: str) -> str:
    """Any schema table as a commented TOML file (settings, a team agreement)."""
    out = [header]
    _render_keys(out, table, dump_table(value), prefix="", commented=True)
    return "\n".join(out).rstrip("\n") + "\n"


def _render_keys(
    out: list[str], table: type, data: Mapping[str, Any], *, prefix: str, commented: bool
) -> None:
    """Plain keys first, then [sections], then [[lists of tables]], as TOML requires."""
    later: list[tuple[str, Spec]] = []
    for key, spec in _declared(table):
        example = isinstance(spec.kind, TableList) and spec.kind.example is not None
        if key not in data and not example:
            if commented and spec.omit_default:  # an optional key: say it exists
                _render_optional(out, table, key, spec, prefix)
            continue
        is_table = isinstance(spec.kind, Section)
        is_tables = isinstance(spec.kind, TableList) and (bool(data.get(key)) or example)
        if is_table or is_tables:
            later.append((key, spec))
            continue
        if commented:
            out.append(f"# {spec.doc}")
        out.append(f"{key} = {toml_value(data[key])}")
    for key, spec in later:
        name = f"{prefix}.{key}" if prefix else key
        value = data.get(key)
        if isinstance(spec.kind, Section):
            out += ["", f"# {spec.doc}", f"[{name}]"]
            _render_keys(out, spec.kind.table, value or {}, prefix=name, commented=True)
        elif value:
            _render_tables(out, name, spec, value, commented)
        elif commented:
            _render_example(out, name, spec)


def _render_optional(out: list[str], table: type, key: str, spec: Spec, prefix: str) -> None:
    if isinstance(spec.kind, TableList):
        out.append(f"# [[{prefix}.{key}]]: {spec.doc}")
        return
    item = next(item for item in dataclasses.fields(table) if (item.name == key))
    out += [f"# {spec.doc}", f"# {key} = {toml_value(spec.kind.dump(item.default))}"]


def _render_tables(
    out: list[str], name: str, spec: Spec, entries: list[Any], commented: bool
) -> None:
    assert isinstance(spec.kind, TableList)
    if commented:
        out += ["", f"# {spec.doc}"]
    for index, entry in enumerate(entries):
        out += ["", f"[[{name}]]"] if index or not commented else [f"[[{name}]]"]
        first = commented and index == 0
        _render_keys(out, spec.kind.table, entry, prefix=name, commented=first)


def _render_example(out: list[str], name: str, spec: Spec) -> None:
    assert isinstance(spec.kind, TableList) and spec.kind.example is not None
    out += ["", f"# {spec.doc}", "# For example:", f"# [[{name}]]"]
    docs = dict(_declared(spec.kind.table))
    for key, value in spec.kind.example.items():
        out.append(f"# {key} = {toml_value(value)}  # {docs[key].doc}")


# --------------------------------------------------------------------------- README


_SETTINGS_INTRO = (
    "Every key is optional; a missing key takes its default.",
    "`boundaries settings defaults` prints a commented file with every default;",
    "`boundaries settings check [FILE]` says what is wrong in one, by line.",
)
AGREEMENT_BEGIN = "<!-- agreement reference: generated from src/boundaries/core/agreement.py -->"
AGREEMENT_END = "<!-- end of agreement reference -->"


def render_reference(
    table: type = Settings,
    begin: str = REFERENCE_BEGIN,
    end: str = REFERENCE_END,
    intro: tuple[str, ...] = _SETTINGS_INTRO,
) -> str:
    """A README section for a schema table: its plain keys, then one table per [section]."""
    out = [begin, "", *intro]
    defaults = _defaults(table)
    plain = [
        (key, spec)
        for key, spec in _declared(table)
        if not isinstance(spec.kind, Section | TableList)
    ]
    out += ["", "**Top level**", "", "| key | default | allowed | what it does |"]
    out += ["| --- | --- | --- | --- |"]
    for key, spec in plain:
        default = _cell(toml_value(defaults.get(key, "")))
        out.append(f"| `{key}` | {default} | {spec.kind.describe()} | {_escape(spec.doc)} |")
    for key, spec in _declared(table):
        if isinstance(spec.kind, Section):
            _reference_table(out, f"[{key}]", spec.doc, spec.kind.table, key)
        elif isinstance(spec.kind, TableList):
            _reference_table(out, f"[[{key}]]", spec.doc, spec.kind.table, key)
    out += ["", end]
    return "\n".join(out) + "\n"


def _reference_table(out: list[str], title: str, doc: str, table: type, path: str) -> None:
    nested: list[tuple[str, Spec]] = []
    out += ["", f"**`{title}`**: {doc}", "", "| key | default | allowed | what it does |"]
    out.append("| --- | --- | --- | --- |")
    defaults = _defaults(table)
    for key, spec in _declared(table):
        if isinstance(spec.kind, TableList):
            nested.append((key, spec))
            continue
        default = "(required)" if spec.required else _cell(toml_value(defaults.get(key, "")))
        out.append(f"| `{key}` | {default} | {spec.kind.describe()} | {_escape(spec.doc)} |")
    for key, spec in nested:
        assert isinstance(spec.kind, TableList)
        limit = f" (at most {spec.kind.max_items})"
        _reference_table(out, f"[[{path}.{key}]]", spec.doc + limit, spec.kind.table, path)


def _defaults(table: type) -> dict[str, Any]:
    try:
        return dump_table(table())
    except TypeError:
        return {}


def _cell(text: str) -> str:
    return f"`{text}`".replace("|", "\\|")


def _escape(text: str) -> str:
    return text.replace("|", "\\|")
