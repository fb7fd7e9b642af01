"""An Anki collection file, or a deck exported as `.apkg`, through Anki's engine: checked before
anything is done, read from a copy, changed all or nothing.

- `check`: the file is an Anki collection that is not damaged, not open in Anki, and writable when it
  is to be changed; else `CollectionError`, with a message for people, and nothing was done;
- `reading`: a copy opened for reading (a phone's `.apkg` is imported into an empty scratch
  collection: the one way to read every export format), with the media folder of the original;
- `changing`: a working copy beside the collection, which every step changes. Only when all of them
  succeeded is the collection replaced by it, in one rename, the old file kept as a backup. A kill at
  any step leaves the collection as it was. The collection stays locked meanwhile, so Anki cannot
  change it behind the copy's back;
- `read_notes`: every note, by GUID.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

BACKUPS = "cardsmith-backups"
_SCRATCH = ".cardsmith-sync-"  # the working copy's folder, beside the collection
_TABLES = ("col", "notes", "cards", "revlog", "graves")


class CollectionError(Exception):
    """The collection cannot be used (missing, open in Anki, damaged, read-only, too new): nothing
    was changed."""


@dataclass(frozen=True, slots=True)
class Note:
    """One note as the collection holds it."""

    id: int
    guid: str
    modified: int  # `mod`, in seconds: an import keeps the package's, an edit sets the clock's
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    note_type: str
    # the home decks of its cards (a card in a filtered deck counts in the deck it came from)
    decks: frozenset[str]


def check(path: Path, *, write: bool) -> None:
    """Refuse what cannot be read (or changed, with `write`) before anything is done: a missing file,
    a file that is no collection or a damaged one, one Anki holds open, a read-only one."""
    if not path.is_file():
        raise CollectionError(
            "no such collection file (Anki keeps it as collection.anki2 in its profile folder)"
        )
    if write and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise CollectionError(
            "the collection is read-only: cardsmith cannot change it (the file or its folder "
            "may not be written)"
        )
    with _connected(path, write=False) as connection:
        _check_schema(connection)


def _check_schema(connection: sqlite3.Connection) -> None:
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        missing = [table for table in _TABLES if table not in tables]
        if missing:
            raise CollectionError(
                f"not an Anki collection, or a damaged one: it has no {missing[0]} table"
            )
        for table in _TABLES:
            connection.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
    except sqlite3.OperationalError as exc:
        raise _locked_or(exc, "not an Anki collection, or a damaged one") from None
    except sqlite3.DatabaseError as exc:
        raise CollectionError(f"not an Anki collection, or a damaged one: {exc}") from None


@contextlib.contextmanager
def _connected(path: Path, *, write: bool) -> Iterator[sqlite3.Connection]:
    mode = "rw" if write else "ro"
    try:
        connection = sqlite3.connect(
            f"file:{quote(str(path))}?mode={mode}", uri=True, timeout=0, isolation_level=None
        )
    except sqlite3.Error as exc:
        raise CollectionError(f"cannot open the collection: {exc}") from None
    try:
        yield connection
    finally:
        connection.close()


def _locked_or(exc: sqlite3.Error, what: str) -> CollectionError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return CollectionError("the collection is open in Anki (or locked): close Anki first")
    if "readonly" in text or "read-only" in text:
        return CollectionError("the collection is read-only: cardsmith cannot change it")
    return CollectionError(f"{what}: {text}")


@contextlib.contextmanager
def engine_errors(doing: str) -> Iterator[None]:
    """Anki's engine failing while `doing` something with a copy: a `CollectionError` that says so
    (the collection itself is as it was)."""
    from anki.errors import AnkiException

    try:
        yield
    except AnkiException as exc:
        raise CollectionError(f"cannot {doing} (the collection is as it was): {exc}") from None
    except sqlite3.Error as exc:
        raise CollectionError(f"cannot {doing} (the collection is as it was): {exc}") from None


def open_collection(path: Path):
    """Anki's `Collection` on `path`, its errors said for people."""
    from anki.collection import Collection
    from anki.errors import DBError

    try:
        return Collection(str(path))
    except DBError as exc:
        text = str(exc)
        if "FileTooNew" in text:
            raise CollectionError(
                "the collection was made by a newer Anki than this cardsmith's Anki engine: "
                "update it (pip install -U anki)"
            ) from None
        if "FileTooOld" in text:
            raise CollectionError(
                "the collection was made by an Anki too old to open: open it in Anki first"
            ) from None
        if "ReadOnly" in text or "readonly" in text:
            raise CollectionError(
                "the collection is read-only: cardsmith cannot change it"
            ) from None
        raise CollectionError(f"cannot open the collection: {text}") from None
    except Exception as exc:  # the engine's other errors: a file that is no collection
        raise CollectionError(f"cannot open the collection: {exc}") from None


