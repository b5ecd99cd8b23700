"""Start at login: an XDG autostart entry, a macOS LaunchAgent, or the Windows ``Run`` value.

Each writer touches one file or value under one fixed name, so enabling twice is harmless and
disabling removes exactly what we added (a user's own entries under other names are never
read or changed). ``is_enabled`` reads the real state every time: the user, a tweak tool or a
session manager may have switched it off behind our back, and Settings must show the truth.
The command written is the one that starts *this* installation (frozen build, venv or pipx
script, else ``python -m boundaries``), so a second install never hijacks the first's entry.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Final, Protocol

from boundaries.integrations.atomic import atomic_write_bytes, atomic_write_text

APP_ID: Final = "io.github.boundaries.Boundaries"
"""Reverse-DNS id: AppStream component, LaunchAgent label, macOS bundle identifier."""
DESKTOP_FILE: Final = "boundaries.desktop"
"""The desktop-id, the same for the menu launcher and the autostart entry."""
RUN_VALUE: Final = "Boundaries"
RUN_KEY: Final = r"Software\Microsoft\Windows\CurrentVersion\Run"
APPROVED_KEY: Final = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
_NAME: Final = "Boundaries"
_COMMENT: Final = "Protect your focus time and the end of your workday"


class AutostartError(Exception):
    """Start at login could not be read or changed; says which path and why."""

    def __init__(self, action: str, path: str, reason: str) -> None:
        super().__init__(f"Could not {action} start at login: {path}: {reason}")
        self.action, self.path, self.reason = action, path, reason


def _error(action: str, path: object, error: OSError) -> AutostartError:
    return AutostartError(action, str(path), error.strerror or str(error))


class Autostart(Protocol):
    """Start at login on this platform; every method may raise AutostartError."""

    def is_enabled(self) -> bool:
        """Whether the app will start at the next login, read from disk/registry now."""
        ...

    def enable(self) -> None: ...

    def disable(self) -> None: ...

    def describe(self) -> str:
        """Where the setting lives, for the Settings window."""
        ...


def launch_command(
    *,
    frozen: bool | None = None,
    executable: str | None = None,
    platform: str | None = None,
    env: Mapping[str, str] | None = None,
) -> list[str]:
    """The argv that starts this installation (arguments default to the running process)."""
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = sys.executable if executable is None else executable
    platform = sys.platform if platform is None else platform
    environ = os.environ if env is None else env
    if frozen:
        # An AppImage runs from a temporary mount; $APPIMAGE is the file that stays.
        return [environ.get("APPIMAGE") or executable]
    # No resolve(): a venv's python is a symlink into the base install, the script is not.
    bin_dir = Path(executable).parent
    names = ("boundariesw.exe", "boundaries.exe") if platform == "win32" else ("boundaries",)
    for name in names:
        script = bin_dir / name
        if script.is_file() and os.access(script, os.X_OK):
            return [str(script)]
    if platform == "win32" and (bin_dir / "pythonw.exe").is_file():
        executable = str(bin_dir / "pythonw.exe")  # no console window at every login
    return [executable, "-m", "boundaries"]


# ---------------------------------------------------------------------------- Linux (XDG)

_RESERVED: Final = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def desktop_exec(argv: Sequence[str]) -> str:
    """``argv`` as a Desktop Entry ``Exec`` value (argument quoting, then string escaping)."""
    if not argv:
        raise ValueError("empty command")
    words = []
    for arg in argv:
        if arg == "" or any(c in _RESERVED for c in arg):
            arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
        words.append(arg.replace("%", "%%"))
    return _escape_string(" ".join(words))


def _escape_string(value: str) -> str:
    """Escape a Desktop Entry ``string`` value (backslash first, then control characters)."""
    return (
        value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    )


def _entry_keys(text: str) -> dict[str, str]:
    """Keys of the ``[Desktop Entry]`` group (values unescaped enough for booleans)."""
    keys: dict[str, str] = {}
    group = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            group = line
        elif group == "[Desktop Entry]" and "=" in line:
            key, _, value = line.partition("=")
            keys.setdefault(key.strip(), value.strip())
    return keys


def _entry_enabled(text: str) -> bool:
    keys = _entry_keys(text)
    return (
        keys.get("Hidden", "false") != "true"
        and keys.get("X-GNOME-Autostart-enabled", "true") != "false"
    )


def _app_icon_path() -> str | None:
    """The bundled app icon as a real file path (wheel or frozen build), else None."""
    icon = resources.files("boundaries.resources").joinpath("icons", "app.svg")
    return str(icon) if isinstance(icon, Path) and icon.is_file() else None


class XdgAutostart:
    """``$XDG_CONFIG_HOME/autostart/boundaries.desktop``, per the XDG Autostart spec.

    A system-wide entry of the same name (``$XDG_CONFIG_DIRS/autostart``, e.g. from a distro
    package) also counts: the user's file overrides it, so disabling writes ``Hidden=true``.
    """

    def __init__(
        self,
        command: Sequence[str],
        config_home: Path | None = None,
        config_dirs: Sequence[Path] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        environ = os.environ if env is None else env
        if config_home is None:
            home = environ.get("XDG_CONFIG_HOME", "")
            # The spec ignores relative values.
            config_home = Path(home) if os.path.isabs(home) else Path.home() / ".config"
        if config_dirs is None:
            listed = environ.get("XDG_CONFIG_DIRS", "") or "/etc/xdg"
            config_dirs = [Path(p) for p in listed.split(":") if os.path.isabs(p)]
        self.command = list(command)
        self.path = config_home / "autostart" / DESKTOP_FILE
        self._system_paths = [d / "autostart" / DESKTOP_FILE for d in config_dirs]

    def describe(self) -> str:
        return f"XDG autostart entry {self.path}"

    def entry_text(self) -> str:
        """The file we write: starts this installation, skipped if it was uninstalled."""
        lines = [
            "[Desktop Entry]",
            "Type=Application",
            f"Name={_NAME}",
            f"Comment={_COMMENT}",
            f"TryExec={_escape_string(self.command[0])}",
            f"Exec={desktop_exec(self.command)}",
        ]
        icon = _app_icon_path()
        if icon is not None:
            lines.append(f"Icon={_escape_string(icon)}")
        lines += ["Terminal=false", "X-GNOME-Autostart-enabled=true", ""]
        return "\n".join(lines)

    def _read(self, path: Path, action: str = "read") -> str | None:
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return None
        except OSError as error:
            raise _error(action, path, error) from error

    def is_enabled(self) -> bool:
        for path in (self.path, *self._system_paths):
            text = self._read(path)
            if text is not None:  # the first one found wins, the user's file first
                return _entry_enabled(text)
        return False

    def enable(self) -> None:
        text = self.entry_text()
        if self._read(self.path, "turn on") == text:
            return
        try:
            atomic_write_text(self.path, text, mode=0o644)  # creates autostart/ when missing
        except OSError as error:
            raise _error("turn on", self.path, error) from error

    def disable(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            raise _error("turn off", self.path, error) from error
        if self.is_enabled():  # a system-wide entry still starts us: override it
            hidden = f"[Desktop Entry]\nType=Application\nName={_NAME}\nHidden=true\n"
            try:
                atomic_write_text(self.path, hidden, mode=0o644)
            except OSError as error:
                raise _error("turn off", self.path, error) from error


# ---------------------------------------------------------------------------- macOS


class LaunchAgentAutostart:
    """``~/Library/LaunchAgents/<APP_ID>.plist``, loaded by launchd at the next login."""

    def __init__(self, command: Sequence[str], agents_dir: Path | None = None) -> None:
        self.command = list(command)
        folder = Path.home() / "Library" / "LaunchAgents" if agents_dir is None else agents_dir
        self.path = folder / f"{APP_ID}.plist"

    def describe(self) -> str:
        return f"LaunchAgent {self.path}"

    def agent(self) -> dict[str, object]:
        return {
            "Label": APP_ID,
            "ProgramArguments": self.command,
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",  # the GUI session only, not ssh logins
        }

    def _load(self) -> dict[str, object] | None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise _error("read", self.path, error) from error
        try:
            loaded = plistlib.loads(data)
        except Exception:  # launchd ignores a broken plist, and so do we
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def is_enabled(self) -> bool:
        agent = self._load()
        return agent is not None and bool(agent) and agent.get("Disabled") is not True

    def enable(self) -> None:
        agent = self.agent()
        if self._load() == agent:
            return
        try:
            atomic_write_bytes(self.path, plistlib.dumps(agent), mode=0o644)
        except OSError as error:
            raise _error("turn on", self.path, error) from error

    def disable(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            raise _error("turn off", self.path, error) from error


# ---------------------------------------------------------------------------- Windows


class RegistryValues(Protocol):
    """Named values of one HKEY_CURRENT_USER key (a fake in tests, winreg on Windows)."""

    def read(self, name: str) -> str | bytes | None:
        """The value, or None when it (or the key) does not exist."""
        ...

    def write_string(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None:
        """Remove the value; a missing value is not an error."""
        ...


def _winreg() -> Any:
    """The ``winreg`` module, untyped: its stubs exist only when type-checking for Windows."""
    import winreg

    return winreg


class WinRegValues:
    """RegistryValues over ``winreg`` for a key under HKEY_CURRENT_USER (Windows only)."""

    def __init__(self, subkey: str) -> None:
        self.subkey = subkey

    def read(self, name: str) -> str | bytes | None:
        reg = _winreg()
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, self.subkey) as key:
                value, _kind = reg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return value if isinstance(value, str | bytes) else str(value)

    def write_string(self, name: str, value: str) -> None:
        reg = _winreg()
        with reg.CreateKey(reg.HKEY_CURRENT_USER, self.subkey) as key:
            reg.SetValueEx(key, name, 0, reg.REG_SZ, value)

    def delete(self, name: str) -> None:
        reg = _winreg()
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, self.subkey, 0, reg.KEY_SET_VALUE) as key:
                reg.DeleteValue(key, name)
        except FileNotFoundError:
            pass


class RunKeyAutostart:
    """The ``Boundaries`` value under ``HKCU\\...\\CurrentVersion\\Run``.

    Task Manager's Startup tab switches an entry off without removing it: it stores a binary
    value under ``Explorer\\StartupApproved\\Run`` whose first byte is odd. We honour that when
    reading, and clear it when the user turns start at login on again from our Settings.
    """

    def __init__(
        self,
        command: Sequence[str],
        run: RegistryValues,
        approved: RegistryValues | None = None,
    ) -> None:
        self.command = list(command)
        self.run, self.approved = run, approved

    def describe(self) -> str:
        return f"Windows registry HKEY_CURRENT_USER\\{RUN_KEY}, value {RUN_VALUE!r}"

    def command_line(self) -> str:
        return subprocess.list2cmdline(self.command)

    def _where(self) -> str:
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{RUN_VALUE}"

    def is_enabled(self) -> bool:
        try:
            if self.run.read(RUN_VALUE) is None:
                return False
            flag = self.approved.read(RUN_VALUE) if self.approved is not None else None
        except OSError as error:
            raise _error("read", self._where(), error) from error
        return not (isinstance(flag, bytes) and flag[:1] and flag[0] % 2 == 1)

    def enable(self) -> None:
        try:
            if self.run.read(RUN_VALUE) != self.command_line():
                self.run.write_string(RUN_VALUE, self.command_line())
            if self.approved is not None:
                self.approved.delete(RUN_VALUE)
        except OSError as error:
            raise _error("turn on", self._where(), error) from error

    def disable(self) -> None:
        try:
            self.run.delete(RUN_VALUE)
        except OSError as error:
            raise _error("turn off", self._where(), error) from error


# ---------------------------------------------------------------------------- choosing


def autostart_for_platform(
    command: list[str] | None = None, platform: str | None = None
) -> Autostart:
    """The writer for this OS, starting ``command`` (default: this installation)."""
    platform = sys.platform if platform is None else platform
    argv = launch_command(platform=platform) if command is None else command
    if not argv:
        raise ValueError("empty command")
    if platform == "darwin":
        return LaunchAgentAutostart(argv)
    if platform == "win32":
        return RunKeyAutostart(argv, WinRegValues(RUN_KEY), WinRegValues(APPROVED_KEY))
    return XdgAutostart(argv)


def sync_autostart(enabled: bool, autostart: Autostart) -> None:
    """Make start at login match the setting (idempotent; blocking I/O, call from a worker).

    Enabling also rewrites an entry that points at another (older, moved) installation.
    """
    if enabled:
        autostart.enable()
    else:
        autostart.disable()
