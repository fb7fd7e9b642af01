"""Project settings: `cardsmith.toml`, or `[tool.cardsmith]` in `pyproject.toml`, found from the
current folder upwards, merged with the command line into `Settings`.

The config in force is the first found in the current folder or above it, up to the top of a git
repository: the way git finds its repository, and the way a file's lock is found
(`cardsmith.build.project`). So `cd content && cardsmith build x.md` uses `../cardsmith.toml`, and
its paths (`out`, `sources`) stay relative to the config's own folder.

Every setting and its checks come from the one schema (`cardsmith.settings`). Precedence, lowest first:
the default, the config file, a deck's front matter (deck settings only, applied when the deck is
read), the command line. `cardsmith config` shows the result and where each value came from.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cardsmith.errors import ContentError
from cardsmith.files import FileTooLarge, read_regular, size_text
from cardsmith.model import Source
from cardsmith.settings import COMMAND_LINE, CONFIG, SETTINGS, Settings, did_you_mean, problem

CONFIG_NAMES = ("cardsmith.toml", "pyproject.toml")


@dataclass(frozen=True, slots=True)
class Resolved:
    value: Any
    origin: str  # "default", a config file's path, or "command line"


@dataclass(frozen=True, slots=True)
class Config:
    """The config file in force: its path as the user would write it from here (None: there is
    none, the defaults hold) and its settings table."""

    path: Path | None
    table: dict[str, Any]

    @property
    def folder(self) -> Path:
        """What the config's paths are relative to: its own folder (here, when there is none)."""
        return self.path.parent if self.path is not None else Path(".")


def find_config(folder: Path) -> tuple[Path | None, dict[str, Any]]:
    """The first of `cardsmith.toml` and `pyproject.toml` (with a `[tool.cardsmith]` table) in `folder`."""
    for name in CONFIG_NAMES:
        path = _shown(folder / name)
        if not path.is_file():
            continue
        data = _load(path)
        table = data if name == "cardsmith.toml" else data.get("tool", {}).get("cardsmith")
        if table is None:
            continue
        _validate(table, path)
        return path, table
    return None, {}


def project_config() -> Config:
    """The config in force in the current folder: the first found in it or above it, up to the top
    of a git repository."""
    here = Path.cwd()
    for current in (here, *here.parents):
        path, table = find_config(current)
        if path is not None:
            return Config(path, table)
        if (current / ".git").exists():
            break  # a project does not reach beyond its repository
    return Config(None, {})


def resolve(given: dict[str, Any]) -> tuple[Config, dict[str, Resolved]]:
    """The config in force in the current folder, and every setting's value and origin; `given`
    holds what the command line set. A path from the config file, or a default path when there is
    a config, is made relative to here: it was relative to the config's folder."""
    config = project_config()
    resolved = {}
    for declared in SETTINGS:
        if declared.name in given:
            resolved[declared.name] = Resolved(given[declared.name], COMMAND_LINE)
        elif declared.name in config.table:
            value = config.table[declared.name]
            if declared.path:
                value = _rebased(value, config.folder)
            resolved[declared.name] = Resolved(value, str(config.path))
        else:
            value = declared.default
            if declared.path:  # the project's: `output` beside the config, wherever you are
                value = _rebased(list(value) if declared.kind is tuple else value, config.folder)
            resolved[declared.name] = Resolved(value, "default")
    return config, resolved


def _rebased(value: str | list[str], folder: Path) -> str | list[str]:
    """A path written relative to `folder`, as a path relative to here."""
    if isinstance(value, list):
        return [_rebased(item, folder) for item in value]
    return os.path.normpath(folder / value)


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


def _shown(path: Path) -> Path:
    """`path` as the user would write it from here: relative when it is below the current folder
    or the current folder is below its folder (`../cardsmith.toml`), else as it is."""
    here, absolute = Path.cwd(), path.absolute()
    if absolute.is_relative_to(here) or here.is_relative_to(absolute.parent):
        return Path(os.path.relpath(absolute, here))
    return path


def toml_value(value: Any) -> str:
    """A setting's value as TOML writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string, escapes and all
    return str(value)


# a config of settings is a few hundred bytes; a larger file is a mistake, refused before it is read
MAX_CONFIG_BYTES = 1 << 20


def _load(path: Path) -> dict[str, Any]:
    try:
        data = read_regular(path, MAX_CONFIG_BYTES)
    except FileTooLarge:
        message = f"file is larger than {size_text(MAX_CONFIG_BYTES)}; is it the right file?"
        raise ContentError.at(Source(path, 0), message) from None
    except OSError as exc:
        raise ContentError.at(Source(path, 0), f"cannot read: {exc.strerror}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError.at(Source(path, line), "not valid UTF-8; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        line, message = _toml_problem(str(exc), data)
        raise ContentError.at(Source(path, line), f"invalid TOML: {message}") from None


def _toml_problem(message: str, data: bytes) -> tuple[int, str]:
    """(line, message) from tomllib's "Invalid value (at line 4, column 8)": the line goes where
    every message puts it."""
    if found := re.search(r"\s*\(at line (\d+), column (\d+)\)$", message):
        line, text = int(found[1]), f"{message[: found.start()]} at column {found[2]}"
    elif found := re.search(r"\s*\(at end of document\)$", message):
        line, text = data.count(b"\n") + 1, f"{message[: found.start()]} at the end of the file"
    else:
        line, text = 1, message
    return line, text[:1].lower() + text[1:]


def _validate(table: dict[str, Any], path: Path) -> None:
    known = {s.name: s for s in SETTINGS if CONFIG in s.where}
    for name, value in table.items():
        if name == "cardsmith" and isinstance(value, dict) and path.name == "cardsmith.toml":
            message = (
                "settings sit at the top level of cardsmith.toml, without a [cardsmith] table: "
                "remove that line"
            )
        elif name in known:
            message = problem(known[name], value)
        else:
            message = f"unknown setting {name!r}{did_you_mean(name, known)}"
        if message:
            raise ContentError.at(Source(path, _key_line(path, name)), message)


def _key_line(path: Path, key: str) -> int:
    written = re.compile(rf"^\s*(\[\s*)?['\"]?{re.escape(key)}['\"]?\s*[=\]]")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if written.match(line):
            return number
    return 1
