"""What the command line shows on the terminal: the progress line, diagnostics (coloured on a
terminal), each deck's summary and the stats table."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from cardsmith.build.config import Config, Resolved
    from cardsmith.build.pipeline import BuildResult, DeckResult
    from cardsmith.errors import Diagnostic
    from cardsmith.model import Deck
    from cardsmith.run import Run


class Progress:
    """One status line on a terminal while a build takes more than `QUIET_SECONDS`: the decks done
    of all, and what the longest work is doing now ("deck.cards.pdf: sheets: page 37/126"). Nothing
    off a terminal, and the line is gone when the build ends.

    A thread of its own draws the line at `QUIET_SECONDS` and then whenever there is news, at most
    every `REDRAW_SECONDS`: a build's first news may come late (laying out a PDF's first page), and
    the line must not wait for it. The line is cut to the terminal's width in columns, not
    characters (a CJK name takes two columns a character: `wcwidth`), one column short of the edge:
    a line that wraps cannot be redrawn in place, and each redraw would leave a stale line behind."""

    QUIET_SECONDS = 2.0  # a build this quick shows nothing
    REDRAW_SECONDS = 0.1
    STICK_SECONDS = 1.0  # the work shown stays while it goes on: no flicker between two PDFs

    def __init__(self, quiet: bool, doing: str = ""):
        self.enabled = not quiet and sys.stderr.isatty()
        self.doing = doing  # what the whole is, when not just "building" (`watch`'s PDFs)
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.shown = ""  # what the line shows now ("": nothing)
        self.done = self.total = 0
        self.works: dict[str, tuple[float, str]] = {}  # what each work said last, and when
        self.now = ""  # the work shown ("deck.pdf")
        self.lock = threading.Lock()  # workers' news arrives on a thread of its own
        self.ended = threading.Event()
        self.ticker = threading.Thread(target=self._tick, daemon=True)

    def __enter__(self):
        if not self.enabled:
            return None
        self.ticker.start()
        return self

    def update(self, done: int, total: int) -> None:
        """`done` decks of `total` are built."""
        self.done, self.total = done, total
        self._draw()

    def say(self, text: str) -> None:
        """What some work ("deck.pdf", before the first `: `) is doing now."""
        with self.lock:
            self.works[text.partition(": ")[0]] = (time.monotonic(), text)
        self._draw()

    def _doing(self, moment: float) -> str:
        """What the work shown is doing, while it goes on; else what the latest news said."""
        if not self.works:
            return ""
        said_at, _ = self.works.get(self.now, (0.0, ""))
        if moment - said_at >= self.STICK_SECONDS:
            self.now = max(self.works, key=lambda work: self.works[work][0])
        return self.works[self.now][1]

    def _tick(self) -> None:
        if self.ended.wait(self.QUIET_SECONDS):
            return
        while not self.ended.is_set():
            self._draw()
            self.ended.wait(self.REDRAW_SECONDS)

    def line(self, columns: int, moment: float) -> str:
        """The status as it fits `columns` columns, the last one left free."""
        counted = f"decks {self.done}/{self.total}" if self.total > 1 else ""
        parts = [part for part in (self.doing, counted) if part] or ["building"]
        if doing := self._doing(moment):
            parts.append(doing)
        return fit(" · ".join(parts), columns - 1)

    def _draw(self) -> None:
        moment = time.monotonic()
        if (
            moment - self.started < self.QUIET_SECONDS
            or moment - self.drawn_at < self.REDRAW_SECONDS
        ):
            return
        with self.lock:
            if self.ended.is_set():
                return
            text = self.line(shutil.get_terminal_size().columns, moment)
            if text != self.shown:
                sys.stderr.write("\r" + text + "\x1b[K")
                sys.stderr.flush()
                self.shown = text
            self.drawn_at = moment

    def __exit__(self, *exc) -> None:
        with self.lock:
            self.ended.set()
            if self.shown:
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()
        if self.ticker.is_alive():
            self.ticker.join()


def fit(text: str, columns: int) -> str:
    """`text` cut to `columns` terminal columns; a control character in it (a file name may hold
    any) shows as `?`."""
    import wcwidth

    printable = "".join("?" if unicodedata.category(c) == "Cc" else c for c in text)
    return wcwidth.clip(printable, 0, max(columns, 0))


def run(progress: Progress | None, **asked) -> Run:
    """The `Run` of one command: what it was asked (`--force`, `--fail-fast`) and this terminal's
    callbacks (the progress line, when there is one)."""
    from cardsmith.run import Run

    def waiting(folder: Path) -> None:
        click.echo(f"waiting for another cardsmith build of {folder} to finish", err=True)

    if progress is None:
        return Run(waiting=waiting, **asked)
    return Run(progress=progress.update, activity=progress.say, waiting=waiting, **asked)


@contextlib.contextmanager
def paper_run(quiet: bool) -> Iterator[Run]:
    """The `Run` of `watch`'s build of the PDFs: a progress line that says it is the PDFs."""
    with Progress(quiet, doing="PDFs (the other formats are written)") as progress:
        yield run(progress)


