"""Start at login: the entry each OS reads at login, written, found, and removed exactly.

Linux runs for real in a temporary XDG_CONFIG_HOME (validated by desktop-file-validate, the
Exec line parsed back by GLib's own launcher); macOS writes a real plist under a temporary
HOME; Windows goes through a fake of the small registry interface.
"""

from __future__ import annotations

import json
import os
import plistlib
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import boundaries
from boundaries.integrations.autostart import (
    APP_ID,
    RUN_KEY,
    Autostart,
    AutostartError,
    LaunchAgentAutostart,
    RunKeyAutostart,
    XdgAutostart,
    autostart_for_platform,
    desktop_exec,
    launch_command,
    sync_autostart,
)

COMMAND = ["/opt/Boundaries 0.1/bin/boundaries"]


def _tool(name: str) -> str:
    """Path of a system tool; skip without it, or fail in CI (BOUNDARIES_E2E_REQUIRED=1)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("BOUNDARIES_E2E_REQUIRED") == "1":
            pytest.fail(f"{name} is missing (BOUNDARIES_E2E_REQUIRED=1)")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private XDG_CONFIG_HOME (not created yet) and an empty system config dir."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc-xdg"))
    return tmp_path / "config"


def _linux(command: list[str] = COMMAND) -> Autostart:
    return autostart_for_platform(command, platform="linux")


# ---------------------------------------------------------------------------- Linux


def test_enable_creates_the_missing_autostart_folder_with_a_valid_entry(xdg: Path) -> None:
    autostart = _linux()
    assert not autostart.is_enabled()

    autostart.enable()

    entry = xdg / "autostart" / "boundaries.desktop"
    assert entry.is_file()
    assert autostart.is_enabled()
    assert str(entry) in autostart.describe()
    result = subprocess.run(
        [_tool("desktop-file-validate"), str(entry)], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr
    assert 'Exec="/opt/Boundaries 0.1/bin/boundaries"' in entry.read_text().splitlines()


def test_glib_launches_exactly_the_command_we_wrote(xdg: Path, tmp_path: Path) -> None:
    """The Exec quoting survives a real launcher, with every character that needs escaping."""
    gio = _tool("gio")
    folder = tmp_path / 'odd dir $HOME "q" `b` back\\slash'
    folder.mkdir()
    record = tmp_path / "argv.json"
    program = folder / "boundaries"
    program.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(record)!r}, 'w').write(json.dumps(sys.argv))\n"
    )
    program.chmod(0o755)
    command = [str(program), "--config-dir", "~/my profile", "50%", "it's", "a;b", ""]
    autostart = _linux(command)
    autostart.enable()

    subprocess.run([gio, "launch", str(xdg / "autostart" / "boundaries.desktop")], check=True)

    deadline = time.monotonic() + 10  # gio starts the program and returns at once
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert json.loads(record.read_text()) == command


def test_enable_twice_changes_nothing(xdg: Path) -> None:
    autostart = _linux()
    autostart.enable()
    entry = xdg / "autostart" / "boundaries.desktop"
    first = entry.read_bytes(), entry.stat().st_mtime_ns

    autostart.enable()

    assert (entry.read_bytes(), entry.stat().st_mtime_ns) == first
    assert os.listdir(xdg / "autostart") == ["boundaries.desktop"]  # no temp files left


def test_enable_repoints_an_entry_left_by_another_installation(xdg: Path) -> None:
    _linux(["/old/venv/bin/boundaries"]).enable()
    _linux(["/new/venv/bin/boundaries"]).enable()
    text = (xdg / "autostart" / "boundaries.desktop").read_text()
    assert "Exec=/new/venv/bin/boundaries" in text.splitlines()
    assert "/old/" not in text


def test_disable_removes_our_entry_and_nothing_the_user_made(xdg: Path) -> None:
    folder = xdg / "autostart"
    folder.mkdir(parents=True)
    entry = "[Desktop Entry]\nType=Application\nName={0}\nExec={0}\n"
    own = {
        "boundaries-work.desktop": entry.format("boundaries"),
        "slack.desktop": entry.format("slack"),
    }
    for name, text in own.items():
        (folder / name).write_text(text)
    autostart = _linux()
    autostart.enable()

    autostart.disable()
    autostart.disable()  # twice is harmless too

    assert not autostart.is_enabled()
    assert sorted(os.listdir(folder)) == sorted(own)
    assert all((folder / name).read_text() == text for name, text in own.items())


@pytest.mark.parametrize(
    "switched_off",
    ["Hidden=true", "X-GNOME-Autostart-enabled=false"],
)
def test_is_enabled_reads_the_file_each_time(xdg: Path, switched_off: str) -> None:
    """A session manager or tweak tool switching it off shows in Settings, not a stale tick."""
    autostart = _linux()
    autostart.enable()
    entry = xdg / "autostart" / "boundaries.desktop"
    entry.write_text(
        entry.read_text().replace("X-GNOME-Autostart-enabled=true\n", "") + switched_off + "\n"
    )
    assert not autostart.is_enabled()

    autostart.enable()  # ticking the box again really turns it back on
    assert autostart.is_enabled()
    entry.unlink()
    assert not autostart.is_enabled()


def test_a_system_wide_entry_counts_and_is_overridden_not_deleted(
    xdg: Path, tmp_path: Path
) -> None:
    system = tmp_path / "etc-xdg" / "autostart" / "boundaries.desktop"
    system.parent.mkdir(parents=True)
    system.write_text("[Desktop Entry]\nType=Application\nName=Boundaries\nExec=boundaries\n")
    autostart = _linux()
    assert autostart.is_enabled()

    autostart.disable()

    assert not autostart.is_enabled()
    assert system.is_file()
    assert "Hidden=true" in (xdg / "autostart" / "boundaries.desktop").read_text()
    autostart.enable()
    assert autostart.is_enabled()


def test_a_relative_xdg_config_home_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/config")
    autostart = XdgAutostart(COMMAND, config_dirs=[])
    autostart.enable()
    assert (tmp_path / "home" / ".config" / "autostart" / "boundaries.desktop").is_file()


def test_an_unwritable_folder_raises_with_the_path_and_reason(xdg: Path) -> None:
    xdg.mkdir()
    (xdg / "autostart").write_text("a file where the folder should be")
    with pytest.raises(AutostartError) as caught:
        _linux().enable()
    message = str(caught.value)
    assert str(xdg / "autostart") in message
    assert "turn on" in message and caught.value.reason


@pytest.mark.parametrize(
    ("argv", "exec_line"),
    [
        (["/usr/bin/boundaries"], "/usr/bin/boundaries"),
        (["/home/a b/bin/python", "-m", "boundaries"], '"/home/a b/bin/python" -m boundaries'),
        (["/x/$HOME/py"], '"/x/\\\\$HOME/py"'),
        (["/x", "100%"], "/x 100%%"),
        (["/x", 'say "hi"'], '/x "say \\\\"hi\\\\""'),
        (["/x", ""], '/x ""'),
    ],
)
def test_exec_quoting_follows_the_desktop_entry_spec(argv: list[str], exec_line: str) -> None:
    assert desktop_exec(argv) == exec_line


# ---------------------------------------------------------------------------- the command


def _executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_command_of_a_frozen_build_is_the_bundle_itself() -> None:
    assert launch_command(frozen=True, executable="/opt/b/boundaries", env={}) == [
        "/opt/b/boundaries"
    ]
    # An AppImage runs from a temporary mount; the .AppImage file is what stays.
    assert launch_command(
        frozen=True, executable="/tmp/.mount_x/boundaries", env={"APPIMAGE": "/apps/B.AppImage"}
    ) == ["/apps/B.AppImage"]


def test_command_of_a_venv_or_pipx_install_is_its_script(tmp_path: Path) -> None:
    python = _executable(tmp_path / "venv" / "bin" / "python")
    script = _executable(tmp_path / "venv" / "bin" / "boundaries")
    assert launch_command(frozen=False, executable=str(python), platform="linux") == [str(script)]


def test_command_without_a_script_runs_the_module(tmp_path: Path) -> None:
    python = _executable(tmp_path / "bin" / "python3")
    assert launch_command(frozen=False, executable=str(python), platform="linux") == [
        str(python),
        "-m",
        "boundaries",
    ]


def test_windows_command_prefers_a_windowless_launcher(tmp_path: Path) -> None:
    scripts = tmp_path / "Scripts"
    python = _executable(scripts / "python.exe")
    _executable(scripts / "pythonw.exe")
    assert launch_command(frozen=False, executable=str(python), platform="win32") == [
        str(scripts / "pythonw.exe"),
        "-m",
        "boundaries",
    ]
    _executable(scripts / "boundaries.exe")
    assert launch_command(frozen=False, executable=str(python), platform="win32") == [
        str(scripts / "boundaries.exe")
    ]


def test_the_default_command_starts_this_installation() -> None:
    result = subprocess.run(
        [*launch_command(), "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == f"boundaries {boundaries.__version__}", result.stderr


# ---------------------------------------------------------------------------- macOS


def test_launch_agent_round_trips_through_plistlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    agents = tmp_path / "Library" / "LaunchAgents"
    autostart = autostart_for_platform(COMMAND, platform="darwin")
    assert not autostart.is_enabled()

    autostart.enable()
    autostart.enable()

    path = agents / f"{APP_ID}.plist"
    assert os.listdir(agents) == [path.name]
    with path.open("rb") as handle:
        agent = plistlib.load(handle)
    assert agent["Label"] == APP_ID
    assert agent["ProgramArguments"] == COMMAND
    assert agent["RunAtLoad"] is True
    assert autostart.is_enabled()
    assert str(path) in autostart.describe()


def test_launch_agent_honours_disabled_and_removes_only_its_own(tmp_path: Path) -> None:
    agents = tmp_path / "LaunchAgents"
    agents.mkdir()
    other = agents / "com.example.other.plist"
    other.write_bytes(plistlib.dumps({"Label": "com.example.other", "RunAtLoad": True}))
    autostart = LaunchAgentAutostart(COMMAND, agents_dir=agents)
    autostart.enable()
    path = agents / f"{APP_ID}.plist"
    path.write_bytes(plistlib.dumps({**autostart.agent(), "Disabled": True}))
    assert not autostart.is_enabled()

    path.write_bytes(b"not a plist")  # launchd skips it; so does Settings
    assert not autostart.is_enabled()

    autostart.disable()
    assert os.listdir(agents) == [other.name]


# ---------------------------------------------------------------------------- Windows


class FakeRegistryKey:
    """One registry key's named values, with a write counter and an optional failure."""

    def __init__(self, values: dict[str, str | bytes] | None = None) -> None:
        self.values: dict[str, str | bytes] = dict(values or {})
        self.writes = 0
        self.fail: OSError | None = None

    def read(self, name: str) -> str | bytes | None:
        if self.fail:
            raise self.fail
        return self.values.get(name)

    def write_string(self, name: str, value: str) -> None:
        if self.fail:
            raise self.fail
        self.writes += 1
        self.values[name] = value

    def delete(self, name: str) -> None:
        if self.fail:
            raise self.fail
        self.values.pop(name, None)


