"""`cardsmith pull COLLECTION`: what was edited in Anki, back into the Markdown.

For each question whose note the collection (or a phone's exported `.apkg`) holds, the lock says
what the collection held when cardsmith last saw it (`Entry.fields`, fingerprints of what each
field shows) and which version of the question that was (`Entry.base`). So:

- Anki changed, the Markdown did not: the edited field comes back as the smallest edit of the file
  (`collection.write_back`), kept only when the file, read again, makes a card that shows what
  Anki shows, and every other question as it was; otherwise it is reported and nothing of it is
  written;
- the Markdown changed, Anki did not: nothing to pull (the next build or sync sends it);
- both changed: a conflict. Neither side is touched; both are shown as diffs against the base, the
  fields both started from, kept in the base store beside the lock (`collection.base_store`), else
  found in git's versions of the file (else one side against the other); the pull fails,
  unless `prefer` settles it ("markdown": the Markdown stays and the next sync sends it; "anki":
  Anki's side is written into the Markdown).

A file is written atomically, and only when it is still as the pull read it. The lock then records
what the collection holds of each pulled note, so the next sync sends nothing back and a second pull
finds nothing to do. A lock without `fields` (decks only ever imported as packages) has no base: a
field Anki shows otherwise than the Markdown makes, on a note Anki changed after cardsmith last
changed the question, is taken as Anki's edit (one older than the Markdown's last change cannot be
told from an older import, and is not seen).
"""

from __future__ import annotations

import contextlib
import difflib
import html as htmllib
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from cardsmith.build.pipeline import BuildResult, discover, prepare
from cardsmith.build.project import updating
from cardsmith.collection.anki_file import (
    CollectionError,
    Note,
    engine_errors,
    package_note_ids,
    read_note_graves,
    read_notes,
    reading,
)
from cardsmith.collection.base_store import BaseStore, write_with_locks
from cardsmith.collection.field_html import field_key, note_prints
from cardsmith.collection.write_back import (
    Edit,
    FileText,
    Style,
    Unmappable,
    apply,
    edits,
    to_markdown,
)
from cardsmith.errors import ContentError, Diagnostic, Report, Severity, fails, shown
from cardsmith.exporters.anki_notes import REMOVED_TAG, card_fields, media_name, subdeck_name
from cardsmith.identity import LOCK_NAME, Lock
from cardsmith.identity.fingerprints import content_fingerprint
from cardsmith.identity.lockfile import Entry
from cardsmith.model import Deck, Kind, Question, Source
from cardsmith.reading.bank import read_text
from cardsmith.reading.source import normalise_newlines, repair_mojibake
from cardsmith.render import Rendering, Target
from cardsmith.run import DEFAULT_RUN, Run
from cardsmith.settings import Settings

PREFER = ("markdown", "anki")
_FIELDS = ("question", "answer")


@dataclass
class Conflict:
    """A question edited on both sides since the last sync: each side's field as Markdown, and the
    base they both started from when the base store or git still has it (`base`: None otherwise)."""

    question: Question
    field: str
    markdown: str
    anki: str
    base: str | None = None

    def diff(self) -> str:
        """Each side against the base (or, with no base, the Markdown's side against Anki's)."""
        where = f"{self.question.source} ({self.field})"
        if self.base is None:
            return _unified(self.markdown, self.anki, f"markdown: {where}", f"anki: {where}")
        return _unified(self.base, self.markdown, f"base: {where}", f"markdown: {where}") + (
            _unified(self.base, self.anki, f"base: {where}", f"anki: {where}")
        )


def _unified(old: str, new: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), before, after
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass
class Changed:
    """A Markdown file a pull changes: its bytes before and after, and the questions pulled."""

    path: Path
    before: bytes
    after: bytes
    pulled: list[str] = field(default_factory=list)  # their prompts
    done: list[_Pending] = field(default_factory=list, repr=False)
    images: list[Path] = field(default_factory=list)  # pasted images copied beside it

    def diff(self) -> str:
        old = self.before.decode("utf-8", "replace").splitlines(keepends=True)
        new = self.after.decode("utf-8", "replace").splitlines(keepends=True)
        lines = difflib.unified_diff(old, new, f"a/{self.path}", f"b/{self.path}")
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass
class Pulled:
    """What a pull did (or would do, in a dry run)."""

    files: list[Changed] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # what changed in Anki that the Markdown does not take by itself (deleted or moved notes, tags)
    listed: list[Diagnostic] = field(default_factory=list)
    result: BuildResult | None = None
    # the decks and locks as the pull read them, kept when it wrote nothing (no Markdown, no lock):
    # what a sync would read again after it (`collection.sync`)
    read: tuple[BuildResult, dict[Path, Lock]] | None = field(default=None, repr=False)
    recorded: bool = False  # the locks were written (`_record`)

    @property
    def failed(self) -> bool:
        """A deck with errors, a conflict, a file not written; under `--strict` a warning too (an
        edit not written back, a note deleted, moved or retagged in Anki)."""
        strict = self.result is not None and self.result.strict
        failed_build = self.result is not None and self.result.failed
        return failed_build or fails([*self.diagnostics, *self.listed], strict)

    def shown(self) -> list[Diagnostic]:
        """What the pull says, as the user is told it (under `--strict`, warnings are errors)."""
        said = sorted(self.listed, key=lambda d: (str(d.source.path), d.source.line))
        strict = self.result is not None and self.result.strict
        return [shown(d, strict) for d in [*said, *self.diagnostics]]

    @property
    def questions(self) -> int:
        return sum(len(f.pulled) for f in self.files)


