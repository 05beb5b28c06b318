"""An ordered map over worker processes that reads its input only a little ahead.

`multiprocessing.Pool.imap` feeds its workers from a thread that consumes the
whole input as fast as it can, so memory grows with the input. Here at most
``2 * jobs`` chunks are in flight: memory is bounded by the chunk size and the
largest record, whatever the size of the input, and results come back in
input order.

The first chunk is mapped in this process, before any worker starts. The
filters build their compiled rules and tables on first use (a few tenths of
a second), and forked workers inherit what the first chunk built instead of
each building it again; an input of one chunk starts no worker at all.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["kill_workers", "ordered_map"]

T = TypeVar("T")
R = TypeVar("R")

_WORKER_FN: Callable[[Any], Any] | None = None


def _init(fn: Callable[[Any], Any], initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    global _WORKER_FN
    _WORKER_FN = fn
    if initializer is not None:
        initializer(*initargs)


def _run_chunk(chunk: list[Any]) -> list[Any]:
    assert _WORKER_FN is not None
    return [_WORKER_FN(item) for item in chunk]


def ordered_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int = 1,
    chunk_size: int = 64,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """``map(fn, items)`` in `jobs` processes, in order, reading ahead at most ``2 * jobs`` chunks.

    `fn` and `initializer` must be module-level functions; `initargs` (the
    pipeline) is pickled once per worker, not once per item.
    """
    if jobs <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from map(fn, items)
        return
    # Imported here: a single-process run (the default) need not pay for them at start-up.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    iterator = iter(items)
    first = list(islice(iterator, chunk_size))
    if initializer is not None:
        initializer(*initargs)
    yield from map(fn, first)
    ahead = list(islice(iterator, chunk_size))
    if not ahead:
        return
    iterator = chain(ahead, iterator)
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    pending: deque[Future[list[R]]] = deque()
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init, initargs=(fn, initializer, initargs)) as pool:
        try:
            while True:
                while len(pending) < 2 * jobs:
                    chunk = list(islice(iterator, chunk_size))
                    if not chunk:
                        break
                    pending.append(pool.submit(_run_chunk, chunk))
                if not pending:
                    return
                yield from pending.popleft().result()
        except BrokenProcessPool:
            kill_workers(pool)
            raise
        finally:
            for future in pending:
                future.cancel()


def kill_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the workers of a pool that one worker's death (out of memory) broke, before it shuts down.

    A worker killed while it holds the pool's queue lock leaves the others
    stuck on that lock, and Python 3.11's shutdown then waits for them for
    ever. Only then: after an interrupt, a worker killed in the middle of
    sending a result would leave the pool waiting for the rest of it.
    """
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()
