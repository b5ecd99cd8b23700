"""The project's pytest settings fail a test on any Qt warning but the listed offscreen noise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = """
from PySide6.QtCore import qWarning

def test_a_new_warning(qtbot):
    qWarning("QObject::connect: No such signal Foo::bar()")

def test_known_offscreen_noise(qtbot):
    qWarning("This plugin does not support raise()")
"""


def test_a_new_qt_warning_fails_the_test_that_caused_it(tmp_path: Path) -> None:
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            "-p",
            "no:cacheprovider",
            "-q",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert "FAILED" in done.stdout and "test_a_new_warning" in done.stdout, done.stdout
    assert "1 failed, 1 passed" in done.stdout, done.stdout
