"""The `cardsmith` command: a thin Click layer over `cardsmith.build.pipeline` and friends.

Each command parses its options (`cardsmith.cli.flags`), calls one library function and shows what
came of it (`cardsmith.cli.terminal`). It imports the library code it runs when it runs
(`cardsmith --help` stays as quick as Click itself); the settings and the format registry, which
make the options, are light."""

from __future__ import annotations

import contextlib
import gc
import signal
import sys
from pathlib import Path

import click

from cardsmith import __version__
from cardsmith.cli import terminal
from cardsmith.cli.flags import PATHS, chosen, options, resolved
from cardsmith.settings import SETTINGS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="cardsmith")
def main() -> None:
    """Turn Markdown question banks into Anki decks, printable PDFs and CSV.

    \b
    Example:
      cardsmith build content/ -o output/
    """
    # A build keeps every deck's questions alive while it allocates tokens by the hundred thousand;
    # with Python's default thresholds the cycle collector then re-scans that live heap so often that
    # it takes a sixth of a 50,000-question build (bench/RESULTS.md). This process is ours: collect
    # young objects less often (WeasyPrint gets the defaults back: exporters/printing.py). Worker
    # processes inherit it.
    gc.set_threshold(10_000, 10, 10)
    # `kill` stops a build as Ctrl-C does: workers ended, temporary files removed, old outputs kept
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(*_signal) -> None:
    raise KeyboardInterrupt


@main.command()
@options()
@click.option("--fail-fast", is_flag=True, help="Stop at the first deck with an error.")
@click.option("--force", is_flag=True, help="Rebuild every deck, even those that did not change.")
def build(quiet, verbose, fail_fast, force, **given) -> None:
    """Build decks from Markdown SOURCES (files or folders; default: content/).

    \b
    Example:
      cardsmith build content/interview.md -f apkg -f pdf
    """
    from cardsmith.build.pipeline import build as run_build

    sources, out, formats, settings = chosen(given)
    try:
        with terminal.Progress(quiet) as progress:
            run = terminal.run(progress, fail_fast=fail_fast, force=force)
            result = run_build(sources, out, formats, settings, run)
    except KeyboardInterrupt:
        click.echo("interrupted: outputs not yet written are as they were", err=True)
        sys.exit(130)
    terminal.report(result, quiet=quiet, verbose=verbose, built=True)
    sys.exit(1 if result.failed else 0)


@main.command()
@options()
def watch(quiet, verbose, **given) -> None:
    """Build, then rebuild whatever changes in SOURCES or the templates, until Ctrl-C.

    \b
    Example:
      cardsmith watch content/ -f apkg
    """
    from cardsmith.cli.watch import watch as run_watch

    sources, out, formats, settings = chosen(given)
    click.echo(f"watching {', '.join(str(s) for s in sources)} (Ctrl-C to stop)", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        run_watch(
            sources,
            out,
            formats,
            settings,
            lambda result: terminal.report(result, quiet=quiet, verbose=verbose, built=True),
            run=terminal.run(None),
        )


@main.command()
@options("strict", "questions", "question_level", "html")
def check(quiet, verbose, **given) -> None:
    """Parse SOURCES and report problems without writing anything.

    \b
    Example:
      cardsmith check content/ --strict
    """
    from cardsmith.build.pipeline import check as run_check

    sources, _, _, settings = chosen(given)
    result = run_check(sources, settings)
    terminal.report(result, quiet=quiet, verbose=verbose, built=False)
    sys.exit(1 if result.failed else 0)


@main.command()
@click.argument("sources", nargs=-1, type=PATHS)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def stats(sources, as_json) -> None:
    """Count questions, unanswered ones, cloze cards and images per deck and section, and list the
    longest answers: for tidying a question bank.

    \b
    Example:
      cardsmith stats content/ --json
    """
    import json

    from cardsmith.build.pipeline import check as run_check
    from cardsmith.cli.stats import deck_stats

    sources, _, _, settings = chosen({"sources": sources})
    result = run_check(sources, settings)
    terminal.show(d for d in result.all_diagnostics if d.is_error)
    found = [deck_stats(r.deck) for r in result.decks if r.deck is not None]
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join(terminal.stats_table(s) for s in found))
    sys.exit(1 if result.failed else 0)


