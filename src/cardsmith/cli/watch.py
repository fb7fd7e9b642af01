"""`cardsmith watch`: build, then rebuild whenever content, templates or the config change, until
stopped.

The formats ready in moments are built and reported first, then the PDFs, which take seconds to
minutes (a progress line says so): a save is in the Anki package long before it is on paper. The
watching starts before the first build, so a save made while a build runs is seen, and built
once the build ends: what is on disk when a build settles is what gets built. Each rebuild goes
through the build cache, so only decks whose inputs changed are built again, and keeps warm what
the last one made: the answers rendered (`pipeline.Kept`: an edit renders its own answer again,
not the deck's), and the exporters' libraries, imported once here before the first build (every
build's worker processes are forked from this one: they would each import WeasyPrint, pypdf and
genanki again, seconds on every save). A content error is
reported and the watch goes on, waiting for the fix; so does a config file with a mistake (the
settings before it stay in force)."""

from __future__ import annotations

import contextlib
import importlib
import queue
import threading
from collections.abc import Callable
from pathlib import Path

from cardsmith.build.pipeline import BuildResult, Kept, build
from cardsmith.cli.flags import Chosen
from cardsmith.errors import ContentError, Diagnostic
from cardsmith.exporters import FORMAT, waves
from cardsmith.identity import LOCK_NAME
from cardsmith.reading import is_config_file
from cardsmith.run import DEFAULT_RUN, Run
from cardsmith.templating import templates_dir

WATCHED_SUFFIXES = {
    ".md",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".svg",
    ".webp",
    ".html",
    ".css",
    ".toml",
}


def watch(
    chosen: Chosen,
    on_build: Callable[[BuildResult], None],
    stop: threading.Event | None = None,
    run: Run = DEFAULT_RUN,
    reload: Callable[[], Chosen] | None = None,
    on_config: Callable[[Path, list[Diagnostic]], None] | None = None,
    paper: Callable[[], contextlib.AbstractContextManager[Run]] | None = None,
    on_paper: Callable[[BuildResult], None] | None = None,
) -> None:
    """Build once, then again after each change; `on_build` sees every result. When the config
    file in force changes, `reload()` gives what to do now and `on_config(path, [])` hears of it;
    when it raises `ContentError`, `on_config(path, diagnostics)` hears why and the settings before
    stay.

    Each build is two (`exporters.waves`): the formats ready in moments, whose result `on_build`
    sees as soon as they are written, then the PDFs, run by the `Run` that `paper()` gives (a
    progress line), their result to `on_paper` (else `on_build`)."""
    stop = stop or threading.Event()
    changes = _Changes(chosen)
    kept = Kept()
    _preload(chosen.formats)
    try:
        _build(chosen, run, on_build, paper, on_paper, kept)
        while (found := changes.wait(stop)) is not None:
            config = chosen.config.path
            if reload is not None and config is not None and _touches(found, config):
                try:
                    chosen = reload()
                except ContentError as exc:
                    if on_config is not None:
                        on_config(config, list(exc.diagnostics))
                    continue
                if on_config is not None:
                    on_config(config, [])
                kept = Kept()  # renders made under the settings before
                _preload(chosen.formats)
                if _targets(chosen) != changes.targets:  # other sources: watch them instead
                    changes.close()
                    changes = _Changes(chosen)
            _build(chosen, run, on_build, paper, on_paper, kept)
    finally:
        changes.close()


def _build(chosen: Chosen, run: Run, on_build, paper, on_paper, kept: Kept) -> None:
    for formats in waves(chosen.formats):
        if FORMAT[formats[0]].paper:
            with paper() if paper is not None else contextlib.nullcontext(run) as paper_run:
                result = build(
                    chosen.sources, chosen.out, formats, chosen.settings, paper_run, kept
                )
            (on_paper or on_build)(result)
        else:
            on_build(build(chosen.sources, chosen.out, formats, chosen.settings, run, kept))