class Images:
    """Images pasted in Anki, copied from the collection's media folder into the content folder's
    image folder (the folder the deck's images are in, else `images/`) and linked from the field.
    They are there while the pull checks the file it would write; those of an edit not written, and
    all of them in a dry run, are removed again at the end (`done`)."""

    def __init__(self, media: Path, dry_run: bool) -> None:
        self.media = media
        self.dry_run = dry_run
        self.copies: dict[Path, tuple[Path, int]] = {}  # target -> (Markdown file, question)
        self.kept: set[tuple[Path, int]] = set()
        self.folders: list[Path] = []

    def linked(self, html: str, deck: Deck, question: Question, path: Path, key: int) -> str:
        """`html` with each pasted image's `src` the path of its copy, from the Markdown file."""
        ours = {media_name(image) for image in question.images}

        def link(match: re.Match) -> str:
            src = htmllib.unescape(match.group(2))
            if src in ours or "/" in src or "\\" in src or src.startswith("."):
                return match.group(0)
            target = self._copy(src, deck, path, key)
            relative = os.path.relpath(target, path.parent).replace(os.sep, "/")
            return f"{match.group(1)}{htmllib.escape(relative)}{match.group(3)}"

        return _IMG_SRC.sub(link, html)

    def _copy(self, name: str, deck: Deck, path: Path, key: int) -> Path:
        source = self.media / name
        if not source.is_file():
            raise Unmappable(f"its image {name} is not in the collection's media folder")
        data = source.read_bytes()
        folder = _image_folder(deck)
        if not folder.is_dir():
            folder.mkdir(parents=True)
            self.folders.append(folder)
        target, number = folder / name, 1
        while target.exists() and target.read_bytes() != data:
            number += 1
            target = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
        if not target.exists():
            target.write_bytes(data)
            self.copies[target] = (path, key)
        return target

    def keep(self, path: Path, keys) -> list[Path]:
        """Keep the copies of these questions' edits; the copies they made."""
        self.kept.update((path, key) for key in keys)
        return sorted(t for t, owner in self.copies.items() if owner in self.kept)

    def done(self) -> None:
        for target, owner in self.copies.items():
            if self.dry_run or owner not in self.kept:
                with contextlib.suppress(OSError):
                    target.unlink()
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty


_IMG_SRC = re.compile(r"(<img\b[^>]*?\bsrc=\")([^\"]+)(\")", re.I)


def _image_folder(deck: Deck) -> Path:
    """Where a deck keeps its images: a vault's attachment folder (Obsidian's setting), else the
    folder most of them are in, else `images/`."""
    if _vault(deck):
        from cardsmith.reading.obsidian.vault import attachment_folder

        parts = attachment_folder(deck.source.path)
        if parts:
            return deck.source.path.joinpath(*parts)
    folders = Counter(image.path.parent for q in deck.questions for image in q.images)
    if folders:
        return folders.most_common(1)[0][0]
    return deck.content_root / "images"


@dataclass
class _Pending:
    """One question's Anki edit, on its way into its file."""

    deck: Deck
    index: int  # in `deck.questions`
    note: Note
    fields: tuple[int, ...]  # which of the two fields to write back
    tags: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # a vault card's: added, removed
    delete: bool = False  # deleted in Anki, and `--delete`: the question leaves its file
    # added in Anki in this section's sub-deck: a new question at the section's end (`index` < 0)
    section: tuple[str, ...] | None = None

    @property
    def added(self) -> bool:
        return self.section is not None


def pull(
    collection: Path,
    sources: Sequence[Path],
    settings: Settings,
    run: Run = DEFAULT_RUN,
    *,
    dry_run: bool = False,
    prefer: str | None = None,
    delete: bool = False,
) -> Pulled:
    """Bring the Anki side's edits of the decks of `sources` back into their Markdown; see the
    module's docstring. Raises CollectionError when the collection cannot be read."""
    from cardsmith.collection.sync import engine

    engine()
    files, _ = discover(sources, settings.exclude)
    with updating({root for _, root in files}, run.waiting):
        return pull_held(
            collection, sources, settings, run, dry_run=dry_run, prefer=prefer, delete=delete
        )


