"""The Windows and macOS hold readers' decisions (their APIs are not on this machine)."""

from __future__ import annotations

import pytest

from boundaries.core.holds import HoldReason
from boundaries.integrations import hold_macos, hold_windows


@pytest.mark.parametrize(
    ("state", "held", "reason"),
    [
        (hold_windows.QUNS_PRESENTATION_MODE, True, HoldReason.PRESENTING),
        (hold_windows.QUNS_RUNNING_D3D_FULL_SCREEN, True, HoldReason.FULLSCREEN),
        (hold_windows.QUNS_BUSY, True, HoldReason.FULLSCREEN),
        (hold_windows.QUNS_APP, True, HoldReason.FULLSCREEN),
        (hold_windows.QUNS_QUIET_TIME, True, HoldReason.DND),
        (hold_windows.QUNS_ACCEPTS_NOTIFICATIONS, False, None),
        (hold_windows.QUNS_NOT_PRESENT, False, None),  # away: the idle check decides
        (42, None, None),
    ],
)
def test_windows_notification_state(state: int, held: bool | None, reason: object) -> None:
    reading = hold_windows.reading_for(0, state)
    assert (reading.held, reading.reason) == (held, reason)


def test_a_failed_windows_query_is_unknown() -> None:
    assert hold_windows.reading_for(0x80004005, hold_windows.QUNS_BUSY).held is None
    assert hold_windows.NotificationStateSource().read().held is None  # not Windows here


@pytest.mark.parametrize(
    ("authorization", "focused", "held"),
    [
        (hold_macos.AUTHORIZED, True, True),
        (hold_macos.AUTHORIZED, False, False),
        (hold_macos.AUTHORIZED, None, None),
        (hold_macos.DENIED, True, None),  # without permission nothing is known
        (hold_macos.NOT_DETERMINED, None, None),
        (hold_macos.RESTRICTED, None, None),
    ],
)
def test_macos_focus_status(authorization: int, focused: bool | None, held: bool | None) -> None:
    assert hold_macos.reading_for(authorization, focused).held is held


def test_macos_source_is_unknown_elsewhere() -> None:
    assert hold_macos.FocusStatusSource().read().held is None
