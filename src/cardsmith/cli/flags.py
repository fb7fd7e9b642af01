"""The command line's options, made from the settings schema (`cardsmith.settings`), and the
settings they give: the command line over the config file over the defaults.

Every command that reads decks takes every setting the command line may give (`options`), those
about written files only when it writes them, so no command can miss one."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cardsmith.cli import terminal
from cardsmith.exporters import FORMAT_NAMES, FORMATS
from cardsmith.settings import COMMAND_LINE, SETTINGS, Setting, Settings, problem

if TYPE_CHECKING:
    from cardsmith.build.config import Config, Resolved

PATHS = click.Path(path_type=Path)


def _option(declared: Setting) -> Callable:
    """A Click option made from one setting of the schema. Nothing given means "not given": the
    config file or the default decide (`chosen`)."""
    default = declared.default
    if isinstance(default, bool):
        default = "on" if default else "off"
    elif isinstance(default, tuple):
        default = ", ".join(default) or "none"
    elif default == "":
        default = "none"
    shown = f"{'front matter, ' if declared.deck else ''}config, else {default}"
    if declared.name == "formats":
        shown = "config, else all] [" + "; ".join(f"{f.name}: {f.writes}" for f in FORMATS)
    help = f"{declared.help[0].upper()}{declared.help[1:]} [{shown or 'none'}]."
    if declared.kind is bool:
        return click.option(
            *declared.cli_names, declared.name, is_flag=True, default=None, help=help
        )
    if declared.choices:
        kind = click.Choice(declared.allowed)
    elif declared.kind is int:
        kind = click.IntRange(declared.low, declared.high)
    elif declared.path:
        kind = PATHS
    else:
        kind = str
    return click.option(
        *declared.cli_names,
        declared.name,
        type=kind,
        multiple=declared.kind is tuple,
        help=help,
        callback=_checked(declared) if declared.regex else None,
    )


def _checked(declared: Setting) -> Callable:
    """A Click callback that refuses a value the setting's checks refuse (a bad regular expression)."""

    def check(context, parameter, value):
        wrong = value and problem(declared, value)
        if wrong:
            raise click.BadParameter(wrong.split(": ", 1)[-1])
        return value

    return check


def command_line_settings(*, writes: bool) -> list[Setting]:
    """The settings a command takes on the command line: all of them when it writes files, else
    all but those about written files."""
    return [
        s
        for s in SETTINGS
        if COMMAND_LINE in s.where and s.name != "sources" and (writes or not s.writing)
    ]


def options(*, writes: bool = True, sources: bool = True, talk: bool = True) -> Callable:
    """The sources argument (when `sources`), every setting the command line may give (those about
    written files when the command `writes`), and -q/-v (when `talk`)."""

    def decorate(function):
        decorators = [
            *([click.argument("sources", nargs=-1, type=PATHS)] if sources else []),
            *(_option(s) for s in command_line_settings(writes=writes)),
        ]
        if talk:
            decorators += [
                click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors."),
                click.option(
                    "-v", "--verbose", is_flag=True, help="Also say what each deck holds and skips."
                ),
            ]
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return decorate


def resolved(given: dict) -> tuple[Config, dict[str, Resolved]]:
    """The config file in force and each setting's value and where it comes from
    (`cardsmith.build.config.resolve`), from what the command line gave; a bad config file is
    reported and the command ends."""
    from cardsmith.build.config import resolve
    from cardsmith.errors import ContentError

    try:
        return resolve(_given(given))
    except ContentError as exc:
        terminal.show(exc.diagnostics)
        sys.exit(1)


def _given(given: dict) -> dict:
    # a flag left off (False), an empty list or None was not given: config or default decide
    return {k: v for k, v in given.items() if v not in (None, (), False)}


@dataclass(frozen=True, slots=True)
class Chosen:
    """What a command was given, with the config and the defaults: what to read, where to write
    which formats, and the settings."""

    sources: list[Path]
    out: Path
    formats: list[str]
    settings: Settings
    config: Config


def plan(given: dict) -> Chosen:
    """What to do, from the command line over the config over the defaults; a config file with a
    mistake raises `ContentError` (`cardsmith watch` reads it again after each change)."""
    from cardsmith.build.config import resolve, settings_from

    config, in_force = resolve(_given(given))
    settings = settings_from(in_force)
    formats = list(settings.formats or FORMAT_NAMES)
    return Chosen(
        [Path(s) for s in settings.sources], Path(settings.out), formats, settings, config
    )


def chosen(given: dict) -> Chosen:
    """`plan`, a bad config reported and the command ended. Run where there is nothing to build
    (no sources named, no config, no content/ folder), it says how to start."""
    from cardsmith.errors import ContentError

    try:
        asked = plan(given)
    except ContentError as exc:
        terminal.show(exc.diagnostics)
        sys.exit(1)
    defaults = not given.get("sources") and asked.config.path is None
    if defaults and not any(s.exists() for s in asked.sources):
        terminal.fail(
            "no content/ folder here and no cardsmith.toml here or above: start a project with "
            "`cardsmith init`, or name the Markdown files or folders to read"
        )
    return asked
