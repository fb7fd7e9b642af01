"""What a long export is doing now ("README.pdf: page 37"), for the progress line on a terminal.

Exporters `say` it; the build decides who hears: a callback in this process, or in a worker process
a queue that the build's process reads (`cardsmith.build.workers`). When nobody listens, saying costs a
test of one global. A worker says at most ten things a second: a terminal shows no more."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator

_listener: Callable[[str], None] | None = None


def say(text: str) -> None:
    if _listener is not None:
        _listener(text)


def listen(listener: Callable[[str], None] | None) -> Callable[[str], None] | None:
    """Send what is said in this process to `listener` (None: to nobody); the one before is returned."""
    global _listener
    before, _listener = _listener, listener
    return before


def throttled(send: Callable[[str], None], interval: float = 0.1) -> Callable[[str], None]:
    """`send`, called at most once per `interval` seconds; what comes between is dropped."""
    last = [0.0]

    def listener(text: str) -> None:
        now = time.monotonic()
        if now - last[0] >= interval:
            last[0] = now
            send(text)

    return listener


@contextlib.contextmanager
def weasyprint_pages(what: str, pages: int | None = None, first_page: int = 1) -> Iterator[None]:
    """While WeasyPrint lays out a document, say which page it is at: "`what`: page 37", or
    "`what`: page 37/126" when it is known to make `pages` pages in all; its pages are numbered
    from `first_page` (a part of a longer one)."""
    if _listener is None:
        yield
        return
    logger = logging.getLogger("weasyprint.progress")
    handler = _PageHandler(what, f"/{pages}" if pages else "", first_page - 1)
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the progress is ours to show, not the root logger's
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


class _PageHandler(logging.Handler):
    """WeasyPrint logs "Step 5 - Creating layout - Page %d" as it starts each page."""

    def __init__(self, what: str, of: str, before: int):
        super().__init__(logging.INFO)
        self.what, self.of, self.before = what, of, before

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith("Step 5 - Creating layout - Page") and record.args:
            say(f"{self.what}: page {record.args[0] + self.before}{self.of}")