@dataclass(frozen=True, slots=True)
class Reading:
    """A collection (or package) opened for reading: Anki's `Collection` on a scratch copy, and
    the folder the original's media are in."""

    col: object
    media: Path


@contextlib.contextmanager
def reading(path: Path) -> Iterator[Reading]:
    """A scratch copy of the collection at `path` opened for reading (the collection itself is never
    written), or an exported `.apkg` imported into an empty scratch collection."""
    package = path.suffix.lower() in (".apkg", ".colpkg")
    if package:
        _check_package(path)
    else:
        check(path, write=False)
    with tempfile.TemporaryDirectory(prefix="cardsmith-pull-") as scratch:
        copy = Path(scratch) / "collection.anki2"
        if package:
            col = open_collection(copy)
            try:
                _import_package(col, path)
            except Exception:
                col.close()
                raise
            media = Path(col.media.dir())
        else:
            with _connected(path, write=False) as connection:
                target = sqlite3.connect(copy)
                try:  # the backup API reads what a -wal file holds too
                    connection.backup(target)
                except sqlite3.OperationalError as exc:
                    raise _locked_or(exc, "cannot read the collection") from None
                finally:
                    target.close()
            col = open_collection(copy)
            media = media_folder(path)
        try:
            yield Reading(col, media)
        finally:
            col.close()


def media_folder(path: Path) -> Path:
    """The media folder Anki keeps beside a collection file (`collection.media`)."""
    return path.with_name(path.stem + ".media")


def _check_package(path: Path) -> None:
    if not path.is_file():
        raise CollectionError("no such file")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile) as exc:
        raise CollectionError(f"not an Anki package: {exc}") from None
    if not names & {"collection.anki2", "collection.anki21", "collection.anki21b"}:
        raise CollectionError("not an Anki package: it holds no collection")


def _import_package(col, package: Path) -> None:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    options = ImportAnkiPackageOptions(with_scheduling=False, merge_notetypes=True)
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=options)
        )
    except Exception as exc:  # the engine's own words: a damaged or unknown package
        raise CollectionError(f"cannot read the package: {exc}") from None


