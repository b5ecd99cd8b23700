"""macOS: ``INFocusStatusCenter`` says only *whether* a Focus is on, never which one.

So any Focus (Do Not Disturb, Work, Sleep, a custom one) holds nudges. The answer needs the
user's permission (the app asks once; ``NSFocusStatusUsageDescription`` in the bundle) and
PyObjC's Intents bindings; without either it is "unknown". Screen sharing and full-screen apps
are not visible through a public API. Only the decision is tested on Linux.
"""

from __future__ import annotations

import sys

from boundaries.core.holds import HoldReading, HoldReason
from boundaries.integrations.hold_source import Unwatched

NAME = "macOS Focus"

# INFocusStatusAuthorizationStatus
NOT_DETERMINED, RESTRICTED, DENIED, AUTHORIZED = 0, 1, 2, 3


def reading_for(authorization: int, is_focused: bool | None) -> HoldReading:
    """What ``INFocusStatusCenter`` said, as a hold reading."""
    if authorization != AUTHORIZED:
        why = {NOT_DETERMINED: "not asked yet", RESTRICTED: "restricted", DENIED: "denied"}
        return HoldReading.unknown(NAME, f"Focus status {why.get(authorization, 'unknown')}")
    if is_focused is None:
        return HoldReading.unknown(NAME, "Focus status not available")
    return HoldReading(NAME, is_focused, HoldReason.DND, "a Focus is on" if is_focused else "")


class FocusStatusSource(Unwatched):
    name = NAME

    def read(self) -> HoldReading:
        if sys.platform != "darwin":
            return HoldReading.unknown(NAME, "not macOS")
        try:
            from Intents import INFocusStatusCenter  # type: ignore[import-not-found]
        except ImportError:
            return HoldReading.unknown(NAME, "needs PyObjC's Intents (pyobjc-framework-Intents)")
        center = INFocusStatusCenter.defaultCenter()
        status = center.authorizationStatus()
        if status == NOT_DETERMINED:
            center.requestAuthorizationWithCompletionHandler_(lambda _status: None)
        focused = center.focusStatus().isFocused() if status == AUTHORIZED else None
        return reading_for(int(status), None if focused is None else bool(focused))

    def close(self) -> None:
        pass
