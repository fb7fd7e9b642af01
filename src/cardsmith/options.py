"""Settings that reach the exporters, gathered from the command line (or a Python caller)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cardsmith.model import Deck


@dataclass(frozen=True, slots=True)
class Options:
    # keep raw HTML unsanitised in every deck (front matter `html: true` does it per deck)
    allow_html: bool = False
    paper: str = "a4"  # a4 | letter
    columns: int | None = None  # cheat-sheet columns; None fits the paper
    csv_delimiter: str = ","
    strict: bool = False  # warnings fail the deck
    fail_fast: bool = False  # stop at the first deck with an error
    # force a question convention (cardsmith.conventions); None: front matter, else detect
    questions: str | None = None
    # force the heading level of questions (1-6); None: front matter, else detect
    question_level: int | None = None
    force: bool = False  # rebuild decks even when their inputs did not change
    jobs: int = 1  # worker processes for exporting several decks at once
    # project config for decks (tags, questions, html); each deck's front matter wins over it
    deck_defaults: dict = field(default_factory=dict, compare=False)
    # called as each deck finishes: (decks done, decks in all)
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)
    # called when the build must wait for another build of the same content folder to finish
    waiting: Callable[[Path], None] | None = field(default=None, compare=False)

    def allows_html(self, deck: Deck) -> bool:
        """Raw HTML is kept unsanitised when the build (`--allow-html`) or the deck (`html: true`)
        trusts it; otherwise it is sanitised (`cardsmith.sanitize`)."""
        return self.allow_html or deck.allow_html

    clock: Callable[[], float] = field(default=time.time, compare=False)