def pull_held(
    collection: Path,
    sources: Sequence[Path],
    settings: Settings,
    run: Run = DEFAULT_RUN,
    *,
    dry_run: bool = False,
    prefer: str | None = None,
    delete: bool = False,
    formats: Sequence[str] = (),
) -> Pulled:
    """`pull`, for a caller that holds the content folders' locks already (`collection.sync`), the
    note types of `formats` stamped in the locks it reads (`pipeline.prepare`). When the pull
    writes nothing, what it read is kept for the caller (`Pulled.read`)."""
    result, locks = prepare(sources, settings, run, formats)
    pulled = Pulled(result=result)
    decks = [r.deck for r in result.decks if r.deck is not None]
    if result.failed or not decks:
        return pulled
    with reading(collection) as opened:
        with engine_errors("read the collection"):
            notes = read_notes(opened.col)
            buried = Buried(read_note_graves(opened.col), settings)
        media = Images(opened.media, dry_run)
        try:
            _pull_notes(
                pulled,
                decks,
                locks,
                notes,
                media,
                sources,
                settings,
                run,
                dry_run,
                prefer,
                delete,
                buried,
            )
        finally:
            media.done()
    if dry_run or not (pulled.files or pulled.recorded):
        pulled.read = (result, locks)
    return pulled


class Buried:
    """The questions of a deck whose note a package built of it brought into the collection and
    Anki then deleted: Anki keeps the id of each note deleted (its `graves`), and its importer
    keeps the id a package gives a new note (cardsmith's come from the package's time), so the
    deck's package, built again as the last build built it, names the notes. Built only for a deck
    that needs it, once."""

    def __init__(self, graves: frozenset[int], settings: Settings) -> None:
        self.graves = graves
        self.settings = settings
        self._decks: dict[int, set[str]] = {}

    def __call__(self, deck: Deck) -> set[str]:
        if not self.graves:
            return set()
        if id(deck) not in self._decks:
            self._decks[id(deck)] = self._buried(deck)
        return self._decks[id(deck)]

    def _buried(self, deck: Deck) -> set[str]:
        import sqlite3
        import tempfile
        import zipfile

        from cardsmith.build.pipeline import export_deck

        settings = replace(self.settings, strict=False)  # its warnings are the build's
        try:
            with tempfile.TemporaryDirectory(prefix="cardsmith-pull-") as scratch:
                outputs, _ = export_deck((deck, ["apkg"]), Path(scratch), settings)
                if not outputs:  # the deck built a moment ago: a file changed meanwhile
                    return set()
                ids = package_note_ids(outputs[0])
        except (OSError, zipfile.BadZipFile, sqlite3.Error):  # no package: nothing is told
            return set()
        return {guid for guid, nid in ids.items() if nid in self.graves}


def deleted_in_anki(
    guid: str,
    deck: Deck,
    entries: dict[str, Entry],
    last: dict[str, Entry],
    notes: dict[str, Note],
    buried: Buried | None = None,
) -> bool:
    """Whether the note of `deck`'s question `guid` was deleted in Anki (the one rule `pull` lists by
    and `sync` does not re-add by). With a record of the collection (`fields`, from a sync or pull):
    it held the note then. Without (the deck came in as a package, File > Import): the collection
    holds other notes of the deck whose `mod` is at or after this question's last change. Anki keeps
    a package's `mod`, which cardsmith sets to each question's last change, so the package that
    brought them was built after this question last changed and held it. `entries` are the lock as
    this run made it, `last` as the last build wrote it: a question that is not there as it is now
    (new, or changed since) was in no package. A note edited in Anki (its `mod` later than its own
    last change here) says nothing of which package came in, and does not count. When no other note
    tells (the question was the package's only new one, or its newest), the collection's graves may:
    the id the deck's package gives its note is among the notes Anki deleted (`Buried`)."""
    entry = entries.get(guid)
    if guid in notes or entry is None:
        return False
    if entry.fields:
        return True
    built = last.get(guid)
    if built is None or built.modified != entry.modified:
        return False
    return any(
        entry.modified <= notes[other.guid].modified <= entries[other.guid].modified
        for other in deck.questions
        if other.guid != guid and other.guid in notes and other.guid in entries
    ) or (buried is not None and guid in buried(deck))


