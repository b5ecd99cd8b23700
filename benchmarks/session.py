"""The stage every benchmark runs on: Xvfb + trayer + a private D-Bus with the notification
recorder, an X event log, and (on demand) a private keyring and the fake Slack.

Both contestants are started the same way: a fresh process with a fresh config dir, HOME and
XDG folders, through the e2e harness (``harness.launch``/``make_app_env``), with bytecode
caching allowed (an installed wheel has its .pyc files; the e2e env turns writing them off).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e import harness
from tests.e2e.app_under_test import quiet_settings
from tests.fakes import secret_service
from tests.fakes.slack_api import FAKE_TOKEN, FakeSlack

from benchmarks import peers
from benchmarks.xevents import XEventLog

FLOOR_CMD: tuple[str, ...] = (sys.executable, str(Path(__file__).with_name("floor_tray.py")))
KINDS = ("floor", "boundaries")

# For runs that do not test the schedule: no focus block or nudge can fire during the run.
QUIET_SETTINGS = quiet_settings()


@dataclass
class Proc:
    """One started contestant."""

    kind: str
    launched: harness.Launched
    t_exec: float  # time.time() just before the exec
    env: dict[str, str]
    config_dir: Path
    runtime_dir: Path
    _ready: float | None = field(default=None, repr=False)
    _ready_cpu: float | None = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        return self.launched.pid

    def ready_at(self, timeout: float = 30.0) -> float:
        """The unix time the process printed ``BOUNDARIES_READY`` (right after the icon show)."""
        if self._ready is None:
            line = self.launched.wait_for_line("BOUNDARIES_READY", timeout)
            fields = line.split()
            self._ready = float(fields[1])
            self._ready_cpu = float(fields[2]) if len(fields) > 2 else None
        return self._ready

    def ready_cpu(self, timeout: float = 30.0) -> float | None:
        """CPU seconds (all threads) the process had used when it printed the marker.

        Unlike wall time this hardly moves when other sessions load the machine."""
        self.ready_at(timeout)
        return self._ready_cpu

    def gaps(self, since: float = 0.0, until: float = float("inf")) -> list[tuple[float, float]]:
        """(unix time, gap ms) of every event-loop gap the stall probe printed in the window."""
        out = []
        for line in self.launched.stdout().splitlines():
            if line.startswith("BOUNDARIES_GAP "):
                _, at, ms = line.split()
                if since <= float(at) <= until:
                    out.append((float(at), float(ms)))
        return out

    def command(self, request: dict[str, Any], timeout: float = 15.0) -> dict[str, Any]:
        return send_command(self.config_dir / "state", request, timeout, env=self.env)

    def alive(self) -> bool:
        return self.launched.proc.poll() is None


def send_command(
    state_dir: Path,
    request: dict[str, Any],
    timeout: float = 15.0,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One request to the app's command socket (the JSON-lines protocol of ``app.ipc``).

    The socket lives in the app's private folder, found from the app's environment
    (``XDG_RUNTIME_DIR``), under the name derived from its state folder. Retries until the
    app listens, so it can follow a start.
    """
    from boundaries.integrations.private_dir import socket_path

    path = socket_path(state_dir, env=env, create=False)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(max(0.1, deadline - time.monotonic()))
                sock.connect(str(path))
                sock.sendall(json.dumps(request).encode() + b"\n")
                data = b""
                while b"\n" not in data:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            reply: dict[str, Any] = json.loads(data.split(b"\n", 1)[0])
            return reply
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class Bench:
    """Start with ``Bench(workdir)``; ``close()`` stops everything it started."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self._count = 0
        self._procs: list[Proc] = []
        self._keyring: secret_service.SecretServiceSession | None = None
        self.slack: FakeSlack | None = None
        self._system_bus: harness.DBusDaemon | None = None
        self._logind: harness.FakeLogind | None = None
        self.xvfb = harness.start_xvfb(log_path=workdir / "xvfb.log")
        self.display = self.xvfb.display
        self.xev = XEventLog(self.display)
        time.sleep(0.2)  # xev selects the root's events right after it connects
        self.trayer = harness.start_trayer(self.display, workdir / "trayer.log")
        self.xev.wait_for(lambda e: e.kind == "MapNotify", timeout=5)  # proof xev listens
        self.bus = harness.start_dbus(workdir / "bus")
        self.recorder = harness.start_notify_recorder(
            self.bus.address, workdir / "notifications.jsonl"
        )

    # -- contestants
    def launch(
        self,
        kind: str,
        *,
        settings: str | None = QUIET_SETTINGS,
        extra_env: dict[str, str] | None = None,
        faketime_file: Path | None = None,
        prefix: tuple[str, ...] = (),
    ) -> Proc:
        """Start ``kind`` ("floor", "boundaries" or a peer) in fresh folders; returns at once.

        ``prefix`` runs it under another program (valgrind)."""
        self._count += 1
        root = self.workdir / f"{self._count:03d}-{kind}"
        config = root / "config"
        runtime = harness.short_runtime_dir()
        env = harness.make_app_env(
            display=self.display,
            bus_address=self.bus.address,
            config_dir=config,
            home=root / "home",
            runtime_dir=runtime,
            extra={"BOUNDARIES_BENCH": "1", "PYTHONDONTWRITEBYTECODE": "", **(extra_env or {})},
        )
        if faketime_file is not None:
            env.update(harness.faketime_env(faketime_file))
        if settings is not None and kind in KINDS:
            (config / "settings.toml").write_text(settings, encoding="utf-8")
        if kind in peers.PEERS:
            args = peers.PEERS[kind]
            env["DBUS_SYSTEM_BUS_ADDRESS"] = self.bus.address  # Safe Eyes needs one
        else:
            args = FLOOR_CMD if kind == "floor" else harness.BOUNDARIES_CMD
        self.xev.forget()
        t_exec = time.time()
        launched = harness.launch((*prefix, *args), env, root / "logs", name=kind)
        proc = Proc(kind, launched, t_exec, env, config, runtime)
        self._procs.append(proc)
        return proc

    def stop(self, proc: Proc) -> None:
        harness.stop(proc.launched.proc)
        shutil.rmtree(proc.runtime_dir, ignore_errors=True)

    def cli(self, proc: Proc, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        """``boundaries ARGS`` with the contestant's environment (its config dir and bus)."""
        return subprocess.run(
            [*harness.BOUNDARIES_CMD, *args],
            env=proc.env,
            cwd=harness.REPO_ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )

    # -- Slack: a private keyring on the bus and the fake Web API
    def start_slack(self) -> FakeSlack:
        """gnome-keyring (Secret Service) on the bench bus, unlocked, and the fake Slack."""
        missing = secret_service.available()
        if missing:
            raise RuntimeError(missing)
        session = secret_service.SecretServiceSession().start(15.0, bus_address=self.bus.address)
        self._keyring = session
        self.slack = FakeSlack().start()
        return self.slack

    def slack_settings(self) -> str:
        assert self.slack is not None
        return QUIET_SETTINGS + f'\n[slack]\nenabled = true\napi_url = "{self.slack.url}"\n'

    def login(self, proc: Proc) -> None:
        """Store the fake token in the keyring the way a user does (``boundaries slack login``)."""
        done = self.cli(proc, "slack", "login", stdin=FAKE_TOKEN + "\n")
        if done.returncode != 0:
            raise RuntimeError(f"slack login failed: {done.stderr}")

    def stop_slack(self) -> None:
        if self.slack is not None:
            self.slack.stop()
            self.slack = None
        if self._keyring is not None:
            self._keyring.stop()
            self._keyring = None

    # -- logind: a system bus of its own with the fake logind on it (no systemd here)
    def start_logind(self) -> harness.FakeLogind:
        """The fake logind (started once); give a contestant ``DBUS_SYSTEM_BUS_ADDRESS`` =
        its ``system_bus`` and it hears ``PrepareForSleep`` from there."""
        if self._logind is None:
            self._system_bus = harness.start_dbus(self.workdir / "system-bus")
            self._logind = harness.start_logind(
                self._system_bus.address, self.workdir / "logind.stderr.log"
            )
        return self._logind

    def close(self) -> None:
        for proc in reversed(self._procs):
            self.stop(proc)
        self.stop_slack()
        if self._logind is not None:
            harness.stop(self._logind.proc)
        if self._system_bus is not None:
            harness.stop(self._system_bus.proc)
        self.xev.stop()
        for server in (self.recorder.proc, self.bus.proc, self.trayer.proc, self.xvfb.proc):
            harness.stop(server)


def set_offset(clock_file: Path, seconds: int) -> None:
    """Write the faketime offset atomically (the app must never read half a number)."""
    tmp = clock_file.with_suffix(".tmp")
    tmp.write_text(f"{seconds:+d}\n")
    os.replace(tmp, clock_file)
