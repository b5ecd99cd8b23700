"""settings.toml on disk: broken files are kept and explained, saves keep the user's edits."""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import itertools
import os
import resource
import shutil
import signal
import stat
import tempfile
import tomllib
from collections.abc import Iterator, MutableMapping
from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from boundaries.core.settings import (
    FocusBlock,
    FocusSettings,
    GeneralSettings,
    Settings,
    SlackSettings,
    Teammate,
    WorkdaySettings,
)
from boundaries.integrations import migrations
from boundaries.integrations.config_store import (
    ConfigStore,
    ConfigWriteError,
    locate,
)
from tests.schema_strategies import all_settings

USER_FILE = """\
# My Boundaries settings -- tuned for the Berlin office
version = 1

[general]
timezone = "Europe/Berlin"   # where I live
time_format = "24h"

[workday]
# I start late on purpose
start = "10:00"
signoff = "18:00"
heads_up_minutes = 10

[[focus.blocks]]
days = ["mon", "wed"]
start = "10:00"
end = "12:00"   # lunch after

[[team]]
name = "Ana"
timezone = "Europe/London"
hours = "09:00-17:30"
"""

STAMP = datetime(2026, 11, 24, 22, 30, 0)


@pytest.fixture
def store(tmp_path: Path) -> ConfigStore:
    return ConfigStore(tmp_path, clock=lambda: STAMP)


@pytest.fixture
def public_folder() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's tmp_path is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="boundaries-test-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def backups(store: ConfigStore) -> list[Path]:
    return sorted(store.path.parent.glob("settings.toml.broken-*"))


def write(store: ConfigStore, text: str) -> bytes:
    raw = text.encode("utf-8")
    store.path.write_bytes(raw)
    return raw


# ------------------------------------------------------------------------ loading


def test_missing_file_gives_defaults_and_writes_nothing(store: ConfigStore) -> None:
    result = store.load()
    assert result.ok and result.settings == Settings() and result.backup_path is None
    assert list(store.path.parent.iterdir()) == []


def test_good_file_loads_its_values(store: ConfigStore) -> None:
    write(store, USER_FILE)
    result = store.load()
    assert result.ok, result.message()
    assert result.settings.general.timezone == "Europe/Berlin"
    assert result.settings.workday.start == time(10, 0)
    assert result.settings.focus.blocks == (FocusBlock(("mon", "wed"), time(10), time(12)),)
    assert [mate.name for mate in result.settings.team] == ["Ana"]
    assert backups(store) == []


def test_invalid_toml_gives_defaults_line_reason_and_backup(store: ConfigStore) -> None:
    raw = write(store, USER_FILE.replace("[workday]", "[workday"))
    result = store.load()

    assert result.settings == Settings()
    [problem] = result.problems
    assert problem.line == 8
    assert "not valid TOML" in problem.reason and "]" in problem.reason
    assert store.path.read_bytes() == raw
    assert result.backup_path == store.path.with_name("settings.toml.broken-20261124-223000")
    assert result.backup_path.read_bytes() == raw
    message = result.message()
    assert "line 8" in message and str(store.path) in message
    assert "default settings" in message and str(result.backup_path) in message


def test_wrong_types_keep_the_good_parts(store: ConfigStore) -> None:
    raw = write(
        store,
        USER_FILE.replace("heads_up_minutes = 10", 'heads_up_minutes = "ten"').replace(
            'time_format = "24h"', "time_format = 24"
        ),
    )
    result = store.load()

    assert [(p.path, p.line) for p in result.problems] == [
        ("general.time_format", 6),
        ("workday.heads_up_minutes", 12),
    ]
    assert "must be" in result.problems[1].reason
    # Defaults for the broken values only; everything else from the file.
    assert result.settings.general.time_format == "24h"
    assert result.settings.workday.heads_up_minutes == WorkdaySettings().heads_up_minutes
    assert result.settings.general.timezone == "Europe/Berlin"
    assert result.settings.workday.start == time(10, 0)
    assert [mate.name for mate in result.settings.team] == ["Ana"]
    assert store.path.read_bytes() == raw
    assert result.backup_path is not None and result.backup_path.read_bytes() == raw
    assert "line 12: workday.heads_up_minutes" in result.message()


