"""Stable question ids kept in a lock file, so a rebuild updates Anki notes instead of adding new ones.

`cardsmith.lock` sits in the content folder and is meant to be committed. For each question it keeps
the id, the file and section, the prompt, fingerprints of the answer and of everything that reaches a
card, and the time that content last changed. On a rebuild each question is matched to an entry, in
this order, and keeps that entry's id:

1. an explicit id in the Markdown (`### Question {#my-id}` or `<!-- id: my-id -->`);
2. the same prompt and the same answer;
3. the same prompt (the answer was edited);
4. the same answer (the prompt was reworded);
5. the most similar remaining entry (prompt text, answer words, same section, same file), when it
   is similar enough.

Only then is a new id minted, derived from the deck, the file and the prompt, so that two fresh builds
of the same text agree while the same prompt in another deck gets another id.

Entries left over are questions that were deleted. Each is reported once and kept as a *tombstone*
(`removed` in the lock: the entry, and when it was found gone): the Anki exporters send its note again,
newer and tagged `cardsmith::removed`, so that importing the rebuilt deck marks exactly those notes for
deletion. A question that comes back (restored, or the same text again) matches its tombstone by the
rules above, after the live entries, and is its old note again, newer than the tombstone so the tag
goes. `cardsmith forget` drops tombstones once their notes are deleted in Anki (`forget_removed`).

Each entry also keeps its note's GUID, the identity Anki matches notes by. A matched question keeps
the GUID whatever else changes (even when an explicit id is added to it later); a new one gets a GUID
scoped to its deck and file, so the same prompt (or the same explicit id) in two decks imported into one
collection is two notes. Locks written before GUIDs were kept (version 1) derived them from the id
alone: reading one keeps exactly those GUIDs, so nobody gets duplicates after upgrading.

The lock also keeps `note_types`: for a format whose cards have a look of their own (the Anki package's
note types), a fingerprint of it and when it last changed, so restyled cards reach a collection even
when no question changed. (Locks before version 2, and the first version 2 ones, called it `looks`.)
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import operator
import os
import re
import stat
import struct
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from cardsmith.errors import ContentError, Report
from cardsmith.model import ID_PATTERN, Deck, Kind, Question, Removed, Source, question_text

LOCK_NAME = "cardsmith.lock"
# 1 had no `guid` in its entries (it was derived from the id); 3 has tombstones (`removed`). A lock
# with no tombstone is written as version 2, as before them, so older cardsmiths still read it.
LOCK_VERSION = 3
_VERSIONS = (1, 2, 3)
_MATCH_THRESHOLD = 0.62
_PAIR_BUDGET = 200_000  # question x entry pairs compared by similarity before narrowing to sections


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    guid: str  # the note's identity in Anki (see `anki_guid`)
    file: str
    section: str
    prompt: str
    answer: str  # sha256 of the answer, shortened
    simhash: str  # 64-bit simhash of the answer's words, for similarity
    content: str  # sha256 of everything a card shows (line numbers excepted)
    modified: int
    # the note type, written only where the prompt does not tell it ("reversed"): a removed
    # question's note is sent again in its own note type, or Anki would not update it
    kind: str = ""

    def as_dict(self) -> dict[str, str | int]:
        # dataclasses.asdict deep-copies every value; a lock has one entry per question
        return {name: getattr(self, name) for name in self.__slots__ if name != "kind" or self.kind}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


_EMPTY = hashlib.sha256(b"").hexdigest()[:16]  # `_sha("")`: an answer that is not there


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _simhash(text: str) -> str:
    """64-bit simhash over the word-frequency profile, capped, so a 5 MB answer costs what a short
    one does. A bit is set when most (weighted) words have it. Each word's hash is spread into 64
    16-bit lanes of one integer, so summing integers counts all 64 columns at once, at C speed."""
    total = rows = 0
    for word, count in Counter(_words(text)).most_common(512):
        weight = min(count, 8)
        total += weight * _spread(word)
        rows += weight
    counts = struct.unpack("<64H", total.to_bytes(64 * 2, "little"))
    value = sum(1 << bit for bit, count in enumerate(counts) if 2 * count > rows)
    return f"{value:016x}"


# _SPREAD_AT[j][b]: byte b at position j of a big-endian 64-bit hash, one bit per 16-bit lane
_SPREAD = [sum(((b >> i) & 1) << (16 * i) for i in range(8)) for b in range(256)]
_SPREAD_AT = [[s << (16 * 8 * (7 - j)) for s in _SPREAD] for j in range(8)]


@functools.lru_cache(maxsize=1 << 16)
def _spread(word: str) -> int:
    digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
    return sum(map(operator.getitem, _SPREAD_AT, digest))


def _simhash_similarity(a: str, b: str) -> float:
    return 1 - bin(int(a, 16) ^ int(b, 16)).count("1") / 64


def _normal(prompt: str) -> str:
    return " ".join(_words(prompt))


def content_fingerprint(question: Question) -> str:
    """What reaches a card. Line numbers are left out so that an edit above a question does not make
    every later note look changed (Anki would re-import them all)."""
    parts = [
        question.prompt,
        question.front,
        question.answer,
        "::".join(question.section),
        " ".join(question.tags),
        question.kind,
        str(question.source.path.name),
        *(f"{image.src}={image.digest[:16]}" for image in question.images),
        *(f"{c.label}{'+' if c.correct else '-'}{c.text}" for c in question.choices),
    ]
    return _sha("\x1f".join(parts))


def deck_scope(deck_name: str, file: str) -> str:
    """What makes a new id or GUID differ between decks: the deck's name and its file in the project."""
    return f"{deck_name}\x1f{file}"


