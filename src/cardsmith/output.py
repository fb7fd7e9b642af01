"""Writing outputs so that a failed or interrupted build never leaves a half-written file, nor a deck
whose outputs come from two builds.

`write_atomic` writes one file beside its target and renames it into place (the lock, the cache).
`Staging` is what an exporter writes a deck's files into: each goes to a temporary file beside its
target, and the build renames all of a deck's files into place together, only when every format
succeeded (`commit`); otherwise they are removed (`discard`) and the earlier outputs stay as they were.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in `target`'s folder; on success it replaces `target` in one rename,
    on any exception it is removed and `target` is left as it was."""
    with _temporary(target) as temp:
        yield temp
        _replace(temp, target)


def write_atomic(target: Path, data: bytes | str) -> Path:
    with atomic_path(target) as temp:
        _write(temp, data)
    return target


@dataclass(eq=False)  # compared by identity: `_LIVE` holds each one
class Staging:
    """A deck's outputs on their way into `folder`: written, not yet in place. Plain data, so a
    worker process can hand it back to the build."""

    folder: Path
    files: list[tuple[Path, Path]] = field(default_factory=list)  # (temporary, target)

    def __post_init__(self) -> None:
        _LIVE.add(self)

    @contextlib.contextmanager
    def file(self, name: str) -> Iterator[Path]:
        """A temporary path for the output `name`, kept for `commit` when the block succeeds."""
        target = self.folder / name
        with _temporary(target, keep=True) as temp:
            self.files.append((temp, target))  # from now on: `discard` removes it, however we end
            try:
                yield temp
            except BaseException:
                self.files.remove((temp, target))
                raise

    def write(self, name: str, data: bytes | str) -> Path:
        with self.file(name) as temp:
            _write(temp, data)
        return self.folder / name

    @property
    def targets(self) -> list[Path]:
        return [target for _, target in self.files]

    def commit(self) -> list[Path]:
        """Rename every staged file into place; return the targets. If a rename fails (the disk, a
        folder where a file should be), the files not yet renamed are removed and the error says
        which outputs are new."""
        done: list[Path] = []
        for _, target in self.files:  # the likely failure, found before anything is replaced
            if target.is_dir():
                self.discard()
                raise OutputError(target, IsADirectoryError(21, "is a folder"), done)
        for position, (temp, target) in enumerate(self.files):
            try:
                os.replace(temp, target)
            except OSError as exc:
                self.files = self.files[position:]
                self.discard()
                raise OutputError(target, exc, done) from None
            done.append(target)
        self.files = []
        return done

    def discard(self) -> None:
        for temp, _ in self.files:
            with contextlib.suppress(OSError):
                temp.unlink()
        self.files = []


_LIVE: weakref.WeakSet[Staging] = weakref.WeakSet()


def discard_all() -> None:
    """Remove the temporary files of every staging in this process (a worker told to stop)."""
    for staging in list(_LIVE):
        staging.discard()


class OutputError(OSError):
    """A staged output could not be put in place; `written` were, before it."""

    def __init__(self, target: Path, cause: OSError, written: list[Path]):
        super().__init__(cause.errno, cause.strerror or str(cause), str(target))
        self.written = written


@contextlib.contextmanager
def _temporary(target: Path, keep: bool = False) -> Iterator[Path]:
    """A temporary file beside `target`, removed on an exception (and on success too unless `keep`,
    or the caller renamed it). An OSError while writing names `target`, never the temporary file."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.fchmod(fd, 0o644)
        os.close(fd)
    except OSError as exc:
        raise _about(exc, target) from None
    temp = Path(name)
    succeeded = False
    try:
        try:
            yield temp
        except OSError as exc:
            raise _about(exc, target) from None
        succeeded = True
    finally:
        if not (keep and succeeded):
            temp.unlink(missing_ok=True)


def _replace(temp: Path, target: Path) -> None:
    try:
        os.replace(temp, target)
    except OSError as exc:
        raise _about(exc, target) from None


def _about(exc: OSError, target: Path) -> OSError:
    return OSError(exc.errno, exc.strerror or str(exc), str(target))


def _write(path: Path, data: bytes | str) -> None:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
