"""Writing outputs so that a failed or interrupted build never leaves a half-written file, nor a deck
whose outputs come from two builds.

`write_atomic` writes one file beside its target and renames it into place (the lock, the cache).
`Staging` is what an exporter writes a deck's files into: each goes to a temporary file beside its
target, and the build renames all of a deck's files into place together, only when every format
succeeded (`commit`); otherwise they are removed (`discard`) and the earlier outputs stay as they were.

A temporary file's name holds the id of the process that made it (`.x.apkg.4242-k2j3h4l5.tmp`), and
the process keeps a list of its own: it removes them all when it is stopped (`discard_all`), and a
build removes at its start those whose process is gone (`remove_stale`), as after a `kill -9`.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import string
import sys
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


@dataclass(eq=False)
class Staging:
    """A deck's outputs on their way into `folder`: written, not yet in place. Plain data, so a
    worker process can hand it back to the build."""

    folder: Path
    files: list[tuple[Path, Path]] = field(default_factory=list)  # (temporary, target)

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
            _OURS.discard(temp)
            done.append(target)
        self.files = []
        return done

    def discard(self) -> None:
        for temp, _ in self.files:
            _remove(temp)
        self.files = []


# the temporary files this process made and has not yet renamed or removed (a staging's among them;
# one handed back by a worker process is the worker's until the build commits or discards it)
_OURS: set[Path] = set()


def discard_all() -> None:
    """Remove every temporary file of this process: it is being stopped (Ctrl-C, SIGTERM)."""
    for temp in list(_OURS):
        _remove(temp)


def _remove(temp: Path) -> None:
    with contextlib.suppress(OSError):
        temp.unlink()
    _OURS.discard(temp)


# `.<target name>.<pid>-<random>.tmp`, as `_temporary` names them
_TEMPORARY = re.compile(r"\..+\.(\d+)-[a-z0-9_]+\.tmp")


def remove_stale(*folders: Path, depth: int = 2, hidden: bool = False) -> None:
    """Remove the temporary files left in `folders` (and, `depth` deep, in their hidden subfolders:
    the caches) by processes that are gone: stopped by `kill -9`, or a power cut. A running
    build's stay."""
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                if depth > 0 and (hidden or entry.name.startswith(".")):
                    remove_stale(Path(entry.path), depth=depth - 1, hidden=True)
                continue
            match = _TEMPORARY.fullmatch(entry.name)
            if (
                stat.S_ISREG(info.st_mode)
                and match
                and not _running_since(int(match.group(1)), info.st_mtime)
            ):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _running_since(pid: int, written: float) -> bool:
    """Whether the process `pid` is running and was already running at the time `written` (a
    process that started later only got the number of one that is gone)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's: running
    except OSError:
        return False
    started = _start_time(pid)
    return started is None or started <= written + 1


def _start_time(pid: int) -> float | None:
    """When process `pid` started (Unix time), where Linux says; else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        ticks = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
        boot = next(
            int(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
    except (OSError, ValueError, IndexError, StopIteration):
        return None
    return boot + ticks / os.sysconf("SC_CLK_TCK")


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
        temp = _created(target)
    except OSError as exc:
        raise _about(exc, target) from None
    succeeded = False
    try:
        try:
            yield temp
        except OSError as exc:
            raise _about(exc, target) from None
        succeeded = True
    finally:
        if not (keep and succeeded):
            _remove(temp)


_NAME_CHARACTERS = string.ascii_lowercase + string.digits


def _created(target: Path) -> Path:
    """A new empty file beside `target`, named `.<name>.<pid>-<random>.tmp`, that is in `_OURS`
    before it exists: a Ctrl-C or SIGTERM may come at any point, and the build's tests send it the
    moment such a file appears, so a file made first and listed after could be left behind (it was,
    now and then: made by `mkstemp`, the signal raised before the next line listed it)."""
    while True:
        random = "".join(secrets.choice(_NAME_CHARACTERS) for _ in range(8))
        temp = target.parent / f".{target.name}.{os.getpid()}-{random}.tmp"
        _OURS.add(temp)  # first: `discard_all` then removes it, or finds nothing to remove
        try:
            descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        except FileExistsError:
            _OURS.discard(temp)
            continue
        except OSError:
            _OURS.discard(temp)
            raise
        # an interrupt here (or raised as `os.open` returned) leaves `temp` listed, to be removed
        os.fchmod(descriptor, 0o644)  # whatever the umask says: outputs are readable by all
        os.close(descriptor)
        return temp


def _replace(temp: Path, target: Path) -> None:
    try:
        os.replace(temp, target)
    except OSError as exc:
        raise _about(exc, target) from None
    _OURS.discard(temp)


def _about(exc: OSError, target: Path) -> OSError:
    return OSError(exc.errno, exc.strerror or str(exc), str(target))


def _write(path: Path, data: bytes | str) -> None:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
