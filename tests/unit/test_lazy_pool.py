"""The lazily made thread pool acts like ThreadPoolExecutor: tasks run, none after shutdown."""

from __future__ import annotations

import threading

import pytest

from boundaries.integrations.lazy_pool import LazyThreadPool


def test_tasks_run_on_a_named_thread_and_shutdown_waits_for_them() -> None:
    pool = LazyThreadPool(1, "lazy-test")
    future = pool.submit(lambda a, b: (a + b, threading.current_thread().name), 2, 3)
    pool.shutdown(wait=True)
    total, thread = future.result(timeout=0)  # done: shutdown waited for it
    assert total == 5 and thread.startswith("lazy-test")


@pytest.mark.parametrize("used_before", [False, True])
def test_nothing_is_accepted_after_shutdown(used_before: bool) -> None:
    pool = LazyThreadPool(1, "lazy-test")
    if used_before:
        pool.submit(lambda: None).result(timeout=10)
    pool.shutdown()
    with pytest.raises(RuntimeError, match="after shutdown"):
        pool.submit(lambda: None)