def _pull_notes(
    pulled: Pulled,
    decks,
    locks,
    notes,
    media,
    sources,
    settings,
    run,
    dry_run,
    prefer,
    delete,
    buried: Buried | None = None,
) -> Pulled:
    entries = {e.guid: e for lock in locks.values() for e in lock.entries}
    # the locks as the last build left them: when each question last changed, and to what
    old = built_entries(lock.path.parent for lock in locks.values())
    pending: dict[Path, list[_Pending]] = {}
    # notes whose Anki side the lock takes as seen: both sides alike, or the Markdown preferred
    acknowledged: dict[str, Note] = {}
    preferred: set[str] = set()
    retag: dict[str, tuple] = {}  # vault cards whose tags Anki changed
    stores: dict[Path, BaseStore] = {}  # the base stores read, by content folder
    for deck in decks:
        rendering = Rendering.of(deck, Target.CARD)
        for index, question in enumerate(deck.questions):
            note = notes.get(question.guid)
            entry = entries.get(question.guid)
            if deleted_in_anki(question.guid, deck, entries, old, notes, buried):
                if delete:
                    gone = Note(0, question.guid, 0, ("", ""), (), "", frozenset())
                    item = _Pending(deck, index, gone, (), delete=True)
                    pending.setdefault(question.source.path, []).append(item)
                else:
                    pulled.listed.append(
                        _said(question, "deleted in Anki (cardsmith pull --delete removes it here)")
                    )
                continue
            if note is None or entry is None or len(note.fields) < 2:
                continue
            pulled.listed.extend(_moved_and_tagged(deck, question, note))
            if _vault(deck):
                added, removed = _tag_changes(question, note)
                if added or removed:
                    retag[question.guid] = (deck, index, note, (tuple(added), tuple(removed)))
            before = old.get(question.guid)
            if entry.fields:
                anki_changed = _anki_changed(entry, note)
                if not anki_changed:
                    continue
                ours = card_fields(question, rendering, deck.lang)[:2]
                markdown_changed = bool(entry.base) and entry.base != content_fingerprint(question)
            else:  # no record of the collection: Anki's side is what the Markdown last made
                ours = card_fields(question, rendering, deck.lang)[:2]
                anki_changed = _differs(note, ours)
                if anki_changed and before is not None and note.modified <= before.modified:
                    anki_changed = ()  # not edited in Anki since cardsmith last changed it
                last = before.content if before is not None else ""
                markdown_changed = bool(last) and last != content_fingerprint(question)
            if not _differs(note, ours):
                # both sides show the same (a sync stopped before it wrote the lock, the same
                # fix made on both sides): nothing to pull, and the lock learns what Anki holds
                acknowledged[question.guid] = note
                continue
            if not anki_changed:
                continue
            if markdown_changed and prefer != "anki":
                if prefer == "markdown":
                    acknowledged[question.guid] = note
                    preferred.add(question.guid)
                    continue
                base = _stored_base(deck, entry, stores, pulled) or _git_base(
                    deck, question, entry.base or _last_content(before), settings
                )
                for number in anki_changed:
                    style = Style.of(question.answer)
                    pulled.conflicts.append(
                        Conflict(
                            question,
                            _FIELDS[number],
                            _shown(ours[number], style),
                            _shown(note.fields[number], style),
                            _shown(base[number], style) if base else None,
                        )
                    )
                pulled.diagnostics.append(
                    Diagnostic(
                        question.source,
                        Severity.ERROR,
                        f"edited in the Markdown and in Anki since the last sync: {question.prompt!r}"
                        " (--prefer markdown or --prefer anki settles it)",
                    )
                )
                continue
            path = question.source.path
            pending.setdefault(path, []).append(_Pending(deck, index, note, anki_changed))
    for deck, index, note, tags in retag.values():
        items = pending.setdefault(deck.questions[index].source.path, [])
        same = [item for item in items if item.index == index]
        if same:
            same[0].tags = tags
        else:
            items.append(_Pending(deck, index, note, (), tags=tags))
    known = {e.guid for lock in locks.values() for e in lock.entries}
    known |= {t.entry.guid for lock in locks.values() for t in lock.removed}
    for number, (deck, section, note) in enumerate(_added(decks, notes, known)):
        files = [q.source.path for q in deck.questions if q.section == section]
        path = files[-1] if files else deck.source_files[0]
        item = _Pending(deck, -1 - number, note, (0, 1), section=section)
        pending.setdefault(path, []).append(item)
    written: dict[str, Note] = {}
    for path, items in pending.items():
        changed = _file(path, items, settings, pulled, media)
        if changed is not None:
            pulled.files.append(changed)
            written.update({item.note.guid: item.note for item in changed.done})
    if dry_run:
        return pulled
    for changed in pulled.files:
        try:
            _write(changed)
        except ContentError as exc:
            pulled.diagnostics.extend(exc.diagnostics)
            for item in changed.done:
                written.pop(item.note.guid, None)
    pulled.files = [f for f in pulled.files if f.path.exists() and f.path.read_bytes() == f.after]
    added = {
        _new_question(item, f.path).prompt: item.note
        for f in pulled.files
        for item in f.done
        if item.added
    }
    if written or acknowledged:
        pulled.recorded = True
        _record(
            sources, settings, run, written, acknowledged, preferred, pulled, known, added, stores
        )
    return pulled


# tags Anki's scheduler and browser give: study state, not the question's
_ANKI_TAGS = frozenset({"leech", "marked", REMOVED_TAG.lower()})


def _moved_and_tagged(deck: Deck, question: Question, note: Note) -> list[Diagnostic]:
    """What a note says of its question that the pull does not write: its cards in another sub-deck
    than its section's, tags added or removed in Anki."""
    out = []
    home = subdeck_name(deck, question.section)
    if note.decks and home not in note.decks:
        where = ", ".join(sorted(note.decks))
        out.append(
            _said(
                question,
                f"moved in Anki to {where}; its section here is {home} (move the question to keep"
                " it there: the next sync moves its cards back)",
            )
        )
    added, removed = _tag_changes(question, note)
    if (added or removed) and _vault(deck):
        return out  # written into the card's line (`_retagged`)
    if added or removed:
        change = ", ".join([*(f"+{t}" for t in added), *(f"-{t}" for t in removed)])
        out.append(
            _said(
                question,
                f"tags changed in Anki ({change}); a question's own tags cannot be written in this"
                " Markdown (the deck's are in its front matter): the next update of the note sets"
                " them back",
            )
        )
    return out