def import_package(col, package: Path):
    """Import one of cardsmith's packages into `col` as File > Import does (note types merged,
    review history untouched): Anki's import log."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    options = ImportAnkiPackageOptions(with_scheduling=False, merge_notetypes=True)
    request = ImportAnkiPackageRequest(package_path=str(package), options=options)
    return col.import_anki_package(request).log


class Working:
    """The working copy of a collection being changed (`changing`): Anki's `Collection` on it. Say
    `changed()` once something was changed, or the collection is left as it is."""

    def __init__(self, col, media: Path) -> None:
        self.col = col
        self.media = media
        self.backup: Path | None = None
        self._changed = False

    def changed(self) -> None:
        self._changed = True


@contextlib.contextmanager
def changing(
    path: Path, backups: int = 5, step: Callable[[str], None] | None = None
) -> Iterator[Working]:
    """Change the collection at `path` all or nothing: the block changes a working copy, and only when
    it ends without an exception (and said `changed()`) does the copy replace the collection, the
    old file kept in `cardsmith-backups/` beside it (the `backups` newest are kept; 0: none).
    `step(name)` is told each step as it begins."""
    say = step or (lambda _name: None)
    check(path, write=True)
    with _held(path), _scratch(path.parent) as scratch:
        say("copying the collection")
        copy = scratch / path.name
        shutil.copyfile(path, copy)
        say("opening the copy")
        col = open_collection(copy)
        working = Working(col, Path(col.media.dir()))
        try:
            yield working
        finally:
            col.close()
        if not working._changed:
            return
        say("copying media")
        _copy_media(working.media, media_folder(path))
        say("keeping a backup")
        working.backup = _backup(path) if backups else None
        say("replacing the collection")
        os.replace(copy, path)
        for leftover in (f"{path}-wal", f"{path}-shm"):
            with contextlib.suppress(OSError):
                os.unlink(leftover)  # checkpointed and empty, and of the old file
    _prune(path, backups)


@contextlib.contextmanager
def _held(path: Path) -> Iterator[None]:
    """A write transaction on the collection for the whole change: Anki (or another sync) cannot
    change it meanwhile. Its write-ahead log is checkpointed first, so the file's bytes are the
    whole collection and may be copied."""
    with _connected(path, write=True) as connection:
        for _attempt in range(5):
            try:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("SELECT count() FROM notes").fetchone()
            except sqlite3.Error as exc:
                raise _locked_or(exc, "cannot open the collection") from None
            wal = Path(f"{path}-wal")
            if not wal.exists() or wal.stat().st_size == 0:
                break
            connection.execute("ROLLBACK")
            time.sleep(0.1)
        else:
            raise CollectionError("the collection is busy (its log cannot be emptied): try again")
        try:
            yield
        finally:
            connection.execute("ROLLBACK")


@contextlib.contextmanager
def _scratch(folder: Path) -> Iterator[Path]:
    """A scratch folder beside the collection (the working copy must be on its file system to
    replace it in one rename). Those a killed sync left are removed first: the collection is held,
    so no other sync is using one."""
    for stale in folder.glob(_SCRATCH + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix=_SCRATCH, dir=folder))
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _copy_media(source: Path, target: Path) -> None:
    """The media the import wrote into the working copy's folder, into the collection's. cardsmith
    names a media file after its bytes, so a file of the same name is the same file."""
    if not source.is_dir():
        return
    target.mkdir(exist_ok=True)
    for item in source.iterdir():
        if item.is_file() and not (target / item.name).exists():
            shutil.copyfile(item, target / item.name)


def _backup(path: Path) -> Path:
    """The collection as it is, kept in `cardsmith-backups/` (a hard link when the file system has
    them: the replaced file then lives on as the backup, for free)."""
    folder = path.parent / BACKUPS
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{stamp}{path.suffix}"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{path.stem}-{stamp}-{number}{path.suffix}"
    try:
        os.link(path, target)
    except OSError:
        shutil.copy2(path, target)
    return target


def _prune(path: Path, keep: int) -> None:
    """Only the `keep` newest backups of this collection stay."""
    folder = path.parent / BACKUPS
    if not folder.is_dir():
        return
    mine = sorted(
        (p for p in folder.glob(f"{path.stem}-*{path.suffix}") if p.is_file()),
        key=lambda p: (p.stat().st_mtime_ns, p.name),
    )
    for old in mine[: max(0, len(mine) - keep)]:
        with contextlib.suppress(OSError):
            old.unlink()


def read_notes(col) -> dict[str, Note]:
    """Every note of `col` by GUID."""
    types = {model["id"]: model["name"] for model in col.models.all()}
    deck_names = {deck.id: deck.name for deck in col.decks.all_names_and_ids()}
    decks: dict[int, set[str]] = {}
    for nid, did, odid in col.db.all("SELECT nid, did, odid FROM cards"):
        decks.setdefault(nid, set()).add(deck_names.get(odid or did, ""))
    return {
        guid: Note(
            id=nid,
            guid=guid,
            modified=mod,
            fields=tuple(fields.split("\x1f")),
            tags=tuple(col.tags.split(tags)),
            note_type=types.get(mid, ""),
            decks=frozenset(decks.get(nid, ())),
        )
        for nid, guid, mid, mod, fields, tags in col.db.all(
            "SELECT id, guid, mid, mod, flds, tags FROM notes"
        )
    }


def read_note_graves(col) -> frozenset[int]:
    """The ids of the notes deleted from `col` (Anki keeps them, its `graves`, for its own sync)."""
    return frozenset(col.db.list("SELECT oid FROM graves WHERE type = 1"))


def package_note_ids(package: Path) -> dict[str, int]:
    """Each note of a package cardsmith wrote (`collection.anki2` inside) by GUID: the id it gives
    the note, which Anki's importer keeps for a new note whose id is free."""
    with tempfile.TemporaryDirectory(prefix="cardsmith-package-") as scratch:
        database = Path(scratch) / "collection.anki2"
        with zipfile.ZipFile(package) as archive:
            database.write_bytes(archive.read("collection.anki2"))
        with contextlib.closing(sqlite3.connect(database)) as connection:
            return dict(connection.execute("SELECT guid, id FROM notes").fetchall())
