"""Run the real ``boundaries`` command line in a subprocess, on a private config folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(config_dir: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m boundaries ARGS`` with ``BOUNDARIES_CONFIG_DIR`` pointing at ``config_dir``."""
    return subprocess.run(
        [sys.executable, "-m", "boundaries", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "BOUNDARIES_CONFIG_DIR": str(config_dir)},
        timeout=timeout,
    )
