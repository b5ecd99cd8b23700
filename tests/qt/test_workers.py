"""Background work reports back on the GUI thread, and never to a widget that is gone."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from boundaries.app.workers import WorkerPool


def test_result_and_error_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    pool = WorkerPool()
    seen: list[tuple[str, object, bool]] = []
    gui = threading.get_ident()
    worker_ident: list[int] = []

    def work() -> int:
        worker_ident.append(threading.get_ident())
        return 42

    def fail() -> int:
        raise OSError("disk full")

    pool.submit(work, lambda r: seen.append(("done", r, threading.get_ident() == gui)))
    pool.submit(fail, None, lambda e: seen.append(("error", str(e), threading.get_ident() == gui)))
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert sorted(seen) == [("done", 42, True), ("error", "disk full", True)]
    assert worker_ident and worker_ident[0] != gui
    pool.shutdown(wait=True)


def test_no_callback_into_a_destroyed_widget(qtbot: QtBot) -> None:
    pool = WorkerPool()
    release = threading.Event()
    widget = QWidget()
    calls: list[object] = []
    future = pool.submit(lambda: release.wait(5), calls.append, calls.append, context=widget)
    widget.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(widget))
    release.set()
    future.result(timeout=5)
    qtbot.wait(50)  # nothing to wait for: a callback posted to the dead widget would come now
    assert calls == []
    pool.shutdown(wait=True)