def coloured() -> bool:
    """Whether to colour what goes to stderr: on a terminal, unless NO_COLOR is set; always when
    FORCE_COLOR is set (it wins, as in Node.js: a CI log that shows colours asks for it)."""
    if os.environ.get("FORCE_COLOR"):
        return True
    return not os.environ.get("NO_COLOR") and sys.stderr.isatty()


def styled(diagnostic: Diagnostic) -> str:
    """`path:line: error: message`, the severity coloured when `coloured()`."""
    text = str(diagnostic)
    if not coloured():
        return text
    colour = "red" if diagnostic.is_error else "yellow"
    marker = f": {diagnostic.severity}:"
    return text.replace(
        marker, ": " + click.style(f"{diagnostic.severity}:", fg=colour, bold=True), 1
    )


def show(diagnostics: Iterable[Diagnostic], *, verbose: bool = False) -> None:
    """Each diagnostic on stderr, with its details when `verbose`."""
    colour = coloured()
    for diagnostic in diagnostics:
        click.echo(styled(diagnostic), err=True, color=colour)
        if verbose:
            for detail in diagnostic.details:
                click.echo(f"  {detail}", err=True)


def _error(message: str) -> None:
    """`error: message` on stderr: a problem with no file to point at."""
    label = click.style("error:", fg="red", bold=True) if coloured() else "error:"
    click.echo(f"{label} {message}", err=True, color=coloured())


def fail(message: str) -> NoReturn:
    """Say `error: message` and end the command (exit status 1)."""
    _error(message)
    sys.exit(1)


def click_error(exc: click.ClickException) -> None:
    """A command-line mistake as Click shows it (the usage and where to find help, for a usage
    error), with cardsmith's spelling of `error:`."""
    context = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and context is not None:
        names = context.command.get_help_option_names(context)
        hint = f"Try '{context.command_path} {max(names, key=len)}' for help.\n" if names else ""
        click.echo(f"{context.get_usage()}\n{hint}", err=True)
    _error(exc.format_message())


def config_line(config: Config, *, verbose: bool) -> None:
    """With -v, which config file is in force (`config: ../cardsmith.toml`)."""
    if verbose:
        click.echo(
            f"config: {config.path or 'none found here or above (the defaults hold)'}", err=True
        )


def settings_toml(config: Config, in_force: dict[str, Resolved]) -> str:
    """Every setting in force as a cardsmith.toml (valid TOML, to paste from), each with where it
    comes from and what it is; paths relative to the config's folder, as the file writes them."""
    from cardsmith.build.config import toml_value
    from cardsmith.settings import SETTINGS

    if config.path is None:
        lines = ["# no config file here or above: the defaults and the command line"]
    else:
        lines = [f"# in force: {config.path}, the command line and the defaults"]
        if str(config.folder) != ".":
            lines[0] += f" (paths relative to {config.folder}/)"
    for declared in SETTINGS:
        setting = in_force[declared.name]
        value = setting.value
        if declared.path:
            value = _relative_to(value, config.folder)
        line = f"{declared.name} = {toml_value(value)}"
        lines.append(f"{line:<29} # {setting.origin}: {declared.help}")
    return "\n".join(lines)


def _relative_to(value, folder: Path):
    if isinstance(value, list | tuple):
        return [_relative_to(item, folder) for item in value]
    return str(value) if Path(value).is_absolute() else os.path.relpath(value, folder)


