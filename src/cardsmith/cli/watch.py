"""`cardsmith watch`: build, then rebuild whenever content or templates change, until stopped.

Each rebuild goes through the build cache, so only decks whose inputs changed are built again. A content
error is reported and the watch goes on, waiting for the fix."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from cardsmith.build.pipeline import BuildResult, build
from cardsmith.identity import LOCK_NAME
from cardsmith.reading import is_config_file
from cardsmith.run import DEFAULT_RUN, Run
from cardsmith.settings import Settings
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
    sources: Sequence[Path],
    out_dir: Path,
    formats: Sequence[str],
    settings: Settings,
    on_build: Callable[[BuildResult], None],
    stop: threading.Event | None = None,
    run: Run = DEFAULT_RUN,
) -> None:
    """Build once, then again after each change; `on_build` sees every result."""
    from watchfiles import watch as changes

    on_build(build(sources, out_dir, formats, settings, run))
    out = out_dir.resolve()
    folders = [
        p
        for p in {*(s if s.is_dir() else s.parent for s in sources), templates_dir()}
        if p.exists()
    ]

    def relevant(_change, name: str) -> bool:
        path = Path(name)
        if is_config_file(path):  # how a deck is read: a vault's plugin settings
            return True
        return (
            path.suffix.lower() in WATCHED_SUFFIXES
            and path.name != LOCK_NAME  # written by the build itself
            and not path.name.startswith(".")
            and not path.resolve().is_relative_to(out)
        )

    for _ in changes(*folders, watch_filter=relevant, stop_event=stop, debounce=300, step=50):
        on_build(build(sources, out_dir, formats, settings, run))
