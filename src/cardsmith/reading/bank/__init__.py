"""The question bank reader: one Markdown file of questions -> one `Deck` (a `cardsmith.reading.Reader`)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from cardsmith.errors import Report
from cardsmith.fingerprint import file_digest
from cardsmith.model import Deck
from cardsmith.reading import CacheFolder
from cardsmith.reading.bank.parse import parse_file
from cardsmith.settings import Settings

CONFIG_FILES: tuple[PurePosixPath, ...] = ()  # a file says everything about itself


def claims(path: Path) -> bool:
    """Any file named (a folder's files are its `*.md`: `cardsmith.build.pipeline.discover`)."""
    return path.is_file()


def digest(path: Path) -> str:
    return file_digest(path)


def read(
    path: Path, root: Path, report: Report, settings: Settings, cache: CacheFolder | None = None
) -> Deck:
    """The file's deck; its front matter stands between the command line and the config file."""
    return parse_file(path, root, report, settings.deck)
