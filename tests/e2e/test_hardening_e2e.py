"""The real app against a careless or hostile world: damaged state, clocks going back, signals,
squatted sockets, stale locks, a flood of idle connections."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import harness
from tests.e2e.app_under_test import cli, set_clock, start_app, status, write_settings
from tests.e2e.conftest import NotificationsView, Started
from tests.e2e.harness import Launched, Trayer
from tests.e2e.test_slack_e2e import cli as slack_cli
from tests.e2e.test_slack_e2e import keyring_on_bus  # noqa: F401 - a fixture used below
from tests.e2e.test_slack_e2e import write_settings as write_slack_settings
from tests.fakes.slack_api import FAKE_TOKEN, FakeSlack

pytestmark = pytest.mark.e2e

SEND = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from boundaries.app.ipc import send_command
app = QCoreApplication(sys.argv[:1])
print(json.dumps(send_command(Path(sys.argv[1]), json.loads(sys.argv[2]))))
"""


WHERE = """
import sys
from pathlib import Path
from boundaries.app.ipc import server_name
print(server_name(Path(sys.argv[1])))
"""


STATUS = {"version": 1, "command": "status"}


def state_dir(env: dict[str, str]) -> Path:
    return Path(env["BOUNDARIES_CONFIG_DIR"]) / "state"