def _tag_changes(question: Question, note: Note) -> tuple[list[str], list[str]]:
    """The tags Anki's note has that the question has not, and those it lost."""
    ours = {tag.lower() for tag in question.tags}
    theirs = {tag.lower(): tag for tag in note.tags}
    added = sorted(tag for key, tag in theirs.items() if key not in ours and key not in _ANKI_TAGS)
    removed = sorted(tag for tag in question.tags if tag.lower() not in theirs)
    return added, removed


def _vault(deck: Deck) -> bool:
    return deck.rule == "obsidian" and deck.source.path.is_dir()


_SR_COMMENT = re.compile(r"[ \t]*<!--SR:")


def _retagged(text: str, start: int, end: int, added, removed) -> list[Edit]:
    """A vault card's tags as Anki has them: each added one as `#tag` at the end of the card's first
    line (before the plugin's review comment), each removed one taken out of the card's lines."""
    out = []
    first = text[start:end].split("\n", 1)[0]
    review = _SR_COMMENT.search(first)
    at = start + (review.start() if review else len(first.rstrip()))
    if added:
        out.append(Edit(at, at, "".join(f" #{tag.replace('::', '/')}" for tag in added)))
    for tag in removed:
        pattern = r"[ \t]?(?<!\S)#" + re.escape(tag) + r"(?![\w/-])"
        found = list(re.finditer(pattern, text[start:end], re.I))
        if len(found) != 1:
            raise Unmappable(f"the tag #{tag} is not written once in the card")
        out.append(Edit(start + found[0].start(), start + found[0].end(), ""))
    return out


def _added(decks: list[Deck], notes: dict[str, Note], known: set[str]):
    """Notes added in Anki inside a deck's sub-decks (not cardsmith's own notes): each with its
    deck and the section whose sub-deck holds it."""
    homes = {}
    for deck in decks:
        for section in [(), *(s.path for s in deck.sections)]:
            homes.setdefault(subdeck_name(deck, section), (deck, section))
    for note in notes.values():
        if note.guid in known or len(note.fields) < 2 or len(note.decks) != 1:
            continue
        home = homes.get(next(iter(note.decks)))
        if home is not None:
            yield home[0], home[1], note


def _said(question: Question, message: str) -> Diagnostic:
    return Diagnostic(question.source, Severity.WARNING, f"{question.prompt!r}: {message}")


def built_entries(roots: Iterable[Path]) -> dict[str, Entry]:
    """The entries of the locks of the content folders `roots` as the last build wrote them to disk,
    by GUID."""
    return {e.guid: e for root in roots for e in _on_disk(Lock(root / LOCK_NAME)).entries}


def _on_disk(lock: Lock) -> Lock:
    try:
        return Lock.load(lock.path.parent)
    except ContentError:
        return Lock(lock.path)


def _anki_changed(entry, note: Note) -> tuple[int, ...]:
    """Which of the note's two fields Anki changed since cardsmith last saw them (a field with the
    bytes the lock saw is not read again: `field_html.note_prints`)."""
    prints = entry.field_prints
    shows, _ = note_prints(note.fields, entry)
    return tuple(i for i in (0, 1) if shows[i] != prints[i])


def _differs(note: Note, ours: list[str]) -> tuple[int, ...]:
    """Which of the note's two fields show otherwise than cardsmith's (images by place, not name)."""
    return tuple(i for i in (0, 1) if field_key(note.fields[i], True) != field_key(ours[i], True))


def _regions(deck: Deck, path: Path, text: str) -> dict[int, tuple[int, int]]:
    """Each question of `deck` in `path`: the offsets of its lines in `text`, from its prompt's line
    to the line before the next thing the reader found (a question, a section, a skipped block). A
    block skipped inside a question's own lines (a lesson's `:label:` or `:class:` option line in
    its exercise or solution) ends nothing: the question's answer stands after it."""
    mine = [q for q in deck.questions if q.source.path == path]
    inside = {line for q in mine for line in range(q.source.line + 1, q.end + 1)}
    starts = sorted(
        {q.source.line for q in mine}
        | {s.source.line for s in deck.sections if s.source.path == path}
        | {u.source.line for u in deck.unanswered if u.source.path == path}
        | {
            k.source.line
            for k in deck.skipped
            if k.source.path == path and k.source.line not in inside
        }
    )
    offsets = [0]
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    out = {}
    for index, question in enumerate(deck.questions):
        if question.source.path != path:
            continue
        line = question.source.line
        later = [s for s in starts if s > line]
        end_line = later[0] if later else len(offsets)
        out[index] = (offsets[line - 1], min(offsets[end_line - 1], len(text)))
    return out


