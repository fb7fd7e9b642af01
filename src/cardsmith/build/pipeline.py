"""The build as a library call: find Markdown, parse, give ids, run the exporters. The CLI wraps this."""

from __future__ import annotations

import fnmatch
import inspect
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from cardsmith.build.cache import BuildCache, Summary, deck_key
from cardsmith.build.project import ContentRoots, updating
from cardsmith.build.workers import Workers, cycles_kept
from cardsmith.errors import (
    ContentError,
    Diagnostic,
    NoQuestions,
    Report,
    Severity,
    fails,
    shown,
)
from cardsmith.exporters import FORMAT, Spread, note_types, run_here, targets
from cardsmith.fingerprint import code_fingerprint
from cardsmith.identity import (
    LOCK_NAME,
    Lock,
    assign_ids,
    forget_removed,
    normal_prompt,
    question_prints,
    recover,
    relative_name,
)
from cardsmith.model import Deck, Source
from cardsmith.output import OutputError, Staging, discard_all, remove_stale, write_atomic
from cardsmith.reading import CacheFolder, reader_of
from cardsmith.render import Renders, Target, render_ahead
from cardsmith.run import DEFAULT_RUN, Run
from cardsmith.settings import Settings


@dataclass
class DeckResult:
    """One deck's build: its model, outputs, and what was found (as found: `strict` decides)."""

    path: Path
    deck: Deck | None = None
    outputs: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    cached: Summary | None = None  # set when the deck was unchanged and not built again
    strict: bool = False
    renders: Renders | None = None  # its answers rendered when it was read (`parse_deck`)
    prints: list | None = None  # its questions' `question_prints`, computed where it was read

    @property
    def failed(self) -> bool:
        parsed = self.cached is not None or self.deck is not None
        return not parsed or fails(self.diagnostics, self.strict)

    @property
    def summary(self) -> Summary | None:
        if self.cached is not None:
            return self.cached
        if self.deck is None:
            return None
        return Summary(
            stem=self.deck.stem,
            questions=len(self.deck.questions),
            sections=sum(1 for s in self.deck.sections if s.questions),
            unanswered=len(self.deck.unanswered),
        )


class Kept:
    """What a caller that builds again and again in one process (`watch`) keeps between its builds:
    each deck's answers as rendered for each target (`Renders`, keyed by their Markdown), so a
    build after an edit renders only the answers that changed (`render_ahead` skips those it is
    given). A render is what its Markdown and `Rendering` give, whatever else the file holds, so
    keeping it is safe; renders of Markdown the deck no longer has are dropped each build. A caller
    whose settings change starts a new one."""

    def __init__(self) -> None:
        self.renders: dict[Path, Renders] = {}

    def of(self, path: Path, shown: Sequence[str]) -> Renders:
        """What is kept of `path`'s renders for the targets `shown`."""
        earlier = self.renders.get(path)
        if earlier is None:
            return Renders()
        return earlier.for_targets({Target(target) for target in shown})

    def keep(self, path: Path, deck: Deck, renders: Renders) -> Renders:
        """Keep `renders` (this build's, for its targets) with the other targets' kept before, of
        the Markdown `deck` still has; return this build's, so pruned."""
        texts = {text for q in deck.questions for text in (q.answer, q.front) if text}
        kept = Renders(
            (key, html)
            for key, html in self.renders.get(path, Renders()).items()
            if key[1] in texts
        )
        now = Renders((key, html) for key, html in renders.items() if key[1] in texts)
        kept.update(now)
        self.renders[path] = kept
        return now


