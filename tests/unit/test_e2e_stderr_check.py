"""The e2e harness's stderr check: what makes an end-to-end test fail after the fact."""

from __future__ import annotations

from tests.e2e.harness import stderr_problems

CLEAN = """\
boundaries: no system tray found (on GNOME, install the AppIndicator extension).
2026-11-24 10:00:01,123 INFO boundaries.app.controller: state idle -> focusing
"""


def test_a_clean_stderr_passes() -> None:
    assert stderr_problems(CLEAN) == []


def test_tracebacks_warnings_and_qt_warnings_are_found() -> None:
    text = CLEAN + (
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1, in <module>\n'
        "2026-11-24 10:00:02,001 WARNING boundaries.app.slack_sync: Slack update failed: x\n"
        "2026-11-24 10:00:03,002 ERROR boundaries.app.ipc: command failed\n"
        "qt.qpa.xcb: QXcbConnection: XCB error: 3 (BadWindow)\n"
        "QObject::connect: No such signal Foo::bar()\n"
    )
    assert len(stderr_problems(text)) == 5


def test_an_expected_warning_is_allowed_and_only_that_one() -> None:
    text = (
        "2026-11-24 10:00:02,001 WARNING boundaries.app.slack_sync: Slack update failed: x\n"
        "2026-11-24 10:00:03,002 ERROR boundaries.app.ipc: command failed\n"
    )
    assert stderr_problems(text, ["Slack update failed"]) == [
        "2026-11-24 10:00:03,002 ERROR boundaries.app.ipc: command failed"
    ]
