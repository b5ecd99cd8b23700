"""Keeps the team agreement in force in the running app: read off the GUI thread, watched, and
a broken edit never replaces the last good version.

The user's own settings file stays what the Settings window edits; what the app runs with is
those settings completed by the agreement (:func:`boundaries.core.agreement.apply_agreement`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from boundaries.app.settings_watch import SettingsFileWatcher
from boundaries.app.workers import WorkerPool
from boundaries.core.agreement import Agreement
from boundaries.core.settings import Settings
from boundaries.integrations.agreement_file import AgreementLoad, agreement_path, with_agreement
from boundaries.integrations.config_store import LoadResult


class AgreementKeeper(QObject):
    """``effective`` carries the settings to run with after each read; ``problem`` says once
    what is wrong with the agreement (and that the last good version stays in force)."""

    effective = Signal(object)  # Settings
    problem = Signal(str)

    def __init__(
        self,
        config_dir: Path,
        workers: WorkerPool,
        clock: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._config_dir = config_dir
        self._workers = workers
        self._clock = clock
        self._source: LoadResult | None = None
        self._last_good: Agreement | None = None
        self._reported = ""
        self._watch: SettingsFileWatcher | None = None
        self._watched: Path | None = None

    def refresh(self, source: LoadResult) -> None:
        """Run with ``source``'s settings completed by the agreement it names (if any)."""
        self._source = source
        path = agreement_path(source.settings, self._config_dir)
        self._follow(path)
        if path is None:
            self._last_good = None
            self._reported = ""
            self.effective.emit(source.settings)
            return
        today = self._clock().astimezone(UTC).date()
        last_good = self._last_good if path == self._watched else None
        self._workers.submit(
            lambda: with_agreement(source, self._config_dir, today, last_good),
            lambda found: self._on_read(source, *found),
        )

    def _on_read(self, source: LoadResult, settings: Settings, load: AgreementLoad | None) -> None:
        if source is not self._source:
            return  # the settings changed again meanwhile; a newer read is on its way
        if load is not None and load.ok:
            self._last_good = load.agreement
            self._reported = ""
        elif load is not None:
            message = load.message() + (
                " The last good version stays in force."
                if self._last_good is not None
                else " What could be read of it is used."
            )
            if message != self._reported:
                self._reported = message
                self.problem.emit(message)
        self.effective.emit(settings)

    def stop(self) -> None:
        """At shutdown: the agreement file is not watched any more."""
        if self._watch is not None:
            self._watch.stop()

    def _follow(self, path: Path | None) -> None:
        if path == self._watched:
            return
        if self._watch is not None:
            self._watch.deleteLater()
            self._watch = None
        self._watched = path
        if path is not None:
            self._watch = SettingsFileWatcher(path, parent=self, create_folder=False)
            self._watch.changed.connect(self._on_file_changed)
            self._watch.start()

    @Slot()
    def _on_file_changed(self) -> None:
        if self._source is not None:
            self.refresh(self._source)
