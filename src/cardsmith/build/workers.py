"""Worker processes that parse and export decks side by side, and never outlive the build.

A worker ignores Ctrl-C (the build stops them itself), is sent SIGTERM when the build's process dies
for any reason, `kill -9` included (Linux's parent-death signal; elsewhere a thread that watches the
parent), and on SIGTERM removes the temporary files it was writing and exits at once. So a stopped
build leaves the earlier outputs as they were, and no process goes on laying out PDFs for nobody.

What a worker is doing (`cardsmith.activity`) comes back through a queue that a thread of the
build's process reads; a worker never waits on it (a message that cannot be sent is dropped).
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import gc
import multiprocessing
import operator
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, as_completed, wait
from typing import Any

from cardsmith import activity, model
from cardsmith.exporters import Spread, run_here
from cardsmith.output import discard_all


def _pickled(kind: type) -> Callable[[Any], tuple]:
    """How an object of the frozen model dataclass `kind` is pickled: its fields' values in one
    tuple. What dataclasses give a slotted class by default looks its fields up again for each
    object: a deck of 1,000 questions takes half as long each way so (a deck goes to the build's
    process once read, and back to a worker to be written)."""
    names = tuple(field.name for field in dataclasses.fields(kind))
    values = operator.attrgetter(*names)
    if len(names) == 1:  # (attrgetter of one name gives the value, not a tuple)
        return lambda made: (model.unchecked, (kind, names, (values(made),)))
    return lambda made: (model.unchecked, (kind, names, values(made)))


for _kind in vars(model).values():
    if (
        isinstance(_kind, type)
        and dataclasses.is_dataclass(_kind)
        and _kind.__module__ == model.__name__
    ):
        copyreg.pickle(_kind, _pickled(_kind))


class Workers:
    """Runs one function over many items: in this process, or in a pool of `size` worker processes
    when there are several items."""

    def __init__(self, size: int, activity: Callable[[str], None] | None = None):
        self.size = size
        self.activity = activity
        self.pool: ProcessPoolExecutor | None = None
        self._said = None  # the workers' activity queue
        self._reader: threading.Thread | None = None
        self._done = threading.Event()

    def __enter__(self) -> Workers:
        self._before = activity.listen(self.activity)
        if self.size > 1:
            context = multiprocessing.get_context()
            if self.activity is not None:
                self._said = context.Queue()
                self._reader = threading.Thread(target=self._read, daemon=True)
                self._reader.start()
            self.pool = ProcessPoolExecutor(
                max_workers=self.size,
                mp_context=context,
                initializer=_start_worker,
                initargs=(os.getpid(), self._said),
            )
        return self

    def _read(self) -> None:
        while not self._done.is_set():
            try:
                text = self._said.get(timeout=0.1)
            except queue.Empty:
                continue
            except (OSError, EOFError, ValueError):  # the queue is gone: nothing more to show
                return
            self.activity(text)

    def __exit__(self, kind, error, traceback) -> None:
        activity.listen(self._before)
        try:
            self._stop_pool(kind)
        finally:
            self._done.set()
            if self._reader is not None:
                self._reader.join()
                self._said.close()
                self._said.cancel_join_thread()

    def _stop_pool(self, kind) -> None:
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

    def map(
        self,
        function: Callable,
        items: list,
        *args,
        finished: Callable[[int], None] | None = None,
        first: Sequence[int] | None = None,
        meanwhile: Callable[[], None] | None = None,
    ) -> list:
        """`function(item, *args)` for each item, results in order; `finished(index)` is called
        as each item is done (in this process), whatever the order. `first`: the order the items
        are handed out in (their indices; the longest first, so that no worker is left with a
        long one at the end). `meanwhile`: work of this process's own that does not need the
        results, done while the workers work (here, before the items, when there is no pool)."""
        finished = finished or (lambda index: None)
        if self.pool is None or len(items) < 2:
            if meanwhile is not None:
                meanwhile()
            results = []
            for index, item in enumerate(items):
                results.append(function(item, *args))
                finished(index)
            return results
        order = range(len(items)) if first is None else first
        index_of = {self.pool.submit(function, items[index], *args): index for index in order}
        if meanwhile is not None:
            meanwhile()
        futures = [None] * len(items)
        for future in as_completed(index_of):
            futures[index_of[future]] = future
            finished(index_of[future])
        return [future.result() for future in futures]

    def drive(
        self,
        jobs: list[Generator[Spread, list, Any]],
        finished: Callable[[int], None] | None = None,
        meanwhile: Callable[[], None] | None = None,
    ) -> list:
        """Each job's return value, in order; `finished(index)` is called as each job is done. A job
        is a generator that yields `Spread`s of work and is sent back their results (an exporter's
        steps, `cardsmith.exporters`); it runs in this process, the items of every job's spreads on
        the workers, side by side: one job's next step starts as soon as its items are done,
        whatever the others are at. `meanwhile`: as for `map`."""
        finished = finished or (lambda index: None)
        results: list[Any] = [None] * len(jobs)
        if self.pool is None:
            if meanwhile is not None:
                meanwhile()
            for index, job in enumerate(jobs):
                results[index] = run_here(job)
                finished(index)
            return results
        waiting: dict[Future, tuple[int, int]] = {}  # future: (job, position in its spread)
        gathered: dict[int, list] = {}  # job: its spread's results so far
        left: dict[int, int] = {}  # job: its spread's items not yet done

        def advance(index: int, sent: list | None) -> None:
            while True:
                try:
                    spread = jobs[index].send(sent)
                except StopIteration as stopped:
                    results[index] = stopped.value
                    finished(index)
                    return
                if spread.items:
                    break
                sent = []
            gathered[index] = [None] * len(spread.items)
            left[index] = len(spread.items)
            for position, item in enumerate(spread.items):
                future = self.pool.submit(spread.function, item, *spread.args)
                waiting[future] = (index, position)

        try:
            for index in range(len(jobs)):
                advance(index, None)
            if meanwhile is not None:
                meanwhile()
            while waiting:
                done, _ = wait(list(waiting), return_when=FIRST_COMPLETED)
                for future in done:
                    index, position = waiting.pop(future)
                    gathered[index][position] = future.result()  # a failure ends the build
                    left[index] -= 1
                    if left[index] == 0:
                        advance(index, gathered.pop(index))
        except BaseException:
            for job in jobs:
                job.close()  # each job's own cleanup (its staged files) runs now
            raise
        return results


@contextlib.contextmanager
def cycles_kept(paused: bool = True) -> Generator[None, None, None]:
    """Python's cycle collector paused for the work inside (when `paused`; as it was after). Reading
    a deck and writing the quick formats allocate millions of objects (markdown-it's tokens, the
    model, the notes) and make next to no reference cycles: none from reading the 10,000-question
    bench, 905 objects from writing its .apkg, CSV and JSON. Even at the build's rarer thresholds
    (`cli.commands`) the collector went through the growing live heap again and again: pausing it
    took the workers' CPU for that bench's .apkg from 4.9 s to 4.3 s (`-j 2`), and one process's
    from 5.3 s to 4.6 s (`-j 1`). What is freed is freed as ever, by its count of references; the
    few cycles wait for the collector's next run. WeasyPrint makes cycles (111,000 objects for the
    seed's PDFs): paper keeps it running, at its own thresholds (`exporters.printing`)."""
    if not paused or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _start_worker(parent: int, said) -> None:
    """In each new worker: stop when told to or when the build's process is gone; send what the
    exporters say to the build's process. What came from the build's process (its modules, the
    settings) is left out of the cycle collector's passes: they stay long, and a pass would write
    to each object and so copy every page of them into the worker."""
    gc.freeze()
    if said is not None:
        said.cancel_join_thread()  # exiting never waits to send what nobody will read
        activity.listen(activity.throttled(_sender(said)))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    if not _die_with(parent):
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before we asked to be told
        _stop()


def _sender(said) -> Callable[[str], None]:
    def send(text: str) -> None:
        with contextlib.suppress(Exception):  # progress is never worth a failed build
            said.put_nowait(text)

    return send


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
