"""Notice hand edits of settings.toml: debounced, and only when the file really changed.

Editors save in different ways (truncate then write, or write a temp file and rename it), so
one save can raise several events, one of them while the file is still empty. Waiting for the
events to settle and comparing the file's identity (inode, size, mtime) with the last one seen
gives one ``changed`` per real edit and ignores our own writes next to it (backups, temp files).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal, Slot

SETTLE_MS = 300


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


class SettingsFileWatcher(QObject):
    changed = Signal()

    def __init__(
        self, path: Path, parent: QObject | None = None, *, create_folder: bool = True
    ) -> None:
        super().__init__(parent)
        self._path = path
        self._create_folder = create_folder  # never for a file in someone else's folder
        self._seen = _identity(path)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_event)
        self._watcher.directoryChanged.connect(self._on_event)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._on_settled)
        self._stopped = False

    def start(self) -> None:
        self._stopped = False  # again after a stop (a Settings window opened once more)
        # A first-run user may create settings.toml by hand: watch its folder from the start.
        if self._create_folder:
            with contextlib.suppress(OSError):
                self._path.parent.mkdir(parents=True, exist_ok=True)
        self._rewatch()

    def stop(self) -> None:
        """At shutdown: no more events, and no settle timer left to fire later."""
        self._stopped = True
        self._settle.stop()

    def mark_seen(self) -> None:
        """After our own save: the file as it is now is not a hand edit."""
        self._seen = _identity(self._path)

    def _rewatch(self) -> None:
        wanted = [p for p in (self._path, self._path.parent) if p.exists()]
        watched = set(self._watcher.files() + self._watcher.directories())
        missing = [str(p) for p in wanted if str(p) not in watched]
        if missing:
            self._watcher.addPaths(missing)

    @Slot(str)
    def _on_event(self, _path: str) -> None:
        if not self._stopped:
            self._settle.start()  # restart: wait until the editor is done

    @Slot()
    def _on_settled(self) -> None:
        self._rewatch()  # a rename-into-place replaced the watched inode
        identity = _identity(self._path)
        if identity is None or identity == self._seen:
            return
        self._seen = identity
        self.changed.emit()