def test_unknown_zone_names_the_line_and_suggests(store: ConfigStore) -> None:
    raw = write(store, USER_FILE.replace('"Europe/London"', '"Europe/Lndon"'))
    result = store.load()

    [problem] = result.problems
    assert (problem.path, problem.line) == ("team[0].timezone", 21)
    assert "Europe/London" in problem.reason  # the suggestion
    assert result.settings.team == ()  # a teammate without a zone is left out
    assert result.settings.general.timezone == "Europe/Berlin"
    assert store.path.read_bytes() == raw
    assert result.backup_path is not None and result.backup_path.read_bytes() == raw


def test_second_load_of_same_broken_file_makes_no_second_backup(tmp_path: Path) -> None:
    first = ConfigStore(tmp_path, clock=lambda: STAMP)
    raw = write(first, "version = ")
    backup = first.load().backup_path
    later = ConfigStore(tmp_path, clock=lambda: datetime(2026, 11, 25, 8, 0, 0))
    assert later.load().backup_path == backup
    assert backups(later) == [backup]
    # A different broken content gets its own copy, even within the same second.
    write(first, "version = = 2")
    other = first.load().backup_path
    assert other is not None and other != backup and len(backups(first)) == 2
    assert backup is not None and backup.read_bytes() == raw


def test_not_utf8_is_reported_with_its_line(store: ConfigStore) -> None:
    raw = write(store, "version = 1\n") + b'[general]\ntimezone = "\xff"\n'
    store.path.write_bytes(raw)
    result = store.load()
    assert result.settings == Settings()
    assert [(p.line, p.reason) for p in result.problems] == [(3, "the file is not UTF-8 text")]
    assert result.backup_path is not None and result.backup_path.read_bytes() == raw


def test_unreadable_file_gives_defaults_and_says_why(public_folder: Path) -> None:
    store = ConfigStore(public_folder)
    write(store, USER_FILE)
    store.path.chmod(0o000)
    with unprivileged(public_folder):
        result = store.load()
        with pytest.raises(ConfigWriteError, match="Permission denied"):
            store.save(Settings())  # what cannot be read and kept is never replaced
    assert result.settings == Settings()
    assert "could not be opened: Permission denied" in result.message()
    assert store.path.read_text() == USER_FILE


def test_a_file_with_a_token_is_reported(store: ConfigStore) -> None:
    write(store, '[slack]\nenabled = true\ntoken = "xoxp-123"\n')
    result = store.load()
    assert {(p.path, p.line) for p in result.problems} == {("slack.token", 3)}
    assert "Settings > Slack" in result.message()
    assert result.settings.slack.enabled is True


# ------------------------------------------------------------------------ saving