def mint_id(
    scope: str, prompt: str, taken: set[str], attempts: dict[str, int] | None = None
) -> str:
    """A short id derived from the deck's scope and the prompt: deterministic, so fresh builds of the
    same text agree, and different for the same prompt in another deck. `attempts` remembers where
    each seed's search stopped, so a thousand identical prompts cost a thousand hashes, not a million."""
    seed = f"{scope}\x1f{_normal(prompt)}"
    attempts = {} if attempts is None else attempts
    attempt = attempts.get(seed, 0)
    while True:
        digest = hashlib.sha256(f"{seed}\x1f{attempt}".encode()).digest()
        candidate = _base32(digest)[:10]
        attempt += 1
        if candidate not in taken:
            attempts[seed] = attempt
            return candidate


_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


def anki_guid(*parts: str) -> str:
    """A note GUID the way genanki's `guid_for` makes one (base 91 of a sha256), without importing
    genanki: `check` must stay light. Version 1 locks relied on `anki_guid("cardsmith", id)`."""
    value = int.from_bytes(hashlib.sha256("__".join(parts).encode()).digest()[:8], "big")
    letters = []
    while value:
        value, digit = divmod(value, len(_BASE91))
        letters.append(_BASE91[digit])
    return "".join(reversed(letters))


def new_guid(scope: str, qid: str) -> str:
    return anki_guid("cardsmith", scope, qid)


def legacy_guid(qid: str) -> str:
    """The GUID a version 1 lock's entry had: derived from its id alone."""
    return anki_guid("cardsmith", qid)


def _base32(data: bytes) -> str:
    return base64.b32encode(data).decode().lower().rstrip("=")


@dataclass(frozen=True, slots=True)
class Tombstone:
    """A question deleted from its file: its last entry, and when it was found gone (its `modified`
    is then that time or later, so the note sent tagged is newer than the live one was)."""

    entry: Entry
    removed: int

    def as_dict(self) -> dict[str, str | int]:
        return {**self.entry.as_dict(), "removed": self.removed}

    def as_removed(self, path: Path) -> Removed:
        entry = self.entry
        return Removed(
            id=entry.id,
            guid=entry.guid,
            prompt=entry.prompt,
            section=tuple(entry.section.split("::")) if entry.section else (),
            removed=self.removed,
            reversed=entry.kind == "reversed",
            modified=entry.modified,
            source=Source(path, 0),
        )


@dataclass(frozen=True, slots=True)
class NoteTypes:
    """What one format adds to every card beyond the content (Anki note types), and since when."""

    fingerprint: str
    modified: int


_HEX16 = re.compile(r"[0-9a-f]{16}")
# the latest time a lock may hold (year 2242): Anki stores times in milliseconds in a 64-bit integer
MAX_TIME = 2**33
_ID = re.compile(ID_PATTERN)
_GUID = re.compile(r"[!-~]{1,64}")  # printable ASCII, no space: Anki's base 91 and more
_TEXT = (str, None)
_ENTRY_FIELDS = {
    "id": (str, _ID),
    "guid": (str, _GUID),
    "file": _TEXT,
    "section": _TEXT,
    "prompt": _TEXT,
    "answer": (str, _HEX16),
    "simhash": (str, _HEX16),
    "content": (str, _HEX16),
    "modified": (int, None),
    "kind": (str, re.compile("reversed")),
}
_V1_ENTRY_FIELDS = {name: rule for name, rule in _ENTRY_FIELDS.items() if name != "guid"}
_TOMBSTONE_FIELDS = {**_ENTRY_FIELDS, "removed": (int, None)}
_NOTE_TYPES_FIELDS = {"fingerprint": (str, _HEX16), "modified": (int, None)}


