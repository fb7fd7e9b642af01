"""Project settings: `cardsmith.toml`, or `[tool.cardsmith]` in `pyproject.toml`, in the current folder,
merged with the command line into `Settings`.

Every setting and its checks come from the one schema (`cardsmith.settings`). Precedence, lowest first:
the default, the config file, a deck's front matter (deck settings only, applied when the deck is
read), the command line. `cardsmith config` shows the result and where each value came from.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cardsmith.errors import ContentError
from cardsmith.model import Source
from cardsmith.settings import COMMAND_LINE, CONFIG, SETTINGS, Settings, problem


@dataclass(frozen=True, slots=True)
class Resolved:
    value: Any
    origin: str  # "default", a config file's path, or "command line"


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


def resolve(folder: Path, given: dict[str, Any]) -> dict[str, Resolved]:
    """Every setting's value and origin; `given` holds what the command line set."""
    path, table = find_config(folder)
    resolved = {}
    for declared in SETTINGS:
        if declared.name in given:
            resolved[declared.name] = Resolved(given[declared.name], COMMAND_LINE)
        elif declared.name in table:
            resolved[declared.name] = Resolved(table[declared.name], str(path))
        else:
            resolved[declared.name] = Resolved(declared.default, "default")
    return resolved


def settings_from(resolved: dict[str, Resolved]) -> Settings:
    """`Settings` for a build: a deck setting from the command line overrides every deck's front
    matter; one from the config file is a default that front matter may override."""
    values: dict[str, Any] = {}
    deck_defaults: dict[str, Any] = {}
    for declared in SETTINGS:
        setting = resolved[declared.name]
        value = tuple(setting.value) if declared.kind is tuple else setting.value
        if not declared.deck or setting.origin == COMMAND_LINE:
            values[declared.name] = value
        elif setting.origin != "default":
            deck_defaults[declared.name] = value
    return Settings(**values, deck_defaults=deck_defaults)


def _validate(table: dict[str, Any], path: Path) -> None:
    known = {s.name: s for s in SETTINGS if CONFIG in s.where}
    for name, value in table.items():
        message = problem(known[name], value) if name in known else f"unknown setting {name!r}"
        if message:
            raise ContentError.at(Source(path, _key_line(path, name)), message)


def _key_line(path: Path, key: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip().startswith(f"{key} ") or line.strip().startswith(f"{key}="):
            return number
    return 1


def _toml_line(exc: Exception) -> int:
    return getattr(exc, "lineno", None) or 1
