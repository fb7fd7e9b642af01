"""The `cardsmith` command run in this process with Click's `CliRunner`, as a user would type it."""

from __future__ import annotations

from click.testing import CliRunner, Result

from cardsmith.cli.commands import main


def cardsmith(*args: str) -> Result:
    """`cardsmith build content -f json` is `cardsmith("build", "content", "-f", "json")`."""
    return CliRunner().invoke(main, list(args), prog_name="cardsmith")
