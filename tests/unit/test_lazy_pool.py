"""The lazily made thread pool acts like ThreadPoolExecutor: tasks run, none after shutdown."""

from __future__ import annotations

import concurrent.futures
import threading
import time
from typing import Any

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


def test_a_first_submit_from_many_threads_at_once_makes_one_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[object] = []

    class SlowToMake(concurrent.futures.ThreadPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            time.sleep(0.05)  # widens the window in which a second thread could make another
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", SlowToMake)
    pool = LazyThreadPool(1, "lazy-test")
    start = threading.Barrier(4)
    results: list[int] = []

    def submit_one() -> None:
        start.wait()
        results.append(pool.submit(lambda: 1).result(timeout=10))

    threads = [threading.Thread(target=submit_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    pool.shutdown()
    assert results == [1, 1, 1, 1]
    assert len(made) == 1  # every task went to the same pool; no thread was left behind
