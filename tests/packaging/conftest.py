"""Shared by the packaging tests: the repository root and system tools they need."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
RESOURCE_FILES = sorted(  # what every build must ship (bytecode a test run left aside)
    p.relative_to(RESOURCES).as_posix()
    for p in RESOURCES.rglob("*")
    if p.is_file() and "__pycache__" not in p.parts
)


def _missing(what: str) -> None:
    if os.environ.get("BOUNDARIES_E2E_REQUIRED") == "1":
        pytest.fail(f"{what} is missing (BOUNDARIES_E2E_REQUIRED=1)")
    pytest.skip(f"{what} is not installed")


def require_tool(name: str) -> str:
    """Path of a system tool; skip without it, or fail in CI (BOUNDARIES_E2E_REQUIRED=1)."""
    path = shutil.which(name)
    if path is None:
        _missing(name)
    assert path is not None
    return path


def require_module(name: str) -> None:
    """Like require_tool, for a Python package of the `packaging` extra (build, PyInstaller)."""
    if importlib.util.find_spec(name) is None:
        _missing(f"the Python package {name!r} (pip install -e '.[packaging]')")