def _file(
    path: Path, items: list[_Pending], settings: Settings, pulled: Pulled, media: Images
) -> Changed | None:
    """The edits of `items` made in `path`, each kept only when the file read again shows it."""
    try:
        data = path.read_bytes()
        file = FileText.of(data)
    except (OSError, UnicodeDecodeError) as exc:
        pulled.diagnostics.append(
            Diagnostic(Source(path, 0), Severity.ERROR, f"cannot read the file: {exc}")
        )
        return None
    deck = items[0].deck
    if repair_mojibake(file.text, path, Report()) != file.text:
        message = "holds mis-encoded text the build repairs: save the repair first, then pull"
        pulled.diagnostics.append(Diagnostic(Source(path, 0), Severity.ERROR, message))
        return None
    regions = _regions(deck, path, file.text)
    planned: dict[int, list[Edit]] = {}
    for item in items:
        if item.added:
            try:
                planned[item.index] = [_appended(deck, path, file.text, regions, item, settings)]
            except Unmappable as exc:
                _unmapped(pulled, _new_question(item, path), str(exc))
            continue
        question = deck.questions[item.index]
        start, end = regions[item.index]
        style = Style.of(file.text[start:end])
        rendering = Rendering.of(deck, Target.CARD)
        ours = card_fields(question, rendering, deck.lang)
        if item.delete:
            planned[item.index] = [Edit(start, end, "")]
            continue
        try:
            found = _retagged(file.text, start, end, *item.tags) if any(item.tags) else []
            for number in item.fields:
                base = _vault_clozes(deck, settings, to_markdown(ours[number], style))
                shown = media.linked(item.note.fields[number], deck, question, path, item.index)
                edited = _vault_clozes(deck, settings, to_markdown(shown, style))
                change = edits(base, edited, file.text, start, end)
                if not change and field_key(shown, True) != field_key(ours[number], True):
                    raise Unmappable("what Anki shows has no Markdown that says it")
                found.extend(change)
            planned[item.index] = found
        except Unmappable as exc:
            _unmapped(pulled, question, str(exc))
    by_index = {item.index: item for item in items}
    while planned:
        every = [e for found in planned.values() for e in found]
        try:
            text = apply(file.text, every)
        except Unmappable:
            first = max(planned)
            _unmapped(pulled, _question(deck, by_index[first], path), "it overlaps another edit")
            del planned[first]
            continue
        wrong = _check(deck, path, text, planned, by_index, settings, regions)
        if not wrong:
            break
        if len(planned) > 1 and wrong.keys() == planned.keys():
            # every edit refused at once (the file would hold another number of questions): those
            # refused on their own, when some are, and the others are tried again together
            wrong = _alone(deck, path, file.text, planned, by_index, settings, regions) or wrong
        for index, reason in wrong.items():
            _unmapped(pulled, _question(deck, by_index[index], path), reason)
            del planned[index]
    if not planned or all(not found for found in planned.values()):
        return None
    changed = Changed(path, data, file.written([e for f in planned.values() for e in f]))
    changed.images = media.keep(path, planned)
    changed.pulled = [
        ("removed: " if by_index[i].delete else "added: " if i < 0 else "")
        + _question(deck, by_index[i], path).prompt
        for i in sorted(planned)
    ]
    changed.done = [by_index[i] for i in sorted(planned)]
    return changed


def _question(deck: Deck, item: _Pending, path: Path) -> Question:
    return _new_question(item, path) if item.added else deck.questions[item.index]


def _new_question(item: _Pending, path: Path) -> Question:
    """A note added in Anki, as a question for messages."""
    from cardsmith.render import to_text

    prompt = to_text(_shown(item.note.fields[0], Style()))
    return Question("", None, prompt, "", item.section or (), (), Kind.BASIC, Source(path, 0))


def _appended(deck: Deck, path: Path, text: str, regions, item: _Pending, settings) -> Edit:
    """A note added in Anki as a question after the last one of its section, written as that one
    is (its heading level, a number after the section's last)."""
    mine = [
        i
        for i, q in enumerate(deck.questions)
        if q.source.path == path and q.section == item.section
    ]
    if not mine:
        raise Unmappable("its section has no question in the Markdown to write it after")
    last = deck.questions[mine[-1]]
    start, at = regions[mine[-1]]
    if last.rule == "obsidian":
        return _appended_card(text, start, at, item, settings)
    heading = re.match(r"(#{1,6})[ \t]+(?:(\d+)([.)])[ \t]+)?", text[start:at])
    if heading is None or last.rule != "heading":
        raise Unmappable("its section's questions are not headings, which a new one could copy")
    style = Style.of(text[start:at])
    prompt = to_markdown(item.note.fields[0], style)
    answer = to_markdown(item.note.fields[1], style)
    if "\n" in prompt or not prompt.strip() or not answer.strip():
        raise Unmappable("its question is not one line, or it has no answer")
    numbers = [q.number for q in deck.questions if q.source.path == path and q.number is not None]
    marker = heading.group(1)
    if heading.group(2) and numbers:
        marker += f" {max(numbers) + 1}{heading.group(3)}"
    new = f"{marker} {prompt}\n{answer}\n"
    before = text[:at]
    if not before.endswith("\n\n"):
        new = ("\n" if before.endswith("\n") else "\n\n") + new
    if at < len(text):
        new += "\n"
    return Edit(at, at, new)


