"""Where "should nudges wait?" comes from: one small interface, one reader per desktop.

Each source answers held yes, no or unknown, and why (``core.holds.HoldReading``). ``read``
blocks (D-Bus, a subprocess, X11) and is only called off the GUI thread. A source that can
tell when its answer changes calls the ``changed`` callback it was given (from any thread)
while it is ``watching``; the others are re-read while a nudge is held. Sources are imported on
first use.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Protocol

from boundaries.core.holds import HoldReading

log = logging.getLogger(__name__)


class HoldSource(Protocol):
    name: str

    def read(self) -> HoldReading:
        """The current answer; never raises (a failure is an unknown reading)."""
        ...

    @property
    def watching(self) -> bool:
        """It reports a change through ``changed`` (so it need not be polled often)."""
        ...

    def watch(self, on: bool) -> None:
        """Watch for changes while a nudge is held (``on``), or stop; blocking, never raises.
        A source that cannot watch does nothing."""
        ...

    def close(self) -> None: ...


class Unwatched:
    """For a source that can only be read: it never watches."""

    watching = False

    def watch(self, on: bool) -> None:
        pass


def read_all(sources: list[HoldSource]) -> list[HoldReading]:
    """Every source's reading; a source that raises anyway counts as unknown."""
    readings = []
    for source in sources:
        try:
            readings.append(source.read())
        except Exception as error:
            log.debug("hold source %s failed", source.name, exc_info=True)
            readings.append(HoldReading.unknown(source.name, f"{type(error).__name__}: {error}"))
    return readings


def platform_sources(changed: Callable[[], None]) -> list[HoldSource]:
    """The sources that can answer on this platform (imported here, on first use)."""
    sources: list[HoldSource] = []
    if sys.platform == "win32":
        from boundaries.integrations.hold_windows import NotificationStateSource

        sources.append(NotificationStateSource())
    elif sys.platform == "darwin":
        from boundaries.integrations.hold_macos import FocusStatusSource

        sources.append(FocusStatusSource())
    else:
        from boundaries.integrations.hold_freedesktop import InhibitedSource
        from boundaries.integrations.hold_settings import GnomeBannersSource, XfceDndSource
        from boundaries.integrations.hold_x11 import FullscreenSource

        sources += [
            InhibitedSource(changed),
            GnomeBannersSource(changed=changed),
            XfceDndSource(changed=changed),
        ]
        sources.append(FullscreenSource())
    return sources