WINDOWS_COMMAND = [r"C:\Program Files\Boundaries\boundaries.exe"]


def test_run_value_quotes_the_command_and_leaves_other_values() -> None:
    run = FakeRegistryKey({"OneDrive": r'"C:\OneDrive.exe" /background'})
    autostart = RunKeyAutostart(WINDOWS_COMMAND, run, FakeRegistryKey())

    autostart.enable()
    autostart.enable()

    assert run.values["Boundaries"] == r'"C:\Program Files\Boundaries\boundaries.exe"'
    assert run.writes == 1
    assert autostart.is_enabled()
    autostart.disable()
    assert run.values == {"OneDrive": r'"C:\OneDrive.exe" /background'}
    assert not autostart.is_enabled()


def test_task_manager_switch_off_is_honoured_and_cleared_by_enable() -> None:
    run = FakeRegistryKey()
    approved = FakeRegistryKey()
    autostart = RunKeyAutostart(WINDOWS_COMMAND, run, approved)
    autostart.enable()
    approved.values["Boundaries"] = bytes([3]) + bytes(11)  # Task Manager: "Disabled"
    assert not autostart.is_enabled()

    autostart.enable()

    assert autostart.is_enabled()
    assert "Boundaries" not in approved.values


def test_registry_errors_name_the_key() -> None:
    run = FakeRegistryKey()
    run.fail = PermissionError(13, "Access is denied")
    with pytest.raises(AutostartError, match=r"HKEY_CURRENT_USER\\Software.*Access is denied"):
        RunKeyAutostart(WINDOWS_COMMAND, run).enable()