def _appended_card(text: str, start: int, end: int, item: _Pending, settings) -> Edit:
    """A note added in Anki as a one-line card (`question::answer`, the vault's separator) on the
    line after the last card of its sub-deck in the note."""
    from cardsmith.reading.obsidian.vault import Syntax

    syntax = Syntax.of(item.deck.source.path, settings, Report())
    prompt, answer = (
        _vault_clozes(item.deck, settings, to_markdown(f, Style())) for f in item.note.fields[:2]
    )
    if "\n" in prompt or "\n" in answer or not prompt.strip() or not answer.strip():
        raise Unmappable("its question or answer is not one line, as a new card here would be")
    card = text[start:end].rstrip(" \t\n")
    at = start + len(card)
    one_line = "\n" not in card  # a multi-line card ends at a blank line
    return Edit(at, at, ("\n" if one_line else "\n\n") + f"{prompt}{syntax.single}{answer}")


def _alone(deck, path, text, planned, by_index, settings, regions) -> dict[int, str]:
    """The planned edits `_check` refuses each on its own in `text`, and why."""
    wrong = {}
    for index, found in planned.items():
        try:
            alone = apply(text, found)
        except Unmappable:
            wrong[index] = "its edits overlap"
            continue
        wrong.update(_check(deck, path, alone, {index: found}, by_index, settings, regions))
    return wrong


def _check(deck, path, text, planned, by_index, settings, regions) -> dict[int, str]:
    """The questions whose edit the file, read again, does not show as Anki does, and why; or,
    when another question would change too, every planned one. A deleted question must be gone."""
    try:
        after = _reread(deck, path, text, settings)
    except ContentError as exc:
        return {i: f"the file would not read: {exc.diagnostics[0].message}" for i in planned}
    gone = {i for i in planned if by_index[i].delete}
    # the questions the file should hold, in order: the old ones (not deleted) and the new ones
    at = {i: planned[i][0].start for i in planned if i < 0}
    firsts = {index: start for index, (start, _) in regions.items() if index not in gone}
    order = sorted([*((o, 1, i) for i, o in firsts.items()), *((o, 0, i) for i, o in at.items())])
    expected = [i for _, _, i in order]
    if len(expected) != len(after):
        return {i: "the file would hold another number of questions" for i in planned}
    rendering = Rendering.of(deck, Target.CARD)
    wrong = {}
    for index, new in zip(expected, after, strict=True):
        if index in planned:
            guid = deck.questions[index].guid if index >= 0 else "new"
            shown = card_fields(replace(new, guid=guid), rendering, deck.lang)[:2]
            if index < 0 and new.section != by_index[index].section:
                wrong[index] = "it would not be in its sub-deck's section"
            added, removed = by_index[index].tags
            now = {tag.lower() for tag in new.tags}
            wanted = {tag.lower().replace("::", "/") for tag in added}
            if wanted - now or any(tag.lower() in now for tag in removed):
                wrong[index] = "its tags as the card's #tags would not be what Anki has"
            note = by_index[index].note
            for number in by_index[index].fields:
                if field_key(shown[number], True) != field_key(note.fields[number], True):
                    wrong[index] = (
                        f"the {_FIELDS[number]} as Markdown would not show what Anki shows"
                    )
            if index >= 0:  # the field Anki did not change must stay as it is (a quiz's option
                # is on both sides: changed on the back, it would change the front too)
                was = card_fields(deck.questions[index], rendering, deck.lang)[:2]
                for number in {0, 1} - set(by_index[index].fields):
                    if field_key(shown[number], True) != field_key(was[number], True):
                        wrong[index] = f"the {_FIELDS[number]} would change with it"
        elif _written(new) != _written(deck.questions[index]):
            return {i: "another question would change with it" for i in planned}
    return wrong


def _stored_base(
    deck: Deck, entry: Entry, stores: dict[Path, BaseStore], pulled: Pulled
) -> tuple[str, str] | None:
    """The two fields the collection held when both sides last agreed, from the content folder's
    base store (`collection.base_store`); None when it has not got them (a warning when it cannot
    be read)."""
    root = deck.content_root
    if root not in stores:
        stores[root] = BaseStore.load(root)
    found = stores[root].fields(entry.field_prints)
    warning = stores[root].warning()
    if warning is not None:
        pulled.diagnostics.append(warning)
    return found


def _last_content(entry) -> str:
    return entry.content if entry is not None else ""


def _git_base(deck: Deck, question: Question, base: str, settings: Settings) -> list[str] | None:
    """The question as it was when both sides last agreed (its `content` fingerprint is `base`),
    as card fields, from the file's versions in git (the last 50 commits that touched it); None
    when there is no git, no repository, or no version with it."""
    import subprocess

    path = question.source.path
    if not base:
        return None

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=path.parent, capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    if not top:
        return None
    try:
        relative = path.resolve().relative_to(Path(top.strip()).resolve()).as_posix()
    except ValueError:
        return None
    rendering = Rendering.of(deck, Target.CARD)
    for commit in (git("log", "--format=%H", "-n", "50", "--", relative) or "").split():
        text = git("show", f"{commit}:{relative}")
        if text is None:
            continue
        try:
            questions = _reread(deck, path, normalise_newlines(text.lstrip("\ufeff")), settings)
        except ContentError:
            continue
        for old in questions:
            if _vault(deck):  # as the vault's reader gives them: with the deck's tags
                old = replace(old, tags=tuple(dict.fromkeys((*deck.tags, *old.tags))))
            if content_fingerprint(old) == base:
                return card_fields(replace(old, guid=question.guid), rendering, deck.lang)[:2]
    return None


