"""The `cardsmith` command: a thin Click layer over `cardsmith.build`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from cardsmith import __version__
from cardsmith.conventions import CONVENTIONS
from cardsmith.exporters import EXPORTERS

DEFAULT_SOURCES = (Path("content"),)
_paths = click.Path(path_type=Path)
QUESTIONS = click.option(
    "--questions",
    type=click.Choice(CONVENTIONS),
    help="How questions are written (default: front matter `questions:`, else detected).",
)


def _sources(sources: tuple[Path, ...]) -> tuple[Path, ...]:
    return sources or DEFAULT_SOURCES


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="cardsmith")
def main() -> None:
    """Turn Markdown question banks into Anki decks, printable PDFs and CSV.

    \b
    Example:
      cardsmith build content/ -o output/
    """


@main.command()
@click.argument("sources", nargs=-1, type=_paths)
@click.option(
    "-o",
    "--out",
    type=_paths,
    default=Path("output"),
    show_default=True,
    help="Folder the outputs are written to.",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(list(EXPORTERS)),
    help="Output format; repeat for several. Default: all of them.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@QUESTIONS
@click.option("--fail-fast", is_flag=True, help="Stop at the first deck with an error.")
@click.option("--force", is_flag=True, help="Rebuild every deck, even those that did not change.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Worker processes for building several decks (0: one per CPU).",
)
@click.option(
    "--allow-html",
    is_flag=True,
    help="Render raw HTML in the Markdown instead of escaping it (trusted content only).",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default="a4",
    show_default=True,
    help="Paper size of the PDFs.",
)
@click.option(
    "--columns", type=click.IntRange(1, 6), help="Cheat-sheet columns (default: fits the paper)."
)
@click.option(
    "--csv-delimiter",
    type=click.Choice(["comma", "tab"]),
    default="comma",
    show_default=True,
    help="Field separator of the spreadsheet CSV.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also say what each deck holds.")
def build(
    sources,
    out,
    formats,
    strict,
    questions,
    fail_fast,
    force,
    jobs,
    allow_html,
    paper,
    columns,
    csv_delimiter,
    quiet,
    verbose,
) -> None:
    """Build decks from Markdown SOURCES (files or folders; default: content/).

    \b
    Example:
      cardsmith build content/interview.md -f apkg -f pdf
    """
    from cardsmith.build import build as run_build
    from cardsmith.options import Options

    options = Options(
        allow_html=allow_html,
        paper=paper,
        columns=columns,
        csv_delimiter="\t" if csv_delimiter == "tab" else ",",
        strict=strict,
        fail_fast=fail_fast,
        questions=questions,
        force=force,
        jobs=jobs or os.cpu_count() or 1,
    )
    result = run_build(_sources(sources), out, formats or list(EXPORTERS), options)
    _finish(result, quiet=quiet, verbose=verbose, built=True)


@main.command()
@click.argument("sources", nargs=-1, type=_paths)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@QUESTIONS
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also say what each deck holds.")
def check(sources, strict, questions, quiet, verbose) -> None:
    """Parse SOURCES and report problems without writing anything.

    \b
    Example:
      cardsmith check content/ --strict
    """
    from cardsmith.build import check as run_check
    from cardsmith.options import Options

    result = run_check(_sources(sources), Options(strict=strict, questions=questions))
    _finish(result, quiet=quiet, verbose=verbose, built=False)


def _finish(result, *, quiet: bool, verbose: bool, built: bool) -> None:
    for diagnostic in result.all_diagnostics:
        click.echo(str(diagnostic), err=True)
    if not quiet:
        for deck_result in result.decks:
            if deck_result.summary is not None and not deck_result.failed:
                click.echo(_summary(deck_result, built=built, verbose=verbose))
    sys.exit(1 if result.failed else 0)


def _summary(deck_result, *, built: bool, verbose: bool) -> str:
    summary, deck = deck_result.summary, deck_result.deck
    count, sections = summary.questions, summary.sections
    line = f"{summary.stem}: {count} question{'s' * (count != 1)}, {sections} section{'s' * (sections != 1)}"
    if summary.unanswered:
        line += f", {summary.unanswered} unanswered left out"
    if built:
        line += " -> " + ", ".join(p.as_posix() for p in deck_result.outputs)
        if deck_result.cached is not None:
            line += " (unchanged)"
    if verbose and deck is not None:
        counts = ", ".join(f"{name} {count}" for name, count in deck.detection)
        line += f"\n  questions written as {deck.convention!r} (found: {counts})"
        for section in deck.sections:
            line += f"\n  {' / '.join(section.path) or '(no section)'}: {len(section.questions)}"
    return line