# the libraries each format writes or lays out with, which its module imports only when it writes
LIBRARIES = {
    "apkg": ("genanki",),
    "pdf": ("weasyprint",),
    "cards-pdf": ("weasyprint", "pypdf"),
}


def _preload(formats) -> None:
    """Import the exporters of `formats` and their libraries in this process, once: the workers
    of every build are forked from it with them loaded. (Where workers are spawned, not forked,
    this only costs the import.)"""
    for name in formats:
        # one that cannot load is the build's to report, as any build does
        with contextlib.suppress(ImportError, OSError):
            importlib.import_module(FORMAT[name].module)
            for library in LIBRARIES.get(name, ()):
                importlib.import_module(library)


def _touches(found: set[Path], config: Path) -> bool:
    return any(path == config.resolve() for path in found)


def _targets(chosen: Chosen) -> tuple[tuple[Path, ...], Path | None]:
    """The folders watched with all below them (the sources', the templates), and the config
    file's (only the config itself matters in it)."""
    folders = {(s if s.is_dir() else s.parent).resolve() for s in chosen.sources}
    folders.add(templates_dir().resolve())
    config = chosen.config.path.resolve() if chosen.config.path is not None else None
    return tuple(sorted(p for p in folders if p.exists())), config


class _Changes:
    """Changes to what a build reads, gathered by threads that watch from the moment this is made
    (watchfiles, one thread for the folders and their subfolders, one for the config's folder)."""

    def __init__(self, chosen: Chosen):
        self.targets = folders, config = _targets(chosen)
        self.found: queue.Queue[set[Path] | BaseException] = queue.Queue()
        self.halt = threading.Event()
        out = chosen.out.resolve()

        def relevant(path: Path) -> bool:
            if is_config_file(path):  # how a deck is read: a vault's plugin settings
                return True
            return (
                path.suffix.lower() in WATCHED_SUFFIXES
                and path.name != LOCK_NAME  # written by the build itself
                and not path.name.startswith(".")
                and not path.is_relative_to(out)
            )

        self.threads = [self._start(folders, True, relevant)]
        if config is not None and not any(config.is_relative_to(f) for f in folders):
            self.threads.append(self._start((config.parent,), False, config.__eq__))

    def _start(self, paths, recursive: bool, relevant: Callable[[Path], bool]) -> threading.Thread:
        started = threading.Event()
        thread = threading.Thread(
            target=self._watch, args=(paths, recursive, relevant, started), daemon=True
        )
        thread.start()
        started.wait(10)  # watching (or failed: the error waits in the queue)
        return thread

    def _watch(self, paths, recursive: bool, relevant, started: threading.Event) -> None:
        from watchfiles import watch as changes

        try:
            # the first yield, on a timeout of 0.1 s if nothing changed, says the watching started
            for batch in changes(
                *paths,
                recursive=recursive,
                stop_event=self.halt,
                debounce=300,
                step=50,
                rust_timeout=100,
                yield_on_timeout=True,
            ):
                started.set()
                found = {path for _, name in batch if relevant(path := Path(name).resolve())}
                if found:
                    self.found.put(found)
        except BaseException as exc:  # a watched folder removed, say: the watch ends with it
            self.found.put(exc)
        finally:
            started.set()

    def wait(self, stop: threading.Event) -> set[Path] | None:
        """What changed since the last call, waiting for a change; None once `stop` is set."""
        while not stop.is_set():
            try:
                first = self.found.get(timeout=0.1)
            except queue.Empty:
                continue
            found: set[Path] = set()
            for batch in (first, *self._drain()):
                if isinstance(batch, BaseException):
                    raise batch
                found |= batch
            return found
        return None

    def _drain(self) -> list:
        items = []
        with contextlib.suppress(queue.Empty):
            while True:
                items.append(self.found.get_nowait())
        return items

    def close(self) -> None:
        self.halt.set()
        for thread in self.threads:
            thread.join(timeout=5)