def _checked(record, item: object, fields: dict):
    """`record(**item)` once every field is there with the right type and form; else ValueError. A
    hand-edited lock must be an error at its line, not a traceback somewhere in the build."""
    if type(item) is not dict or item.keys() - {"kind"} != fields.keys() - {"kind"}:
        raise ValueError(f"expected an object with the keys {', '.join(fields)}")
    for name, (kind, form) in fields.items():
        if name not in item:
            continue  # an optional key (`kind`)
        value = item[name]
        if type(value) is not kind:  # not isinstance: True is an int
            raise ValueError(
                f"{name} must be {'text' if kind is str else 'a whole number'}: {value!r}"
            )
        if form is not None and not form.fullmatch(value):
            raise ValueError(f"{name} {value!r} is not in the form cardsmith writes")
        if name in ("modified", "removed") and not 0 <= value <= MAX_TIME:
            raise ValueError(f"{name} {value!r} is not a time cardsmith writes")
    return record(**item)


def _failed_line(text: str, entries: list | None, removed: list | None) -> int:
    """The line of the entry after those read (the one that failed), in a lock laid out as cardsmith
    writes it: the questions one a line from line 2, then `],`, `"removed": [` and the tombstones."""
    if entries is None:
        return 1
    if removed is None:
        return _entry_line(text, len(entries))
    return _entry_line(text, len(entries) + 2 + len(removed))


def _entry_line(text: str, index: int | None) -> int:
    """The line of entry `index` in a lock laid out as cardsmith writes it (one entry a line), else 1."""
    lines = text.split("\n")
    if index is not None and index + 1 < len(lines) and '"id"' in lines[index + 1]:
        return index + 2
    return 1


class Lock:
    """The lock file's entries, read from and written to `cardsmith.lock`."""

    def __init__(
        self,
        path: Path,
        entries: Iterable[Entry] = (),
        note_types: dict | None = None,
        removed: Iterable[Tombstone] = (),
    ):
        self.path = path
        self.entries = list(entries)
        self.note_types: dict[str, NoteTypes] = dict(note_types or {})
        self.removed = list(removed)

    @classmethod
    def load(cls, content_root: Path) -> Lock:
        path = content_root / LOCK_NAME
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            message = f"cannot read the lock file: {exc.strerror}"
            raise ContentError.at(Source(path, 0), message) from None
        if not stat.S_ISREG(mode):  # a folder, a FIFO that would block forever, a device
            raise ContentError.at(Source(path, 0), "the lock file is not a regular file; remove it")
        text, entries, removed = "", None, None
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text)
            version = data.get("version")
            if version not in _VERSIONS:
                raise ValueError(f"unsupported lock version {version!r}")
            stamps = data.get("note_types", data.get("looks", {}))
            note_types = {
                str(k): _checked(NoteTypes, v, _NOTE_TYPES_FIELDS) for k, v in stamps.items()
            }
            entries = []
            for item in data["questions"]:
                if version == 1:
                    item = _checked(dict, item, _V1_ENTRY_FIELDS)
                    item["guid"] = legacy_guid(item["id"])
                entries.append(_checked(Entry, item, _ENTRY_FIELDS))
            removed = []
            for item in data.get("removed", []) if version == 3 else []:
                # (a failure here is at the tombstone after those read: see `_failed_line`)
                fields = _checked(dict, item, _TOMBSTONE_FIELDS)
                when = fields.pop("removed")
                removed.append(Tombstone(Entry(**fields), when))
        except OSError as exc:
            message = f"cannot read the lock file: {exc.strerror}"
            raise ContentError.at(Source(path, 0), message) from None
        except RecursionError:
            raise ContentError.at(
                Source(path, 1),
                "cannot read the lock file (nested too deeply); fix it or delete it",
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            raise ContentError.at(
                # the entry that failed is the one after those read
                Source(path, _failed_line(text, entries, removed)),
                f"cannot read the lock file ({exc}); fix it or delete it",
            ) from None
        return cls(path, entries, note_types, removed)

    def dumps(self) -> str:
        # One entry a line, in file and document order: diffs read like the content's own diffs.
        lines = ",\n".join(
            "  " + json.dumps(entry.as_dict(), ensure_ascii=False) for entry in self.entries
        )
        stamps = {
            name: {"fingerprint": stamp.fingerprint, "modified": stamp.modified}
            for name, stamp in sorted(self.note_types.items())
        }
        stamped = f', "note_types": {json.dumps(stamps)}' if stamps else ""
        if not self.removed:
            return f'{{"version": 2{stamped}, "questions": [\n{lines}\n]}}\n'
        removed = ",\n".join(
            "  " + json.dumps(tombstone.as_dict(), ensure_ascii=False) for tombstone in self.removed
        )
        return (
            f'{{"version": {LOCK_VERSION}{stamped}, "questions": [\n{lines}\n],\n'
            f'"removed": [\n{removed}\n]}}\n'
        )


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


def assign_ids(
    decks: list[Deck],
    lock: Lock,
    report: Report,
    clock: Callable[[], float] = time.time,
    note_types: dict[str, str] | None = None,
) -> tuple[list[Deck], Lock]:
    """Give every question of `decks` its stable id, GUID and modification time, and each deck the
    tombstones of its file (`Deck.removed`); return the new lock. `note_types` (format -> fingerprint
    of its note types) are stamped with the time they changed, and the newest of them becomes each
    deck's `note_types_modified`."""
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
    keys = [_Keys(q, name_of(q.source.path)) for _, q in questions]
    # live entries first: a question matches a tombstone only when no live entry is as good
    matched = _match(questions, keys, candidates + [t.entry for t in graves.values()])

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
        content = content_fingerprint(question)
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
        )
        assigned[index] = replace(question, id=qid, guid=new_entries[index].guid, modified=modified)
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
            said = "its note is tagged cardsmith::removed in the next import"
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


