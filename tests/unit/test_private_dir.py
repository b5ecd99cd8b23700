"""The command socket's folder: private to the user, checked before use, short enough."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from boundaries.app.ipc import _lock_pid, _peer_problem
from boundaries.integrations.private_dir import (
    SOCKET_PATH_MAX,
    UnsafeFolder,
    problem_with,
    socket_folder,
    socket_path,
    socket_problem,
)

OTHER_UID = 40_002


def private(path: Path) -> Path:
    path.mkdir(mode=0o700)
    return path


def test_the_runtime_dir_is_used_when_it_is_private(tmp_path: Path) -> None:
    runtime = private(tmp_path / "rt")
    assert socket_folder({"XDG_RUNTIME_DIR": str(runtime)}) == runtime


@pytest.mark.parametrize("mode", [0o755, 0o777, 0o1777])
def test_a_runtime_dir_others_can_enter_is_skipped(tmp_path: Path, mode: int) -> None:
    runtime = private(tmp_path / "rt")
    runtime.chmod(mode)
    shared = tmp_path / "tmp"
    shared.mkdir()
    folder = socket_folder({"XDG_RUNTIME_DIR": str(runtime), "TMPDIR": str(shared)})
    assert folder == shared / f"boundaries-{os.getuid()}"
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_runtime_dir_too_deep_for_a_socket_path_is_skipped(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True, mode=0o700)
    deep.chmod(0o700)
    env = {"XDG_RUNTIME_DIR": str(deep), "TMPDIR": str(tmp_path)}
    path = socket_path(tmp_path / "state", env)
    assert path.parent == tmp_path / f"boundaries-{os.getuid()}"
    assert len(os.fsencode(path)) <= SOCKET_PATH_MAX or len(os.fsencode(tmp_path)) > 60


def test_a_fallback_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    squatted = private(tmp_path / f"boundaries-{os.getuid()}")
    os.chown(squatted, OTHER_UID, OTHER_UID)  # the tests run as root: another user's folder
    with pytest.raises(UnsafeFolder, match=f"belongs to user {OTHER_UID}"):
        socket_folder({"TMPDIR": str(tmp_path)})
    with pytest.raises(UnsafeFolder):
        socket_folder({"TMPDIR": str(tmp_path)}, create=False)


def test_a_fallback_folder_others_can_enter_or_a_symlink_is_refused(tmp_path: Path) -> None:
    folder = private(tmp_path / f"boundaries-{os.getuid()}")
    folder.chmod(0o777)
    with pytest.raises(UnsafeFolder, match="can be entered by other users"):
        socket_folder({"TMPDIR": str(tmp_path)})
    folder.rmdir()
    elsewhere = private(tmp_path / "elsewhere")
    folder.symlink_to(elsewhere)
    assert "symbolic link" in problem_with(folder)
    with pytest.raises(UnsafeFolder, match="symbolic link"):
        socket_folder({"TMPDIR": str(tmp_path)})


def test_asking_creates_no_folder(tmp_path: Path) -> None:
    folder = socket_folder({"TMPDIR": str(tmp_path)}, create=False)
    assert not folder.exists()


def test_a_socket_file_of_another_user_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        assert socket_problem(path) == ""
        os.chown(path, OTHER_UID, OTHER_UID)
        assert f"belongs to user {OTHER_UID}" in socket_problem(path)
    finally:
        server.close()
    regular = tmp_path / "file"
    regular.write_text("")
    assert "is not a socket" in socket_problem(regular)


def test_the_server_process_is_checked_with_its_credentials() -> None:
    mine, theirs = socket.socketpair(socket.AF_UNIX)
    try:
        assert _peer_problem(mine.fileno()) == ""
        assert f"belongs to user {os.getuid()}, not to you ({OTHER_UID})" in _peer_problem(
            mine.fileno(), uid=OTHER_UID
        )
        mine.sendall(b"still open")  # the check closed only its own duplicate
        assert theirs.recv(20) == b"still open"
    finally:
        mine.close()
        theirs.close()


@pytest.mark.parametrize(
    ("content", "pid"),
    [(b"", None), (b"\x00\x00garbage", None), (b"-3\n", None), (b"1234\nboundaries\nhost\n", 1234)],
)
def test_lock_file_pid(tmp_path: Path, content: bytes, pid: int | None) -> None:
    lock = tmp_path / "boundaries.lock"
    lock.write_bytes(content)
    assert _lock_pid(lock) == pid


def test_a_history_file_left_0644_by_an_older_version_becomes_private(tmp_path: Path) -> None:
    from boundaries.integrations.history import History

    old = tmp_path / "history.sqlite3"
    old.touch()
    old.chmod(0o644)
    history = History(tmp_path)
    history.open()
    history.close()
    assert old.stat().st_mode & 0o777 == 0o600


def test_main_makes_files_private_and_leaves_the_callers_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from boundaries.cli import main

    monkeypatch.setenv("BOUNDARIES_CONFIG_DIR", str(tmp_path / "config"))
    before = os.umask(0o022)
    try:
        (tmp_path / "team.csv").write_text("name,timezone\nAna,UTC\n")
        assert main(["team", "import", str(tmp_path / "team.csv"), "--yes"]) == 0
        assert os.umask(0o022) == 0o022
    finally:
        os.umask(before)
    assert (tmp_path / "config").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "config" / "settings.toml").stat().st_mode & 0o777 == 0o600
    capsys.readouterr()
