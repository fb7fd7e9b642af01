"""`Run`: how one build runs, kept apart from what it is asked to make (`cardsmith.settings`).

Nothing here is declared by a user, changes an output or goes into a cache key, and none of it goes to
a worker process: the callbacks are the caller's (often not picklable), and only the build's own
process reads the clock (ids are stamped there)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Run:
    force: bool = False  # rebuild decks even when their inputs did not change
    fail_fast: bool = False  # stop at the first deck with an error
    # called as each deck's outputs are written: (decks done, decks in all; unchanged ones are done)
    progress: Callable[[int, int], None] | None = None
    # called with what a long export is doing now ("deck.pdf: page 37"; `cardsmith.activity`)
    activity: Callable[[str], None] | None = None
    # called when the build must wait for another build of the same content folder to finish
    waiting: Callable[[Path], None] | None = None
    clock: Callable[[], float] = time.time


DEFAULT_RUN = Run()  # not forced, no callbacks: what a Python caller gets when it asks for nothing
