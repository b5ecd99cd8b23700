"""Exact moments windows appear: ``xev`` watching the root window's children.

Polling ``xwininfo`` (what the e2e harness does) sees a window up to one poll late; ``xev
-root -event substructure`` prints every MapNotify/ReparentNotify as it happens, so the time
this process reads the line is the time the X server mapped the window (plus a pipe hop).
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.e2e import harness

_HEAD = re.compile(r"^(?P<kind>\w+Notify) event")
_WINDOW = re.compile(r"\bwindow (0x[0-9a-f]+)")
_PARENT = re.compile(r"\bparent (0x[0-9a-f]+)")
_SIZE = re.compile(r"width (\d+), height (\d+)")


@dataclass(frozen=True)
class XEvent:
    kind: str  # "MapNotify", "UnmapNotify", "ReparentNotify", ...
    window: str
    parent: str | None
    override: bool
    at: float  # time.time() when the line arrived
    size: tuple[int, int] | None = None


def block_complete(lines: list[str]) -> bool:
    """True once an event block has its last line.

    xev prints the blank separator *before* each event, so waiting for it would hold every
    event back until the next one: a menu's MapNotify would arrive only when it closes.
    """
    if len(lines) < 2:
        return False
    last = lines[-1]
    if "override " in last or "from_configure " in last:
        return True
    return lines[0].startswith(("DestroyNotify", "GravityNotify", "CirculateNotify"))


def parse_block(lines: list[str], at: float) -> XEvent | None:
    """One ``xev`` event block (its lines up to the blank line) as an XEvent."""
    if not lines:
        return None
    head = _HEAD.match(lines[0])
    if head is None:
        return None
    text = " ".join(lines)
    # The first "window 0x.." is the event window (the root); the subject is the last one.
    windows = _WINDOW.findall(text)
    if not windows:
        return None
    parent = _PARENT.search(text)
    size = _SIZE.search(text)
    return XEvent(
        kind=head["kind"],
        window=windows[-1],
        parent=parent.group(1) if parent else None,
        override="override YES" in text,
        at=at,
        size=(int(size.group(1)), int(size.group(2))) if size else None,
    )


class XEventLog:
    """Runs ``xev`` on the root window and keeps every event with its arrival time."""

    def __init__(self, display: str) -> None:
        self.display = display
        self._events: list[XEvent] = []
        self._lock = threading.Lock()
        self._pids: dict[str, int | None] = {}
        self.proc = subprocess.Popen(
            ["stdbuf", "-oL", "xev", "-display", display, "-root", "-event", "substructure"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, name="xev-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        block: list[str] = []
        at = 0.0
        for line in self.proc.stdout:
            if line.strip():
                if not block:
                    at = time.time()
                block.append(line.strip())
                if not block_complete(block):
                    continue
            elif not block:
                continue
            event = parse_block(block, at)
            block = []
            if event is not None:
                with self._lock:
                    self._events.append(event)

    def events(self) -> list[XEvent]:
        with self._lock:
            return list(self._events)

    def mark(self) -> int:
        """An index to look for events after (``wait_for(..., after=mark)``)."""
        with self._lock:
            return len(self._events)

    def pid_of(self, window: str) -> int | None:
        """The window's _NET_WM_PID (looked up once; ``forget()`` when clients come and go)."""
        if window not in self._pids:
            pid = harness.window_pid(self.display, window)
            if pid is None:
                return None  # gone already, or not set yet: ask again next time
            self._pids[window] = pid
        return self._pids[window]

    def forget(self) -> None:
        """Drop cached PIDs: a new X client may be handed a dead client's window ids."""
        self._pids.clear()

    def wait_for(
        self, match: Callable[[XEvent], bool], after: int = 0, timeout: float = 10.0
    ) -> XEvent:
        def find() -> XEvent | None:
            return next((e for e in self.events()[after:] if match(e)), None)

        return harness.wait_for(find, timeout, interval=0.01, message="an X event")

    def stop(self) -> None:
        harness.stop(self.proc)
