"""Which folders the app uses: --config-dir, then BOUNDARIES_CONFIG_DIR, then the platform's."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from boundaries.integrations.paths import AppDirs, resolve_dirs


def test_argument_wins_over_environment(tmp_path: Path) -> None:
    dirs = resolve_dirs(tmp_path / "arg", env={"BOUNDARIES_CONFIG_DIR": str(tmp_path / "env")})
    assert dirs == AppDirs(config=tmp_path / "arg", state=tmp_path / "arg" / "state")


def test_environment_used_without_argument(tmp_path: Path) -> None:
    dirs = resolve_dirs(None, env={"BOUNDARIES_CONFIG_DIR": str(tmp_path / "env")})
    assert dirs == AppDirs(config=tmp_path / "env", state=tmp_path / "env" / "state")


def test_environment_read_from_os_environ_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOUNDARIES_CONFIG_DIR", str(tmp_path))
    assert resolve_dirs().config == tmp_path


def test_empty_values_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOUNDARIES_CONFIG_DIR", raising=False)
    expected = resolve_dirs(None, env={})
    assert resolve_dirs("", env={"BOUNDARIES_CONFIG_DIR": ""}) == expected


def test_relative_and_home_paths_become_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert resolve_dirs("profile", env={}).config == tmp_path / "profile"
    assert resolve_dirs(None, env={"BOUNDARIES_CONFIG_DIR": "~/b"}).config == (
        tmp_path / "home" / "b"
    )


def test_platform_defaults_without_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "st"))
    dirs = resolve_dirs(None, env={})
    assert dirs.config == Path(platformdirs.user_config_dir("boundaries", appauthor=False))
    assert dirs.state == Path(platformdirs.user_state_dir("boundaries", appauthor=False))
    if sys.platform.startswith("linux"):
        assert dirs == AppDirs(
            config=tmp_path / "cfg" / "boundaries",
            state=tmp_path / "st" / "boundaries",
            is_default=True,
        )


def test_only_the_default_profile_counts_as_the_users_own(tmp_path: Path) -> None:
    assert resolve_dirs(None, env={}).is_default
    assert not resolve_dirs(tmp_path, env={}).is_default
    assert not resolve_dirs(None, env={"BOUNDARIES_CONFIG_DIR": str(tmp_path)}).is_default


def test_resolving_creates_no_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "st"))
    resolve_dirs(None, env={})
    resolve_dirs(tmp_path / "arg", env={})
    assert list(tmp_path.iterdir()) == []
