"""Project settings: `cardsmith.toml`, or `[tool.cardsmith]` in `pyproject.toml`, in the current folder.

Precedence, lowest first: cardsmith's defaults, the config file, a deck's front matter (for the deck
settings `tags`, `questions`, `html`), the command line. `cardsmith config` shows the result and where
each value came from.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cardsmith.errors import ContentError
from cardsmith.model import Source

# name: (default, type check, what it is)
SETTINGS: dict[str, tuple[Any, type | tuple[type, ...], str]] = {
    "sources": (["content"], list, "Markdown files or folders to build"),
    "out": ("output", str, "folder the outputs go to"),
    "formats": ([], list, "formats to build (empty: all)"),
    "paper": ("a4", str, "PDF paper: a4 or letter"),
    "columns": (0, int, "cheat-sheet columns (0: fit the paper)"),
    "csv_delimiter": ("comma", str, "spreadsheet CSV separator: comma or tab"),
    "strict": (False, bool, "treat warnings as errors"),
    "jobs": (0, int, "worker processes (0: one per CPU)"),
    # deck settings: a deck's front matter overrides these
    "tags": ([], list, "tags added to every card"),
    "questions": ("auto", str, "question convention: auto, heading, list-heading, bold, qa"),
    "html": (False, bool, "render raw HTML in the Markdown (trusted content only)"),
}
DECK_SETTINGS = ("tags", "questions", "html")
CHOICES = {
    "paper": ("a4", "letter"),
    "csv_delimiter": ("comma", "tab"),
    "questions": ("auto", "heading", "list-heading", "bold", "qa"),
}


@dataclass(frozen=True, slots=True)
class Setting:
    value: Any
    origin: str  # "default", a config file path, or "command line"


def find_config(folder: Path) -> tuple[Path | None, dict[str, Any]]:
    """The first of `cardsmith.toml` and `pyproject.toml` (with a `[tool.cardsmith]` table) in `folder`."""
    for name in ("cardsmith.toml", "pyproject.toml"):
        path = folder / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ContentError.at(Source(path, _toml_line(exc)), f"invalid TOML: {exc}") from None
        table = data if name == "cardsmith.toml" else data.get("tool", {}).get("cardsmith")
        if table is None:
            continue
        _validate(table, path)
        return path, table
    return None, {}


def resolve(folder: Path, given: dict[str, Any]) -> dict[str, Setting]:
    """Every setting with its value and origin; `given` holds what the command line set."""
    path, table = find_config(folder)
    settings = {}
    for name, (default, _, _) in SETTINGS.items():
        if name in given:
            settings[name] = Setting(given[name], "command line")
        elif name in table:
            settings[name] = Setting(table[name], str(path))
        else:
            settings[name] = Setting(default, "default")
    return settings


def deck_defaults(settings: dict[str, Setting]) -> dict[str, Any]:
    """Front-matter defaults from the config: a deck's own front matter wins over these."""
    return {
        name: settings[name].value
        for name in DECK_SETTINGS
        if settings[name].origin not in ("default", "command line")
    }


def _validate(table: dict[str, Any], path: Path) -> None:
    for name, value in table.items():
        line = _key_line(path, name)
        if name not in SETTINGS:
            raise ContentError.at(Source(path, line), f"unknown setting {name!r}")
        _, kind, _ = SETTINGS[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ContentError.at(Source(path, line), f"{name} must be a {kind.__name__}")
        if name in CHOICES and value not in CHOICES[name]:
            raise ContentError.at(
                Source(path, line), f"{name} must be one of {', '.join(CHOICES[name])}"
            )


def _key_line(path: Path, key: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip().startswith(f"{key} ") or line.strip().startswith(f"{key}="):
            return number
    return 1


def _toml_line(exc: Exception) -> int:
    return getattr(exc, "lineno", None) or 1