def recover(lock: Lock, files: Iterable[Path], out_dir: Path, report: Report) -> Lock:
    """A content folder without a lock (deleted, never committed): read the ids back from an earlier
    build in `out_dir`, so a question reworded since then stays the same note. The JSON holds every id
    and GUID with its prompt and answer; an Anki package holds the GUIDs with the cards' text (its
    question ids are not in it, so new ones are made). Either way the user is told, loudly."""
    if lock.path.exists():
        return lock
    entries: list[Entry] = []
    for path in files:
        file = relative_name(path, lock.path.parent)
        for reader, suffix in ((_json_entries, ".json"), (_apkg_entries, ".apkg")):
            output = out_dir / f"{path.stem}{suffix}"
            if not output.is_file():
                continue
            try:
                found = reader(output, file)
            except Exception as exc:  # an old or hand-made file of any shape: say so, go on
                report.warn(Source(output, 0), f"cannot read ids back from it ({exc})")
                continue
            entries.extend(found)
            report.warn(
                Source(lock.path, 0),
                f"the lock file is missing: the ids of {len(found)} questions of {file} were read "
                f"back from {output}; commit {LOCK_NAME} with your Markdown to keep them",
            )
            break
    return Lock(lock.path, _unique(entries), lock.note_types) if entries else lock


def _unique(entries: list[Entry]) -> list[Entry]:
    ids: set[str] = set()
    guids: set[str] = set()
    kept = []
    for entry in entries:
        if entry.id not in ids and entry.guid not in guids:
            ids.add(entry.id)
            guids.add(entry.guid)
            kept.append(entry)
    return kept


def _recovered(qid: str, guid: str, file: str, section: str, prompt: str, answer: str) -> Entry:
    if not _ID.fullmatch(qid) or not _GUID.fullmatch(guid):
        raise ValueError(f"id {qid!r} or GUID {guid!r} is not one cardsmith writes")
    return Entry(
        id=qid,
        guid=guid,
        file=file,
        section=section,
        prompt=prompt,
        answer=_sha(answer),
        simhash=_simhash(answer),
        content="0" * 16,  # unknown: the note counts as changed once, then is as before
        modified=0,
    )


def _json_entries(output: Path, file: str) -> list[Entry]:
    data = json.loads(output.read_text(encoding="utf-8"))
    entries = []
    for section in data["sections"]:
        for q in section["questions"]:
            prompt = f"{q['prompt']}\n\n{q['front']}" if q.get("front") else q["prompt"]
            guid = q.get("guid") or legacy_guid(q["id"])  # JSON before GUIDs were kept
            entries.append(
                _recovered(q["id"], guid, file, "::".join(q["section"]), prompt, q["answer"])
            )
    return entries


