"""The desktop's own notifications follow focus (opt-in ``[focus] silence_desktop``).

Like Slack, it follows the state and never leads it: focusing with the setting on silences the
desktop, anything else restores it. At start a journal left by a crash (or by a suspend that
outlived the focus block) is restored first. The work runs on its own thread.

``silencing`` tells the hold gate that the desktop's Do Not Disturb may be ours: from the moment
we decide to silence until the restore has *finished* (a nudge due as focus ends must not be
held by the silence that is being lifted).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from boundaries.app.workers import WorkerPool
from boundaries.core.focus import AppState, Mode
from boundaries.core.settings import Settings
from boundaries.integrations.desktop_silence import DesktopSilence

log = logging.getLogger(__name__)


class SilenceSync(QObject):
    def __init__(
        self,
        controller: Any,
        state_dir: Path,
        make: Callable[[Path], DesktopSilence] = DesktopSilence,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._silence = make(state_dir)
        self._pool = WorkerPool(max_workers=1, name="silence", parent=self)
        self._want: bool | None = None
        self._lock = threading.Lock()  # the gate asks from its own thread
        self._ours = False
        controller.state_changed.connect(self._on_state_changed)
        controller.settings_changed.connect(self._on_settings_changed)

    @property
    def silencing(self) -> bool:
        """The desktop's DND may be ours (silenced, or not yet put back): it holds nothing."""
        with self._lock:
            return self._ours

    def start(self) -> None:
        left = self._silence.active  # a crash's journal (a stat): ours until put back
        with self._lock:
            self._ours = left
        self._apply(self._wanted(), force=True)

    def _wanted(self) -> bool:
        c = self._controller
        return c.state.mode is Mode.FOCUSING and c.settings.focus.silence_desktop

    def _on_state_changed(self, _old: AppState, _new: AppState) -> None:
        self._apply(self._wanted())

    def _on_settings_changed(self, _settings: Settings) -> None:
        self._apply(self._wanted())

    def _apply(self, want: bool, force: bool = False) -> None:
        if want == self._want and not force:
            return
        with self._lock:
            self._want = want
            self._ours = self._ours or want
        job = self._silence.silence if want else self._restore
        self._pool.submit(
            job,
            lambda done: log.info("desktop %s %s", "silenced:" if want else "restored", done or ""),
            lambda error: log.warning("desktop notifications: %s", error),
        )

    def _restore(self) -> None:
        """On the silence thread; a failed restore leaves the desktop ours (still silenced)."""
        self._silence.restore()
        with self._lock:
            if not self._want:
                self._ours = False

    def shutdown(self) -> None:
        """Quit: what we silenced is put back before the app ends."""
        self._pool.shutdown(wait=True)
        if self._silence.active:
            try:
                self._silence.restore()
            except OSError as error:
                log.warning("could not restore the desktop's notifications: %s", error)