@main.command()
@click.argument("sources", nargs=-1, type=PATHS)
@click.option(
    "--id", "ids", multiple=True, metavar="ID", help="Only this removed question (repeatable)."
)
def forget(sources, ids) -> None:
    """Forget the questions removed from SOURCES (default: content/) once their notes, tagged
    cardsmith::removed, are deleted in Anki: rebuilt decks stop sending those notes.

    \b
    Example:
      cardsmith forget content/
    """
    from cardsmith.build.pipeline import forget as run_forget

    sources, _, _, _ = chosen({"sources": sources})
    count, diagnostics = run_forget(sources, ids)
    terminal.show(diagnostics)
    failed = any(d.is_error for d in diagnostics)
    if not failed:
        click.echo(f"forgot {count} removed question{'' if count == 1 else 's'}")
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("collection", type=PATHS)
@options("strict", "questions", "question_level", "html", "workers")
@click.option(
    "--dry-run", is_flag=True, help="Say what would be added, updated and deleted; change nothing."
)
@click.option(
    "--keep-removed",
    is_flag=True,
    help="Tag the notes of removed questions cardsmith::removed instead of deleting them.",
)
def sync(collection, quiet, verbose, dry_run, keep_removed, **given) -> None:
    """Write the decks of SOURCES (default: content/) straight into an Anki COLLECTION file
    (collection.anki2 in your Anki profile folder) while Anki is closed: new notes added, changed
    ones updated, the notes of removed questions deleted; review history kept. A copy of the
    collection is kept in cardsmith-backups/ beside it. Needs the Anki engine: pip install
    'cardsmith[anki]'.

    \b
    Example:
      cardsmith sync ~/.local/share/Anki2/User\\ 1/collection.anki2 content/ --dry-run
    """
    from cardsmith.collection.anki_file import CollectionError
    from cardsmith.collection.sync import refusal
    from cardsmith.collection.sync import sync as run_sync

    sources, _, _, settings = chosen(given)
    try:
        plan, result = run_sync(
            collection,
            sources,
            settings,
            terminal.run(None),
            dry_run=dry_run,
            keep_removed=keep_removed,
        )
    except CollectionError as exc:
        terminal.show([refusal(collection, exc)])
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted: the collection is as it was", err=True)
        sys.exit(130)
    terminal.report(result, quiet=True, verbose=verbose, built=False)
    if result.failed:
        click.echo(f"{collection}: not changed (the decks have errors)", err=True)
        sys.exit(1)
    if not quiet:
        click.echo(f"{collection}: {plan.counts(dry_run)}")
        if (dry_run or verbose) and plan.items():
            click.echo("\n".join(plan.items()))
        if plan.backup is not None:
            click.echo(f"backup: {plan.backup}")
    sys.exit(0)


@main.command("config")
def show_config() -> None:
    """Print the effective settings and where each comes from (default, config file).

    \b
    Example:
      cardsmith config
    """
    in_force = resolved({})
    for declared in SETTINGS:
        setting = in_force[declared.name]
        value = list(setting.value) if declared.kind is tuple else setting.value
        click.echo(f"{declared.name:<14} {value!r:<24} # {setting.origin}: {declared.help}")


@main.command()
@click.argument("folder", type=PATHS, default=Path("."))
def init(folder: Path) -> None:
    """Start a project in FOLDER: an example deck, cardsmith.toml and .gitignore.

    \b
    Example:
      cardsmith init my-flashcards && cd my-flashcards && cardsmith build
    """
    from cardsmith.build.project import init_project

    try:
        written = init_project(folder)
    except FileExistsError as exc:
        raise click.ClickException(f"not overwriting existing files: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"cannot create {exc.filename}: {exc.strerror}") from None
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"next: cd {folder} && cardsmith build")
