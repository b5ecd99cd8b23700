"""Where the command socket lives: a folder only this user can enter, checked before use.

A fixed name in ``/tmp`` can be created first by another local user, who then answers the
victim's commands. So the socket goes in ``$XDG_RUNTIME_DIR`` when that is a folder of ours with
mode 0700 (the XDG spec's promise), else in ``<tmp>/boundaries-<uid>``, created 0700 and, like
tmux does, refused unless it is a real folder owned by us that nobody else can enter. A Unix
socket path holds about 108 bytes (104 on macOS): a runtime folder too deep for that is skipped.
"""

from __future__ import annotations

import os
import stat
import tempfile
import zlib
from collections.abc import Mapping
from pathlib import Path

SOCKET_PATH_MAX = 100  # bytes; below both 108 (Linux) and 104 (macOS) with room for Qt's ".lock"
_NAME_BYTES = len("boundaries-0123456789abcdef")


class UnsafeFolder(Exception):
    """The socket folder may be controlled by someone else; ``str()`` says why and what to do."""


def socket_name(state_dir: Path) -> str:
    """The socket's file name: one per state folder, so separate profiles run side by side."""
    # A name, not a secret: zlib, because hashlib loads OpenSSL (~3.4 MiB resident at start).
    key = str(state_dir.resolve()).encode("utf-8")
    return f"boundaries-{zlib.crc32(key):08x}{zlib.adler32(key):08x}"


def problem_with(folder: Path, uid: int | None = None) -> str:
    """Why ``folder`` is not private to ``uid`` (empty when it is): owner, mode, symlink."""
    uid = os.getuid() if uid is None else uid
    try:
        info = os.lstat(folder)
    except OSError as error:
        return f"{folder} cannot be checked ({error.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return f"{folder} is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return f"{folder} is not a folder"
    if info.st_uid != uid:
        return f"{folder} belongs to user {info.st_uid}, not to you ({uid})"
    if info.st_mode & 0o077:
        return f"{folder} can be entered by other users (mode {stat.S_IMODE(info.st_mode):o})"
    return ""


def socket_folder(env: Mapping[str, str] | None = None, *, create: bool = True) -> Path:
    """The private folder for the socket; raises :class:`UnsafeFolder` if it is not private.

    ``create=False`` (the command line asking) never makes a folder.
    """
    environ = os.environ if env is None else env
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime):
        folder = Path(runtime)
        fits = len(os.fsencode(folder)) + 1 + _NAME_BYTES <= SOCKET_PATH_MAX
        if fits and not problem_with(folder):
            return folder
    base = Path(environ.get("TMPDIR") or tempfile.gettempdir())
    folder = base / f"boundaries-{os.getuid()}"
    if create:
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
        except OSError as error:
            raise UnsafeFolder(f"cannot create {folder} for commands: {error.strerror}") from error
    elif not os.path.lexists(folder):
        return folder  # nothing there: no app is listening
    problem = problem_with(folder)
    if problem:
        raise UnsafeFolder(
            f"{problem}; Boundaries keeps its command socket only in a folder private to you. "
            f"Remove {folder} (or set XDG_RUNTIME_DIR to a private folder) and start again."
        )
    return folder


def socket_path(
    state_dir: Path, env: Mapping[str, str] | None = None, *, create: bool = True
) -> Path:
    """Where the app for ``state_dir`` listens (see :func:`socket_folder`)."""
    return socket_folder(env, create=create) / socket_name(state_dir)


def socket_problem(path: Path, uid: int | None = None) -> str:
    """Why an existing socket file must not be trusted (empty when it may): owner and kind."""
    uid = os.getuid() if uid is None else uid
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return ""
    except OSError as error:
        return f"{path} cannot be checked ({error.strerror})"
    if not stat.S_ISSOCK(info.st_mode):
        return f"{path} is not a socket"
    if info.st_uid != uid:
        return f"{path} belongs to user {info.st_uid}, not to you ({uid})"
    return ""


# Files 0600, folders 0700: settings may hold a pasted token, and the history is private.
PRIVATE_UMASK = 0o077


def private_umask() -> int | None:
    """Everything this process creates from now on is private to the user (sqlite's files too).

    Returns the umask it replaced (None where there is none).
    """
    if os.name != "posix":
        return None
    previous = os.umask(PRIVATE_UMASK)
    os.umask(previous | PRIVATE_UMASK)
    return previous


def make_private(path: Path) -> None:
    """Take group and other access off ``path`` (one of ours made by an older version)."""
    try:
        info = os.lstat(path)
        if info.st_uid == os.getuid() and info.st_mode & 0o077 and not stat.S_ISLNK(info.st_mode):
            os.chmod(path, stat.S_IMODE(info.st_mode) & ~0o077)
    except (OSError, AttributeError):  # gone, not ours to change, or no getuid (Windows)
        pass
