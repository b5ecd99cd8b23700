"""Guards against a Qt binding that would crash a tray app running all day.

PySide6 6.12.0 on Python 3.11 dropped a reference to None on every C++ call returning void;
after a few thousand menu refreshes the process aborted with "none_dealloc". pyproject.toml
excludes it; this test fails if such a build is ever installed again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer
from pytestqt.qtbot import QtBot


def test_void_qt_calls_keep_none_and_bools_alive(qtbot: QtBot) -> None:
    obj, timer = QObject(), QTimer()
    before = [sys.getrefcount(x) for x in (None, True, False)]
    for _ in range(1000):
        obj.setObjectName("x")
        timer.stop()
        timer.setSingleShot(True)
    after = [sys.getrefcount(x) for x in (None, True, False)]
    if sys.version_info < (3, 12):  # 3.12+ makes these immortal: counts no longer matter
        assert [a - b for a, b in zip(after, before, strict=True)] == [0, 0, 0]
