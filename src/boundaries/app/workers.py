"""Run slow work (Slack, keyring, disk) off the GUI thread and get the result back as a signal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

from boundaries.integrations.lazy_pool import LazyThreadPool

if TYPE_CHECKING:
    from concurrent.futures import Future

log = logging.getLogger(__name__)
T = TypeVar("T")


class WorkerPool(QObject):
    """A small thread pool whose completions are delivered on the GUI thread.

    ``submit(fn, on_done, on_error, context)``: ``fn`` runs on a worker; ``on_done(result)`` or
    ``on_error(exception)`` then run on the thread that owns this object (the GUI thread),
    unless ``context`` (e.g. the dialog that asked) has been destroyed in the meantime.
    """

    _finished = Signal(object, object, object, object)  # future, on_done, on_error, context

    def __init__(self, max_workers: int = 2, name: str = "worker", parent: QObject | None = None):
        super().__init__(parent)
        self._pool = LazyThreadPool(max_workers, name)  # threads with the first task
        self._finished.connect(self._deliver)

    def submit(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        context: QObject | None = None,
    ) -> Future[T]:
        future = self._pool.submit(fn)
        future.add_done_callback(lambda f: self._finished.emit(f, on_done, on_error, context))
        return future

    @Slot(object, object, object, object)
    def _deliver(self, future: Future[Any], on_done: Any, on_error: Any, context: Any) -> None:
        if future.cancelled() or (context is not None and not shiboken6.isValid(context)):
            return
        error = future.exception()
        if error is None:
            if on_done is not None:
                on_done(future.result())
        elif on_error is not None:
            on_error(error)
        else:
            log.error("background task failed", exc_info=error)

    def shutdown(self, wait: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)
