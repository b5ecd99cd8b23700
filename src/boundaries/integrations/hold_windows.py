"""Windows: ``SHQueryUserNotificationState`` says when notifications should wait.

It reports presentation mode, a full-screen Direct3D game or app, a full-screen "busy" app and
the quiet hour after a first sign-in. It does not report Focus Assist (Windows' Do Not
Disturb): no public API does, so Focus Assist is not seen here. Only the decision is tested
on Linux; the call itself runs on Windows.
"""

from __future__ import annotations

import sys

from boundaries.core.holds import HoldReading, HoldReason
from boundaries.integrations.hold_source import Unwatched

NAME = "Windows"

# QUERY_USER_NOTIFICATION_STATE (shellapi.h)
QUNS_NOT_PRESENT = 1  # screen saver, locked, or another user's session: the idle check decides
QUNS_BUSY = 2  # a full-screen app
QUNS_RUNNING_D3D_FULL_SCREEN = 3
QUNS_PRESENTATION_MODE = 4
QUNS_ACCEPTS_NOTIFICATIONS = 5
QUNS_QUIET_TIME = 6  # the first hour after a new user first signs in
QUNS_APP = 7  # a full-screen Store app

_HOLDS = {
    QUNS_BUSY: HoldReason.FULLSCREEN,
    QUNS_RUNNING_D3D_FULL_SCREEN: HoldReason.FULLSCREEN,
    QUNS_APP: HoldReason.FULLSCREEN,
    QUNS_PRESENTATION_MODE: HoldReason.PRESENTING,
    QUNS_QUIET_TIME: HoldReason.DND,
}


def reading_for(hresult: int, state: int) -> HoldReading:
    """What an ``SHQueryUserNotificationState`` answer means for a nudge."""
    if hresult != 0:
        return HoldReading.unknown(NAME, f"SHQueryUserNotificationState failed: {hresult:#x}")
    if state in _HOLDS:
        return HoldReading(NAME, True, _HOLDS[state], f"state {state}")
    if state in (QUNS_ACCEPTS_NOTIFICATIONS, QUNS_NOT_PRESENT):
        return HoldReading(NAME, False, None, f"state {state}")
    return HoldReading.unknown(NAME, f"unknown state {state}")


class NotificationStateSource(Unwatched):
    name = NAME

    def read(self) -> HoldReading:
        if sys.platform != "win32":
            return HoldReading.unknown(NAME, "not Windows")
        import ctypes

        state = ctypes.c_int(0)
        shell32 = ctypes.windll.shell32
        hresult = shell32.SHQueryUserNotificationState(ctypes.byref(state)) & 0xFFFFFFFF
        return reading_for(hresult, state.value)

    def close(self) -> None:
        pass
