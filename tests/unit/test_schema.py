"""The settings schema is the one source of truth: files, bounds, template, README, changed keys."""

from __future__ import annotations

import dataclasses
import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boundaries.core import schema
from boundaries.core.settings import (
    MAX_FOCUS_BLOCKS,
    MAX_TEAMMATES,
    FocusBlock,
    Settings,
    Teammate,
    parse_settings,
    settings_to_dict,
)
from boundaries.core.settings_doc import (
    REFERENCE_BEGIN,
    REFERENCE_END,
    render_reference,
    render_template,
)
from boundaries.integrations.config_store import ConfigStore
from tests.cli_run import run_cli
from tests.schema_strategies import all_settings

README = Path(__file__).resolve().parents[2] / "README.md"

# ------------------------------------------------------------------------ declarations


def test_every_setting_is_described_and_editable() -> None:
    found = list(schema.entries(Settings))
    assert len(found) > 30
    in_tables = [e.path for e in found if isinstance(e.spec.kind, schema.TableList)]
    for entry in found:
        assert entry.spec.doc.endswith("."), entry.path
        assert len(entry.spec.doc) <= 100, entry.path  # one line in the file's comments
        row_of_a_table = entry.path.startswith(tuple(f"{path}." for path in in_tables))
        if entry.spec.editor != "custom" and entry.path.count(".") == 1 and not row_of_a_table:
            assert entry.spec.label, f"{entry.path} has a generic editor but no label"


def test_the_template_has_every_setting_with_its_comment_and_loads_as_the_defaults() -> None:
    text = render_template(Settings())
    assert parse_settings(tomllib.loads(text)) == (Settings(), [])
    with_a_teammate = render_template(Settings(team=(Teammate("Ana", "Europe/London"),)))
    for entry in schema.entries(Settings):
        if entry.path.startswith("team.away."):
            continue  # documented in the README's reference; the file names [[team.away]]
        assert entry.spec.doc in with_a_teammate, entry.path
        if not entry.path.startswith("team.away"):  # the example teammate has no time away
            assert f"# {entry.spec.doc}" in text, entry.path


def test_readme_settings_reference_is_generated_from_the_schema() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(REFERENCE_BEGIN), text.index(REFERENCE_END) + len(REFERENCE_END)
    generated = render_reference().rstrip("\n")
    if os.environ.get("BOUNDARIES_UPDATE_DOCS") == "1":
        README.write_text(text[:start] + generated + text[end:], encoding="utf-8")
        text = README.read_text(encoding="utf-8")
        start, end = text.index(REFERENCE_BEGIN), text.index(REFERENCE_END) + len(REFERENCE_END)
    assert text[start:end] == generated, (
        "README's settings section differs from the schema; "
        "run BOUNDARIES_UPDATE_DOCS=1 pytest tests/unit/test_schema.py to regenerate it"
    )


def test_readme_reference_names_every_key_with_its_default() -> None:
    reference = render_reference()
    for entry in schema.entries(Settings):
        key = entry.path.rsplit(".", 1)[-1]
        if not isinstance(entry.spec.kind, schema.Section | schema.TableList):
            assert f"| `{key}` |" in reference, entry.path
    assert "| `heads_up_minutes` | `15` | 0 to 1440 minutes |" in reference
    assert "| `signoff_by_day` | `{}` |" in reference  # not the example's { fri = ... }


# ------------------------------------------------------------------------ bounds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[workday]\nheads_up_minutes = 100000\n", "must be between 0 and 1440 minutes"),
        (
            "[workday]\nescalate_after_minutes = [" + ", ".join(map(str, range(1, 30))) + "]\n",
            "has 29 entries; at most 10",
        ),
        ('[focus]\nstatus_emoji = ":' + "a" * 200 + ':"\n', "at most 100 are allowed"),
        ('[[team]]\nname = "' + "N" * 200 + '"\ntimezone = "UTC"\n', "at most 80 are allowed"),
        ('[slack]\napi_url = "https://' + "a" * 3000 + '"\n', "at most 2000 are allowed"),
    ],
)
def test_numbers_lists_and_texts_are_bounded(text: str, expected: str) -> None:
    _, found = parse_settings(tomllib.loads(text))
    assert len(found) == 1 and expected in found[0].reason, found


def test_too_many_focus_blocks_keeps_the_first_ones_and_says_so() -> None:
    blocks = '[[focus.blocks]]\nstart = "09:00"\nend = "10:00"\n' * (MAX_FOCUS_BLOCKS + 5)
    parsed, found = parse_settings(tomllib.loads(blocks))
    assert len(parsed.focus.blocks) == MAX_FOCUS_BLOCKS
    assert [p.path for p in found] == ["focus.blocks"]
    assert f"has {MAX_FOCUS_BLOCKS + 5} focus blocks; at most {MAX_FOCUS_BLOCKS}" in found[0].reason


