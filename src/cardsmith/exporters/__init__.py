"""The exporter registry: one ordered tuple of `Format` records, the CLI's `--format` choices and help.

Each format's module has one entry point, `export(deck, out, settings, report, renders) ->
list[Path]` (the `Exporter` protocol): it writes its files into `out` (a `Staging`: the build puts a
deck's files in place together), raises `ContentError` for a deck it cannot write, puts warnings in
`report`, and renders Markdown through one `Rendering.of(deck, target, renders)` (`renders` is the
memo a deck's formats share). It is imported only when its format is built, so genanki and WeasyPrint
stay out of `--help` and `check`.

A format whose outputs give every card note types of their own (the Anki package's templates and CSS)
declares `note_types=True` and its module has `note_types() -> str`, a fingerprint of them: the build
keeps it in the lock with the time it last changed (`Deck.note_types_modified`), so restyled cards
reach a collection even when no question changed.

An exporter with much work of its own (the flashcards: WeasyPrint laying out thousands of pages) is
instead a generator function: it yields `Spread`s, work to run over many items, and gets back their
results; its return value is its list of files. The build runs a `Spread`'s items on its worker
processes, even for a single deck (`build.workers.Workers.drive`); `run_here` runs them one after
another in this process. Such a format declares `spreads=True`.

Adding a format: one module with `export`, and one `Format` line below.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the CLI reads this registry for `--help`: keep it light
    from pathlib import Path

    from cardsmith.errors import Report
    from cardsmith.model import Deck
    from cardsmith.output import Staging
    from cardsmith.render import Renders
    from cardsmith.settings import Settings


class Exporter(Protocol):
    def __call__(
        self, deck: Deck, out: Staging, settings: Settings, report: Report, renders: Renders
    ) -> list[Path] | Generator[Spread, list, list[Path]]: ...


@dataclass(frozen=True, slots=True)
class Spread:
    """Work an exporter hands to the build: `function(item, *args)` for each of `items`, the results
    sent back in order. It may run in other processes: `function` is a module's own function and
    the items and `args` are plain data, as a worker process is sent them."""

    function: Callable
    items: Sequence
    args: tuple = ()

    def run_here(self) -> list:
        return [self.function(item, *self.args) for item in self.items]


def run_here(written: Any) -> Any:
    """What an exporter wrote: its list of files, or, from a generator exporter, its return value
    with every `Spread` it yields run in this process."""
    if not inspect.isgenerator(written):
        return written
    results = None
    while True:
        try:
            spread = written.send(results)
        except StopIteration as done:
            return done.value
        results = spread.run_here()


@dataclass(frozen=True, slots=True)
class Format:
    name: str  # as in `--format` and the config's `formats`
    module: str
    writes: str  # what it writes, for `--help`
    note_types: bool = False  # the module has `note_types() -> str` (see above)
    spreads: bool = False  # its exporter yields `Spread`s (see above)
    paper: bool = False  # lays out pages (WeasyPrint): seconds to minutes where others take moments
    # where its answers are shown (a `render.Target`'s value), so the build renders them ahead, from
    # the reader's tokens (`render.render_ahead`); "" when it shows no rendered Markdown
    target: str = ""

    def exporter(self) -> Exporter:
        return importlib.import_module(self.module).export

    def note_types_fingerprint(self) -> str:
        return importlib.import_module(self.module).note_types()


FORMATS: tuple[Format, ...] = (
    Format(
        "apkg",
        "cardsmith.exporters.apkg",
        "<stem>.apkg, an Anki package",
        note_types=True,
        target="card",
    ),
    Format("csv", "cardsmith.exporters.csv", "<stem>.csv, for spreadsheets (.tsv with tabs)"),
    Format(
        "anki-csv",
        "cardsmith.exporters.anki_csv",
        "<stem>.anki.csv, for Anki's text import",
        target="card",
    ),
    Format(
        "pdf",
        "cardsmith.exporters.cheat_sheet",
        "<stem>.pdf, a printable cheat sheet",
        paper=True,
        target="print",
    ),
    Format(
        "cards-pdf",
        "cardsmith.exporters.flashcards",
        "<stem>.cards.pdf, duplex flashcards",
        spreads=True,
        paper=True,
        target="print",
    ),
    Format("json", "cardsmith.exporters.json", "<stem>.json, the whole model for programs"),
    Format(
        "html",
        "cardsmith.exporters.study_page",
        "<stem>.html, a study page for any browser",
        target="page",
    ),
)
FORMAT: dict[str, Format] = {f.name: f for f in FORMATS}
FORMAT_NAMES: tuple[str, ...] = tuple(FORMAT)


def waves(formats) -> list[list[str]]:
    """`formats` in the builds `watch` makes of them, in turn: those ready in moments, then those
    laid out on paper (each list left out when empty)."""
    quick = [name for name in formats if not FORMAT[name].paper]
    paper = [name for name in formats if FORMAT[name].paper]
    return [wave for wave in (quick, paper) if wave]


def targets(formats) -> tuple[str, ...]:
    """Where the answers of `formats` are shown (`Format.target`), each once."""
    return tuple(dict.fromkeys(FORMAT[name].target for name in formats if FORMAT[name].target))


def note_types(formats) -> dict[str, str]:
    """The note-type fingerprint of each of `formats` that declares one."""
    return {
        name: FORMAT[name].note_types_fingerprint() for name in formats if FORMAT[name].note_types
    }