def test_round_trip_changes_exactly_one_line(store: ConfigStore) -> None:
    write(store, USER_FILE)
    loaded = store.load().settings
    changed = replace_workday(loaded, signoff=time(17, 0))
    store.save(changed)

    diff = [
        line
        for line in difflib.unified_diff(
            USER_FILE.splitlines(), store.path.read_text().splitlines(), lineterm="", n=0
        )
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert diff == ['-signoff = "18:00"', '+signoff = "17:00"']
    assert store.load().settings == changed


def test_changing_a_commented_value_keeps_its_comment(store: ConfigStore) -> None:
    write(store, USER_FILE)
    loaded = store.load().settings
    store.save(
        Settings(
            general=GeneralSettings(timezone="Asia/Tokyo"),
            workday=loaded.workday,
            focus=loaded.focus,
            team=loaded.team,
        )
    )
    text = store.path.read_text()
    assert 'timezone = "Asia/Tokyo"   # where I live' in text
    assert "# My Boundaries settings -- tuned for the Berlin office" in text
    assert "# I start late on purpose" in text


def test_new_values_are_added_and_tables_rewritten(store: ConfigStore) -> None:
    write(store, USER_FILE)
    loaded = store.load().settings
    wanted = Settings(
        general=loaded.general,
        workday=loaded.workday,
        focus=FocusSettings(status_emoji=":no_bell:", blocks=()),
        slack=SlackSettings(enabled=True),
        team=(*loaded.team, Teammate("Bo", "America/New_York", days=("mon", "tue"))),
    )
    store.save(wanted)
    text = store.path.read_text()
    assert store.load().settings == wanted
    assert "blocks = []" in text and "[[focus.blocks]]" not in text
    assert 'status_emoji = ":no_bell:"' in text
    assert "enabled = true" in text
    # Values equal to their defaults are not spelled out when the file did not have them.
    assert "api_url" not in text and "pause_notifications" not in text
    assert "# I start late on purpose" in text


def test_removing_every_teammate_removes_the_tables(store: ConfigStore) -> None:
    write(store, USER_FILE)
    loaded = store.load().settings
    store.save(Settings(general=loaded.general, workday=loaded.workday, focus=loaded.focus))
    assert "[[team]]" not in store.path.read_text()
    assert store.load().settings.team == ()


def test_first_save_writes_a_commented_file_that_loads_back(store: ConfigStore) -> None:
    wanted = Settings(
        workday=WorkdaySettings(signoff_by_day={"fri": time(16, 0)}),
        team=(Teammate("Ana", "Europe/London", slack_user="U0123ABC"),),
    )
    store.save(wanted)
    text = store.path.read_text()
    result = store.load()
    assert result.ok, result.message()
    assert result.settings == wanted
    assert text.startswith("# Boundaries settings.")
    assert set(tomllib.loads(text)["slack"]) == {"enabled", "api_url"}


def test_first_save_comments_every_key() -> None:
    everything = Settings(  # one of each, so every key is the first of its kind
        workday=WorkdaySettings(signoff_by_day={"fri": time(16, 0)}),
        focus=FocusSettings(blocks=(FocusBlock(),)),
        team=(Teammate("Ana", "Europe/London", days=("mon",), slack_user="U0123ABC"),),
    )
    with tempfile.TemporaryDirectory() as folder:
        lines = ConfigStore(Path(folder)).render(everything).splitlines()
    seen: set[str] = set()
    for before, line in itertools.pairwise(lines):
        if line and not line.startswith(("#", "[")):
            key = line.split(" = ")[0]
            assert before.startswith("# "), f"{key} has no comment"
            seen.add(key)
    assert seen >= {"version", "timezone", "signoff_by_day", "days", "end", "slack_user"}


def test_save_over_a_broken_file_keeps_its_backup(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path, clock=lambda: STAMP)
    raw = write(store, "this is not toml\n")
    # Saving without loading first still keeps the broken file's content.
    store.save(Settings())
    assert [b.read_bytes() for b in backups(store)] == [raw]
    assert store.load().ok


def test_render_is_what_save_writes(store: ConfigStore) -> None:
    write(store, USER_FILE)
    wanted = replace_workday(store.load().settings, heads_up_minutes=5)
    preview = store.render(wanted)
    assert store.path.read_text() == USER_FILE
    store.save(wanted)
    assert store.path.read_text() == preview


def test_save_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "settings.toml"
    real.parent.mkdir()
    real.write_text(USER_FILE)
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.toml").symlink_to(real)
    store = ConfigStore(config)
    store.save(replace_workday(store.load().settings, heads_up_minutes=5))
    assert (config / "settings.toml").is_symlink()
    assert "heads_up_minutes = 5" in real.read_text()


def test_save_into_read_only_folder_raises_and_keeps_old_file(public_folder: Path) -> None:
    store = ConfigStore(public_folder)
    write(store, USER_FILE)
    store.path.chmod(0o666)
    public_folder.chmod(0o555)
    with unprivileged(public_folder), pytest.raises(ConfigWriteError) as caught:
        store.save(Settings())
    message = str(caught.value)
    assert str(store.path) in message and "Permission denied" in message
    assert "not changed" in message
    assert store.path.read_text() == USER_FILE
    assert sorted(p.name for p in public_folder.iterdir()) == ["settings.toml"]


def test_save_on_full_disk_raises_and_keeps_old_file(store: ConfigStore) -> None:
    write(store, USER_FILE)
    with file_size_limit(len(USER_FILE) // 2), pytest.raises(ConfigWriteError) as caught:
        store.save(Settings())
    assert "File too large" in str(caught.value) and str(store.path) in str(caught.value)
    assert store.path.read_text() == USER_FILE
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["settings.toml"]


def test_save_where_the_folder_is_a_file_raises(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("")
    with pytest.raises(ConfigWriteError, match="Not a directory"):
        ConfigStore(tmp_path / "not-a-folder").save(Settings())


def test_new_file_is_private_and_existing_mode_is_kept(store: ConfigStore) -> None:
    store.save(Settings())
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    store.path.chmod(0o644)
    store.save(Settings(general=GeneralSettings(time_format="12h")))
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o644


# ------------------------------------------------------------------------ migrations


def _v0_to_v1(doc: MutableMapping[str, Any]) -> None:
    """The pretend version 0 called the sign-off time ``[workday] end``."""
    workday = doc.get("workday")
    if isinstance(workday, MutableMapping) and "end" in workday:
        workday["signoff"] = workday.pop("end")


V0_FILE = """\
# written by Boundaries 0.0
version = 0

[workday]
start = "08:00"
end = "16:30"   # early bird
"""


def test_old_version_is_upgraded_on_load_and_on_save(
    store: ConfigStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(migrations.MIGRATIONS, 0, _v0_to_v1)
    raw = write(store, V0_FILE)
    result = store.load()
    assert result.ok, result.message()
    assert result.settings.workday.signoff == time(16, 30)
    assert store.path.read_bytes() == raw and backups(store) == []  # loading writes nothing

    store.save(replace_workday(result.settings, heads_up_minutes=20))
    text = store.path.read_text()
    assert "version = 1" in text and "end =" not in text
    assert "# written by Boundaries 0.0" in text
    assert store.load().settings.workday.signoff == time(16, 30)


def test_migrate_runs_each_step_once_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrations, "CURRENT_VERSION", 3)
    seen: list[Any] = []
    steps = {v: (lambda doc: seen.append(doc["version"])) for v in (0, 1, 2)}
    assert migrations.migrate({"version": 1}, 1, steps) == {"version": 3}
    assert seen == [1, 2]
    with pytest.raises(migrations.MigrationError):
        migrations.migrate({"version": 0}, 0, {1: steps[1], 2: steps[2]})


def test_version_without_upgrade_path_is_a_problem(store: ConfigStore) -> None:
    write(store, V0_FILE)
    result = store.load()
    assert (result.problems[0].path, result.problems[0].line) == ("version", 2)
    assert "older than this app can upgrade" in result.problems[0].reason
    assert [p.path for p in result.problems if p.path == "version"] == ["version"]
    assert result.backup_path is not None


def test_newer_version_is_a_problem(store: ConfigStore) -> None:
    write(store, "version = 7\n")
    result = store.load()
    assert "newer than this app understands" in result.message()


# ------------------------------------------------------------------------ locating lines


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("version", 2),
        ("general.timezone", 5),
        ("workday.signoff_by_day.fri", 12),
        ("focus.blocks[0].end", 17),
        ("focus.blocks[1]", 19),
        ("team[0].timezone", 22),
        ("slack.token", None),
    ],
)
def test_locate_finds_the_line_of_a_setting(path: str, line: int | None) -> None:
    text = """\
# comment with general.timezone = "x"
version = 1

[general]
timezone = "Europe/Berlin"
note = \"\"\"
timezone = "not this one"
\"\"\"

[workday]
start = "09:00"
signoff_by_day = { fri = "16:00" }

[[focus.blocks]]
days = ["mon"]
start = "09:00"
end = "11:00"

[[ focus.blocks ]]
start = "14:00"
[[team]]
timezone = "Mars"
"""
    assert locate(text, path) == line


# ------------------------------------------------------------------------ property


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=all_settings, second=all_settings)
def test_any_settings_survive_save_and_load(first: Settings, second: Settings) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = ConfigStore(Path(folder))
        store.save(first)  # fresh template
        result = store.load()
        assert result.ok, result.message()
        assert result.settings == first
        store.save(second)  # edit of an existing document
        result = store.load()
        assert result.ok, result.message()
        assert result.settings == second
        assert backups(store) == []


@settings(max_examples=40, deadline=None)
@given(changed=all_settings)
def test_editing_a_hand_written_file_keeps_its_comments(changed: Settings) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = ConfigStore(Path(folder))
        write(store, USER_FILE)
        store.save(changed)
        assert store.load().settings == changed
        text = store.path.read_text()
        assert "# My Boundaries settings -- tuned for the Berlin office" in text
        assert "# I start late on purpose" in text


# ------------------------------------------------------------------------ helpers


def replace_workday(base: Settings, **changes: Any) -> Settings:
    return dataclasses.replace(base, workday=dataclasses.replace(base.workday, **changes))


NOBODY = 65534


@contextlib.contextmanager
def unprivileged(folder: Path) -> Iterator[None]:
    """Make permission bits count: as root, act as 'nobody' for the duration of the block."""
    if os.geteuid() != 0:
        yield
        return
    for parent in [folder, *folder.parents]:
        if not parent.stat().st_mode & stat.S_IXOTH:
            pytest.skip(f"{parent} is not searchable by an unprivileged user")
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@contextlib.contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """Like a full disk: writes past ``limit`` bytes fail with EFBIG (root cannot bypass it)."""
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
