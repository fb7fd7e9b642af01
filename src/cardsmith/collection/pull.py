"""`cardsmith pull COLLECTION`: what was edited in Anki, back into the Markdown.

For each question whose note the collection (or a phone's exported `.apkg`) holds, the lock says
what the collection held when cardsmith last saw it (`Entry.fields`, fingerprints of what each
field shows) and which version of the question that was (`Entry.base`). So:

- Anki changed, the Markdown did not: the edited field comes back as the smallest edit of the file
  (`collection.write_back`), kept only when the file, read again, makes a card that shows what
  Anki shows, and every other question as it was; otherwise it is reported and nothing of it is
  written;
- the Markdown changed, Anki did not: nothing to pull (the next build or sync sends it);
- both changed: a conflict. Neither side is touched; both are shown as a diff, and the pull fails,
  unless `prefer` settles it ("markdown": the Markdown stays and the next sync sends it; "anki":
  Anki's side is written into the Markdown).

A file is written atomically, and only when it is still as the pull read it. The lock then records
what the collection holds of each pulled note, so the next sync sends nothing back and a second pull
finds nothing to do. A lock without `fields` (decks only ever imported as packages) has no base: a
field Anki shows otherwise than the Markdown makes, on a note Anki changed after cardsmith last
changed the question, is taken as Anki's edit.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from cardsmith.build.pipeline import BuildResult, discover, prepare, write_locks
from cardsmith.build.project import updating
from cardsmith.collection.anki_file import CollectionError, Note, engine_errors, read_notes, reading
from cardsmith.collection.field_html import field_key, fingerprint
from cardsmith.collection.write_back import (
    Edit,
    FileText,
    Style,
    Unmappable,
    apply,
    edits,
    to_markdown,
)
from cardsmith.errors import ContentError, Diagnostic, Report, Severity
from cardsmith.exporters.anki_notes import card_fields
from cardsmith.identity import Lock
from cardsmith.identity.fingerprints import content_fingerprint
from cardsmith.model import Deck, Question, Source
from cardsmith.reading.bank import read_text
from cardsmith.reading.source import repair_mojibake
from cardsmith.render import Rendering, Target
from cardsmith.run import DEFAULT_RUN, Run
from cardsmith.settings import Settings

PREFER = ("markdown", "anki")
_FIELDS = ("question", "answer")


@dataclass
class Conflict:
    """A question edited on both sides since the last sync: each side's field as Markdown."""

    question: Question
    field: str
    markdown: str
    anki: str

    def diff(self) -> str:
        lines = difflib.unified_diff(
            self.markdown.splitlines(keepends=True),
            self.anki.splitlines(keepends=True),
            f"markdown: {self.question.source}",
            f"anki: {self.field}",
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
    result: BuildResult | None = None

    @property
    def failed(self) -> bool:
        failed_build = self.result is not None and self.result.failed
        return failed_build or any(d.is_error for d in self.diagnostics)

    @property
    def questions(self) -> int:
        return sum(len(f.pulled) for f in self.files)


@dataclass
class _Pending:
    """One question's Anki edit, on its way into its file."""

    deck: Deck
    index: int  # in `deck.questions`
    note: Note
    fields: tuple[int, ...]  # which of the two fields to write back


def pull(
    collection: Path,
    sources: Sequence[Path],
    settings: Settings,
    run: Run = DEFAULT_RUN,
    *,
    dry_run: bool = False,
    prefer: str | None = None,
) -> Pulled:
    """Bring the Anki side's edits of the decks of `sources` back into their Markdown; see the
    module's docstring. Raises CollectionError when the collection cannot be read."""
    from cardsmith.collection.sync import engine

    engine()
    files, _ = discover(sources, settings.exclude)
    with updating({root for _, root in files}, run.waiting):
        return pull_held(collection, sources, settings, run, dry_run=dry_run, prefer=prefer)


def pull_held(
    collection: Path,
    sources: Sequence[Path],
    settings: Settings,
    run: Run = DEFAULT_RUN,
    *,
    dry_run: bool = False,
    prefer: str | None = None,
) -> Pulled:
    """`pull`, for a caller that holds the content folders' locks already (`collection.sync`)."""
    result, locks = prepare(sources, settings, run)
    pulled = Pulled(result=result)
    decks = [r.deck for r in result.decks if r.deck is not None]
    if result.failed or not decks:
        return pulled
    entries = {e.guid: e for lock in locks.values() for e in lock.entries}
    with reading(collection) as opened, engine_errors("read the collection"):
        notes = read_notes(opened.col)
    pending: dict[Path, list[_Pending]] = {}
    acknowledged: dict[str, Note] = {}  # notes whose Anki side the lock takes as seen
    for deck in decks:
        rendering = Rendering.of(deck, Target.CARD)
        for index, question in enumerate(deck.questions):
            note = notes.get(question.guid)
            entry = entries.get(question.guid)
            if note is None or entry is None or len(note.fields) < 2:
                continue
            ours = card_fields(question, rendering, deck.lang)[:2]
            anki_changed = _anki_changed(entry, note, ours, question)
            if not anki_changed or _level(note, ours):
                # both sides show the same (a sync stopped before it wrote the lock, the same
                # fix made on both sides): nothing to pull, and the lock learns what Anki holds
                if anki_changed or (not entry.fields and _level(note, ours)):
                    acknowledged[question.guid] = note
                continue
            markdown_changed = bool(entry.base) and entry.base != content_fingerprint(question)
            if markdown_changed and prefer != "anki":
                if prefer == "markdown":
                    acknowledged[question.guid] = note
                    continue
                for number in anki_changed:
                    style = Style.of(question.answer)
                    pulled.conflicts.append(
                        Conflict(
                            question,
                            _FIELDS[number],
                            to_markdown(ours[number], style),
                            to_markdown(note.fields[number], style),
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
    written: dict[str, Note] = {}
    for path, items in pending.items():
        changed = _file(path, items, settings, pulled)
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
    if written or acknowledged:
        _record(sources, settings, run, written, acknowledged, prefer, pulled)
    return pulled


def _anki_changed(entry, note: Note, ours: list[str], question: Question) -> tuple[int, ...]:
    """Which of the note's two fields Anki changed since cardsmith last saw them."""
    prints = entry.field_prints
    if prints is not None:
        return tuple(i for i in (0, 1) if fingerprint(note.fields[i]) != prints[i])
    if note.modified <= question.modified:
        return ()  # not edited in Anki since cardsmith last changed the question
    return tuple(i for i in (0, 1) if field_key(note.fields[i], True) != field_key(ours[i], True))


def _level(note: Note, ours: list[str]) -> bool:
    return all(field_key(note.fields[i], True) == field_key(ours[i], True) for i in (0, 1))


def _regions(deck: Deck, path: Path, text: str) -> dict[int, tuple[int, int]]:
    """Each question of `deck` in `path`: the offsets of its lines in `text`, from its prompt's line
    to the line before the next thing the reader found (a question, a section, a skipped block)."""
    starts = sorted(
        {q.source.line for q in deck.questions if q.source.path == path}
        | {s.source.line for s in deck.sections if s.source.path == path}
        | {u.source.line for u in deck.unanswered if u.source.path == path}
        | {k.source.line for k in deck.skipped if k.source.path == path}
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


def _file(path: Path, items: list[_Pending], settings: Settings, pulled: Pulled) -> Changed | None:
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
        question = deck.questions[item.index]
        start, end = regions[item.index]
        style = Style.of(file.text[start:end])
        rendering = Rendering.of(deck, Target.CARD)
        ours = card_fields(question, rendering, deck.lang)
        try:
            found = []
            for number in item.fields:
                base = to_markdown(ours[number], style)
                edited = to_markdown(item.note.fields[number], style)
                found.extend(edits(base, edited, file.text, start, end))
            planned[item.index] = found
        except Unmappable as exc:
            _unmapped(pulled, question, str(exc))
    by_index = {item.index: item for item in items}
    while planned:
        every = [e for found in planned.values() for e in found]
        try:
            text = apply(file.text, every)
        except Unmappable:
            first = min(planned)
            _unmapped(pulled, deck.questions[first], "its edits overlap another's")
            del planned[first]
            continue
        wrong = _check(deck, path, text, planned, by_index, file)
        if not wrong:
            break
        for index, reason in wrong.items():
            _unmapped(pulled, deck.questions[index], reason)
            del planned[index]
    if not planned or all(not found for found in planned.values()):
        return None
    changed = Changed(path, data, file.written([e for f in planned.values() for e in f]))
    changed.pulled = [str(deck.questions[i].prompt) for i in sorted(planned)]
    changed.done = [by_index[i] for i in sorted(planned)]
    return changed


def _check(deck, path, text, planned, by_index, file) -> dict[int, str]:
    """The questions whose edit the file, read again, does not show as Anki does, and why; or,
    when another question would change too, every planned one."""
    report = Report()
    try:
        again = read_text(text, path, deck.content_root, report, None)
    except ContentError as exc:
        return {i: f"the file would not read: {exc.diagnostics[0].message}" for i in planned}
    before = [q for q in deck.questions if q.source.path == path]
    after = [q for q in again.questions if q.source.path == path]
    if len(before) != len(after):
        return {i: "the file would hold another number of questions" for i in planned}
    mine = [i for i, q in enumerate(deck.questions) if q.source.path == path]
    old_rendering = Rendering.of(deck, Target.CARD)
    new_rendering = Rendering.of(again, Target.CARD)
    wrong = {}
    for position, index in enumerate(mine):
        old, new = deck.questions[index], replace(after[position], guid=before[position].guid)
        shown = card_fields(new, new_rendering, again.lang)[:2]
        if index in planned:
            note = by_index[index].note
            for number in (0, 1):
                if field_key(shown[number], True) != field_key(note.fields[number], True):
                    wrong[index] = (
                        f"the {_FIELDS[number]} as Markdown would not show what Anki shows"
                    )
        elif shown != card_fields(old, old_rendering, deck.lang)[:2]:
            return {i: "another question would change with it" for i in planned}
    return wrong


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
    sources, settings, run, written: dict[str, Note], acknowledged: dict[str, Note], prefer, pulled
) -> None:
    """The locks, read again with the files as now written, recording what the collection holds
    of the notes pulled (and of those the pull found level or settled for the Markdown)."""
    result, locks = prepare(sources, settings, run)
    if result.failed:
        pulled.diagnostics.extend(d for d in result.all_diagnostics if d.is_error)
        return
    out = {}
    for root, lock in locks.items():
        entries = []
        for entry in lock.entries:
            note = written.get(entry.guid) or acknowledged.get(entry.guid)
            if note is not None:
                prints = f"{fingerprint(note.fields[0])},{fingerprint(note.fields[1])}"
                if entry.guid in written:  # the note shows this content now: nothing to send
                    entry = replace(
                        entry, fields=prints, base=entry.content, modified=note.modified
                    )
                elif prefer == "markdown" and entry.base and entry.base != entry.content:
                    # the Markdown wins: newer than Anki's edit, so the next sync sends it
                    modified = max(entry.modified, note.modified + 1)
                    entry = replace(entry, fields=prints, modified=modified)
                else:
                    entry = replace(entry, fields=prints, base=entry.content)
            entries.append(entry)
        out[root] = Lock(lock.path, entries, lock.note_types, lock.removed)
    pulled.diagnostics.extend(write_locks(out))


def refusal(collection: Path, error: CollectionError) -> Diagnostic:
    return Diagnostic(Source(collection, 0), Severity.ERROR, str(error))
