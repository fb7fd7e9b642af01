"""Readers: what is on disk -> the `Deck` model, and the table `build` asks which reader reads a path.

Each kind of input has a reader module (the `Reader` protocol): `claims(path)` says whether it reads
that path as one deck, `digest(path)` fingerprints its inputs for the build cache (what the bytes
and settings files say; never the time), `read(path, root, report, settings, cache, parsed)` makes
the `Deck`, and `CONFIG_FILES` names the files inside a deck's folder, not content, that change how it
is read (`cardsmith watch` rebuilds when one changes). Every reader gets the same `Settings`, and
resolves its deck settings the one way there is (`DeckSettings.resolve`): the command line, then what
the deck says of itself (a Markdown file's front matter; a vault says nothing), then the config file.
A reader may keep what it read in the folder `cache` names, to read less next time, and may put in
`parsed` the block tokens of answers its own parse made (answer text -> markdown-it tokens), so that
they are rendered without a second parse (`render.render_ahead`). Readers know no output format.

`READERS` is the table, in the order it is asked: the first reader that claims a path reads it. A
folder no reader claims is a folder of Markdown files, each read by the reader that claims it. The
modules are imported when first asked, as the exporters are.

Adding a kind of input: one module with `claims`, `digest`, `read` and `CONFIG_FILES`, and one
`Input` line below.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cardsmith.errors import Report
    from cardsmith.model import Deck
    from cardsmith.settings import Settings


@dataclass(frozen=True, slots=True)
class CacheFolder:
    """A folder a reader may keep what it read in (a vault's notes cache, in the output folder);
    `refresh`: use nothing it holds, but keep it for the next build (`--force`)."""

    path: Path
    refresh: bool = False


class Reader(Protocol):
    # files inside a deck's folder, relative to it, that say how the deck is read
    CONFIG_FILES: tuple[PurePosixPath, ...]

    def claims(self, path: Path) -> bool: ...

    def digest(self, path: Path) -> str: ...

    def read(
        self,
        path: Path,
        root: Path,
        report: Report,
        settings: Settings,
        cache: CacheFolder | None = None,
        parsed: dict[str, list] | None = None,
    ) -> Deck: ...


@dataclass(frozen=True, slots=True)
class Input:
    """One kind of input and the module that reads it (a `Reader`)."""

    name: str
    module: str

    def reader(self) -> Reader:
        return importlib.import_module(self.module)


READERS: tuple[Input, ...] = (
    # a folder with `.obsidian/`: one deck of the cards in its notes
    Input("obsidian", "cardsmith.reading.obsidian"),
    # a Markdown file of questions, one deck
    Input("bank", "cardsmith.reading.bank"),
)


def reader_of(path: Path) -> Reader | None:
    """The first reader that claims `path`; None when none does (a plain folder, or nothing there)."""
    for entry in READERS:
        reader = entry.reader()
        if reader.claims(path):
            return reader
    return None


def is_config_file(path: Path) -> bool:
    """Whether `path` is one of the files that say how a reader reads its folder."""
    return any(
        path.parts[-len(file.parts) :] == file.parts
        for entry in READERS
        for file in entry.reader().CONFIG_FILES
    )
