"""The exporter registry: format name -> module. The CLI's `--format` choices come from here.

Each module has one entry point, `export(deck, out_dir, options, report) -> list[Path]`: it writes its
files atomically, raises `ContentError` for a deck it cannot write and puts warnings in `report`. It is
imported only when its format is built, so genanki and weasyprint stay out of `--help` and `check`.
Adding a format is one new module and one line here.

A module may also have `look() -> str`: a fingerprint of what it adds to every card beyond the content
(the Anki package's note types). The build keeps it in the lock with the time it last changed, which
reaches the exporter as `Deck.look_modified`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI reads this registry for `--help`: keep it light
    from collections.abc import Callable
    from pathlib import Path

    from cardsmith.errors import Report
    from cardsmith.model import Deck
    from cardsmith.options import Options

    Exporter = Callable[[Deck, Path, Options, Report], list[Path]]

EXPORTERS: dict[str, tuple[str, str]] = {
    # format: (module, what it writes)
    "apkg": ("cardsmith.exporters.apkg", "<stem>.apkg, an Anki package with stable note ids"),
    "csv": ("cardsmith.exporters.csv", "<stem>.csv, a spreadsheet (or .tsv with a tab delimiter)"),
    "anki-csv": ("cardsmith.exporters.anki_csv", "<stem>.anki.csv, for Anki's text import"),
    "pdf": ("cardsmith.exporters.pdf", "<stem>.pdf, a printable multi-column cheat sheet"),
    "cards-pdf": ("cardsmith.exporters.cards_pdf", "<stem>.cards.pdf, duplex flashcards to cut"),
    "json": ("cardsmith.exporters.json", "<stem>.json, the whole model for other tools"),
}


def exporter(fmt: str) -> Exporter:
    module, _ = EXPORTERS[fmt]
    return importlib.import_module(module).export


def looks(formats) -> dict[str, str]:
    """The `look()` fingerprint of each of `formats` that has one."""
    found = {}
    for fmt in formats:
        module = importlib.import_module(EXPORTERS[fmt][0])
        if hasattr(module, "look"):
            found[fmt] = module.look()
    return found