def in_order(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics file by file, and in line order within a file (a reader finds some late: the
    text outside any question once all questions are placed)."""
    return sorted(diagnostics, key=lambda d: (str(d.source.path), d.source.line))


def report(result: BuildResult, *, quiet: bool, verbose: bool, built: bool) -> None:
    """A build's or a check's diagnostics, then a summary of each deck unless `quiet`."""
    show(in_order(result.all_diagnostics), verbose=verbose)
    if not quiet:
        for deck_result in result.decks:
            if deck_result.summary is not None and not deck_result.failed:
                click.echo(summary_line(deck_result, built=built, verbose=verbose))


class Watched:
    """Shows the builds of `cardsmith watch`, each summary line with the time: the first in full as
    any build; a rebuild with only the decks it built again and what it found in them, and of what
    is about no one deck (a file left out), only what was not said before."""

    def __init__(self, *, quiet: bool, verbose: bool):
        self.quiet, self.verbose = quiet, verbose
        self.first = True
        self.said: set[Diagnostic] = set()
        self.round: set[Diagnostic] = set()  # what the last build of the other formats said

    def __call__(self, result: BuildResult) -> None:
        stamp = time.strftime("%H:%M:%S")
        again = [r for r in result.decks if self.first or r.cached is None]
        found = [d for d in result.diagnostics if d not in self.said]
        found += [d for r in again for d in r.diagnostics]
        show(in_order(result.shown(found)), verbose=self.verbose)
        self.said.update(result.diagnostics)
        self.round = set(found)
        first, self.first = self.first, False
        if self.quiet:
            return
        for deck_result in again:
            if deck_result.summary is not None and not deck_result.failed:
                line = summary_line(deck_result, built=True, verbose=self.verbose)
                click.echo(f"{stamp} {line}")
        if not first and not again and not result.failed:
            click.echo(f"{stamp} no deck changed")

    def paper(self, result: BuildResult) -> None:
        """The PDFs of the same round, built after the other formats: their decks' summaries, and
        only what the other formats' build did not already say."""
        stamp = time.strftime("%H:%M:%S")
        again = [r for r in result.decks if r.cached is None]
        found = [d for d in result.diagnostics if d not in self.said]
        found += [d for r in again for d in r.diagnostics if d not in self.round]
        show(in_order(result.shown(found)), verbose=self.verbose)
        self.said.update(result.diagnostics)
        if self.quiet:
            return
        for deck_result in again:
            if deck_result.summary is not None and not deck_result.failed:
                line = summary_line(deck_result, built=True, verbose=self.verbose)
                click.echo(f"{stamp} {line}")


def config_read(path: Path, diagnostics: list[Diagnostic]) -> None:
    """`cardsmith watch` read the config file again: what it found, and what holds now."""
    show(diagnostics)
    stamp = time.strftime("%H:%M:%S")
    if diagnostics:
        click.echo(f"{stamp} {path} has a mistake: the settings before it stay in force", err=True)
    else:
        click.echo(f"{stamp} {path} read again", err=True)


def summary_line(deck_result: DeckResult, *, built: bool, verbose: bool) -> str:
    """`deck: 20 questions, 4 sections -> out/deck.apkg`, and what the deck holds and skips when
    `verbose`."""
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
        for section in (s for s in deck.sections if s.questions):
            line += f"\n  {' / '.join(section.path) or '(no section)'}: {len(section.questions)}"
        line += "".join(f"\n  {text}" for text in skipped_lines(deck))
    return line


def skipped_lines(deck: Deck, most: int = 12) -> list[str]:
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


def stats_table(stats: dict) -> str:
    """A deck's stats (`cardsmith.cli.stats.deck_stats`) as a plain-text table, like
    `git diff --stat`: easy to read in a terminal, easy to diff."""
    rows = [
        (s["section"], s["questions"], s["unanswered"], s["cloze"], s["images"])
        for s in stats["sections"]
    ]
    rows.append(("total", stats["questions"], stats["unanswered"], stats["cloze"], stats["images"]))
    header = ("section", "questions", "unanswered", "cloze", "images")
    width = max(len(str(r[0])) for r in [header, *rows])
    lines = [f"{stats['deck']} ({stats['source']}, questions written as {stats['convention']!r})"]
    lines.append(f"  {header[0]:<{width}}  " + "  ".join(f"{h:>10}" for h in header[1:]))
    for row in rows:
        lines.append(f"  {row[0]:<{width}}  " + "  ".join(f"{v:>10}" for v in row[1:]))
    if stats["removed"]:
        count = stats["removed"]
        lines.append(
            f"  {count} removed question{'' if count == 1 else 's'} (cardsmith forget, once their "
            "notes tagged cardsmith::removed are deleted in Anki)"
        )
    lines.append("  longest answers:")
    lines.extend(
        f"    {q['source']}: {q['characters']} characters  {q['prompt']}"
        for q in stats["longest_answers"]
    )
    return "\n".join(lines)
