"""Gives memory back once start-up is over and after a window closes, where the platform allows.

What stays behind otherwise (the benchmarks measure each release: ``BOUNDARIES_RELEASE``):

* ``linecache``: once PySide6 is imported, its ``__feature__`` hook reads the source of every
  module an ``import`` statement names (to see whether it uses PySide6), and linecache keeps
  every line: ~3 MiB after start-up. Dropped after start-up, but dropping it later gives
  nothing back: the lines of a burst of imports on first use (APScheduler with asyncio and
  importlib.metadata, sqlite3, a window's modules) lie between the modules' own objects in
  Python's arenas, which stay. So from the release after start-up on, every import first
  drops what linecache holds (``SourcesDroppedOnImport``): the next module's objects reuse
  the lines of the last one, and a burst leaves none behind (4 MiB less after the
  benchmark's hour of use, docs/decisions/0022-sources-dropped-on-import.md). Tracebacks
  read the files again when they need them.
* Qt's pixmap cache: style and icon pixmaps drawn for a window that is gone.
* Python objects of a closed window caught in reference cycles (``gc.collect``).
* The cyclic GC itself is off during start-up (``boundaries.entry``): the release after
  start-up collects once and turns it back on.
* glibc keeps freed heap pages for reuse, so resident memory stays at its high-water mark;
  ``malloc_trim(0)`` hands them back to the kernel (Linux with glibc only; elsewhere skipped).

Releases are coalesced: a burst of closed windows costs one release, ``delay_ms`` later.
"""

from __future__ import annotations

import gc
import linecache
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QPixmapCache

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType

log = logging.getLogger(__name__)

RELEASE_DELAY_MS = 1000
BENCH_ENV = "BOUNDARIES_BENCH"
DISABLE_ENV = "BOUNDARIES_MEMORY_RELEASE"  # "0": keep everything (to measure the effect)


def _glibc_malloc_trim() -> Callable[[int], Any] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        trim: Callable[[int], Any] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        return None
    return trim


def _rss_kib() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, ValueError, IndexError):
        return 0


def drop_import_caches() -> None:
    """Forget the module sources PySide6's import hook left in linecache (see above)."""
    linecache.clearcache()


class SourcesDroppedOnImport:
    """A finder first in ``sys.meta_path`` that finds nothing: each import of a module not
    loaded yet first drops the sources PySide6's hook cached for the modules before it."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        linecache.clearcache()  # one dict.clear: atomic under the GIL, on any thread
        return None


_DROP_ON_IMPORT = SourcesDroppedOnImport()


def drop_sources_on_import(on: bool) -> None:
    """From now on every import drops linecache first (``on``), or no longer (shutdown)."""
    present = _DROP_ON_IMPORT in sys.meta_path
    if on and not present:
        sys.meta_path.insert(0, _DROP_ON_IMPORT)
    elif not on and present:
        sys.meta_path.remove(_DROP_ON_IMPORT)


class MemoryReleaser(QObject):
    """``schedule()`` after something big went away; the release runs ``delay_ms`` later."""

    def __init__(self, delay_ms: int = RELEASE_DELAY_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = os.environ.get(DISABLE_ENV, "1") != "0"
        self._report = os.environ.get(BENCH_ENV) == "1"
        self._trim: Callable[[int], Any] | None = None
        self._trim_looked_up = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.release_now)
        # Timers owned by this object, not a bare singleShot(lambda): a release must never
        # run after the app that asked for it has shut down (a test's next app, a late gc).
        self._light_timer = QTimer(self)
        self._light_timer.setSingleShot(True)
        self._light_timer.setInterval(delay_ms)
        self._light_timer.timeout.connect(self._release_light)
        self._stopped = False

    def schedule(self) -> None:
        """After a window closed: everything, malloc_trim included."""
        if self.enabled and not self._stopped:
            self._timer.start()  # restarting coalesces a burst into one release

    def schedule_light(self) -> None:
        """After start-up: the caches and start-up's garbage; the cyclic GC is on again after
        it, and later imports drop linecache as they go. Nothing to trim yet (measured:
        0 KiB), and malloc_trim would import ctypes (~0.4 MiB) into an app that may never
        open a window."""
        if not self._stopped:  # even when releases are off: it turns the GC back on
            self._light_timer.start()

    def stop(self) -> None:
        """At shutdown: nothing pending runs later, and nothing is scheduled any more (a window
        deleted after shutdown would arm a release that runs in whatever runs next)."""
        self._stopped = True
        self._timer.stop()
        self._light_timer.stop()
        drop_sources_on_import(False)
        gc.enable()

    @Slot()
    def _release_light(self) -> None:
        if self.enabled:
            self.release_now(trim=False)
            drop_sources_on_import(True)  # later imports (first use) leave no sources behind
        gc.enable()

    @Slot()
    def release_now(self, trim: bool = True) -> None:
        before = _rss_kib() if self._report else 0
        drop_import_caches()
        QPixmapCache.clear()
        gc.collect()
        if trim and not self._trim_looked_up:
            self._trim, self._trim_looked_up = _glibc_malloc_trim(), True
        if trim and self._trim is not None:
            self._trim(0)
        if self._report:  # the benchmarks add these up: the measured effect
            print(f"BOUNDARIES_RELEASE {int(trim)} {before} {_rss_kib()}", flush=True)
