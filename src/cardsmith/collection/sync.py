"""`cardsmith sync COLLECTION`: the decks and an Anki collection file brought level both ways, with the
real Anki engine (the optional `anki` package: `pip install cardsmith[anki]`), while Anki is closed.

First what was edited in Anki comes back into the Markdown (`collection.pull`); a question edited on
both sides stops the sync, changing nothing, until a pull settles it. A pull that wrote nothing (no
Markdown, no lock) hands on its reading of the decks; else they are read again. Then the decks go
into the collection: a package of only the notes that are new or changed is imported by Anki's own
importer (notes, note types and media handled exactly as File > Import would, review history never
touched), cards of a moved question go to its section's sub-deck, and the notes of removed questions
(`Deck.removed`) are deleted, or with `keep_removed` tagged `cardsmith::removed`.

All of it lands at once or not at all: every step changes a working copy, which replaces the
collection in one rename at the end (`anki_file.changing`), the old file kept as a backup, and only
when something changed. The lock is written after that, with what the collection now holds of each
note (`Entry.fields`, `Entry.base`); tombstones whose notes are gone are dropped.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from cardsmith.build.pipeline import BuildResult, discover, export_deck, prepare
from cardsmith.build.project import updating
from cardsmith.collection.anki_file import (
    CollectionError,
    Note,
    changing,
    check,
    engine_errors,
    import_package,
    read_note_graves,
    read_notes,
    reading,
)
from cardsmith.collection.base_store import write_with_locks
from cardsmith.collection.field_html import note_prints
from cardsmith.collection.pull import Buried, Pulled, built_entries, deleted_in_anki, pull_held
from cardsmith.errors import Diagnostic, Severity
from cardsmith.exporters.anki_notes import REMOVED_TAG, subdeck_name
from cardsmith.identity import Lock
from cardsmith.identity.assign import REMOVED_NEXT_IMPORT
from cardsmith.identity.fingerprints import content_fingerprint
from cardsmith.identity.lockfile import Entry
from cardsmith.model import Deck, Question, Source
from cardsmith.run import DEFAULT_RUN, Run
from cardsmith.settings import Settings


@dataclass
class Plan:
    """What a sync does (or did): the questions (prompt and place) per kind of change."""

    add: list[str] = field(default_factory=list)
    update: list[str] = field(default_factory=list)
    move: list[str] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    backup: Path | None = None
    # what came back from Anki first (`collection.pull`); a conflict there stops the sync
    pulled: Pulled | None = None

    def _changes(self):
        return (
            ("add", self.add),
            ("update", self.update),
            ("move", self.move),
            ("delete", self.delete),
        )

    @property
    def changes(self) -> bool:
        return any(items for _, items in self._changes())

    def counts(self, dry_run: bool) -> str:
        """`add 3, update 1, move 0, delete 0` (`would add 3, ...` for a dry run)."""
        would = "would " if dry_run else ""
        return ", ".join(f"{would}{verb} {len(items)}" for verb, items in self._changes())

    def items(self) -> list[str]:
        return [f"  {verb}: {item}" for verb, items in self._changes() for item in items]


@dataclass
class _Sending:
    """What goes into the collection: the notes a package carries, cards to move, notes to delete."""

    notes: set[str] = field(default_factory=set)  # GUIDs of questions and removed questions
    moves: list[tuple[list[int], str]] = field(default_factory=list)  # (card ids, sub-deck)
    delete: list[int] = field(default_factory=list)  # note ids


def engine() -> None:
    """Refuse before anything is done when the Anki engine is not installed."""
    try:
        import anki.collection  # noqa: F401
    except ImportError:
        raise CollectionError(
            "this needs the Anki engine: pip install 'cardsmith[anki]' (or: pip install anki)"
        ) from None


def sync(
    collection: Path,
    sources: Sequence[Path],
    settings: Settings,
    run: Run = DEFAULT_RUN,
    *,
    dry_run: bool = False,
    keep_removed: bool = False,
) -> tuple[Plan, BuildResult]:
    """Bring `collection` and the decks of `sources` level; see the module's docstring. Raises
    CollectionError before changing anything when the collection cannot be used."""
    engine()
    check(collection, write=not dry_run)
    files, _ = discover(sources)
    activity = run.activity
    step = (lambda name: activity(f"sync: {name}")) if activity else (lambda _name: None)
    with updating({root for _, root in files}, run.waiting):
        # the locks as the last build wrote them, before this run's pull writes them
        built = built_entries({root for _, root in files})
        step("pulling what was edited in Anki")
        pulled = pull_held(collection, sources, settings, run, dry_run=dry_run, formats=["apkg"])
        if pulled.failed:  # a conflict, a file not written: the collection is not touched
            return Plan(pulled=pulled), pulled.result
        if pulled.read is not None:  # the pull wrote nothing: the decks are as it read them
            result, locks = pulled.read
        else:
            step("reading the decks")
            result, locks = prepare(sources, settings, run, ["apkg"])
        decks = [r.deck for r in result.decks if r.deck is not None]
        if result.failed or not decks:
            return Plan(), result
        plan = Plan(pulled=pulled)
        if dry_run:
            with reading(collection) as opened, engine_errors("read the collection"):
                notes = read_notes(opened.col)
                _plan(
                    plan,
                    decks,
                    notes,
                    keep_removed,
                    opened.col,
                    _entries(locks),
                    built,
                    Buried(read_note_graves(opened.col), settings),
                )
            _say_removed(result, plan, dry_run=True, keep_removed=keep_removed)
            return plan, result
        with changing(collection, settings.backups, step) as working, engine_errors("sync"):
            col = working.col
            notes = read_notes(col)
            buried = Buried(read_note_graves(col), settings)
            sending = _plan(plan, decks, notes, keep_removed, col, _entries(locks), built, buried)
            if plan.changes:
                _apply(col, decks, sending, settings, step)
                working.changed()
            now = read_notes(col)
        plan.backup = working.backup
        step("writing the lock")
        seen: dict[str, str] = {}
        new_locks = _seen(locks, decks, now, sending.notes, seen)
        result.diagnostics.extend(write_with_locks(new_locks, seen))
    _say_removed(result, plan, dry_run=False, keep_removed=keep_removed)
    return plan, result


def _plan(
    plan: Plan,
    decks: list[Deck],
    notes: dict[str, Note],
    keep_removed: bool,
    col,
    entries: dict[str, Entry],
    built: dict[str, Entry],
    buried: Buried,
) -> _Sending:
    """What the sync will do, as Anki's importer decides it: a note is added when its GUID is not in
    the collection, updated when ours is newer than the collection's copy. A removed question whose
    note is gone already is not sent again, nor a question whose note was deleted in Anki
    (`pull.deleted_in_anki`) and which did not change since."""
    sending = _Sending()
    for deck in decks:
        for question in deck.questions:
            note = notes.get(question.guid)
            shown = f"{question.prompt} ({question.source})"
            entry = entries.get(question.guid)
            if deleted_in_anki(question.guid, deck, entries, built, notes, buried) and (
                not entry.fields or entry.base == content_fingerprint(question)
            ):
                # deleted in Anki, unchanged here since (without a record of the collection, a
                # change here is later than every note there): the pull lists it
                continue
            if note is None:
                plan.add.append(shown)
                sending.notes.add(question.guid)
                continue
            if question.modified > note.modified:
                plan.update.append(shown)
                sending.notes.add(question.guid)
            move = _move(col, deck, question, note)
            if move is not None:
                plan.move.append(f"{shown} to {move[1]}")
                sending.moves.append(move)
        for removed in deck.removed:
            note = notes.get(removed.guid)
            if note is None:
                continue
            if not keep_removed:
                plan.delete.append(f"{removed.prompt} (removed from {removed.source.path.name})")
                sending.delete.append(note.id)
            elif REMOVED_TAG not in note.tags or note.modified < removed.modified:
                plan.update.append(f"{removed.prompt} (tagged {REMOVED_TAG})")
                sending.notes.add(removed.guid)
    return sending


def _entries(locks: dict[Path, Lock]) -> dict[str, Entry]:
    return {entry.guid: entry for lock in locks.values() for entry in lock.entries}


def _move(col, deck: Deck, question: Question, note: Note) -> tuple[list[int], str] | None:
    """The cards of a note already in the collection that are not in its section's sub-deck (the
    question moved): an import never moves the cards of a note it updates. A card in a filtered deck
    stays there."""
    name = subdeck_name(deck, question.section)
    if note.decks == {name}:
        return None
    target = col.decks.id_for_name(name)
    cards = [
        card_id
        for card_id, did, odid in col.db.all(
            "SELECT id, did, odid FROM cards WHERE nid = ?", note.id
        )
        if did != target and not odid
    ]
    return (cards, name) if cards else None


def _apply(col, decks: list[Deck], sending: _Sending, settings: Settings, step) -> None:
    with tempfile.TemporaryDirectory(prefix="cardsmith-sync-") as scratch:
        for deck in decks:
            part = _only(deck, sending.notes)
            if part is None:
                continue
            step(f"writing {deck.stem}.apkg")
            outputs, diagnostics = export_deck((part, ["apkg"]), Path(scratch), settings)
            errors = [d for d in diagnostics if d.is_error]
            if errors:  # the same deck built a moment ago: a file changed meanwhile
                raise CollectionError(f"cannot write the package: {errors[0]}")
            step(f"importing {deck.stem}.apkg")
            import_package(col, outputs[0])
    step("moving cards")
    for cards, name in sending.moves:
        col.set_deck(cards, col.decks.id(name))
    if sending.delete:
        step("deleting the notes of removed questions")
        col.remove_notes(sending.delete)


def _only(deck: Deck, guids: set[str]) -> Deck | None:
    """`deck` with only the questions and removed questions of `guids`, or None when none is."""
    sections = tuple(
        replace(section, questions=tuple(q for q in section.questions if q.guid in guids))
        for section in deck.sections
    )
    sections = tuple(section for section in sections if section.questions)
    removed = tuple(r for r in deck.removed if r.guid in guids)
    if not sections and not removed:
        return None
    return replace(deck, sections=sections, removed=removed)


def _seen(
    locks: dict[Path, Lock],
    decks: list[Deck],
    notes: dict[str, Note],
    sent: set[str],
    seen: dict[str, str],
) -> dict[Path, Lock]:
    """The new locks with what the collection now holds of each note (`Entry.fields`, `Entry.base`;
    the fields' text into `seen`, by fingerprint, for the base store), and without the tombstones of
    notes that are gone. A note not `sent` that Anki changed since the lock last saw it keeps what
    the lock saw: its edit, which the pull could not write back, is still to come back. A field whose
    bytes are those the lock saw (`Entry.raw`) is not read again: a sync that changed nothing reads
    no field's HTML."""
    contents = {q.guid: content_fingerprint(q) for deck in decks for q in deck.questions}
    synced = {r.guid for deck in decks for r in deck.removed}
    out = {}
    for root, lock in locks.items():
        entries = []
        for entry in lock.entries:
            note = notes.get(entry.guid)
            if note is not None and entry.guid in contents and len(note.fields) >= 2:
                shows, raws = note_prints(note.fields, entry)  # an unchanged field is not read
                prints = ",".join(shows)
                if entry.guid in sent or not entry.fields or entry.fields == prints:
                    base = contents[entry.guid]
                    entry = replace(entry, fields=prints, raw=",".join(raws), base=base)
                    seen.update(zip(shows, note.fields[:2], strict=True))
            entries.append(entry)
        removed = [t for t in lock.removed if t.entry.guid not in synced or t.entry.guid in notes]
        out[root] = Lock(lock.path, entries, lock.note_types, removed)
    return out


def _say_removed(result: BuildResult, plan: Plan, *, dry_run: bool, keep_removed: bool) -> None:
    """The build's "question removed" warnings, told what this sync did with their notes."""
    if keep_removed:
        now = "its note would be tagged" if dry_run else "its note was tagged"
        done = f"{now} {REMOVED_TAG} by this sync"
    else:
        done = (
            "its note would be deleted by this sync"
            if dry_run
            else "its note was deleted by this sync"
        )
    for holder in (result, *result.decks):
        holder.diagnostics[:] = [
            replace(d, message=d.message.replace(REMOVED_NEXT_IMPORT, done))
            for d in holder.diagnostics
        ]


def refusal(collection: Path, error: CollectionError) -> Diagnostic:
    return Diagnostic(Source(collection, 0), Severity.ERROR, str(error))