@dataclass
class BuildResult:
    decks: list[DeckResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # not tied to one deck
    strict: bool = False

    @property
    def failed(self) -> bool:
        return any(d.failed for d in self.decks) or fails(self.diagnostics, self.strict)

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic as the user is told it (under `--strict`, warnings are errors)."""
        return self.shown([*self.diagnostics, *(d for r in self.decks for d in r.diagnostics)])

    def shown(self, found: Iterable[Diagnostic]) -> list[Diagnostic]:
        """`found` as the user is told it: each once, and warnings as errors under `--strict`."""
        return [shown(d, self.strict) for d in dict.fromkeys(found)]


def discover(
    sources: Iterable[Path], exclude: Sequence[str] = ()
) -> tuple[list[tuple[Path, Path]], list[Diagnostic]]:
    """The decks to build, each with its content folder (what images and the lock are relative to;
    see `cardsmith.build.project`). A path a reader claims is a deck (`cardsmith.reading.READERS`: a
    Markdown file, an Obsidian vault); any other folder means every `*.md` below it, but hidden
    files and folders and those `exclude` names (`excluded`); a folder that cannot be read is an
    error."""
    found: dict[Path, Path] = {}
    problems: list[Diagnostic] = []
    roots = ContentRoots()
    for source in sources:
        if reader_of(source) is not None:
            # the content folder is looked for from the deck's own folder: a vault's, a file's
            start = source if source.is_dir() else source.parent
            found.setdefault(source, _shown(roots.of(start, start), start))
        elif source.is_dir():
            files, left_out = _markdown_files(source, exclude, problems)
            if not files and not any(d.source.path == source for d in problems):
                message = "no Markdown files (*.md) in this folder"
                if left_out:
                    message += f" but the {left_out} that `exclude` leaves out"
                problems.append(_error(source, message))
            for path in files:
                found.setdefault(path, _shown(roots.of(path.parent, source), source))
        else:
            problems.append(_error(source, "no such file or folder"))
    problems.extend(roots.problems)
    inside = {}
    for path, root in found.items():
        if path.resolve().is_relative_to(root.resolve()):
            inside[path] = root
        else:  # a link to a file elsewhere: content never comes from outside its folder
            problems.append(_error(path, f"is a link to a file outside the content folder {root}"))
    return list(inside.items()), problems


def _markdown_files(
    folder: Path, exclude: Sequence[str], problems: list[Diagnostic]
) -> tuple[list[Path], int]:
    """The Markdown files below `folder`, sorted, and how many `exclude` left out. A subfolder that
    cannot be read is an error naming it, as a file that cannot be read is."""

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        problems.append(_error(where, f"cannot read this folder: {error.strerror}"))

    files, left_out = [], 0
    for top, folders, names in os.walk(folder, onerror=unreadable):
        here = Path(top)
        relative = here.relative_to(folder)
        folders[:] = [
            name
            for name in folders
            if not name.startswith(".") and not excluded(relative / name, exclude)
        ]
        for name in names:
            if name.startswith(".") or not name.endswith(".md"):
                continue
            if excluded(relative / name, exclude):
                left_out += 1
            elif (here / name).is_file():
                files.append(here / name)
    return sorted(files), left_out


def excluded(relative: PurePath, patterns: Sequence[str]) -> bool:
    """Whether a glob of `patterns` names `relative` (a path below the folder built): a glob with a
    `/` matches the whole path (`drafts/*`, `*` crossing folders), one without a file or folder
    name at any depth (`README.md`, `drafts`)."""
    text = relative.as_posix()
    for pattern in patterns:
        pattern = pattern.strip("/").removeprefix("./").removeprefix("**/")
        if fnmatch.fnmatchcase(text if "/" in pattern else relative.name, pattern):
            return True
    return False


def _error(path: Path, message: str) -> Diagnostic:
    return Diagnostic(Source(path, 0), Severity.ERROR, message)


def _shown(root: Path, given: Path) -> Path:
    """`root` as the user would write it: the folder they named, or a path relative to here."""
    if root == given or root == given.resolve():
        return given
    try:
        return root.relative_to(Path.cwd())
    except ValueError:
        return root


def check(sources: Sequence[Path], settings: Settings, run: Run = DEFAULT_RUN) -> BuildResult:
    """Parse every source and give its questions their stable ids; nothing is written."""
    return prepare(sources, settings, run)[0]


def prepare(
    sources: Sequence[Path], settings: Settings, run: Run = DEFAULT_RUN, formats: Sequence[str] = ()
) -> tuple[BuildResult, dict[Path, Lock]]:
    """As `check`, with the lock each content folder would get (note types stamped for `formats`),
    for a caller that writes it once its own work has landed (`collection.sync`: `write_locks`)."""
    files, problems = discover(sources, settings.exclude)
    result = BuildResult(diagnostics=problems, strict=settings.strict)
    locks = _read_locks({root for _, root in files}, result)
    with Workers(min(settings.workers, len(files))) as workers:
        new_locks = _load(
            files, locks, result, settings, run, workers, note_types(formats), alone=_alone(sources)
        )
    return result, new_locks


def write_locks(locks: dict[Path, Lock]) -> list[Diagnostic]:
    """Write `locks` (those that changed); what went wrong."""
    result = BuildResult()
    _write_locks(locks, result)
    return result.diagnostics


def build(
    sources: Sequence[Path],
    out_dir: Path,
    formats: Sequence[str],
    settings: Settings,
    run: Run = DEFAULT_RUN,
    kept: Kept | None = None,
) -> BuildResult:
    """Build every deck found in `sources` into `out_dir` in each of `formats`.

    A deck with errors writes nothing and leaves its earlier outputs as they were; other decks still
    build (unless `run.fail_fast`). A deck whose inputs did not change since the last build is
    skipped (unless `run.force`). The lock file is updated for the decks that built; one build at
    a time updates a content folder's lock (another waits, see `build.project.updating`). `kept`:
    what earlier builds in this process rendered (`Kept`), used and added to."""
    files, problems = discover(sources, settings.exclude)
    result = BuildResult(diagnostics=problems, strict=settings.strict)
    if out_dir.exists() and not out_dir.is_dir():
        message = "the output folder is a file; choose another with -o"
        result.diagnostics.append(Diagnostic(Source(out_dir, 0), Severity.ERROR, message))
        return result
    with updating({root for _, root in files}, run.waiting):
        # what builds stopped by kill -9 left; on Ctrl-C or SIGTERM this one removes its own
        remove_stale(out_dir, *{root for _, root in files})
        try:
            _build_held(files, _alone(sources), out_dir, formats, settings, run, result, kept)
        except BaseException:
            discard_all()
            raise
    return result


def _alone(sources: Sequence[Path]) -> frozenset[Path]:
    """The files named on their own: one without questions is an error (in a folder, a warning)."""
    return frozenset(source for source in sources if source.is_file())


def _build_held(
    files,
    alone,
    out_dir: Path,
    formats,
    settings: Settings,
    run: Run,
    result: BuildResult,
    kept: Kept | None = None,
) -> None:
    roots = dict(files)
    cache = BuildCache(out_dir) if run.force else BuildCache.load(out_dir)
    locks: dict = {}  # each content folder's, once read (a folder whose lock is unreadable: none)
    stamps: dict = {}  # the formats' note types (`_load`), once known

    def read_locks() -> None:
        locks.update(_read_locks(set(roots.values()), result))
        _recover_ids(locks, files, out_dir, result)

    # Cold (`--force`, or no deck of these built into this folder yet): every deck is read, so the
    # workers start reading at once and the locks are read meanwhile (`_load`); else the lock
    # entries are part of each deck's cache key, and only the decks that missed are read.
    cold = not any(cache.knows(path) for path in roots)
    grouped: dict = {}  # each lock's entries by file (`_lock_entries`)
    to_build = []
    if cold:
        to_build = list(files)  # (a deck of a folder whose lock is unreadable is then dropped)
    else:
        read_locks()
    for path, root in [] if cold else files:
        if root not in locks:
            continue  # its lock file is unreadable: reported once, above
        reader = reader_of(path)
        try:
            digest = reader.digest(path) if reader is not None else ""
        except OSError:
            digest = ""  # unreadable: the reader says why
        hit = cache.lookup(
            path,
            deck_key(path, digest, _lock_entries(locks[root], path, grouped), formats, settings),
        )
        if hit is None:
            to_build.append((path, root))
        else:
            result.decks.append(
                DeckResult(
                    path,
                    outputs=hit.outputs,
                    diagnostics=hit.diagnostics,
                    cached=hit.summary,
                    strict=settings.strict,
                )
            )
    # a deck's formats may be exported side by side (see `_export_pending`): room for that many tasks,
    # or for every worker when a format spreads its own work (the flashcards' chunks)
    tasks = len(to_build) * max(1, len(formats))
    if to_build and any(FORMAT[fmt].spreads for fmt in formats):
        tasks = settings.workers
    with Workers(min(settings.workers, tasks), run.activity) as workers:

        def meanwhile() -> None:  # what this process does while the workers read
            if cold:
                read_locks()
            if to_build:  # nothing to stamp when all is cached
                stamps.update(note_types(formats))
            if workers.pool is not None and len(to_build) > 1:  # (else nobody waits)
                _warm(locks)

        # a reader may keep a cache in the output folder (a vault's notes: `reading.obsidian`)
        folder = CacheFolder(out_dir, refresh=run.force)
        if run.activity is not None and to_build:
            run.activity(f"reading {len(to_build)} deck{'s' * (len(to_build) != 1)}")
        new_locks = _load(
            to_build,
            locks,
            result,
            settings,
            run,
            workers,
            stamps,
            folder,
            alone,
            targets(formats),
            kept,
            meanwhile,
        )
        keys: dict[Path, str] = {}  # the cache key of each deck read, as this build leaves its lock
        texts: dict[Path, str] = {}  # each new lock as written

        def tail() -> None:  # what this process does while the workers write the decks
            for deck_result in result.decks:
                if deck_result.deck is not None and deck_result.cached is None:
                    lock = new_locks.get(roots[deck_result.path])
                    if lock is not None:
                        keys[deck_result.path] = _cache_key(
                            deck_result, lock, formats, settings, grouped
                        )
            texts.update((root, lock.dumps()) for root, lock in new_locks.items())

        exported = _export_pending(result, out_dir, formats, settings, run, workers, tail)

    for deck_result in exported:
        if deck_result.failed:
            cache.forget(deck_result.path)
            continue
        deck = deck_result.deck
        key = keys.get(deck_result.path) or _cache_key(
            deck_result, new_locks[roots[deck_result.path]], formats, settings, grouped
        )
        images = {str(i.path): i.digest for q in deck.questions for i in q.images}
        # the introductions' images are on the study page and the cheat sheet too
        shown = [*deck.intro_images, *(i for s in deck.sections for i in s.images)]
        images.update((str(i.path), i.digest) for i in shown)
        images.update((str(path), "") for path in deck.missing_images)  # "": not there
        cache.store(
            deck_result.path,
            key,
            deck_result.outputs,
            deck_result.diagnostics,
            deck_result.summary,
            images,
        )
    _write_locks(new_locks, result, texts)
    if cache.changed:
        try:
            cache.save()
        except OSError as exc:  # the outputs are written; the next build only does more work
            message = f"cannot save the build cache: {_reason(exc)}; the next build rebuilds all"
            warning = Diagnostic(_os_source(exc, out_dir), Severity.WARNING, message)
            result.diagnostics.append(warning)


def _cache_key(deck_result: DeckResult, lock: Lock, formats, settings: Settings, grouped) -> str:
    """A deck's key in the build cache: on the bytes that were parsed and on the lock as this build
    leaves it, so the next unchanged build is a hit and an edit made meanwhile is not taken as
    built. `grouped`: as for `_lock_entries`."""
    entries = _lock_entries(lock, deck_result.path, grouped)
    return deck_key(deck_result.path, deck_result.deck.digest, entries, formats, settings)


def forget(sources: Sequence[Path], ids: Sequence[str] = ()) -> tuple[int, list[Diagnostic]]:
    """Drop the tombstones (`identity.Tombstone`) from the locks of the projects `sources` are in,
    only those of `ids` when given; return how many went, and what was said. A folder holding a lock
    counts even when its Markdown files are all gone."""
    with_lock = {s for s in sources if (s / LOCK_NAME).is_file()}
    files, problems = discover([s for s in sources if s not in with_lock])
    result = BuildResult(diagnostics=problems)
    roots = {root for _, root in files} | with_lock
    dropped, new_locks = [], {}
    with updating(roots):
        for root, lock in _read_locks(roots, result).items():
            new_locks[root], gone = forget_removed(lock, ids)
            dropped += gone
        found = {t.entry.id for t in dropped}
        where = Source(min(roots) / LOCK_NAME if roots else Path(LOCK_NAME), 0)
        for qid in ids:
            if qid not in found:
                message = f"no removed question with the id {qid!r}"
                result.diagnostics.append(Diagnostic(where, Severity.ERROR, message))
        if not result.failed:
            _write_locks(new_locks, result)
    return (0 if result.failed else len(dropped)), result.diagnostics


def _recover_ids(locks: dict, files, out_dir: Path, result: BuildResult) -> None:
    """Content folders without a lock get the ids of an earlier build's outputs (`identity.recover`)."""
    for root, lock in locks.items():
        report = Report()
        locks[root] = recover(lock, [path for path, r in files if r == root], out_dir, report)
        result.diagnostics.extend(report.diagnostics)


def _write_locks(locks: dict, result: BuildResult, texts: dict | None = None) -> None:
    """Write each of `locks` (by content folder) that changed; `texts`: those made already."""
    for root, lock in locks.items():
        text = (texts or {}).get(root) or lock.dumps()
        try:
            if not lock.path.exists() or lock.path.read_text(encoding="utf-8") != text:
                write_atomic(lock.path, text)
        except OSError as exc:  # ids given now would not be remembered: the build failed
            message = f"cannot write the lock file: {_reason(exc)}"
            result.diagnostics.append(Diagnostic(Source(lock.path, 0), Severity.ERROR, message))


def _export_pending(
    result: BuildResult,
    out_dir: Path,
    formats,
    settings: Settings,
    run: Run,
    workers: Workers,
    meanwhile: Callable[[], None] | None = None,
) -> list[DeckResult]:
    """Export every parsed deck that has no errors and an output name of its own; return those.
    `meanwhile`: this process's own work, done while the workers export (`Workers.drive`)."""
    stems = {r.cached.stem: r.path for r in result.decks if r.cached is not None}
    pending: list[DeckResult] = []
    for deck_result in result.decks:
        if deck_result.cached is not None or deck_result.failed:
            continue
        if run.fail_fast and result.failed:
            break
        deck = deck_result.deck
        if deck.stem in stems:
            message = f"output name {deck.stem!r} is also used by {stems[deck.stem]}"
            deck_result.diagnostics.append(Diagnostic(deck.source, Severity.ERROR, message))
            continue
        stems[deck.stem] = deck.source.path
        pending.append(deck_result)
    if pending and not _made(out_dir, pending):
        if meanwhile is not None:
            meanwhile()
        return []
    if run.activity is not None and pending:
        run.activity(f"writing {len(pending)} deck{'s' * (len(pending) != 1)}")

    # fewer decks than workers (one big question bank, say): each format of a deck is a task of its
    # own, so that its two PDFs are laid out at once; else a deck's formats share one task and renders
    split = len(pending) < workers.size
    groups = [[fmt] for fmt in formats] if split else [list(formats)]
    jobs = [
        _export_job((r.deck, group, _renders_of(r, group)), out_dir, settings)
        for r in pending
        for group in groups
    ]
    finished = _deck_counter(result, pending, len(groups), run)
    exports = iter(workers.drive(jobs, finished=finished, meanwhile=meanwhile))
    for deck_result in pending:
        staged = Staging(out_dir)
        for _ in groups:
            part, diagnostics = next(exports)
            staged.files.extend(part.files)
            deck_result.diagnostics.extend(diagnostics)
        # tasks of one deck find the same things (both PDFs: "too long to print"): say each once
        deck_result.diagnostics[:] = dict.fromkeys(deck_result.diagnostics)
        deck_result.outputs.extend(_commit(staged, deck_result.failed, deck_result.diagnostics))
    return pending


def _renders_of(deck_result: DeckResult, formats: Sequence[str]) -> Renders:
    """What was rendered ahead of a deck for the targets of `formats` (a task gets only its own)."""
    ahead = deck_result.renders or Renders()
    return ahead.for_targets({Target(target) for target in targets(formats)})


def _deck_counter(
    result: BuildResult, pending: list[DeckResult], per_deck: int, run: Run
) -> Callable[[int], None]:
    """Tell `run.progress` the decks done of all as export tasks finish (a deck's `per_deck`
    tasks are next to each other); decks unchanged since the last build count as done."""
    left = [per_deck] * len(pending)
    done = [sum(r.cached is not None for r in result.decks)]
    total = done[0] + len(pending)
    progress = run.progress or (lambda done, total: None)
    progress(done[0], total)

    def finished(index: int) -> None:
        left[index // per_deck] -= 1
        if not left[index // per_deck]:
            done[0] += 1
            progress(done[0], total)

    return finished


def _made(out_dir: Path, pending: list[DeckResult]) -> bool:
    """Make the output folder; when it cannot be made, the decks fail with one error that says
    why (not one for each deck and format)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        return True
    except OSError as exc:
        message = f"cannot create the output folder: {_reason(exc)}"
        for deck_result in pending:  # the same diagnostic: shown once (`all_diagnostics`)
            deck_result.diagnostics.append(Diagnostic(Source(out_dir, 0), Severity.ERROR, message))
        return False


def _commit(staged: Staging, failed: bool, diagnostics: list[Diagnostic]) -> list[Path]:
    """All of a deck's outputs replace the earlier ones, or none does."""
    if failed:
        staged.discard()
        return []
    try:
        return staged.commit()
    except OutputError as exc:
        new = ", ".join(str(p) for p in exc.written) or "none"
        message = f"cannot put the outputs in place: {_reason(exc)} (already new: {new})"
        diagnostics.append(Diagnostic(_os_source(exc, staged.folder), Severity.ERROR, message))
        return exc.written


def _read_locks(roots: set[Path], result: BuildResult) -> dict:
    locks = {}
    for root in sorted(roots):
        try:
            locks[root] = Lock.load(root)
        except ContentError as exc:
            result.diagnostics.extend(exc.diagnostics)
    return locks


def _lock_entries(lock, path: Path, by_file: dict | None = None) -> str:
    """What the lock holds for one deck (its tombstones too: `forget` must rebuild its decks).
    `by_file` keeps each lock's entries grouped by file, so that the keys of a folder's decks take
    each entry once, not every entry for each deck (10 decks of 1,000: a tenth of the work)."""
    name = relative_name(path, lock.path.parent)
    if by_file is None:
        by_file = {}
    if id(lock) not in by_file:
        files: dict[str, tuple[list, list]] = {}
        for entry in lock.entries:
            files.setdefault(entry.file, ([], []))[0].append(entry)
        for tombstone in lock.removed:
            files.setdefault(tombstone.entry.file, ([], []))[1].append(tombstone)
        by_file[id(lock)] = (lock, files)  # (the lock kept: its id stays its own)
    files = by_file[id(lock)][1]

    def mine(file: str) -> bool:  # a folder's deck (a vault) owns the entries of the files in it
        return file == name or name == "." or file.startswith(name + "/")

    # in the lock's order: entries are grouped by file in it (`assign_ids`), tombstones too
    owned = [files[file] for file in files if mine(file)]
    return json.dumps(
        [e.as_dict() for entries, _ in owned for e in entries]
        + [t.as_dict() for _, tombstones in owned for t in tombstones]
    )


@cycles_kept()  # (reading, unpickling what workers read, giving ids: see `cycles_kept`)
def _load(
    files,
    locks: dict,
    result: BuildResult,
    settings: Settings,
    run: Run,
    workers: Workers,
    note_types=None,
    cache: CacheFolder | None = None,
    alone: frozenset[Path] = frozenset(),
    shown: Sequence[str] = (),
    kept: Kept | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> dict:
    """Parse `files` into `result.decks` and give their questions stable ids; return the new locks.
    `note_types`: the formats' note-type fingerprints, stamped in the locks (`identity.assign_ids`);
    `cache`: the folder readers may keep a cache in (None: none); `alone`: the files named on their
    own (`parse_deck`); `shown`: the targets the answers are rendered for as they are read; `kept`:
    renders earlier builds of this process made (`Kept`). `meanwhile`: this process's work while
    the workers read (`Workers.map`); it may fill `locks` and `note_types` (read after it)."""
    if meanwhile is None:  # (else the locks are not read yet: those decks are dropped below)
        files = [(path, root) for path, root in files if root in locks]
    items = files if kept is None else [(p, r, kept.of(p, shown)) for p, r in files]
    parsed = workers.map(
        parse_deck,
        items,
        settings,
        cache,
        alone,
        shown,
        first=_longest_first([path for path, _ in files]),
        meanwhile=meanwhile,
    )
    by_root: dict[Path, list[DeckResult]] = {}
    for (path, root), (deck, diagnostics, renders, prints) in zip(files, parsed, strict=True):
        if root not in locks:
            continue  # its lock file is unreadable: reported once (`_read_locks`)
        if kept is not None and deck is not None:
            renders = kept.keep(path, deck, renders)
        if deck is None and not any(d.is_error for d in diagnostics):
            result.diagnostics.extend(diagnostics)  # left out: a file of a folder, no questions
            continue
        deck_result = DeckResult(
            path,
            deck=deck,
            diagnostics=diagnostics,
            strict=settings.strict,
            renders=renders,
            prints=prints,
        )
        result.decks.append(deck_result)
        if not deck_result.failed:
            by_root.setdefault(root, []).append(deck_result)
        elif run.fail_fast:
            break

    new_locks = {}
    for root, results in by_root.items():
        report = Report()
        try:
            decks, new_locks[root] = assign_ids(
                [r.deck for r in results],
                locks[root],
                report,
                run.clock,
                note_types,
                [r.prints for r in results],
            )
        except ContentError as exc:  # e.g. one explicit id on two questions: those decks fail
            for deck_result in results:
                deck_result.deck = None
                deck_result.diagnostics.extend(
                    d for d in exc.diagnostics if d.source.path == deck_result.path
                )
            continue
        found = report.diagnostics
        for deck_result, deck in zip(results, decks, strict=True):
            deck_result.deck = deck
            deck_result.diagnostics.extend(d for d in found if d.source.path == deck_result.path)
        paths = {r.path for r in results}
        result.diagnostics.extend(d for d in found if d.source.path not in paths)
    return new_locks


def _longest_first(paths: list[Path]) -> list[int]:
    """The order to read `paths` in: folders (a vault) first, then files by size, largest first."""

    def size(path: Path) -> float:
        if path.is_dir():
            return float("inf")
        try:
            return path.stat().st_size
        except OSError:  # gone: its reader says so, at once
            return 0

    sizes = [size(path) for path in paths]
    return sorted(range(len(paths)), key=lambda index: -sizes[index])


def _warm(locks: dict) -> None:
    """What giving ids computes of the locks, computed while the workers read: each entry's
    prompt in normal form (kept by `normal_prompt`), and cardsmith's code fingerprint (the cache
    keys)."""
    for lock in locks.values():
        for entry in lock.entries:
            normal_prompt(entry.prompt)
    code_fingerprint()


def parse_deck(
    file: tuple,
    settings: Settings,
    cache: CacheFolder | None = None,
    alone: frozenset[Path] = frozenset(),
    shown: Sequence[str] = (),
) -> tuple[Deck | None, list[Diagnostic], Renders, list | None]:
    """Read one (deck path, content folder) with the reader that claims it: the deck, or None on
    errors, what was said, its answers rendered for each of the targets `shown` from the tokens
    the reader parsed (`render.render_ahead`: an answer is parsed once, not again by each format),
    and what identity computes of each question alone (`question_prints`: computed here, in the
    worker, so that giving ids after every deck is read only matches).
    A reader may keep a cache in `cache`. A file with no questions is an error when it is one of
    the files named `alone`; found in a folder, it is left out with a warning (None and no error).
    `file` may hold a third item: renders made before (`Kept`), which are not made again."""
    path, root, *earlier = file
    report = Report()
    deck = None
    renders = Renders(*earlier)
    reader = reader_of(path)
    try:
        if reader is None:  # gone since it was found
            raise ContentError.at(Source(path, 0), "no such file or folder")
        parsed: dict[str, list] = {}
        with cycles_kept():
            deck = reader.read(path, root, report, settings, cache, parsed)
            render_ahead(deck, parsed, [Target(target) for target in shown], renders)
    except NoQuestions as exc:
        if path in alone:
            for diagnostic in exc.diagnostics:
                report.add(diagnostic)
        else:
            what = "file is empty" if exc.empty else "no questions found"
            report.warn(
                Source(path, 0), f"{what}; left out of the build (`exclude` leaves it out quietly)"
            )
    except ContentError as exc:
        for diagnostic in exc.diagnostics:
            report.add(diagnostic)
    prints = None if deck is None else [question_prints(q) for q in deck.questions]
    return deck, report.diagnostics, renders, prints


def export_deck(task: tuple, out_dir: Path, settings: Settings):
    """Write one deck in each of the task's formats, all or nothing: (outputs, diagnostics). A task
    is (deck, formats), or (deck, formats, renders) with its answers rendered ahead."""
    staged, diagnostics = stage_deck(task, out_dir, settings)
    return _commit(staged, fails(diagnostics, settings.strict), diagnostics), diagnostics


def _export_job(task: tuple, out_dir: Path, settings: Settings):
    """The steps of one export task (see `Workers.drive`): a format that spreads its work, alone in
    its task, runs here and hands its work to the workers; any other task runs on a worker whole."""
    formats = task[1]
    if len(formats) == 1 and FORMAT[formats[0]].spreads:
        return (yield from stage_steps(task, out_dir, settings))
    [staged] = yield Spread(stage_deck, [task], (out_dir, settings))
    return staged


def stage_deck(task: tuple, out_dir: Path, settings: Settings):
    """Write one deck in each of the task's formats to temporary files beside their targets:
    (the `Staging`, diagnostics). A content problem stops this deck only; whatever stops the
    process (Ctrl-C, SIGTERM) takes the temporary files with it."""
    with cycles_kept(not any(FORMAT[fmt].paper for fmt in task[1])):
        return run_here(stage_steps(task, out_dir, settings))


def stage_steps(task: tuple, out_dir: Path, settings: Settings):
    """`stage_deck` as steps: the `Spread`s of the formats that spread their work are yielded."""
    deck, formats, *ahead = task
    staged = Staging(out_dir)
    report = Report()
    renders = Renders(*ahead)  # formats that show the same HTML render it once
    fmt = None
    try:
        for fmt in formats:
            written = FORMAT[fmt].exporter()(deck, staged, settings, report, renders)
            if inspect.isgenerator(written):
                yield from written
    except ContentError as exc:
        for diagnostic in exc.diagnostics:
            report.add(diagnostic)
    except OSError as exc:  # the output folder is a file, read-only, full...
        report.error(_os_source(exc, out_dir), f"cannot write the {fmt} output: {_reason(exc)}")
    except BaseException:
        staged.discard()
        raise
    if report.errors:
        staged.discard()
    return staged, report.diagnostics


def _os_source(exc: OSError, fallback: Path) -> Source:
    return Source(Path(exc.filename) if exc.filename else fallback, 0)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
