"""Text made from the settings schema: the commented file a new user gets, and the README's
settings reference. Both walk the same declarations as parsing does, so neither can drift.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from boundaries.core.schema import Section, Spec, TableList, dump_table, spec_of
from boundaries.core.settings import CURRENT_VERSION, Settings

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
    data = dump_table(settings)
    out = [_HEADER]
    _render_keys(out, Settings, data, commented=True, root=True)
    return "\n".join(out).rstrip("\n") + "\n"


def _render_keys(
    out: list[str], table: type, data: Mapping[str, Any], *, commented: bool, root: bool = False
) -> None:
    later: list[tuple[str, Spec]] = []  # tables come after the plain keys of their parent
    for key, spec in _declared(table):
        if key not in data:
            continue
        if isinstance(spec.kind, Section | TableList) and (
            isinstance(spec.kind, Section) or data[key] or spec.kind.example is not None
        ):
            later.append((key, spec))
            continue
        if commented:
            out.append(f"# {spec.doc}")
        out.append(f"{key} = {toml_value(data[key])}")
    for key, spec in later:
        value = data[key]
        if isinstance(spec.kind, Section):
            out += ["", f"# {spec.doc}", f"[{key}]"]
            _render_section(out, key, spec.kind.table, value)
        elif root and value:
            _render_tables(out, key, spec, value)
        elif root:
            _render_example(out, key, spec)


def _render_section(out: list[str], name: str, table: type, data: Mapping[str, Any]) -> None:
    _render_keys(out, table, data, commented=True)
    for key, spec in _declared(table):
        if isinstance(spec.kind, TableList) and data.get(key):
            _render_tables(out, f"{name}.{key}", spec, data[key])


def _render_tables(out: list[str], name: str, spec: Spec, entries: list[Any]) -> None:
    assert isinstance(spec.kind, TableList)
    out += ["", f"# {spec.doc}"]
    for index, entry in enumerate(entries):
        out += ["", f"[[{name}]]"] if index else [f"[[{name}]]"]
        _render_keys(out, spec.kind.table, entry, commented=index == 0)


def _render_example(out: list[str], name: str, spec: Spec) -> None:
    assert isinstance(spec.kind, TableList) and spec.kind.example is not None
    out += ["", f"# {spec.doc}", "# For example:", f"# [[{name}]]"]
    docs = dict(_declared(spec.kind.table))
    for key, value in spec.kind.example.items():
        out.append(f"# {key} = {toml_value(value)}  # {docs[key].doc}")


# --------------------------------------------------------------------------- README


def render_reference() -> str:
    """The README's settings section body: one table per section, every key with its default."""
    out = [
        REFERENCE_BEGIN,
        "",
        "Every key is optional; a missing key takes its default.",
        "`boundaries settings defaults` prints a commented file with every default;",
        "`boundaries settings check [FILE]` says what is wrong in one, by line.",
    ]
    version = dict(_declared(Settings))["version"]
    out += ["", "**Top level**", "", "| key | default | allowed | what it does |"]
    out += ["| --- | --- | --- | --- |"]
    out.append(f"| `version` | `{CURRENT_VERSION}` | {version.kind.describe()} | {version.doc} |")
    root = [(key, spec) for key, spec in _declared(Settings) if key != "version"]
    for key, spec in root:
        if isinstance(spec.kind, Section):
            _reference_table(out, f"[{key}]", spec.doc, spec.kind.table, key)
        elif isinstance(spec.kind, TableList):
            _reference_table(out, f"[[{key}]]", spec.doc, spec.kind.table, key)
    out += ["", REFERENCE_END]
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
