"""Idle time on Wayland compositors other than GNOME's: their idle notifications, via pywayland.

Wayland has no "seconds since the last input" request. ``ext-idle-notify-v1`` (sway 1.8+,
KDE Plasma 5.27+, Hyprland, labwc, niri...) and KDE's older ``org_kde_kwin_idle`` (sway 1.7,
KWin 5) instead send ``idled`` once no input came for a timeout, and ``resumed`` at the next
input. So we keep one notification with a short timeout (``resolution``) and remember when it
went idle: the last input was then ``resolution`` earlier.

What that can say, honestly:
- idle (``idled`` at ``t``): ``now - t + resolution`` seconds. A user already away when we started
  counts from our start (a lower bound: the compositor restarts the timeout for new objects);
- not idle, and listening for longer than ``resolution``: input within it, ``0``;
- listening for less than ``resolution``: unknown (``None``).

A daemon thread of its own reads the compositor's events; it wakes only when the user goes
idle or comes back. ``idle_seconds`` may be called from any thread.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

# The last input is known to within this: short enough for a sign-off record, long enough
# that someone reading does not wake us every few seconds.
DEFAULT_RESOLUTION_S = 5.0


class WaylandIdle:
    """Seconds since the last input on the compositor at ``display`` (None: $WAYLAND_DISPLAY)."""

    def __init__(
        self,
        display: str | None = None,
        resolution: float = DEFAULT_RESOLUTION_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.display_name = display
        self.resolution = resolution
        self.protocol = ""  # which protocol the compositor offered, once started
        self._clock = clock
        self._lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._started_at: float | None = None
        self._idle_since: float | None = None
        self._failed = False
        self._thread: threading.Thread | None = None
        self._stop_r, self._stop_w = -1, -1
        self._display: Any = None
        self._keep: list[Any] = []  # proxies that must outlive start()

    # ------------------------------------------------------------------ public
    def start(self) -> None:
        """Connect and start listening; OSError when the compositor offers neither protocol."""
        with self._start_lock:  # the first question may come while start-up still starts us
            self._start()

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None or self._failed:
                return
        try:
            self._connect()
        except Exception as error:
            with self._lock:
                self._failed = True
            self._disconnect()
            raise OSError(f"Wayland idle notifications unavailable: {error}") from error
        self._stop_r, self._stop_w = os.pipe()
        with self._lock:
            self._started_at = self._clock()
        self._thread = threading.Thread(target=self._run, name="wayland-idle", daemon=True)
        self._thread.start()

    def idle_seconds(self) -> float | None:
        if self._thread is None and not self._failed:
            try:
                self.start()
            except OSError as error:
                log.info("%s", error)
        with self._lock:
            if self._failed or self._started_at is None:
                return None
            now = self._clock()
            if self._idle_since is not None:
                return max(0.0, now - self._idle_since)
            if now - self._started_at < self.resolution:
                return None
            return 0.0

    def close(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            os.write(self._stop_w, b"x")
            thread.join(timeout=10)
            if thread.is_alive():  # never free the connection under a thread still using it
                log.warning("the Wayland idle listener did not stop; leaving its connection")
                return
            for fd in (self._stop_r, self._stop_w):
                os.close(fd)
        self._disconnect()

    # ------------------------------------------------------------------ events
    def _on_idle(self, *_args: Any) -> None:
        with self._lock:
            self._idle_since = self._clock() - self.resolution

    def _on_resumed(self, *_args: Any) -> None:
        with self._lock:
            self._idle_since = None

    # ------------------------------------------------------------------ internals
    def _connect(self) -> None:
        from pywayland.client.display import Display
        from pywayland.protocol.ext_idle_notify_v1 import ExtIdleNotifierV1
        from pywayland.protocol.wayland import WlSeat

        from boundaries.integrations.kde_idle_protocol import OrgKdeKwinIdle

        display = self._display = Display(self.display_name)
        display.connect()
        offered: dict[str, tuple[int, int]] = {}
        registry = display.get_registry()

        def on_global(_registry: Any, name: int, interface: str, version: int) -> None:
            offered.setdefault(interface, (name, version))

        registry.dispatcher["global"] = on_global
        display.roundtrip()
        if "wl_seat" not in offered:
            raise OSError("the compositor has no seat")
        seat = registry.bind(offered["wl_seat"][0], WlSeat, 1)
        timeout_ms = int(self.resolution * 1000)
        if "ext_idle_notifier_v1" in offered:
            name, version = offered["ext_idle_notifier_v1"]
            notifier = registry.bind(name, ExtIdleNotifierV1, min(version, 2))
            if version >= 2:  # keyboard and mouse only: a playing video is not the user
                notification = notifier.get_input_idle_notification(timeout_ms, seat)
            else:
                notification = notifier.get_idle_notification(timeout_ms, seat)
            notification.dispatcher["idled"] = self._on_idle
            self.protocol = "ext-idle-notify-v1"
        elif "org_kde_kwin_idle" in offered:
            manager = registry.bind(offered["org_kde_kwin_idle"][0], OrgKdeKwinIdle, 1)
            notification = manager.get_idle_timeout(seat, timeout_ms)
            notification.dispatcher["idle"] = self._on_idle
            notifier = manager
            self.protocol = "org_kde_kwin_idle"
        else:
            raise OSError("the compositor offers neither ext-idle-notify-v1 nor org_kde_kwin_idle")
        notification.dispatcher["resumed"] = self._on_resumed
        self._keep = [registry, seat, notifier, notification]
        display.roundtrip()

    def _run(self) -> None:
        display = self._display
        fd = display.get_fd()
        try:
            while True:
                display.flush()
                readable, _, _ = select.select([fd, self._stop_r], [], [])
                if self._stop_r in readable:
                    return
                if display.dispatch(block=True) < 0:
                    raise OSError("lost the connection to the compositor")
        except Exception as error:
            log.info("Wayland idle notifications stopped: %s", error)
            with self._lock:
                self._failed = True

    def _disconnect(self) -> None:
        display, self._display = self._display, None
        self._keep = []
        if display is not None:
            try:
                display.disconnect()
            except Exception as error:  # already gone: nothing to clean up
                log.debug("disconnect: %s", error)