def test_deeply_nested_arrays_are_a_reason_not_a_recursion_error(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    original = ("[general]\nnotifications = " + "[" * 3000 + "]" * 3000 + "\n").encode()
    store.path.write_bytes(original)
    result = store.load()
    assert result.settings == Settings()
    assert "nested too deeply" in result.message()
    assert store.path.read_bytes() == original
    assert result.backup_path is not None and result.backup_path.read_bytes() == original


def test_a_huge_file_is_a_reason_and_is_kept(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    original = ('[general]\ntimezone = "' + "x" * (5 * 1024 * 1024) + '"\n').encode()
    store.path.write_bytes(original)
    result = store.load()
    assert result.settings == Settings()
    assert "over 1024 KB" in result.message()
    assert store.path.read_bytes() == original


def test_absurd_files_give_one_line_from_the_cli(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("a = " + "[" * 3000 + "]" * 3000 + "\n")
    done = run_cli(tmp_path, "status")
    assert done.returncode == 0  # answered with the defaults, as the app runs with them
    assert "Traceback" not in done.stderr and "nested too deeply" in done.stderr
    assert len(done.stderr.splitlines()) <= 2
    checked = run_cli(tmp_path, "settings", "check")
    assert checked.returncode == 2 and "Traceback" not in checked.stderr


# ------------------------------------------------------------------------ changed keys


def test_changes_name_only_the_keys_that_differ() -> None:
    base = Settings()
    after = dataclasses.replace(
        base,
        workday=dataclasses.replace(base.workday, heads_up_minutes=5),
        focus=dataclasses.replace(base.focus, blocks=(FocusBlock(),)),
    )
    found = schema.changes(Settings, base, after)
    assert [(change.path, change.value) for change in found] == [
        ("workday.heads_up_minutes", 5),
        (
            "focus.blocks",
            [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "11:00"}],
        ),
    ]
    assert schema.changes(Settings, after, after) == []


# ------------------------------------------------------------------------ properties


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=all_settings)
def test_any_value_the_schema_allows_parses_back_unchanged(value: Settings) -> None:
    assert parse_settings(settings_to_dict(value)) == (value, [])
    text = render_template(value)
    assert parse_settings(tomllib.loads(text)) == (value, [])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=all_settings, second=all_settings)
def test_any_value_survives_save_and_load_with_only_changed_keys_written(
    first: Settings, second: Settings
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = ConfigStore(Path(folder))
        store.save(first)
        assert store.load().settings == first
        mine = "# my own note\nmy_key = 1\n"  # the user's own additions, at the top
        store.path.write_text(mine + store.path.read_text(encoding="utf-8"), encoding="utf-8")
        store.save(second, before=first)
        result = store.load()
        assert result.settings == second
        assert [p.path for p in result.problems] == ["my_key"]
        text = store.path.read_text(encoding="utf-8")
        assert "# my own note\nmy_key = 1" in text


_SCHEMA_KEYS = sorted({part for e in schema.entries(Settings) for part in e.path.split(".")})
toml_scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["09:00", "25:00", "Europe/Berlin", "mon", "{end}", "{", "https://x/"]),
)
toml_keys = st.one_of(st.sampled_from(_SCHEMA_KEYS), st.text(min_size=1, max_size=10))
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(toml_keys, inner, max_size=4)
    ),
    max_leaves=25,
)
toml_documents = st.dictionaries(toml_keys, toml_values, max_size=8)


@settings(max_examples=200, deadline=None)
@given(document=toml_documents)
def test_any_toml_document_parses_without_raising(document: dict[str, Any]) -> None:
    text = tomlkit.dumps(document)
    parsed, found = parse_settings(tomllib.loads(text))
    assert isinstance(parsed, Settings)
    assert all(problem.reason for problem in found)


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=300) | toml_documents.map(lambda d: tomlkit.dumps(d).encode()))
def test_any_bytes_load_without_raising(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = ConfigStore(Path(folder))
        store.path.write_bytes(raw)
        result = store.load()
        assert isinstance(result.settings, Settings)
        assert result.message()
        assert store.path.read_bytes() == raw


# ------------------------------------------------------------------------ command line


def test_settings_check_prints_file_line_path_reason_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "mine.toml"
    bad.write_text(
        '[general]\ntime_format = "24h"\n\n[workday]\nheads_up_minutes = -5\nsignof = 1\n'
    )
    done = run_cli(tmp_path, "settings", "check", str(bad))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"{bad}:5: workday.heads_up_minutes: must be between 0 and 1440 minutes, not -5",
        f'{bad}:6: workday.signof: is not a known setting (ignored); did you mean "signoff"?',
    ]
    assert bad.read_text().endswith("signof = 1\n")  # nothing written, no backup
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml"]


def test_settings_check_of_a_good_or_missing_file_exits_0(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "settings", "check").returncode == 0
    (tmp_path / "settings.toml").write_text(render_template(Settings()))
    done = run_cli(tmp_path, "settings", "check")
    assert (done.returncode, done.stdout.strip()) == (
        0,
        f"{tmp_path / 'settings.toml'}: no problems",
    )


def test_settings_defaults_prints_the_commented_template(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "settings", "defaults")
    assert done.returncode == 0
    assert done.stdout == render_template(Settings())
    assert parse_settings(tomllib.loads(done.stdout)) == (Settings(), [])


def test_there_are_bounds_on_lists_of_tables() -> None:
    assert 100 <= MAX_FOCUS_BLOCKS <= 1000 and 100 <= MAX_TEAMMATES <= 1000
