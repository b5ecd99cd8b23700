"""The one-folder PyInstaller build: it runs without Python installed, CLI and tray app alike.

Builds with packaging/boundaries.spec into a temporary folder (about 15-20 s), then runs the
frozen `boundaries --version` and `status --json`, checks the bundled resources, and starts the
frozen tray app (offscreen Qt) to drive it over IPC: that exercises Qt, the command socket (the
app's Unix socket, QtNetwork's local socket in the CLI) and APScheduler inside the bundle, the
parts PyInstaller could silently leave out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import boundaries
from tests.packaging.conftest import RESOURCE_FILES, RESOURCES, ROOT, require_module

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/boundaries/ built from the spec; its executable."""
    require_module("PyInstaller")
    out = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level=WARN",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "build"),
            str(ROOT / "packaging" / "boundaries.spec"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=out,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "dist" / "boundaries" / "boundaries"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A private profile, home and (absent) session bus: the frozen app touches nothing real."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    environ.update(
        BOUNDARIES_CONFIG_DIR=str(tmp_path / "profile"),
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "home" / ".config"),
        DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path / 'no-bus'}",
        QT_QPA_PLATFORM="offscreen",
        PATH="/usr/bin:/bin",  # no venv python to fall back on
    )
    return environ


# An instant that is outside every default focus block, whenever the tests run.
SATURDAY = "2026-11-28T12:00:00+00:00"


def _run(bundle: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle), *args], capture_output=True, text=True, timeout=60, env=env, cwd=env["HOME"]
    )


def test_frozen_cli_answers(bundle: Path, env: dict[str, str]) -> None:
    Path(env["HOME"]).mkdir()
    version = _run(bundle, env, "--version")
    assert version.stdout.strip() == f"boundaries {boundaries.__version__}", version.stderr

    status = _run(bundle, env, "status", "--json", "--at", SATURDAY)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["state"] == "idle"


def test_bundle_carries_every_resource(bundle: Path) -> None:
    bundled = bundle.parent / "_internal" / "boundaries" / "resources"
    for name in RESOURCE_FILES:
        copy, source = bundled / name, RESOURCES / name
        assert copy.read_bytes() == source.read_bytes(), copy


def test_bundle_has_what_is_only_found_at_run_time(bundle: Path) -> None:
    """Modules imported by name at run time, and the entry points plugins are found by."""
    listing = subprocess.run(
        [sys.executable, "-m", "PyInstaller.utils.cliutils.archive_viewer", "-r", "-b", bundle],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    for module in (
        "plyer.platforms.linux.notification",  # plyer's notification fallback
        "apscheduler.triggers.date",
        "keyring.backends.SecretService",
        "boundaries.app.application",  # imported inside cli.main
    ):
        assert module in listing
    internal = bundle.parent / "_internal"
    for dist in ("apscheduler", "keyring"):
        (info,) = internal.glob(f"{dist}-*.dist-info")
        assert (info / "entry_points.txt").is_file()


@pytest.fixture
def frozen_app(bundle: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    Path(env["HOME"]).mkdir()
    log = open(Path(env["HOME"]) / "app.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(bundle)], stdout=log, stderr=subprocess.STDOUT, text=True, env=env, cwd=env["HOME"]
    )
    yield proc
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def test_frozen_tray_app_runs_and_takes_commands(
    bundle: Path, env: dict[str, str], frozen_app: subprocess.Popen[str]
) -> None:
    deadline = time.monotonic() + 60
    while True:  # wait for the app to start listening (not for a schedule)
        reply = _run(bundle, env, "focus", "25")
        if reply.returncode == 0 or time.monotonic() > deadline or frozen_app.poll() is not None:
            break
        time.sleep(0.2)
    log = (Path(env["HOME"]) / "app.log").read_text()
    assert reply.returncode == 0, reply.stderr + log
    assert "focusing" in reply.stdout

    status = _run(bundle, env, "status", "--json")  # live from the running app
    assert json.loads(status.stdout)["state"] == "focusing"
    assert frozen_app.poll() is None, log
    assert "Traceback" not in log, log  # e.g. the icons (boundaries.resources) not found
