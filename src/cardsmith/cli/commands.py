"""The `cardsmith` command: a thin Click layer over `cardsmith.build.pipeline` and friends.

Each command imports the library code it runs when it runs (`cardsmith --help` stays as quick as
Click itself); the settings and the format registry, which make the options, are light."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import click

from cardsmith import __version__
from cardsmith.exporters import FORMAT_NAMES, FORMATS
from cardsmith.settings import COMMAND_LINE, SETTINGS

_paths = click.Path(path_type=Path)


def _option(declared) -> Callable:
    """A Click option made from one setting of the schema (`cardsmith.settings`). Nothing given
    means "not given": the config file or the default decide (`_settings`)."""
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
        kind = _paths
    else:
        kind = str
    return click.option(
        *declared.cli_names,
        declared.name,
        type=kind,
        multiple=declared.kind is tuple,
        help=help,
    )


def _options(*names: str) -> Callable:
    """The sources argument, the settings `names` (all those the command line may give when none
    are named), and -q/-v."""

    def decorate(function):
        chosen = [
            s
            for s in SETTINGS
            if COMMAND_LINE in s.where and s.name != "sources" and (not names or s.name in names)
        ]
        decorators = [
            click.argument("sources", nargs=-1, type=_paths),
            *(_option(s) for s in chosen),
            click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors."),
            click.option(
                "-v", "--verbose", is_flag=True, help="Also say what each deck holds and skips."
            ),
        ]
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return decorate


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
@_options()
@click.option("--fail-fast", is_flag=True, help="Stop at the first deck with an error.")
@click.option("--force", is_flag=True, help="Rebuild every deck, even those that did not change.")
def build(quiet, verbose, fail_fast, force, **given) -> None:
    """Build decks from Markdown SOURCES (files or folders; default: content/).

    \b
    Example:
      cardsmith build content/interview.md -f apkg -f pdf
    """
    from cardsmith.build.pipeline import build as run_build

    sources, out, formats, settings = _settings(given)
    try:
        with _progress(quiet) as progress:
            run = _run(progress, fail_fast=fail_fast, force=force)
            result = run_build(sources, out, formats, settings, run)
    except KeyboardInterrupt:
        click.echo("interrupted: outputs not yet written are as they were", err=True)
        sys.exit(130)
    _report(result, quiet=quiet, verbose=verbose, built=True)
    sys.exit(1 if result.failed else 0)


@main.command()
@_options()
def watch(quiet, verbose, **given) -> None:
    """Build, then rebuild whatever changes in SOURCES or the templates, until Ctrl-C.

    \b
    Example:
      cardsmith watch content/ -f apkg
    """
    from cardsmith.cli.watch import watch as run_watch

    sources, out, formats, settings = _settings(given)
    click.echo(f"watching {', '.join(str(s) for s in sources)} (Ctrl-C to stop)", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        run_watch(
            sources,
            out,
            formats,
            settings,
            lambda result: _report(result, quiet=quiet, verbose=verbose, built=True),
            run=_run(None),
        )


@main.command()
@_options("strict", "questions", "question_level", "html")
def check(quiet, verbose, **given) -> None:
    """Parse SOURCES and report problems without writing anything.

    \b
    Example:
      cardsmith check content/ --strict
    """
    from cardsmith.build.pipeline import check as run_check

    sources, _, _, settings = _settings(given)
    result = run_check(sources, settings)
    _report(result, quiet=quiet, verbose=verbose, built=False)
    sys.exit(1 if result.failed else 0)


@main.command()
@click.argument("sources", nargs=-1, type=_paths)
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
    from cardsmith.cli.stats import deck_stats, format_table

    sources, _, _, settings = _settings({"sources": sources})
    result = run_check(sources, settings)
    for diagnostic in result.all_diagnostics:
        if diagnostic.is_error:
            click.echo(_styled(diagnostic), err=True)
    found = [deck_stats(r.deck) for r in result.decks if r.deck is not None]
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join(format_table(s) for s in found))
    sys.exit(1 if result.failed else 0)


@main.command()
@click.argument("sources", nargs=-1, type=_paths)
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

    sources, _, _, _ = _settings({"sources": sources})
    count, diagnostics = run_forget(sources, ids)
    for diagnostic in diagnostics:
        click.echo(_styled(diagnostic), err=True)
    failed = any(d.is_error for d in diagnostics)
    if not failed:
        click.echo(f"forgot {count} removed question{'' if count == 1 else 's'}")
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("collection", type=_paths)
@_options("strict", "questions", "question_level", "html", "workers")
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
    from cardsmith.collection.sync import SyncError, refusal
    from cardsmith.collection.sync import sync as run_sync

    sources, _, _, settings = _settings(given)
    try:
        plan, result = run_sync(
            collection,
            sources,
            settings,
            _run(None),
            dry_run=dry_run,
            keep_removed=keep_removed,
        )
    except SyncError as exc:
        click.echo(_styled(refusal(collection, exc)), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted: the collection is as it was, or as its backup is", err=True)
        sys.exit(130)
    _report(result, quiet=True, verbose=verbose, built=False)
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
    for declared in SETTINGS:
        resolved = _resolve({})[declared.name]
        value = list(resolved.value) if declared.kind is tuple else resolved.value
        click.echo(f"{declared.name:<14} {value!r:<24} # {resolved.origin}: {declared.help}")


@main.command()
@click.argument("folder", type=_paths, default=Path("."))
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


def _resolve(given: dict):
    from cardsmith.build.config import resolve
    from cardsmith.errors import ContentError

    try:
        # a flag left off (False), an empty list or None was not given: config or default decide
        return resolve(Path.cwd(), {k: v for k, v in given.items() if v not in (None, (), False)})
    except ContentError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(_styled(diagnostic), err=True)
        sys.exit(1)


def _settings(given: dict):
    """(sources, out, formats, Settings) from the command line over the config over the defaults."""
    from cardsmith.build.config import settings_from

    settings = settings_from(_resolve(given))
    sources = [Path(s) for s in settings.sources]
    return sources, Path(settings.out), list(settings.formats or FORMAT_NAMES), settings


class _progress:
    """One status line on a terminal while a build takes more than `QUIET_SECONDS`: the decks done
    of all, and what the slowest work is doing now ("deck.pdf: page 37"). Nothing off a terminal,
    and the line is gone when the build ends."""

    QUIET_SECONDS = 2.0  # a build this quick shows nothing
    REDRAW_SECONDS = 0.1

    def __init__(self, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty()
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.shown = False
        self.done = self.total = 0
        self.now = ""
        self.lock = threading.Lock()  # workers' news arrives on a thread of its own

    def __enter__(self):
        return self if self.enabled else None

    def update(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self._draw()

    def say(self, text: str) -> None:
        self.now = text
        self._draw()

    def _draw(self) -> None:
        moment = time.monotonic()
        if (
            moment - self.started < self.QUIET_SECONDS
            or moment - self.drawn_at < self.REDRAW_SECONDS
        ):
            return
        parts = [f"building {self.done}/{self.total}"] if self.total > 1 else ["building"]
        if self.now:
            parts.append(self.now)
        width = shutil.get_terminal_size().columns - 1
        with self.lock:
            sys.stderr.write("\r" + " · ".join(parts)[:width] + "\x1b[K")
            sys.stderr.flush()
            self.drawn_at, self.shown = moment, True

    def __exit__(self, *exc) -> None:
        with self.lock:
            if self.shown:
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()


def _run(progress, **asked):
    """The `Run` of one command: what it was asked (`--force`, `--fail-fast`) and the terminal's
    callbacks (the progress line, when there is one)."""
    from cardsmith.run import Run

    def waiting(folder: Path) -> None:
        click.echo(f"waiting for another cardsmith build of {folder} to finish", err=True)

    if progress is None:
        return Run(waiting=waiting, **asked)
    return Run(progress=progress.update, activity=progress.say, waiting=waiting, **asked)


def _styled(diagnostic) -> str:
    """`path:line: error: message`, the severity coloured on a terminal unless NO_COLOR is set."""
    text = str(diagnostic)
    if os.environ.get("NO_COLOR") or not sys.stderr.isatty():
        return text
    colour = "red" if diagnostic.is_error else "yellow"
    marker = f": {diagnostic.severity}:"
    return text.replace(
        marker, ": " + click.style(f"{diagnostic.severity}:", fg=colour, bold=True), 1
    )


def _report(result, *, quiet: bool, verbose: bool, built: bool) -> None:
    for diagnostic in result.all_diagnostics:
        click.echo(_styled(diagnostic), err=True)
        if verbose:
            for detail in diagnostic.details:
                click.echo(f"  {detail}", err=True)
    if not quiet:
        for deck_result in result.decks:
            if deck_result.summary is not None and not deck_result.failed:
                click.echo(_summary(deck_result, built=built, verbose=verbose))


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
        counts = ", ".join(f"{name} {count}" for name, count in deck.rule_counts)
        line += f"\n  questions written as: {counts}"
        for section in deck.sections:
            line += f"\n  {' / '.join(section.path) or '(no section)'}: {len(section.questions)}"
        line += "".join(f"\n  {text}" for text in _skipped_lines(deck))
    return line


def _skipped_lines(deck, most: int = 12) -> list[str]:
    """`skipped 40 lines: table of contents (lines 5-30), back-to-top link (34, 50, ...)`."""
    by_reason: dict[str, list] = {}
    for skipped in deck.skipped:
        by_reason.setdefault(skipped.reason, []).append(skipped)
    if not by_reason:
        return []
    total = sum(s.end - s.source.line + 1 for s in deck.skipped)
    lines = [f"skipped {total} line{'s' * (total != 1)} (not in any output):"]
    for reason, items in by_reason.items():
        # a vault's deck is read from many notes: name each one
        where = (lambda s: f"{s.source.path.name}:") if deck.files else (lambda s: "")
        spans = [
            where(s)
            + (str(s.source.line) if s.end == s.source.line else f"{s.source.line}-{s.end}")
            for s in items
        ]
        more = f", and {len(spans) - most} more" if len(spans) > most else ""
        lines.append(
            f"  {reason}: line{'s' * (len(spans) > 1 or '-' in spans[0])} "
            f"{', '.join(spans[:most])}{more}"
        )
    return lines
