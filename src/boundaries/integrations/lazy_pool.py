"""A thread pool made with its first task, so ``concurrent.futures`` loads after the tray icon.

``concurrent.futures`` with its thread pool (and ``queue``) costs ~15 M instructions, ~7 ms,
to import; the app's pools (the state writer, the workers, notifications) get their first
task once the icon shows, so nothing before the icon pays for them. A lock makes the first
``submit`` from two threads at once make one pool, and a ``shutdown`` meanwhile leave none.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

T = TypeVar("T")


class LazyThreadPool:
    """``submit`` and ``shutdown`` of a ``ThreadPoolExecutor`` that is made on first use."""

    def __init__(self, max_workers: int, thread_name_prefix: str) -> None:
        self._max_workers = max_workers
        self._prefix = thread_name_prefix
        self._pool: ThreadPoolExecutor | None = None
        self._shut_down = False
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        return self._made().submit(fn, *args)

    def _made(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                if self._shut_down:  # what ThreadPoolExecutor says, had it been made
                    raise RuntimeError("cannot schedule new futures after shutdown")
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(self._max_workers, thread_name_prefix=self._prefix)
            return self._pool

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shut_down = True
            pool = self._pool
        if pool is not None:  # outside the lock: waiting for its tasks must not block a submit
            pool.shutdown(wait=wait, cancel_futures=cancel_futures)
