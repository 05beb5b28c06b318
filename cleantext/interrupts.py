"""What Ctrl-C and SIGTERM do to a run of the command: one line, an exit status, nothing left behind.

By default SIGTERM kills the process at once, leaving its temporary output
and its worker processes behind, and Ctrl-C raises KeyboardInterrupt wherever
the process is, inside a process pool's own code too, where it can leave
the pool's threads deadlocked. `catch_signals` makes both stop the run the
same way: `main` removes the temporary output, `stop_workers` kills the
workers, `report` writes the one line. While a pool runs (`deferred`), a
signal is only noted and the run stops at the next block
(`raise_if_signalled`); a second signal stops it at once. Workers leave
signals to the parent and die with it (`settle_worker`).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = [
    "DroppedInterrupts",
    "Terminated",
    "catch_signals",
    "deferred",
    "interrupt_behind",
    "is_worker",
    "raise_if_signalled",
    "report",
    "settle_worker",
    "stop_workers",
]

# The process that runs `main`, whoever imported this module: its workers are forked from it.
_main_pid = os.getpid()


def is_worker() -> bool:
    """Whether this process is a worker forked by the one that called `catch_signals`."""
    return os.getpid() != _main_pid


def main_pid() -> int:
    return _main_pid


class Terminated(KeyboardInterrupt):
    """SIGTERM (``timeout``, ``kill``, a batch scheduler), handled as Ctrl-C is: output removed, workers
    stopped."""


# The signal received, kept until it stops the run: an exception raised in a
# callback (a fork hook, a finalizer) is printed and dropped, not propagated.
_signalled: int | None = None
# While a process pool runs, a signal only sets _signalled, and the run stops at
# the next batch: an exception raised at any point of the pool's own code (a
# lock taken, not yet released) can leave its threads deadlocked, and the run
# hanging for ever. A second signal stops at once.
_deferred = False


def _on_signal(signum: int, frame: Any) -> None:
    global _signalled
    if os.getpid() != _main_pid:
        # A worker just forked, before its initializer ignores the signal: the parent handles it.
        return
    first = _signalled is None
    _signalled = signum
    if first and _deferred:
        return
    raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


@contextmanager
def deferred(defer: bool) -> Iterator[None]:
    global _deferred
    _deferred = defer
    try:
        yield
    finally:
        _deferred = False


def raise_if_signalled() -> None:
    """Raise again a signal whose exception was dropped, before any more output is written."""
    if _signalled is not None:
        raise Terminated() if _signalled == signal.SIGTERM else KeyboardInterrupt()


def catch_signals() -> dict[int, Any]:
    """Make SIGTERM clean up as Ctrl-C does, in this process only; return the handlers replaced.

    By default SIGTERM kills the process at once: its temporary output stays
    behind, and its worker processes live on as orphans. A worker inherits
    the handlers when it is forked and keeps them until its initializer runs:
    there they do nothing, where Python's own would raise KeyboardInterrupt
    in the worker (a traceback, a broken pool) instead of in this process.
    """
    global _signalled, _main_pid
    _signalled = None
    _main_pid = os.getpid()
    previous = {}
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, _on_signal)
    except ValueError:  # not the main thread (main() called from a thread): leave them
        pass
    return previous


class DroppedInterrupts:
    """A `sys.unraisablehook` that leaves out the signal's exception where Python drops it.

    Raised in a fork hook or a finalizer, it is printed as "Exception ignored"
    and lost; `_signalled` keeps it, and the run stops with its one line.
    """

    def __init__(self, hook: Any) -> None:
        self.hook = hook

    def __call__(self, unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            self.hook(unraisable)


def report(err: KeyboardInterrupt, prog: str) -> int:
    """One line and the exit status of a signal; the temporary output is gone by now."""
    global _signalled
    _signalled = None
    stop_workers()
    # The signal may have cut short the set-up of an object whose finalizer then
    # fails at exit ("Exception ignored in: <Finalize object, dead>"): noise
    # after the one line that says what happened.
    sys.unraisablehook = _ignore_unraisable
    terminated = isinstance(err, Terminated)
    sys.stderr.write(f"{prog}: {'terminated' if terminated else 'interrupted'}\n")
    return 128 + (signal.SIGTERM if terminated else signal.SIGINT)


def _ignore_unraisable(unraisable: Any) -> None:
    pass


def interrupt_behind(err: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C or SIGTERM that `err` was raised while handling, if any.

    A process pool interrupted as it starts its manager thread fails to shut
    down ("cannot join thread before it is started"): the signal is the
    cause, the RuntimeError a consequence.
    """
    seen = err.__context__
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return seen
        seen = seen.__context__
    return None


def stop_workers() -> None:
    """Kill the worker processes an interrupt left behind.

    Interrupted while it starts its processes, a process pool can be left
    without the thread that would stop them; they would wait for work
    forever, and this process for them at exit. They hold nothing to save.
    """
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is None:
        return
    for child in multiprocessing.active_children():
        child.kill()


def settle_worker(parent_pid: int) -> None:
    """Set up a worker process forked by `parent_pid` to leave signals to it, and to die with it.

    Ctrl-C reaches the whole process group: the parent alone handles it (it
    stops the pool and removes its temporary output), so a worker ignores
    SIGINT, and takes SIGTERM's default, not the parent's handler it
    inherited. A parent interrupted while it starts its pool may lose track
    of a worker, which would then wait for work forever: on Linux the kernel
    kills the worker when the parent dies, and a worker whose parent is
    already gone exits at once.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        try:
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        except (OSError, AttributeError):  # no prctl: the parent's own clean-up has to do
            pass
    if os.getppid() != parent_pid:
        os._exit(1)
