"""Projects: which one a Markdown file belongs to, one build at a time in each, and `cardsmith init`.

A file's project is found the way git finds its repository: from the file's folder upwards, the first
folder that holds a `cardsmith.lock` is its content folder; else the first that holds a config file
(`cardsmith.toml`, or `pyproject.toml` with `[tool.cardsmith]`) makes the config's source folder that
holds the file its content folder (the config's own folder when none does). The search stops at a
repository's top (a folder with `.git`). With neither, the folder named on the command line (or the
file's own folder) is the content folder. The content folder holds the lock, and images may not leave it,
so building `content/sub/x.md` alone uses the same lock and ids as building `content/`. A build holds
its content folders while it reads and writes their locks (`updating`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from cardsmith.build.config import find_config, toml_value
from cardsmith.errors import ContentError, Diagnostic
from cardsmith.identity import LOCK_NAME
from cardsmith.settings import CONFIG, SETTINGS


class ContentRoots:
    """Finds content folders, remembering what each folder's search found (a vault has thousands
    of files in hundreds of folders)."""

    def __init__(self) -> None:
        # folder -> (the folder with the lock or config above it, the config's source folders)
        self._found: dict[Path, tuple[Path | None, tuple[Path, ...]]] = {}
        self.problems: list[Diagnostic] = []

    def of(self, folder: Path, fallback: Path) -> Path:
        """The content folder for a file in `folder`, or `fallback` when no project claims it."""
        folder = folder.resolve()
        marker, sources = self._marker(folder)
        if marker is None:
            return fallback
        return next((s for s in sources if folder.is_relative_to(s)), marker)

    def _marker(self, folder: Path) -> tuple[Path | None, tuple[Path, ...]]:
        visited = []
        found: tuple[Path | None, tuple[Path, ...]] = (None, ())
        for current in (folder, *folder.parents):
            if current in self._found:
                found = self._found[current]
                break
            visited.append(current)
            if (current / LOCK_NAME).is_file():
                found = (current, ())
                break
            if (sources := self._config_sources(current)) is not None:
                found = (current, sources)
                break
            if (current / ".git").exists():
                break  # a project does not reach beyond its repository
        for current in visited:
            self._found[current] = found
        return found

    def _config_sources(self, folder: Path) -> tuple[Path, ...] | None:
        try:
            config, table = find_config(folder)
        except ContentError as exc:  # reported; the file still builds with the folder it was given
            self.problems.extend(d for d in exc.diagnostics if d not in self.problems)
            return None
        if config is None:
            return None
        return tuple((folder / source).resolve() for source in table.get("sources", ["content"]))


@contextlib.contextmanager
def updating(
    folders: Iterable[Path], waiting: Callable[[Path], None] | None = None
) -> Iterator[None]:
    """Hold the right to update the locks of `folders` (content folders): two builds of one project
    at once would each write the lock they read, and the last would drop the other's new ids. An
    exclusive `flock` on the folder itself leaves no file behind and ends with the process, however it
    ends. `waiting(folder)` is called before waiting for another build. Where there is no flock
    (Windows), builds are not serialised."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with contextlib.ExitStack() as held:
        for folder in sorted(
            {f.resolve() for f in folders}
        ):  # one order: two builds never deadlock
            try:
                descriptor = os.open(folder, os.O_RDONLY)
            except OSError:
                continue  # an unreadable folder fails later, with a message about its files
            held.callback(os.close, descriptor)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if waiting is not None:
                    waiting(folder)
                fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield


EXAMPLE = """---
title: Example deck
date: 2026-01-01
tags: [example]
---

# Example deck

## Basics

### 1. What does cardsmith build from this file?
- an **Anki deck** (`output/example.apkg`) for your phone
- a **cheat sheet** and **flashcards** to print (`output/example.pdf`, `output/example.cards.pdf`)
- **CSV** for spreadsheets and for Anki's importer, and **JSON** for other tools

### 2. How do I keep my review history when I edit a question?
Just edit and rebuild: `cardsmith.lock` remembers which card each question is. Commit it.

## Writing

### 3. Can answers hold code and math?
Yes:

```python
print(sum(range(4)))  # 6
```

Inline math $e^{i\\pi} + 1 = 0$ works too.

### The {{c1::cloze}} syntax makes a fill-in-the-blank card
Put `{{c1::...}}` in the question.
"""


# what a new project has that an old one without the setting does not (its notes keep their tags)
NEW_PROJECTS = {"prefix_tags": True}


def example_config() -> str:
    """`cardsmith.toml` with every setting the config file takes, at its default (or as a new
    project has it: `NEW_PROJECTS`), and what it is."""
    deck_settings = ", ".join(s.name for s in SETTINGS if s.deck)
    lines = [
        "# cardsmith settings. A deck's front matter overrides the deck settings",
        f"# ({deck_settings});",
        "# the command line overrides everything. `cardsmith config` shows what is in force and",
        "# where it comes from.",
    ]
    for declared in SETTINGS:
        if CONFIG not in declared.where:
            continue
        value = toml_value(NEW_PROJECTS.get(declared.name, declared.default))
        choices = f": {', '.join(declared.allowed)}" if declared.allowed else ""
        lines.append(f"{declared.name} = {value}".ljust(27) + f" # {declared.help}{choices}")
    return "\n".join(lines) + "\n"


GITIGNORE = "/output/\n/.venv/\n__pycache__/\n"


def init_project(folder: Path) -> list[Path]:
    """Write the starter files into `folder` (created if needed); never overwrites a file."""
    files = {
        folder / "content" / "example.md": EXAMPLE,
        folder / "cardsmith.toml": example_config(),
        folder / ".gitignore": GITIGNORE,
    }
    existing = [path for path in files if path.exists()]
    if existing:
        raise FileExistsError(", ".join(str(p) for p in existing))
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "output").mkdir(exist_ok=True)
    return list(files)
