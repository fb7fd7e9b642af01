"""Worker processes that parse and export decks side by side, and never outlive the build.

A worker ignores Ctrl-C (the build stops them itself), is sent SIGTERM when the build's process dies
for any reason, `kill -9` included (Linux's parent-death signal; elsewhere a thread that watches the
parent), and on SIGTERM removes the temporary files it was writing and exits at once. So a stopped
build leaves the earlier outputs as they were, and no process goes on laying out PDFs for nobody.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

from cardsmith.output import discard_all


class Workers:
    """Runs one function over many items: in this process, or in a pool of `size` worker processes
    when there are several items."""

    def __init__(self, size: int, progress: Callable[[int, int], None] | None = None):
        self.size = size
        self.progress = progress
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        if self.size > 1:
            self.pool = ProcessPoolExecutor(
                max_workers=self.size, initializer=_start_worker, initargs=(os.getpid(),)
            )
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if self.pool is None:
            return
        if kind is None:
            self.pool.shutdown(cancel_futures=True)
            return
        # stopped (Ctrl-C, SIGTERM) or failed: end the workers now, not when their tasks end
        processes = list((self.pool._processes or {}).values())
        for process in processes:
            with contextlib.suppress(OSError):
                process.terminate()
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(timeout=10)

    def map(self, function: Callable, items: list, *args, progress: bool = False) -> list:
        """`function(item, *args)` for each item, results in order."""
        report = (self.progress if progress else None) or (lambda done, total: None)
        if self.pool is None or len(items) < 2:
            results = []
            for item in items:
                results.append(function(item, *args))
                report(len(results), len(items))
            return results
        futures = [self.pool.submit(function, item, *args) for item in items]
        for done, _ in enumerate(as_completed(futures), start=1):
            report(done, len(items))
        return [future.result() for future in futures]


def _start_worker(parent: int) -> None:
    """In each new worker: stop when told to or when the build's process is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    if not _die_with(parent):
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before we asked to be told
        _stop()


def _die_with(parent: int) -> bool:
    """Ask Linux to send SIGTERM when the parent dies; False where there is no such thing."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        return libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)


def _stop(*_signal) -> None:
    discard_all()  # the outputs being written, which would otherwise stay as .tmp files
    os._exit(128 + signal.SIGTERM)
