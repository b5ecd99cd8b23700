"""What `pip install` / `pipx install` users get: sdist and wheel build, and the installed app runs.

The wheel goes into a fresh venv (no access to the project's .venv or src/), its dependencies
resolved from the package index as a user's install would, so a missing package-data glob or
dependency shows up here and not on a user's desktop.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

import boundaries
from tests.packaging.conftest import RESOURCE_FILES, RESOURCES, ROOT, require_module

pytestmark = pytest.mark.slow

# An instant that is outside every default focus block, whenever the tests run.
SATURDAY = "2026-11-28T12:00:00+00:00"


def _run(
    argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=env, cwd=cwd)
    assert result.returncode == 0, f"{argv}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`python -m build`: the sdist, then the wheel built from that sdist (as PyPI would)."""
    require_module("build")
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)])
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel}


@pytest.fixture(scope="module")
def venv(dists: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel and its declared dependencies installed; its bin folder."""
    root = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", str(root)])
    bin_dir = root / ("Scripts" if sys.platform == "win32" else "bin")
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(dists["wheel"])])
    return bin_dir


def _user_env(tmp_path: Path) -> dict[str, str]:
    """No way back to the developer's files: own config dir, home and XDG folders."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(
        BOUNDARIES_CONFIG_DIR=str(tmp_path / "profile"),
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "home" / ".config"),
    )
    return env


def test_sdist_has_the_resources_tests_and_packaging(dists: dict[str, Path]) -> None:
    with tarfile.open(dists["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    expected = {f"resources/{name}" for name in RESOURCE_FILES}
    expected |= {"pyproject.toml", "README.md", "packaging/boundaries.spec", "MANIFEST.in"}
    assert expected <= names
    assert "tests/unit/test_autostart.py" in names
    assert not [n for n in names if "__pycache__" in n or "/artifacts/" in n]


def test_installed_wheel_runs_the_cli(venv: Path, tmp_path: Path) -> None:
    env = _user_env(tmp_path)
    version = _run([str(venv / "boundaries"), "--version"], env=env, cwd=tmp_path)
    assert version.stdout.strip() == f"boundaries {boundaries.__version__}"

    status = json.loads(
        _run(
            [str(venv / "boundaries"), "status", "--json", "--at", SATURDAY], env=env, cwd=tmp_path
        ).stdout
    )
    assert status["state"] == "idle"
    assert "signoff" in status and "focus_blocks" in status


PROBE = """
import hashlib, json
from importlib import resources
import boundaries
from boundaries.integrations.autostart import launch_command
from boundaries.ui.icons import STATES, icon_svg
root = resources.files("boundaries.resources")
names = [n for s in STATES for n in (s, s + "-template")] + ["app"]
print(json.dumps({
    "module": boundaries.__file__,
    "icons": {n: hashlib.sha256(icon_svg(n)).hexdigest() for n in names},
    "files": {n: hashlib.sha256((root / n).read_bytes()).hexdigest() for n in %r},
    "autostart": launch_command(),
}))
"""


def _digest(name: str) -> str:
    return hashlib.sha256((RESOURCES / name).read_bytes()).hexdigest()


def _check_resources(found: dict[str, Any]) -> None:
    """The probe read every file of resources/ byte for byte, and all nine icons."""
    assert found["files"] == {name: _digest(name) for name in RESOURCE_FILES}
    assert found["icons"] == {n: _digest(f"icons/{n}.svg") for n in found["icons"]}
    assert len(found["icons"]) == 9


def test_installed_wheel_finds_its_resources_and_its_own_launcher(
    venv: Path, tmp_path: Path
) -> None:
    found = json.loads(
        _run(
            [str(venv / "python"), "-c", PROBE % (RESOURCE_FILES,)],
            env=_user_env(tmp_path),
            cwd=tmp_path,
        ).stdout
    )
    assert Path(found["module"]).is_relative_to(venv.parent)  # not the source tree
    _check_resources(found)
    # Start at login would run this venv's own script, not whatever is first on PATH.
    assert found["autostart"] == [str(venv / "boundaries")]


def test_editable_install_finds_the_top_level_resources(tmp_path: Path) -> None:
    """`pip install -e .` (what ./dev does): the code runs from src/, resources from resources/.

    The fresh venv gets only Boundaries (no dependencies); they come from this test's own
    environment on PYTHONPATH, which carries no .pth files, so its editable install is unseen.
    """
    root = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(root)])
    bin_dir = root / ("Scripts" if sys.platform == "win32" else "bin")
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-deps", "-e", str(ROOT)])
    env = _user_env(tmp_path)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p.endswith("site-packages"))
    found = json.loads(
        _run(
            [str(bin_dir / "python"), "-c", PROBE % (RESOURCE_FILES,)], env=env, cwd=tmp_path
        ).stdout
    )
    assert Path(found["module"]).is_relative_to(ROOT / "src")  # the source tree itself
    _check_resources(found)
