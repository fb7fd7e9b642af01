"""The build as a library call: find Markdown, parse, give ids, run the exporters. The CLI wraps this."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cardsmith.errors import ContentError, Diagnostic, Report, Severity
from cardsmith.model import Deck, Source
from cardsmith.options import Options


@dataclass
class DeckResult:
    path: Path
    deck: Deck | None = None
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.deck is None or any(d.severity is Severity.ERROR for d in self.diagnostics)


@dataclass
class BuildResult:
    decks: list[DeckResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # not tied to one deck

    @property
    def failed(self) -> bool:
        return any(d.failed for d in self.decks) or any(
            d.severity is Severity.ERROR for d in self.diagnostics
        )

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        return [*self.diagnostics, *(d for r in self.decks for d in r.diagnostics)]


def discover(sources: Iterable[Path]) -> tuple[list[tuple[Path, Path]], list[Diagnostic]]:
    """Markdown files to build, each with its content folder (what images and the lock are
    relative to). A folder means every `*.md` below it; a file's content folder is its parent."""
    found: dict[Path, Path] = {}
    problems = []
    for source in sources:
        if source.is_dir():
            for path in sorted(source.rglob("*.md")):
                if path.is_file() and not any(p.startswith(".") for p in path.parts[-2:]):
                    found.setdefault(path, source)
        elif source.is_file():
            found.setdefault(source, source.parent)
        else:
            problems.append(Diagnostic(Source(source, 1), Severity.ERROR, "no such file or folder"))
    return list(found.items()), problems


def load(sources: Sequence[Path], options: Options) -> tuple[BuildResult, dict[Path, list[Deck]]]:
    """Parse every source and give its questions their stable ids; nothing is written."""
    from cardsmith.identity import Lock, assign_ids
    from cardsmith.parse import parse_file

    files, problems = discover(sources)
    result = BuildResult(diagnostics=problems)
    by_root: dict[Path, list[DeckResult]] = {}
    for path, root in files:
        report = Report()
        deck_result = DeckResult(path)
        try:
            deck_result.deck = parse_file(path, root, report, options.questions)
        except ContentError as exc:
            report.diagnostics.extend(d for d in exc.diagnostics if d not in report.diagnostics)
        deck_result.diagnostics = _strict(report.diagnostics, options)
        result.decks.append(deck_result)
        if not deck_result.failed:
            by_root.setdefault(root, []).append(deck_result)
        elif options.fail_fast:
            break

    locks = {}
    for root, results in by_root.items():
        report = Report()
        try:
            lock = Lock.load(root)
            decks, locks[root] = assign_ids([r.deck for r in results], lock, report, options.clock)
        except ContentError as exc:
            result.diagnostics.extend(exc.diagnostics)
            for r in results:
                r.deck = None
            continue
        found = _strict(report.diagnostics, options)
        for deck_result, deck in zip(results, decks, strict=True):
            deck_result.deck = deck
            deck_result.diagnostics.extend(d for d in found if d.source.path == deck_result.path)
        paths = {r.path for r in results}
        result.diagnostics.extend(d for d in found if d.source.path not in paths)
    return result, locks


def check(sources: Sequence[Path], options: Options) -> BuildResult:
    return load(sources, options)[0]


def build(
    sources: Sequence[Path], out_dir: Path, formats: Sequence[str], options: Options
) -> BuildResult:
    """Build every deck found in `sources` into `out_dir` in each of `formats`.

    A deck with errors writes nothing and leaves its earlier outputs as they were; other decks still
    build (unless `options.fail_fast`). The lock file is updated for the decks that built."""
    from cardsmith.exporters import exporter
    from cardsmith.output import write_atomic

    result, locks = load(sources, options)
    stems: dict[str, Path] = {}
    for deck_result in result.decks:
        if deck_result.failed or (options.fail_fast and result.failed):
            continue
        deck = deck_result.deck
        if deck.stem in stems:
            message = f"output name {deck.stem!r} is also used by {stems[deck.stem]}"
            deck_result.diagnostics.append(Diagnostic(deck.source, Severity.ERROR, message))
            continue
        stems[deck.stem] = deck.source.path
        report = Report()
        try:
            for fmt in formats:
                deck_result.outputs.extend(exporter(fmt)(deck, out_dir, options, report))
        except ContentError as exc:
            report.diagnostics.extend(d for d in exc.diagnostics if d not in report.diagnostics)
        deck_result.diagnostics.extend(_strict(report.diagnostics, options))
    for lock in locks.values():
        text = lock.dumps()
        if not lock.path.exists() or lock.path.read_text(encoding="utf-8") != text:
            write_atomic(lock.path, text)
    return result


def _strict(diagnostics: list[Diagnostic], options: Options) -> list[Diagnostic]:
    """Under `--strict` every warning is an error."""
    if not options.strict:
        return list(diagnostics)
    return [Diagnostic(d.source, Severity.ERROR, d.message) for d in diagnostics]
