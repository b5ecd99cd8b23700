"""Where settings and state live: --config-dir, then BOUNDARIES_CONFIG_DIR, then platformdirs.

One override moves both folders (state goes to ``<dir>/state``), so tests, scripts and a second
profile never touch the real user's files. Nothing here creates a folder: resolving a path must
be free of side effects (``boundaries status`` should not leave empty folders behind); whoever
writes a file creates its folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "boundaries"
CONFIG_DIR_ENV = "BOUNDARIES_CONFIG_DIR"
STATE_SUBDIR = "state"
# Files in the state folder whose presence at start means held nudges or a silenced desktop
# are waiting (so those features load at start only then).
HELD_NUDGES_FILE = "held-nudges.json"
DESKTOP_SILENCE_JOURNAL = "desktop-silence.json"


@dataclass(frozen=True)
class AppDirs:
    """The settings folder (``settings.toml``) and the state folder (history, restore data)."""

    config: Path
    state: Path
    # The user's own profile (no --config-dir / BOUNDARIES_CONFIG_DIR): only this one may
    # change machine-wide things such as start at login.
    is_default: bool = False


def resolve_dirs(
    config_dir: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> AppDirs:
    """The folders to use; the argument wins over the environment, which wins over defaults.

    An empty argument or variable counts as unset. ``~`` is expanded and the result made
    absolute, so the single-instance lock derived from it is the same from any working folder.
    """
    environ = os.environ if env is None else env
    chosen: str | os.PathLike[str] | None = config_dir
    if chosen is None or os.fspath(chosen) == "":
        chosen = environ.get(CONFIG_DIR_ENV) or None
    if chosen is not None:
        base = Path(chosen).expanduser().absolute()
        return AppDirs(config=base, state=base / STATE_SUBDIR)
    # appauthor=False: no "boundaries\boundaries" nesting on Windows.
    return AppDirs(
        config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        state=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
        is_default=True,
    )
