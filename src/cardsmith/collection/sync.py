"""`cardsmith sync COLLECTION`: the decks written straight into an Anki collection file, with the real
Anki engine (the optional `anki` package: `pip install cardsmith[anki]`), while Anki is closed.

The decks are built as for an import (`.apkg`, through the model and its exporter, the lock updated as
any build updates it) and imported by Anki's own importer, so notes, note types and media are handled
exactly as File > Import would: new notes added, notes whose content changed since the collection's copy
updated (never their review history). Then what an import cannot do: cards of an updated note move to
the sub-deck of its section, and the notes of removed questions (`Deck.removed`) are deleted, or, with
`keep_removed`, left tagged `cardsmith::removed`. A copy of the collection is taken first.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cardsmith.build.pipeline import BuildResult, build, check
from cardsmith.errors import Diagnostic, Severity
from cardsmith.exporters.anki_notes import subdeck_name
from cardsmith.model import Deck, Source
from cardsmith.run import DEFAULT_RUN, Run
from cardsmith.settings import Settings

BACKUPS = "cardsmith-backups"


class SyncError(Exception):
    """The collection cannot be synced (missing, open in Anki, not a collection): nothing was changed."""


@dataclass
class Plan:
    """What a sync does (or did): the questions (prompt and place) per kind of change."""

    add: list[str] = field(default_factory=list)
    update: list[str] = field(default_factory=list)
    move: list[str] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    backup: Path | None = None

    def _changes(self):
        return (
            ("add", self.add),
            ("update", self.update),
            ("move", self.move),
            ("delete", self.delete),
        )

    def counts(self, dry_run: bool) -> str:
        """`add 3, update 1, move 0, delete 0` (`would add 3, ...` for a dry run)."""
        would = "would " if dry_run else ""
        return ", ".join(f"{would}{verb} {len(items)}" for verb, items in self._changes())

    def items(self) -> list[str]:
        return [f"  {verb}: {item}" for verb, items in self._changes() for item in items]


def sync(
    collection: Path,
    sources: Sequence[Path],
    settings: Settings,
    run: Run = DEFAULT_RUN,
    *,
    dry_run: bool = False,
    keep_removed: bool = False,
) -> tuple[Plan, BuildResult]:
    """Bring `collection` up to date with the decks of `sources`; see the module's docstring. Raises
    SyncError before changing anything when the collection cannot be used."""
    try:
        from anki.collection import Collection
    except ImportError:
        raise SyncError(
            "sync needs the Anki engine: pip install 'cardsmith[anki]' (or: pip install anki)"
        ) from None
    _usable(collection)
    with tempfile.TemporaryDirectory(prefix="cardsmith-sync-") as scratch:
        if dry_run:  # ids as a build would give them, nothing written
            result = check(sources, settings, run)
        else:
            result = build(sources, Path(scratch), ["apkg"], settings, run)
        decks = [r.deck for r in result.decks if r.deck is not None]
        if result.failed or not decks:
            return Plan(), result
        plan = Plan()
        if not dry_run:
            plan.backup = _backup(collection)
        try:
            col = Collection(str(collection))
        except Exception as exc:  # Anki's DBError: open in Anki, or not a collection
            raise SyncError(f"cannot open the collection: {exc}") from None
        try:
            before = {guid: (nid, mod) for guid, nid, mod in col.db.all(_NOTES)}
            _plan(plan, decks, before, keep_removed)
            moves = _moves(col, decks, before)
            plan.move = [shown for shown, _cards, _name in moves]
            if not dry_run:
                packages = [o for r in result.decks for o in r.outputs if o.suffix == ".apkg"]
                _apply(col, decks, packages, moves, before, keep_removed)
        finally:
            col.close()
    return plan, result


_NOTES = "SELECT guid, id, mod FROM notes"


def _usable(collection: Path) -> None:
    """Refuse a missing file, and a collection another process holds (Anki open, or syncing): Anki
    keeps its collection locked while it runs, so an exclusive transaction cannot begin."""
    if not collection.is_file():
        raise SyncError(
            "no such collection file (Anki keeps it as collection.anki2 in its profile)"
        )
    try:
        connection = sqlite3.connect(f"file:{collection}?mode=rw", uri=True, timeout=0)
    except sqlite3.Error as exc:
        raise SyncError(f"cannot open the collection: {exc}") from None
    try:
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("SELECT count() FROM notes").fetchone()
        connection.rollback()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise SyncError(
                "the collection is open in Anki (or locked): close Anki first"
            ) from None
        raise SyncError(f"not an Anki collection: {exc}") from None
    except sqlite3.DatabaseError as exc:
        raise SyncError(f"not an Anki collection: {exc}") from None
    finally:
        connection.close()


def _backup(collection: Path) -> Path:
    folder = collection.parent / BACKUPS
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{collection.stem}-{stamp}{collection.suffix}"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{collection.stem}-{stamp}-{number}{collection.suffix}"
    shutil.copy2(collection, target)
    return target


def _plan(plan: Plan, decks: list[Deck], before: dict, keep_removed: bool) -> None:
    """What the import will do, as Anki's importer decides it: a note is added when its GUID is not
    in the collection, updated when ours is newer than the collection's copy."""
    for deck in decks:
        for question in deck.questions:
            found = before.get(question.guid)
            shown = f"{question.prompt} ({question.source})"
            if found is None:
                plan.add.append(shown)
            elif question.modified > found[1]:
                plan.update.append(shown)
        for removed in deck.removed:
            if removed.guid in before and not keep_removed:
                plan.delete.append(f"{removed.prompt} (removed from {removed.source.path.name})")
            elif removed.guid in before and before[removed.guid][1] < removed.modified:
                plan.update.append(f"{removed.prompt} (tagged cardsmith::removed)")


def _moves(col, decks: list[Deck], before: dict) -> list[tuple[str, list[int], str]]:
    """Cards of notes already in the collection that are not in their section's sub-deck (the
    question moved): (who, card ids, sub-deck). An import never moves the cards of a note it updates.
    A card in a filtered deck stays there."""
    moves = []
    for deck in decks:
        for question in deck.questions:
            if question.guid not in before:
                continue
            name = subdeck_name(deck, question.section)
            target = col.decks.id_for_name(name)
            cards = [
                card.id
                for card in col.get_note(before[question.guid][0]).cards()
                if card.did != target and not card.odid
            ]
            if cards:
                moves.append((f"{question.prompt} ({question.source}) to {name}", cards, name))
    return moves


def _apply(col, decks: list[Deck], packages, moves, before: dict, keep_removed: bool) -> None:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    for package in packages:
        options = ImportAnkiPackageOptions(with_scheduling=False, merge_notetypes=True)
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=options)
        )
    for _shown, cards, name in moves:
        col.set_deck(cards, col.decks.id(name))
    # removed questions: delete their notes; a note the user had already deleted was added back by
    # the import (tagged): it goes again, silently
    now = {guid: nid for guid, nid, _mod in col.db.all(_NOTES)}
    gone = [
        now[r.guid]
        for deck in decks
        for r in deck.removed
        if r.guid in now and (not keep_removed or r.guid not in before)
    ]
    if gone:
        col.remove_notes(gone)


def refusal(collection: Path, error: SyncError) -> Diagnostic:
    return Diagnostic(Source(collection, 0), Severity.ERROR, str(error))