def _apkg_entries(output: Path, file: str) -> list[Entry]:
    import html
    import sqlite3
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(output) as package:
        database = Path(scratch) / "collection.anki2"
        database.write_bytes(package.read("collection.anki2"))
        connection = sqlite3.connect(database)
        try:
            rows = connection.execute("SELECT guid, flds FROM notes ORDER BY id").fetchall()
        finally:
            connection.close()

    def text(field: str) -> str:
        return html.unescape(re.sub(r"<[^>]*>", " ", field))

    entries = []
    for guid, fields in rows:
        question, answer, section, *_ = fields.split("\x1f")
        qid = "g" + _base32(hashlib.sha256(guid.encode()).digest())[:9]
        entries.append(
            _recovered(
                qid, guid, file, text(section).replace(" › ", "::"), text(question), text(answer)
            )
        )
    return entries


def relative_name(path: Path, root: Path, folders: dict[Path, Path] | None = None) -> str:
    """A Markdown file's name in the lock: its path below the content folder (symlinks followed).
    `folders` keeps folders already resolved: a vault's 5,000 notes are in a few dozen."""
    folders = {} if folders is None else folders

    def real(folder: Path) -> Path:
        if folder not in folders:
            folders[folder] = folder.resolve()
        return folders[folder]

    try:
        target = path.resolve() if path.is_symlink() else real(path.parent) / path.name
        return target.relative_to(real(root)).as_posix()
    except (ValueError, OSError, RuntimeError):
        return path.name


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


class _Keys:
    """What matching compares of one question, each computed once (and the simhash only if asked)."""

    def __init__(self, question: Question, file: str):
        self.question = question
        self.file = file
        self.section = "::".join(question.section)
        self.prompt = _normal(question_text(question))
        self.answer = _sha(question.answer)

    @functools.cached_property
    def simhash(self) -> str:
        return _simhash(self.question.answer)


def _match(questions, keys: list[_Keys], entries: list[Entry]) -> dict[int, Entry]:
    """Map question index -> lock entry, by the rules in this module's docstring. Exact rules use
    dict look-ups, so matching an unchanged deck is linear in its size."""
    matched: dict[int, Entry] = {}
    claimed: set[str] = set()

    def claim(index: int, entry: Entry) -> None:
        matched[index] = entry
        claimed.add(entry.id)

    by_id = {e.id: e for e in entries}
    for index, (_, question) in enumerate(questions):
        # an explicit id names its entry; one not in the lock yet (the author just added it) may
        # still match the question's old entry by the rules below and so keep its GUID
        if question.id and question.id in by_id:
            claim(index, by_id[question.id])
    rules: list[tuple[Callable[[_Keys], object], Callable[[Entry], object]]] = [
        (lambda k: (k.prompt, k.answer), lambda e: (_normal(e.prompt), e.answer)),
        (lambda k: k.prompt, lambda e: _normal(e.prompt)),
        # (an empty answer, a cloze's, says nothing of which question it was)
        (lambda k: k.answer if k.answer != _EMPTY else None, lambda e: e.answer),
    ]
    for question_key, entry_key in rules:
        index_of: dict[object, list[Entry]] = {}
        for entry in entries:
            if entry.id not in claimed:
                index_of.setdefault(entry_key(entry), []).append(entry)
        if not index_of:
            break
        for index in range(len(questions)):
            if index in matched:
                continue
            for entry in index_of.get(question_key(keys[index]), ()):
                if entry.id not in claimed:
                    claim(index, entry)
                    break

    free = [e for e in entries if e.id not in claimed]
    open_questions = [i for i in range(len(questions)) if i not in matched]
    # Similarity is pairwise; past a budget (a large rewrite), compare only within the same section.
    narrow = len(free) * len(open_questions) > _PAIR_BUDGET
    scored = []
    for index in open_questions if free else ():
        key = keys[index]
        for entry in free:
            if narrow and entry.section != key.section:
                continue
            score = _similarity(key, entry)
            if score >= _MATCH_THRESHOLD:
                scored.append((score, index, entry.id))
    for _score, index, entry_id in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if index not in matched and entry_id not in claimed:
            claim(index, by_id[entry_id])
    return matched


def _similarity(key: _Keys, entry: Entry) -> float:
    prompt = SequenceMatcher(None, key.prompt, _normal(entry.prompt)).ratio()
    if key.answer == _EMPTY or entry.answer == _EMPTY:  # clozes: the prompt is all there is
        same = 0.1 * (key.section == entry.section) + 0.05 * (key.file == entry.file)
        return 0.85 * prompt + same
    answer = max(0.0, (_simhash_similarity(key.simhash, entry.simhash) - 0.5) * 2)
    section = 1.0 if key.section == entry.section else 0.0
    same_file = 1.0 if key.file == entry.file else 0.0
    return 0.5 * prompt + 0.35 * answer + 0.1 * section + 0.05 * same_file
