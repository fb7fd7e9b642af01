"""The `cardsmith` command: a thin Click layer over `cardsmith.build.pipeline` and friends.

Each command parses its options (`cardsmith.cli.flags`), calls one library function and shows what
came of it (`cardsmith.cli.terminal`). It imports the library code it runs when it runs
(`cardsmith --help` stays as quick as Click itself); the settings and the format registry, which
make the options, are light."""

from __future__ import annotations

import errno
import gc
import os
import signal
import sys
from pathlib import Path

import click

from cardsmith import __version__
from cardsmith.cli import terminal
from cardsmith.cli.flags import PATHS, chosen, options, plan, resolved


class _Cardsmith(click.Group):
    """Click's group, its messages spelled as cardsmith's (`error: ...`, as every other message)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            terminal.click_error(exc)
            sys.exit(exc.exit_code)
        except click.Abort:  # Ctrl-C where a command does not handle it
            click.echo("\ninterrupted", err=True)
            sys.exit(130)
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise
            # `cardsmith stats | head`: the reader left; nothing more to say, and nothing to flush
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)  # --help and --version give 0


@click.group(cls=_Cardsmith, context_settings={"help_option_names": ["-h", "--help"]})
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
    # young objects less often (WeasyPrint gets the defaults back: exporters/printing.py), and not at
    # all while decks are read and the quick formats written (build.workers.cycles_kept). Worker
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
    """Build decks from Markdown.

    SOURCES are Markdown files or folders (default: content/, or the config's sources).

    \b
    Example:
      cardsmith build content/interview.md -f apkg -f pdf
    """
    from cardsmith.build.pipeline import build as run_build

    asked = chosen(given)
    terminal.config_line(asked.config, verbose=verbose)
    try:
        with terminal.Progress(quiet) as progress:
            run = terminal.run(progress, fail_fast=fail_fast, force=force)
            result = run_build(asked.sources, asked.out, asked.formats, asked.settings, run)
    except KeyboardInterrupt:
        click.echo("interrupted: outputs not yet written are as they were", err=True)
        sys.exit(130)
    terminal.report(result, quiet=quiet, verbose=verbose, built=True)
    sys.exit(1 if result.failed else 0)


@main.command()
@options()
def watch(quiet, verbose, **given) -> None:
    """Rebuild on every change.

    Builds SOURCES (default: content/), then builds again whatever a change to them, to the
    templates or to the config file touches, until Ctrl-C.

    \b
    Example:
      cardsmith watch content/ -f apkg
    """
    from cardsmith.cli.watch import watch as run_watch

    asked = chosen(given)
    terminal.config_line(asked.config, verbose=verbose)
    click.echo(f"watching {', '.join(str(s) for s in asked.sources)} (Ctrl-C to stop)", err=True)
    watched = terminal.Watched(quiet=quiet, verbose=verbose)
    try:
        run_watch(
            asked,
            watched,
            run=terminal.run(None),
            reload=lambda: plan(given),
            on_config=terminal.config_read,
            paper=lambda: terminal.paper_run(quiet),
            on_paper=watched.paper,
        )
    except KeyboardInterrupt:
        click.echo("", err=True)  # the prompt after ^C starts on a line of its own


@main.command()
@options(writes=False)
def check(quiet, verbose, **given) -> None:
    """Report problems; write nothing.

    Reads SOURCES (default: content/) as a build would, and says what a build would say.

    \b
    Example:
      cardsmith check content/ --strict
    """
    from cardsmith.build.pipeline import check as run_check

    asked = chosen(given)
    terminal.config_line(asked.config, verbose=verbose)
    result = run_check(asked.sources, asked.settings)
    terminal.report(result, quiet=quiet, verbose=verbose, built=False)
    sys.exit(1 if result.failed else 0)


@main.command()
@options(writes=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools.")
def explain(quiet, verbose, as_json, **given) -> None:
    """Show how a file was read.

    The outline of each deck of SOURCES as cardsmith read it, in line order: each question with
    its lines, the rule that read it and its kind (basic, choice, cloze, reversed); each section;
    each range left out, with the reason; each unanswered question; and what was said. When a
    deck came out wrong, this shows where and why.

    \b
    Example:
      cardsmith explain content/interview.md
    """
    import json
    import shutil

    from cardsmith.build.pipeline import check as run_check
    from cardsmith.cli.explain import concerning, outline_text
    from cardsmith.reading.outline import as_dict, outline

    asked = chosen(given)
    terminal.config_line(asked.config, verbose=verbose)
    result = run_check(asked.sources, asked.settings)
    result.diagnostics = concerning(result.diagnostics, asked.sources)  # of other files: not shown
    terminal.show(result.shown(result.diagnostics))  # not about one deck: a folder's left-out file
    found = [outline(r.path, r.deck, result.shown(r.diagnostics)) for r in result.decks]
    if as_json:
        click.echo(json.dumps([as_dict(o) for o in found], ensure_ascii=False, indent=2))
    elif not quiet:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        colour = terminal.coloured() and sys.stdout.isatty()
        click.echo("\n\n".join(outline_text(o, width, colour) for o in found), color=colour)
    sys.exit(1 if result.failed else 0)


@main.command()
@options(writes=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def stats(quiet, verbose, as_json, **given) -> None:
    """Count what a question bank holds.

    Questions, unanswered ones, cloze cards and images per deck and section of SOURCES (default:
    content/), and the longest answers: for tidying a question bank. Errors are shown; warnings
    too with -v; -q leaves out the table.

    \b
    Example:
      cardsmith stats content/ --json
    """
    import json

    from cardsmith.build.pipeline import check as run_check
    from cardsmith.cli.stats import deck_stats

    asked = chosen(given)
    terminal.config_line(asked.config, verbose=verbose)
    result = run_check(asked.sources, asked.settings)
    terminal.show((d for d in result.all_diagnostics if verbose or d.is_error), verbose=verbose)
    found = [deck_stats(r.deck) for r in result.decks if r.deck is not None]
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    elif not quiet:
        click.echo("\n\n".join(terminal.stats_table(s) for s in found))
    sys.exit(1 if result.failed else 0)


@main.command()
@click.argument("sources", nargs=-1, type=PATHS)
@click.option(
    "--id", "ids", multiple=True, metavar="ID", help="Only this removed question (repeatable)."
)
def forget(sources, ids) -> None:
    """Forget questions deleted in Anki.

    Once the notes of the questions removed from SOURCES (default: content/), tagged
    cardsmith::removed, are deleted in Anki, rebuilt decks stop sending those notes.

    \b
    Example:
      cardsmith forget content/
    """
    from cardsmith.build.pipeline import forget as run_forget

    count, diagnostics = run_forget(chosen({"sources": sources}).sources, ids)
    terminal.show(diagnostics)
    failed = any(d.is_error for d in diagnostics)
    if not failed:
        click.echo(f"forgot {count} removed question{'' if count == 1 else 's'}")
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("collection", type=PATHS)
@options(writes=False)
@click.option(
    "--dry-run", is_flag=True, help="Say what would be added, updated and deleted; change nothing."
)
@click.option(
    "--keep-removed",
    is_flag=True,
    help="Tag the notes of removed questions cardsmith::removed instead of deleting them.",
)
def sync(collection, quiet, verbose, dry_run, keep_removed, **given) -> None:
    """Put decks into an Anki collection.

    The decks of SOURCES (default: content/) go into an Anki COLLECTION file (collection.anki2 in
    your Anki profile folder) while Anki is closed: new notes added, changed ones updated, the
    notes of removed questions deleted; review history kept. A copy of the collection is kept in
    cardsmith-backups/ beside it. Needs the Anki engine: pip install 'cardsmith[anki]'.

    \b
    Example:
      cardsmith sync ~/.local/share/Anki2/User\\ 1/collection.anki2 content/ --dry-run
    """
    from cardsmith.collection.anki_file import CollectionError
    from cardsmith.collection.sync import refusal
    from cardsmith.collection.sync import sync as run_sync

    asked = chosen(given)
    terminal.config_line(asked.config, verbose=verbose)
    try:
        plan, result = run_sync(
            collection,
            asked.sources,
            asked.settings,
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
    pulled = plan.pulled
    if pulled is not None:
        _pulled(collection, pulled, quiet=quiet, verbose=verbose, dry_run=dry_run, alone=False)
        if pulled.failed:
            click.echo(
                f"{collection}: not changed (see above; cardsmith pull --prefer markdown|anki "
                "settles a conflict)",
                err=True,
            )
            sys.exit(1)
    if not quiet:
        click.echo(f"{collection}: {plan.counts(dry_run)}")
        if (dry_run or verbose) and plan.items():
            click.echo("\n".join(plan.items()))
        if plan.backup is not None:
            click.echo(f"backup: {plan.backup}")
    sys.exit(0)


@main.command()
@click.argument("collection", type=PATHS)
@options(writes=False)
@click.option("--dry-run", is_flag=True, help="Print the diff of every file it would change.")
@click.option(
    "--prefer",
    type=click.Choice(["markdown", "anki"]),
    help="Settle questions edited on both sides: keep the Markdown's, or take Anki's.",
)
@click.option(
    "--delete", is_flag=True, help="Remove the questions whose notes were deleted in Anki."
)
def pull(collection, quiet, verbose, dry_run, prefer, delete, **given) -> None:
    """Bring Anki edits back.

    Notes of the decks of SOURCES (default: content/) edited in an Anki COLLECTION (Anki closed),
    or in an .apkg exported from a phone, since the last sync: each edit becomes the smallest
    change of its Markdown file. A question edited on both sides is a conflict: shown, not
    written, until --prefer settles it. Needs the Anki engine: pip install 'cardsmith[anki]'.

    \b
    Example:
      cardsmith pull ~/.local/share/Anki2/User\\ 1/collection.anki2 content/ --dry-run
    """
    from cardsmith.collection.anki_file import CollectionError
    from cardsmith.collection.pull import pull as run_pull
    from cardsmith.collection.pull import refusal

    asked = chosen(given)
    terminal.config_line(asked.config, verbose=verbose)
    try:
        pulled = run_pull(
            collection, asked.sources, asked.settings, terminal.run(None), dry_run=dry_run,
            prefer=prefer, delete=delete,
        )  # fmt: skip
    except CollectionError as exc:
        terminal.show([refusal(collection, exc)])
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted: files not yet written are as they were", err=True)
        sys.exit(130)
    terminal.report(pulled.result, quiet=True, verbose=verbose, built=False)
    _pulled(collection, pulled, quiet=quiet, verbose=verbose, dry_run=dry_run, alone=True)
    sys.exit(1 if pulled.failed else 0)


def _pulled(collection, pulled, *, quiet: bool, verbose: bool, dry_run: bool, alone: bool) -> None:
    """What a pull (alone, or a sync's first step) found and did: its messages, the diff of each
    conflict, each file's diff in a dry run, and a count (a sync's only when it pulled something)."""
    terminal.show(pulled.shown())
    for conflict in pulled.conflicts:
        click.echo(conflict.diff(), nl=False)
    for changed in pulled.files:
        if dry_run:
            click.echo(changed.diff(), nl=False)
        for image in changed.images:
            click.echo(f"{'would copy' if dry_run else 'copied'} a pasted image to {image}")
    if quiet or pulled.result.failed or not (alone or pulled.files or pulled.conflicts):
        return
    would = "would pull" if dry_run else "pulled"
    count, files = pulled.questions, len(pulled.files)
    line = f"{collection}: {would} {count} question{'s' * (count != 1)} into {files} file"
    line += "s" * (files != 1)
    if pulled.conflicts:
        line += f", {len({id(c.question) for c in pulled.conflicts})} in conflict"
    click.echo(line)
    if verbose:
        for changed in pulled.files:
            click.echo("\n".join(f"  pull: {p} ({changed.path})" for p in changed.pulled))


@main.command("config")
@options(sources=False, talk=False)
def show_config(**given) -> None:
    """Print the settings in force.

    Each setting with where it comes from (the default, the config file found here or above, or
    the command line given to this command): a cardsmith.toml to paste from.

    \b
    Example:
      cardsmith config --paper letter
    """
    config, in_force = resolved(given)
    click.echo(terminal.settings_toml(config, in_force))


@main.command()
@click.argument("folder", type=PATHS, default=Path("."))
def init(folder: Path) -> None:
    """Start a project: deck and config.

    Writes content/example.md, cardsmith.toml and .gitignore in FOLDER (default: here), never
    over a file.

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
    here = folder.resolve() == Path.cwd().resolve()
    click.echo("next: cardsmith build" if here else f"next: cd {folder} && cardsmith build")


@main.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print shell completion code.

    Commands, options and their choices complete with Tab once the shell reads it.

    \b
    Examples:
      eval "$(cardsmith completion bash)"     # in ~/.bashrc (zsh: ~/.zshrc)
      cardsmith completion fish > ~/.config/fish/completions/cardsmith.fish
    """
    from click.shell_completion import get_completion_class

    script = get_completion_class(shell)(main, {}, "cardsmith", "_CARDSMITH_COMPLETE")
    click.echo(script.source())
