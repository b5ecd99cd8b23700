"""``boundaries`` alone loads its Qt-free start path before PySide6 (entry.py says why)."""

from __future__ import annotations

import subprocess
import sys

_CODE = """
import sys
from boundaries.entry import _import_qt_free_start_path
_import_qt_free_start_path()
print(sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6")))
"""


def test_the_modules_loaded_before_pyside6_load_no_qt() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CODE], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
