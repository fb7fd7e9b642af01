"""Giving every question of a build its id, GUID and modification time, and the new lock.

A question matched to a lock entry (`identity.matching`) keeps its id and GUID whatever else changes
(even when an explicit id is added to it later). Only an unmatched one gets a new id, derived from the
deck, the file and the prompt, so that two fresh builds of the same text agree while the same prompt
in another deck gets another id; and a GUID scoped to its deck and file (`identity.ids`).

Entries left over are questions that were deleted. Each is reported once and kept as a *tombstone*:
the Anki exporters send its note again, newer and tagged `cardsmith::removed`, so that importing the
rebuilt deck marks exactly those notes for deletion. A question that comes back (restored, or the same
text again) matches its tombstone by the same rules, after the live entries, and is its old note
again, newer than the tombstone so the tag goes. `cardsmith forget` drops tombstones once their notes
are deleted in Anki (`forget_removed`).
"""

from __future__ import annotations

import operator
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, replace
from pathlib import Path

from cardsmith.errors import Report
from cardsmith.identity.fingerprints import Prints, content_fingerprint
from cardsmith.identity.ids import deck_scope, mint_id, new_guid
from cardsmith.identity.lockfile import Entry, Lock, NoteTypes, Tombstone, relative_name
from cardsmith.identity.matching import Keys, match
from cardsmith.model import Deck, Kind, Question, Source, question_text, unchecked

# what becomes of a removed question's note, as a build says it (`cardsmith sync` says what it did)
REMOVED_NEXT_IMPORT = "its note is tagged cardsmith::removed in the next import"