def _shown(html: str, style: Style) -> str:
    """A field as Markdown for people to read: its HTML when the converter cannot."""
    try:
        return to_markdown(html, style)
    except Unmappable:
        return html


def _written(question: Question) -> tuple:
    """What a question says, as Markdown (the same Markdown makes the same card)."""
    return question.prompt, question.front, question.answer, question.choices, question.kind


def _reread(deck: Deck, path: Path, text: str, settings: Settings) -> list[Question]:
    """The questions of `path` read from `text`, in the order they stand in it: a Markdown file
    by the bank reader with the deck's settings, a vault's note by the vault's own syntax."""
    report = Report()
    if deck.rule == "obsidian" and deck.source.path.is_dir():
        from cardsmith.reading.obsidian.cards import NoteReader
        from cardsmith.reading.obsidian.vault import Syntax, VaultFiles

        vault = deck.source.path
        syntax = Syntax.of(vault, settings, report)
        reader = NoteReader(vault, deck.content_root, report, syntax, VaultFiles(vault))
        return [replace(q, section=deck_path) for deck_path, q in reader.read(path, text).cards]
    again = read_text(text, path, deck.content_root, report, settings.deck)
    return [q for q in again.questions if q.source.path == path]


def _vault_clozes(deck: Deck, settings: Settings, markdown: str) -> str:
    """In a vault whose clozes are highlights, `{{c1::x}}` as the plugin writes it: `==x==`."""
    if deck.rule != "obsidian" or not deck.source.path.is_dir() or "{{c" not in markdown:
        return markdown
    from cardsmith.reading.obsidian.vault import Syntax

    if "highlight" not in Syntax.of(deck.source.path, settings, Report()).cloze:
        return markdown
    return _CLOZE.sub(
        lambda m: f"=={m.group(1)}==" + (f"^[{m.group(2)}]" if m.group(2) else ""), markdown
    )


_CLOZE = re.compile(r"\{\{c\d+::(.+?)(?:::(.+?))?\}\}", re.S)


def _unmapped(pulled: Pulled, question: Question, reason: str) -> None:
    pulled.diagnostics.append(
        Diagnostic(
            question.source,
            Severity.WARNING,
            f"the Anki edit of {question.prompt!r} cannot be written back as Markdown ({reason});"
            " the Markdown is as it was: make the edit here",
        )
    )


def _write(changed: Changed) -> None:
    """Write `changed` atomically, only when the file is still as the pull read it."""
    from cardsmith.output import write_atomic

    try:
        now = changed.path.read_bytes()
    except OSError as exc:
        raise ContentError.at(Source(changed.path, 0), f"cannot read the file: {exc}") from None
    if now != changed.before:
        raise ContentError.at(
            Source(changed.path, 0),
            "changed on disk since the pull read it: not written (pull again)",
        )
    try:
        write_atomic(changed.path, changed.after)
    except OSError as exc:
        raise ContentError.at(Source(changed.path, 0), f"cannot write: {exc}") from None


def _record(
    sources,
    settings,
    run,
    written: dict[str, Note],
    acknowledged: dict[str, Note],
    preferred: set[str],
    pulled,
    known: set[str],
    added: dict[str, Note],
    stores: dict[Path, BaseStore],
) -> None:
    """The locks, read again with the files as now written, recording what the collection holds
    of the notes pulled (and of those the pull found level or settled for the Markdown). A question
    written for a note added in Anki takes that note's GUID, so a sync updates it, never adds it."""
    result, locks = prepare(sources, settings, run)
    if result.failed:
        pulled.diagnostics.extend(d for d in result.all_diagnostics if d.is_error)
        return
    out = {}
    seen: dict[str, str] = {}
    for root, lock in locks.items():
        entries = []
        for entry in lock.entries:
            if entry.guid not in known and entry.prompt in added:
                entry = replace(entry, guid=added.pop(entry.prompt).guid)
            note = written.get(entry.guid) or acknowledged.get(entry.guid)
            if note is not None:
                shows, raws = note_prints(note.fields, entry)
                prints, raw = ",".join(shows), ",".join(raws)
                seen.update(zip(shows, note.fields[:2], strict=True))
                if entry.guid in written:  # the note shows this content now: nothing to send
                    entry = replace(
                        entry, fields=prints, raw=raw, base=entry.content, modified=note.modified
                    )
                elif entry.guid in preferred:
                    # the Markdown wins: newer than Anki's edit, so the next sync sends it
                    modified = max(entry.modified, note.modified + 1)
                    entry = replace(entry, fields=prints, raw=raw, modified=modified)
                else:  # Anki shows what the Markdown makes now: nothing to send either
                    modified = min(entry.modified, note.modified)
                    entry = replace(
                        entry, fields=prints, raw=raw, base=entry.content, modified=modified
                    )
            entries.append(entry)
        out[root] = Lock(lock.path, entries, lock.note_types, lock.removed)
    pulled.diagnostics.extend(write_with_locks(out, seen, stores))


def refusal(collection: Path, error: CollectionError) -> Diagnostic:
    return Diagnostic(Source(collection, 0), Severity.ERROR, str(error))
