"""The X11 full-screen source for real: Xvfb, Openbox as the window manager, and a Qt window
that is made full-screen, then normal; without a window manager the answer is unknown."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from boundaries.core.holds import HoldReading, HoldReason
from boundaries.integrations.hold_x11 import FullscreenSource
from tests.e2e import harness

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("openbox") is None, reason="needs openbox (Debian: openbox)"),
]

WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel("presenting")
label.showFullScreen() if sys.argv[1] == "full" else label.show()
app.exec()
"""


@pytest.fixture
def display(e2e_tools: None, tmp_path: Path) -> Iterator[str]:
    server = harness.start_xvfb(screen="800x600x24", log_path=tmp_path / "xvfb.log")
    yield server.display
    harness.stop(server.proc)


def start(argv: list[str], display: str, **kwargs: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.Popen(argv, env=env, stderr=subprocess.DEVNULL, **kwargs)  # type: ignore[call-overload,no-any-return]


def seen(source: FullscreenSource, held: bool) -> HoldReading | None:
    """The reading once the window in front (not "no window") is or is not full-screen."""
    reading = source.read()
    return reading if reading.held is held and reading.detail.startswith("window") else None


def test_a_full_screen_window_in_front_holds(display: str) -> None:
    source = FullscreenSource(display)
    try:
        reading = source.read()
        assert reading.held is None, "no window manager: nobody names the active window"
        wm = start(["openbox", "--sm-disable"], display, stdout=subprocess.DEVNULL)
        try:
            for mode, held in [("full", True), ("normal", False)]:
                argv = [sys.executable, "-c", WINDOW, mode]
                window = start(argv, display, stdout=subprocess.DEVNULL)
                try:
                    reading = harness.wait_for(
                        lambda held=held: seen(source, held),  # type: ignore[misc]
                        timeout=15,
                        message=f"a {mode} window to be active",
                    )
                    if held:
                        assert reading.reason is HoldReason.FULLSCREEN
                finally:
                    harness.stop(window)
        finally:
            harness.stop(wm)
    finally:
        source.close()
    wayland = FullscreenSource(env={"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": display})
    assert wayland.read().held is None