def assign_ids(
    decks: list[Deck],
    lock: Lock,
    report: Report,
    clock: Callable[[], float] = time.time,
    note_types: dict[str, str] | None = None,
    prints: Sequence[Sequence[Prints] | None] | None = None,
) -> tuple[list[Deck], Lock]:
    """Give every question of `decks` its stable id, GUID and modification time, and each deck the
    tombstones of its file (`Deck.removed`); return the new lock. `note_types` (format -> fingerprint
    of its note types) are stamped with the time they changed, and the newest of them becomes each
    deck's `note_types_modified`. `prints`: each deck's `question_prints`, in the order of its
    questions, where they were computed already (None: computed here)."""
    root = lock.path.parent
    names: dict[Path, str] = {}
    folders: dict[Path, Path] = {}

    def name_of(path: Path) -> str:  # a Markdown file's name in the lock
        if path not in names:
            names[path] = relative_name(path, root, folders)
        return names[path]

    # the files read (a vault's deck has many), each question's entry under its own file
    deck_files = [{name_of(path) for path in deck.source_files} for deck in decks]
    files = set().union(*deck_files)
    # Entries of files built now, or of files that no longer exist (a rename), may be matched;
    # entries of other files that exist but are not part of this build are kept untouched (unless
    # a question built now names one by its explicit id: it moved here). Tombstones likewise.
    exists: dict[str, bool] = {}

    def open_to_match(entry: Entry) -> bool:
        if entry.file not in exists:
            exists[entry.file] = (root / entry.file).exists()
        return entry.file in files or not exists[entry.file]

    questions = [(deck, q) for deck in decks for q in deck.questions]
    explicit = {q.id for _, q in questions if q.id}
    candidates = [e for e in lock.entries if open_to_match(e) or e.id in explicit]
    kept = [e for e in lock.entries if not (open_to_match(e) or e.id in explicit)]
    graves = {
        t.entry.id: t for t in lock.removed if open_to_match(t.entry) or t.entry.id in explicit
    }
    kept_graves = [t for t in lock.removed if t.entry.id not in graves]
    given = [None] * len(decks) if prints is None else prints
    keys = [
        Keys(q, name_of(q.source.path), number, mine[position] if mine is not None else None)
        for number, (deck, mine) in enumerate(zip(decks, given, strict=True))
        for position, q in enumerate(deck.questions)
    ]
    deck_of = {name: number for number, names in enumerate(deck_files) for name in names}
    # live entries first: a question matches a tombstone only when no live entry is as good
    matched = match(questions, keys, candidates + [t.entry for t in graves.values()], deck_of)

    now = int(clock())
    taken = (
        {e.id for e in kept}
        | {t.entry.id for t in kept_graves}
        | explicit
        | {entry.id for entry in matched.values()}
    )
    attempts: dict[str, int] = {}
    used: set[str] = set()
    new_entries: dict[int, Entry] = {}
    assigned: dict[int, Question] = {}
    for index, (deck, question) in enumerate(questions):
        old = matched.get(index)
        key = keys[index]
        scope = deck_scope(deck.name, key.file)
        qid = question.id or (
            old.id if old else mint_id(scope, question_text(question), taken, attempts)
        )
        if qid in used:
            report.error(question.source, f"id {qid!r} is used by two questions")
            continue
        used.add(qid)
        taken.add(qid)
        content = key.content if key.content is not None else content_fingerprint(question)
        restored = (
            old is not None and graves.get(old.id) is not None and graves[old.id].entry is old
        )
        if old is not None and old.content == content and not restored:
            modified = old.modified
        else:  # changed, or back from the dead: newer than its tagged note, so the tag goes
            modified = max(now, old.modified + 1) if old else now
        new_entries[index] = Entry(
            id=qid,
            guid=old.guid if old else new_guid(scope, qid),
            file=key.file,
            section=key.section,
            prompt=question_text(question),
            answer=key.answer,
            simhash=old.simhash if old and old.answer == key.answer else key.simhash,
            content=content,
            modified=modified,
            kind="reversed" if question.kind is Kind.REVERSED else "",
            # what a collection holds of the note does not change with the Markdown: only a sync or
            # a pull, which see the collection, record it (`collection.pull`)
            fields=old.fields if old else "",
            base=old.base if old else "",
            raw=old.raw if old else "",
        )
        assigned[index] = _identified(question, qid, new_entries[index].guid, modified)
    report.raise_errors()

    claimed = {entry.guid for entry in new_entries.values()}
    live_ids = {entry.id for entry in new_entries.values()} | {e.id for e in kept}
    tombstones = kept_graves + [
        t for t in graves.values() if t.entry.guid not in claimed and t.entry.id not in live_ids
    ]
    gone = [e for e in candidates if e.guid not in claimed and e.id not in live_ids]
    for entry in gone:
        tombstones.append(Tombstone(replace(entry, modified=max(now, entry.modified + 1)), now))
        if entry.file in files:
            said = REMOVED_NEXT_IMPORT
        else:
            said = "its file is gone, so no deck carries its note: delete it in Anki"
        report.warn(
            Source(root / entry.file, 1),
            f"question removed since the last build: {entry.prompt!r} (id {entry.id}); {said}",
        )
    ordered = kept + [new_entries[i] for i in sorted(new_entries)]
    ordered.sort(key=lambda e: e.file)  # stable: keeps each file's questions in document order
    tombstones.sort(key=lambda t: t.entry.file)
    stamped = dict(lock.note_types)
    for name, fingerprint in (note_types or {}).items():
        old = stamped.get(name)
        if old is None or old.fingerprint != fingerprint:
            stamped[name] = NoteTypes(fingerprint, max(now, old.modified + 1) if old else now)
    changed = max((stamped[name].modified for name in note_types or {}), default=0)
    with_ids = _with_ids(decks, [assigned[i] for i in sorted(assigned)])
    return (
        [
            replace(
                deck,
                note_types_modified=changed,
                removed=tuple(
                    t.as_removed(root / t.entry.file) for t in tombstones if t.entry.file in mine
                ),
            )
            for deck, mine in zip(with_ids, deck_files, strict=True)
        ],
        Lock(lock.path, ordered, stamped, tombstones),
    )


def forget_removed(lock: Lock, ids: Iterable[str] = ()) -> tuple[Lock, list[Tombstone]]:
    """The lock without its tombstones (only those of `ids`, when given), and those dropped: for when
    their notes are deleted in Anki, so that rebuilt decks stop sending them."""
    wanted = set(ids)
    dropped = [t for t in lock.removed if not wanted or t.entry.id in wanted]
    left = [t for t in lock.removed if t not in dropped]
    return Lock(lock.path, lock.entries, lock.note_types, left), dropped


_KEPT = tuple(f.name for f in fields(Question) if f.name not in ("id", "guid", "modified"))
_kept = operator.attrgetter(*_KEPT)
_NAMES = (*_KEPT, "id", "guid", "modified")


def _identified(question: Question, qid: str, guid: str, modified: int) -> Question:
    """`replace(question, id=qid, guid=guid, modified=modified)`, at a third of its cost (a build
    gives ids to every question; `dataclasses.replace` checks each field's `init` first)."""
    return unchecked(Question, _NAMES, (*_kept(question), qid, guid, modified))


def _with_ids(decks: list[Deck], questions: list[Question]) -> list[Deck]:
    """Put `questions` (in deck, section, document order) back into copies of `decks`."""
    it = iter(questions)
    return [
        replace(
            deck,
            sections=tuple(
                replace(s, questions=tuple(next(it) for _ in s.questions)) for s in deck.sections
            ),
        )
        for deck in decks
    ]
