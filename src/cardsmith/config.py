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

from cardsmith.conventions import CONVENTIONS
from cardsmith.errors import ContentError
from cardsmith.exporters import EXPORTERS
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
    "questions": (
        "auto",
        str,
        "question convention: auto, heading, list-heading, list-bold, details, qa, bold",
    ),
    "html": (False, bool, "keep raw HTML unsanitised (trusted content only)"),
}
DECK_SETTINGS = ("tags", "questions", "html")
CHOICES = {  # for a list: what each item may be
    "formats": tuple(EXPORTERS),
    "paper": ("a4", "letter"),
    "csv_delimiter": ("comma", "tab"),
    "questions": ("auto", *CONVENTIONS),
}
RANGES = {"columns": (0, 6), "jobs": (0, None)}  # as the command line's, plus 0 for "automatic"
_KINDS = {str: "text in quotes", int: "a whole number", bool: "true or false", list: "a list"}


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
        problem = _problem(name, value)
        if problem:
            raise ContentError.at(Source(path, _key_line(path, name)), problem)


def _problem(name: str, value: Any) -> str | None:
    """What is wrong with `name = value`, or None."""
    if name not in SETTINGS:
        return f"unknown setting {name!r}"
    _, kind, _ = SETTINGS[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        return f"{name} must be {_KINDS[kind]}"
    items = value if kind is list else [value]
    if kind is list and not all(isinstance(item, str) for item in items):
        return f"{name} must be a list of texts in quotes"
    if name in CHOICES and (wrong := [i for i in items if i not in CHOICES[name]]):
        return f"{name}: {wrong[0]!r} is not one of {', '.join(CHOICES[name])}"
    if name in RANGES:
        low, high = RANGES[name]
        if value < low or (high is not None and value > high):
            return f"{name} must be {low} to {high}" if high else f"{name} must be {low} or more"
    return None


def _key_line(path: Path, key: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip().startswith(f"{key} ") or line.strip().startswith(f"{key}="):
            return number
    return 1


def _toml_line(exc: Exception) -> int:
    return getattr(exc, "lineno", None) or 1
