"""The command line's options, made from the settings schema (`cardsmith.settings`), and the
settings they give: the command line over the config file over the defaults."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cardsmith.cli import terminal
from cardsmith.exporters import FORMAT_NAMES, FORMATS
from cardsmith.settings import COMMAND_LINE, SETTINGS, Setting, Settings

if TYPE_CHECKING:
    from cardsmith.build.config import Resolved

PATHS = click.Path(path_type=Path)


def _option(declared: Setting) -> Callable:
    """A Click option made from one setting of the schema. Nothing given means "not given": the
    config file or the default decide (`chosen`)."""
    default = declared.default
    if isinstance(default, bool):
        default = "on" if default else "off"
    elif isinstance(default, tuple):
        default = ", ".join(default) or "none"
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
    elif declared.name == "out":
        kind = PATHS
    else:
        kind = str
    return click.option(
        *declared.cli_names,
        declared.name,
        type=kind,
        multiple=declared.kind is tuple,
        help=help,
    )


def options(*names: str) -> Callable:
    """The sources argument, the settings `names` (all those the command line may give when none
    are named), and -q/-v."""

    def decorate(function):
        named = [
            s
            for s in SETTINGS
            if COMMAND_LINE in s.where and s.name != "sources" and (not names or s.name in names)
        ]
        decorators = [
            click.argument("sources", nargs=-1, type=PATHS),
            *(_option(s) for s in named),
            click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors."),
            click.option(
                "-v", "--verbose", is_flag=True, help="Also say what each deck holds and skips."
            ),
        ]
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return decorate


def resolved(given: dict) -> dict[str, Resolved]:
    """Each setting's value and where it comes from (`cardsmith.build.config.resolve`), from what
    the command line gave; a bad config file is reported and the command ends."""
    from cardsmith.build.config import resolve
    from cardsmith.errors import ContentError

    try:
        # a flag left off (False), an empty list or None was not given: config or default decide
        return resolve(Path.cwd(), {k: v for k, v in given.items() if v not in (None, (), False)})
    except ContentError as exc:
        terminal.show(exc.diagnostics)
        sys.exit(1)


def chosen(given: dict) -> tuple[list[Path], Path, list[str], Settings]:
    """(sources, out, formats, Settings) from the command line over the config over the defaults."""
    from cardsmith.build.config import settings_from

    settings = settings_from(resolved(given))
    sources = [Path(s) for s in settings.sources]
    return sources, Path(settings.out), list(settings.formats or FORMAT_NAMES), settings