def test_windows_writer_is_chosen_on_windows() -> None:
    autostart = autostart_for_platform(WINDOWS_COMMAND, platform="win32")
    assert isinstance(autostart, RunKeyAutostart)
    assert f"HKEY_CURRENT_USER\\{RUN_KEY}" in autostart.describe()


# ---------------------------------------------------------------------------- the setting


def _writers(tmp_path: Path) -> Iterator[tuple[str, Autostart, Callable[[], list[str]]]]:
    xdg = tmp_path / "config"
    yield (
        "linux",
        XdgAutostart(COMMAND, config_home=xdg, config_dirs=[]),
        lambda: os.listdir(xdg / "autostart"),
    )
    agents = tmp_path / "LaunchAgents"
    yield "macos", LaunchAgentAutostart(COMMAND, agents_dir=agents), lambda: os.listdir(agents)
    run = FakeRegistryKey()
    yield "windows", RunKeyAutostart(WINDOWS_COMMAND, run), lambda: list(run.values)


@pytest.mark.parametrize("platform", ["linux", "macos", "windows"])
def test_sync_follows_the_setting_on_every_platform(tmp_path: Path, platform: str) -> None:
    _name, autostart, leftovers = next(w for w in _writers(tmp_path) if w[0] == platform)

    sync_autostart(True, autostart)
    sync_autostart(True, autostart)
    assert autostart.is_enabled()
    assert len(leftovers()) == 1

    sync_autostart(False, autostart)
    sync_autostart(False, autostart)
    assert not autostart.is_enabled()
    assert leftovers() == []