def send(env: dict[str, str], request: dict[str, Any]) -> Any:
    """One raw protocol request, as any local program could send it (not via the CLI)."""
    done = harness.run([sys.executable, "-c", SEND, str(state_dir(env)), json.dumps(request)], env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def summaries(notifications: NotificationsView) -> list[str]:
    return [n["summary"] for n in notifications.all()]


# ---------------------------------------------------------------- row 4: the state file


def test_a_state_file_from_year_9999_is_repaired_once_and_kept_as_a_copy(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    start_boundaries: Callable[..., Started],
    notifications: NotificationsView,
) -> None:
    folder = state_dir(app_env)
    folder.mkdir(parents=True)
    damaged = json.dumps({"mode": "signed_off", "back_at": "9999-12-31T23:59:59+00:00"})
    (folder / "state.json").write_text(damaged)

    app = start_boundaries().app
    note = notifications.wait_for(lambda n: n["summary"] == "Saved state repaired", timeout=20)
    assert "back_at" in note["body"] and "9999" in note["body"]
    copies = list(folder.glob("state.json.broken-*"))
    assert [c.read_text() for c in copies] == [damaged]
    assert str(copies[0]) in note["body"]
    assert status(app_env)["state"] != "signed_off"
    harness.stop(app.proc)

    again = start_app(launch, app_env, trayer.display)
    status(app_env)
    assert summaries(notifications) == ["Saved state repaired"]  # told once
    assert again.proc.poll() is None
    assert "Traceback" not in app.stderr() + again.stderr()


def test_a_snooze_of_millennia_over_the_socket_is_refused_and_not_stored(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    start_boundaries: Callable[..., Started],
) -> None:
    app = start_boundaries().app
    reply = send(app_env, {"version": 1, "command": "snooze", "args": {"minutes": 4_193_435_804}})
    assert reply["ok"] is False
    status(app_env)  # a round trip: any state write has been queued before this
    harness.stop(app.proc)
    saved = json.loads((state_dir(app_env) / "state.json").read_text())
    assert saved.get("snoozed_until") is None

    again = start_app(launch, app_env, trayer.display)
    assert status(app_env)["state"] in ("idle", "focusing")
    assert again.proc.poll() is None, again.output()


# ---------------------------------------------------------------- row 9: once per workday


def test_clock_going_back_after_the_nudge_does_not_repeat_it_nor_does_a_restart(
    trayer: Trayer,
    launch: Callable[..., Launched],
    start_boundaries: Callable[..., Started],
    notifications: NotificationsView,
) -> None:
    app, env, clock = start_boundaries(at="2026-11-24 17:29:56")  # a Tuesday
    notifications.wait_for(lambda n: n["summary"] == "Time to sign off", timeout=20)

    set_clock(clock, "2026-11-24 15:30:00")  # NTP fix or a manual change: two hours back
    send(env, {"version": 1, "command": "wake"})
    set_clock(clock, "2026-11-24 17:29:59")  # time catches up past the heads-up
    send(env, {"version": 1, "command": "wake"})
    set_clock(clock, "2026-11-24 18:00:30")  # ...past the sign-off, to the first escalation
    send(env, {"version": 1, "command": "wake"})
    notifications.wait_for(lambda n: n["summary"].startswith("Still working, 30"), timeout=15)
    assert summaries(notifications) == [
        "Time to sign off",
        "Still working, 30 min past sign-off",
    ], app.output()

    harness.stop(app.proc)  # a restart, with the clock back again
    set_clock(clock, "2026-11-24 17:29:58")
    again = start_app(launch, env, trayer.display)
    set_clock(clock, "2026-11-24 17:30:30")
    send(env, {"version": 1, "command": "wake"})
    set_clock(clock, "2026-11-24 18:30:30")
    send(env, {"version": 1, "command": "wake"})
    notifications.wait_for(lambda n: n["summary"].startswith("Still working, 60"), timeout=15)
    assert summaries(notifications) == [
        "Time to sign off",
        "Still working, 30 min past sign-off",
        "Still working, 60 min past sign-off",
    ], again.output()
    cli(env, "status")


# ---------------------------------------------------------------- rows 1, 3, 7: socket and lock

VICTIM, ATTACKER = 40_001, 40_002  # uids without a passwd entry: the tests run as root

FAKE_SERVER = """
import json, os, socket, sys
path, log = sys.argv[1], sys.argv[2]
server = socket.socket(socket.AF_UNIX)
server.bind(path)
os.chmod(path, 0o777)
server.listen(8)
print("READY", flush=True)
while True:
    conn, _ = server.accept()
    with open(log, "a") as out:
        out.write(conn.recv(4096).decode(errors="replace"))
    status = {"state": "ATTACKER", "now": "x", "timezone": "x", "focus_blocks": [],
              "signoff": None, "next_event": None}
    conn.sendall(json.dumps({"ok": True, "status": status}).encode() + b"\\n")
    conn.close()
"""


SYSTEM_PYTHON = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")


class Users:
    """Processes run as other local users, in a folder both may reach (under /tmp).

    Our interpreter may live under root's private home; the system's Python of the same
    version runs the app for them, with our source and site-packages on ``PYTHONPATH``.
    """

    python = str(SYSTEM_PYTHON)

    def __init__(self, artifacts: Path) -> None:
        import site
        import tempfile

        # addsitedir runs the .pth files there: the editable install maps boundaries.resources.
        dirs = site.getsitepackages()
        self.boot = "".join(f"import site; site.addsitedir({d!r})\n" for d in dirs)
        self.app = (
            self.python,
            "-c",
            self.boot + "import runpy; runpy.run_module('boundaries', run_name='__main__')",
        )
        self.pythonpath = str(harness.REPO_ROOT)

        self.base = Path(tempfile.mkdtemp(prefix="bnd-u-", dir="/tmp"))
        self.base.chmod(0o755)
        self.artifacts = artifacts
        self.procs: list[Any] = []

    def folder(self, name: str, uid: int, mode: int = 0o700) -> Path:
        path = self.base / name
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(mode)
        os.chown(path, uid, uid)
        return path

    def env(self, uid: int, runtime: Path | None, tmpdir: Path | None = None) -> dict[str, str]:
        home = self.folder(f"home-{uid}", uid)
        env = harness.make_app_env(
            display=":0",
            bus_address="",
            config_dir=home / "config",
            home=home,
            runtime_dir=runtime or home / "unused-rt",
        )
        for path in (home / "config",):
            os.chown(path, uid, uid)
        env["QT_QPA_PLATFORM"] = "offscreen"  # no X or D-Bus as another user
        for key in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY"):
            env.pop(key)
        if runtime is None:
            env.pop("XDG_RUNTIME_DIR")
        if tmpdir is not None:
            env["TMPDIR"] = str(tmpdir)
        env["PYTHONPATH"] = self.pythonpath
        return env

    def start(self, uid: int, args: list[str], env: dict[str, str], name: str) -> Any:
        import subprocess

        out = (self.artifacts / f"{name}.stdout.log").open("wb")
        err = (self.artifacts / f"{name}.stderr.log").open("wb")
        proc = subprocess.Popen(
            args,
            env=env,
            cwd=harness.REPO_ROOT,
            stdout=out,
            stderr=err,
            user=uid,
            group=uid,
            stdin=subprocess.DEVNULL,
        )
        self.procs.append(proc)
        return proc

    def run(self, uid: int, args: list[str], env: dict[str, str]) -> Any:
        import subprocess

        return subprocess.run(
            args,
            env=env,
            cwd=harness.REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=30,
            user=uid,
            group=uid,
            stdin=subprocess.DEVNULL,
        )

    def close(self) -> None:
        import shutil

        for proc in self.procs:
            harness.stop(proc)
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture
def users(artifacts_dir: Path) -> Any:
    if os.getuid() != 0 or not SYSTEM_PYTHON.exists():
        pytest.skip(f"needs root (to act as two other users) and {SYSTEM_PYTHON}")
    u = Users(artifacts_dir)
    yield u
    u.close()


def fake_server(users: Users, path: Path) -> Path:
    log = users.base / "attacker.log"
    log.touch()
    log.chmod(0o666)
    proc = users.start(
        ATTACKER,
        [users.python, "-c", FAKE_SERVER, str(path), str(log)],
        {"PATH": os.environ["PATH"]},
        "attacker",
    )
    harness.wait_for(lambda: path.exists() or proc.poll() is not None, message="attacker up")
    assert proc.poll() is None
    return log


def app_answers(users: Users, uid: int, env: dict[str, str]) -> bool:
    state = Path(env["BOUNDARIES_CONFIG_DIR"]) / "state"
    asking = json.dumps(STATUS)
    done = users.run(uid, [users.python, "-c", users.boot + SEND, str(state), asking], env)
    return done.returncode == 0 and json.loads(done.stdout) is not None


def old_socket_name(env: dict[str, str]) -> Path:
    import hashlib

    state = (Path(env["BOUNDARIES_CONFIG_DIR"]) / "state").resolve()
    return Path("/tmp") / f"boundaries-{hashlib.sha256(str(state).encode()).hexdigest()[:16]}"


def test_another_user_squatting_the_old_tmp_name_gets_no_commands(users: Users) -> None:
    runtime = users.folder("rt-victim", VICTIM)
    env = users.env(VICTIM, runtime)
    squatted = old_socket_name(env)
    log = fake_server(users, squatted)
    try:
        users.start(VICTIM, [*users.app], env, "victim-app")
        harness.wait_for(
            lambda: app_answers(users, VICTIM, env),
            timeout=30,
            message="the victim's app to answer",
        )
        shown = users.run(VICTIM, [*users.app, "status"], env)
        assert "ATTACKER" not in shown.stdout and shown.returncode == 0, shown
        focus = users.run(VICTIM, [*users.app, "focus", "50"], env)
        assert focus.returncode == 0 and "state: focusing" in focus.stdout, focus
        assert log.read_text() == ""  # the attacker heard nothing
        assert list(runtime.iterdir()), "the socket is in the victim's runtime folder"
    finally:
        squatted.unlink(missing_ok=True)


def test_a_socket_folder_made_by_another_user_is_refused_by_app_and_cli(users: Users) -> None:
    from boundaries.integrations.private_dir import socket_name

    shared = users.folder("shared-tmp", 0, 0o1777)  # like /tmp
    env = users.env(VICTIM, None, tmpdir=shared)
    squat_dir = users.folder(f"shared-tmp/boundaries-{VICTIM}", ATTACKER, 0o777)
    state = Path(env["BOUNDARIES_CONFIG_DIR"]) / "state"
    log = fake_server(users, squat_dir / socket_name(state))
    old = old_socket_name(env)
    fake_server(users, old)  # and the old name too, so the unfixed app is caught either way
    try:
        app = users.start(VICTIM, [*users.app], env, "victim-app")
        err = users.artifacts / "victim-app.stderr.log"
        harness.wait_for(
            lambda: "Commands from `boundaries ...` are off" in err.read_text(),
            timeout=30,
            message=lambda: err.read_text(),
        )
        assert f"belongs to user {ATTACKER}" in err.read_text()
        focus = users.run(VICTIM, [*users.app, "focus", "50"], env)
        assert focus.returncode == 1, focus
        assert f"not talking to the app: {squat_dir} belongs to user {ATTACKER}" in focus.stderr
        assert log.read_text() == ""
        assert app.poll() is None  # the app keeps running without commands
    finally:
        old.unlink(missing_ok=True)


LOCK_PID_REUSED = "PID_OF_UNRELATED"
# An unrelated Python program, alive, whose PID the lock names exactly as Qt writes a lock
# (PID, process name "python3.x", host, boot id): what a reboot that reuses the PID leaves.
UNRELATED = """
import os, sys, time
from PySide6.QtCore import QLockFile
scratch = sys.argv[1] + ".scratch"
lock = QLockFile(scratch)
assert lock.tryLock(0)
data = open(scratch, "rb").read()
lock.unlock()
tmp = sys.argv[1] + ".tmp"
open(tmp, "wb").write(data)
os.utime(tmp, (1_700_000_000, 1_700_000_000))
os.replace(tmp, sys.argv[1])
print("READY", flush=True)
time.sleep(120)  # alive (its pid the lock's) until the test stops it
"""


@pytest.mark.parametrize("content", ["", "\x00\x17garbage\xff", LOCK_PID_REUSED])
def test_a_stale_lock_from_a_power_loss_or_a_reused_pid_is_taken_over(
    trayer: Trayer,
    app_env: dict[str, str],
    launch: Callable[..., Launched],
    start_boundaries: Callable[..., Started],
    content: str,
) -> None:
    folder = state_dir(app_env)
    folder.mkdir(parents=True)
    lock = folder / "boundaries.lock"
    if content == LOCK_PID_REUSED:
        other = launch([sys.executable, "-c", UNRELATED, str(lock)], app_env, "unrelated")
        other.wait_for_line("READY", timeout=20)
        assert lock.read_text().split("\n")[0] == str(other.pid)
    else:
        lock.write_bytes(content.encode("utf-8", "surrogateescape"))
        os.utime(lock, (1_700_000_000, 1_700_000_000))  # written long ago
    app = start_boundaries().app
    app.expect_stderr("taking over the stale lock")
    assert status(app_env)["state"] in ("idle", "focusing")
    assert lock.read_text().split("\n")[0] == str(app.pid)


def test_a_state_folder_that_cannot_be_written_is_named_as_the_cause(users: Users) -> None:
    env = users.env(VICTIM, users.folder("rt-victim", VICTIM))
    state = Path(env["BOUNDARIES_CONFIG_DIR"]) / "state"
    state.mkdir()
    os.chown(state, VICTIM, VICTIM)
    state.chmod(0o500)  # read-only for its owner
    done = users.run(VICTIM, [*users.app], env)
    assert done.returncode == 1
    assert "does not answer" not in done.stderr
    assert f"cannot create the lock file {state / 'boundaries.lock'}" in done.stderr
    assert "cannot be written (Permission denied)" in done.stderr


def test_the_loser_of_a_start_race_opens_the_winners_settings(
    trayer: Trayer, app_env: dict[str, str], launch: Callable[..., Launched]
) -> None:
    write_settings(app_env)
    first = launch([*harness.BOUNDARIES_CMD], app_env, name="first")
    second = launch([*harness.BOUNDARIES_CMD], app_env, name="second")
    loser = harness.wait_for(
        lambda: next((p for p in (first, second) if p.proc.poll() is not None), None),
        timeout=40,
        message="one of the two starts to give way",
    )
    assert loser.proc.returncode == 0, loser.output()
    assert "already running" in loser.stdout()
    winner = second if loser is first else first
    assert winner.proc.poll() is None


def test_a_thousand_idle_connections_leave_the_app_reachable(
    trayer: Trayer, app_env: dict[str, str], launch: Callable[..., Launched]
) -> None:
    import socket as pysocket

    write_settings(app_env)
    app = launch(["prlimit", "--nofile=1024:1024", *harness.BOUNDARIES_CMD], app_env, "app")
    harness.tray_icon(trayer.display, timeout=30)
    harness.wait_for(lambda: send(app_env, STATUS) is not None, timeout=20)
    where = harness.run(  # asked the way the CLI asks, in the app's environment
        [sys.executable, "-c", WHERE, str(state_dir(app_env))], app_env
    )
    name = where.stdout.strip()
    path = name if name.startswith("/") else f"/tmp/{name}"  # Qt's place for a bare name
    idle: list[pysocket.socket] = []

    def flood() -> bool:
        """More connections than the app has descriptors (1024); none of them says a word."""
        while len(idle) < 1100:
            sock = pysocket.socket(pysocket.AF_UNIX)
            sock.setblocking(False)
            if sock.connect_ex(path) != 0:  # the backlog is full: let the app accept some
                sock.close()
                return False
            idle.append(sock)
        return True

    with contextlib.suppress(TimeoutError):  # the app stopped accepting: caught below
        harness.wait_for(flood, timeout=30, interval=0.01)
    try:
        reply = send(app_env, STATUS)
        assert reply is not None and reply["ok"] is True, f"{len(idle)} idle; {reply}"
        cli(app_env, "focus", "25")
        assert status(app_env)["state"] == "focusing"
    finally:
        for sock in idle:
            sock.close()
    assert send(app_env, STATUS)["ok"] is True
    assert app.proc.poll() is None, app.output()


# ---------------------------------------------------------------- row 10: signals


def where_socket(env: dict[str, str]) -> Path:
    done = harness.run([sys.executable, "-c", WHERE, str(state_dir(env))], env)
    return Path(done.stdout.strip())


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_quit_signal_runs_the_normal_shutdown(
    app_env: dict[str, str], start_boundaries: Callable[..., Started], signum: int
) -> None:
    app = start_boundaries().app
    cli(app_env, "focus", "25")
    socket_file = where_socket(app_env)
    assert socket_file.exists()
    app.proc.send_signal(signum)
    assert app.proc.wait(timeout=10) == 0, app.output()
    assert not (state_dir(app_env) / "boundaries.lock").exists()
    assert not socket_file.exists()
    saved = json.loads((state_dir(app_env) / "state.json").read_text())
    assert saved["mode"] == "focusing"


@pytest.mark.usefixtures("keyring_on_bus")
def test_sigterm_while_slack_hangs_exits_at_once_and_the_journal_keeps_what_slack_needs(
    app_env: dict[str, str],
    fake_slack: FakeSlack,
    launch: Callable[..., Launched],
) -> None:
    env = dict(app_env)
    config = Path(env["BOUNDARIES_CONFIG_DIR"])
    write_slack_settings(config, fake_slack.url)
    assert slack_cli(env, "slack", "login", stdin=FAKE_TOKEN + "\n").returncode == 0
    fake_slack.fail_next("hang", times=10, method="users.profile.set", delay=120)
    app = launch([*harness.BOUNDARIES_CMD], env, name="boundaries")
    harness.wait_for(lambda: send(env, STATUS) is not None, timeout=30, message=app.output)
    cli(env, "focus", "5")
    journal = state_dir(env) / "slack-journal.json"
    harness.wait_for(
        lambda: fake_slack.calls("users.profile.set") and journal.exists(),
        timeout=20,
        message=lambda: f"the status call to hang\n{app.output()}",
    )
    app.proc.send_signal(signal.SIGTERM)
    assert app.proc.wait(timeout=5) == 0, app.output()  # the hang lasts 120 s
    assert not (state_dir(env) / "boundaries.lock").exists()
    assert json.loads(journal.read_text())  # the next start restores Slack from it
    fake_slack.clear_faults()


# ---------------------------------------------------------------- row 11: private files


def test_every_file_boundaries_writes_is_private(
    app_env: dict[str, str], start_boundaries: Callable[..., Started]
) -> None:
    import stat

    config = Path(app_env["BOUNDARIES_CONFIG_DIR"])
    folder = state_dir(app_env)
    folder.mkdir(mode=0o755)  # as an older version left it
    folder.chmod(0o755)
    app = start_boundaries().app
    cli(app_env, "focus", "5")
    cli(app_env, "signoff")  # the history gets a row
    harness.wait_for(lambda: (folder / "history.sqlite3").exists(), message="the history file")
    harness.stop(app.proc)
    cli(app_env, "team", "export", str(config / "team.toml"))  # a file to share: not checked
    found = {}
    for path in [folder, *config.rglob("*")]:
        if path.name in ("settings.toml", "team.toml"):  # written by this test
            continue
        found[str(path.relative_to(config))] = stat.S_IMODE(path.lstat().st_mode)
    assert "state/history.sqlite3" in found and "state/state.json" in found
    assert {name: oct(mode) for name, mode in found.items() if mode & 0o077} == {}
