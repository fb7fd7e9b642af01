"""The lock file, `cardsmith.lock`: its entries, tombstones and note-type stamps, read and written.

It sits in the content folder and is meant to be committed. For each question it keeps the id, the
note's GUID (the identity Anki matches notes by), the file and section, the prompt, fingerprints of the
answer and of everything that reaches a card, and the time that content last changed. Deleted
questions are kept as tombstones (`removed`: the entry, and when it was found gone).

Locks written before GUIDs were kept (version 1) derived them from the id alone: reading one keeps
exactly those GUIDs, so nobody gets duplicates after upgrading.

Version 4 adds, to the entries of notes a collection holds, what `cardsmith sync` and `pull` last saw
there: `fields`, fingerprints of the note's two fields as the collection showed them (what a field
shows, not its bytes: `collection.field_html`), and `base`, the `content` fingerprint of the question
they show. A pull compares them with the collection to tell which side changed since. Beside them,
`raw` (optional, added within version 4: a lock without it reads as before) keeps a cheap hash of each
field's bytes as the collection held them (`field_html.raw_print`): a field whose bytes are still those
has the fingerprint `fields` keeps, without reading its HTML again (the fingerprint costs a millisecond
a field; a daily sync of 10,000 unchanged notes would read 20,000 of them).

The lock also keeps `note_types`: for a format that gives its cards note types of their own (the Anki
package: templates and CSS), a fingerprint of them and when it last changed, so restyled cards reach a
collection even when no question changed. (Locks before version 2, and the first version 2 ones,
called it `looks`: read, never written.)
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cardsmith.errors import ContentError
from cardsmith.files import FileTooLarge, NotRegularFile, read_regular_text
from cardsmith.identity.ids import legacy_guid
from cardsmith.model import ID_PATTERN, Removed, Source

LOCK_NAME = "cardsmith.lock"
# a lock is read whole; an entry takes some 350 bytes, so this is some 380,000 questions
MAX_LOCK_BYTES = 128 << 20
# 1 had no `guid` in its entries (it was derived from the id); 3 has tombstones (`removed`); 4 has what
# a collection was last seen to hold (`fields`, `base`). A lock is written in the oldest version that
# holds what it has, so older cardsmiths still read it, or refuse it ("unsupported lock version").
_VERSIONS = (1, 2, 3, 4)


@dataclass(frozen=True, slots=True)
class Entry:
    """One question as the lock remembers it."""

    id: str
    guid: str  # the note's identity in Anki (see `identity.ids`)
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
    # what a collection was last seen to hold (by `sync` or `pull`): the fingerprints of the note's
    # two fields there ("question,answer"), and the `content` of the question they show
    fields: str = ""
    base: str = ""
    # the sha256 of the bytes of those two fields, shortened ("question,answer"): the fields whose
    # bytes are these have the fingerprints `fields` (`collection.field_html.note_prints`)
    raw: str = ""

    def as_dict(self) -> dict[str, str | int]:
        # dataclasses.asdict deep-copies every value; a lock has one entry per question
        values = _ENTRY_VALUES(self)
        if not any(values[_FIRST_OPTIONAL:]):  # (the usual: none of the optional keys)
            return dict(zip(_ENTRY_NAMES[:_FIRST_OPTIONAL], values, strict=False))
        return {
            name: value
            for name, value in zip(_ENTRY_NAMES, values, strict=True)
            if name not in _OPTIONAL or value
        }

    @property
    def field_prints(self) -> tuple[str, str] | None:
        """The fingerprints of the note's (question, answer) fields in the collection, when known."""
        if not self.fields:
            return None
        question, answer = self.fields.split(",")
        return question, answer

    @property
    def raw_prints(self) -> tuple[str, str] | None:
        """The hashes of the bytes of the fields `field_prints` are of, when known."""
        if not self.raw or not self.fields:
            return None
        question, answer = self.raw.split(",")
        return question, answer


_ENTRY_NAMES = Entry.__slots__
_ENTRY_VALUES = operator.attrgetter(*_ENTRY_NAMES)
_FIRST_OPTIONAL = _ENTRY_NAMES.index("kind")  # the optional fields are the last ones


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


# one encoder for every entry (`json.dumps` with an option makes one a call)
_JSON = json.JSONEncoder(ensure_ascii=False).encode
_HEX16 = re.compile(r"[0-9a-f]{16}")
_OPTIONAL = frozenset(
    {"kind", "fields", "base", "raw"}
)  # keys an entry has only when they say something
# the latest time a lock may hold (year 2242): Anki stores times in milliseconds in a 64-bit integer
MAX_TIME = 2**33
ID_FORM = re.compile(ID_PATTERN)
GUID_FORM = re.compile(r"[!-~]{1,64}")  # printable ASCII, no space: Anki's base 91 and more
_TEXT = (str, None)
_ENTRY_FIELDS = {
    "id": (str, ID_FORM),
    "guid": (str, GUID_FORM),
    "file": _TEXT,
    "section": _TEXT,
    "prompt": _TEXT,
    "answer": (str, _HEX16),
    "simhash": (str, _HEX16),
    "content": (str, _HEX16),
    "modified": (int, None),
    "kind": (str, re.compile("reversed")),
    "fields": (str, re.compile(r"[0-9a-f]{16},[0-9a-f]{16}")),
    "base": (str, _HEX16),
    "raw": (str, re.compile(r"[0-9a-f]{16},[0-9a-f]{16}")),
}
_V1_ENTRY_FIELDS = {name: rule for name, rule in _ENTRY_FIELDS.items() if name != "guid"}
_TOMBSTONE_FIELDS = {**_ENTRY_FIELDS, "removed": (int, None)}
_NOTE_TYPES_FIELDS = {"fingerprint": (str, _HEX16), "modified": (int, None)}


class _Form:
    """One kind of record in a lock (an entry, a tombstone, a note type's stamp), checked as
    `_checked` checks it. A record with every field and no optional one, each of the right type
    and form, is checked here in a few calls into C; any other goes to `_checked`, which says what
    is wrong. A lock of 10,000 questions was read in 0.19 s, most of it here; the build's process
    reads it while the workers read the Markdown."""

    def __init__(self, fields: dict):
        self.fields = fields
        self.names = tuple(name for name in fields if name not in _OPTIONAL)
        self.keys = frozenset(self.names)
        self.values = operator.itemgetter(*self.names)
        self.kinds = tuple(fields[name][0] for name in self.names)
        self.forms = tuple(
            (index, fields[name][1]) for index, name in enumerate(self.names) if fields[name][1]
        )
        self.times = tuple(
            index for index, name in enumerate(self.names) if name in ("modified", "removed")
        )

    def checked(self, record, item: object):
        if type(item) is dict and item.keys() == self.keys:
            values = self.values(item)
            if (
                tuple(map(type, values)) == self.kinds
                and all(form.fullmatch(values[index]) for index, form in self.forms)
                and all(0 <= values[index] <= MAX_TIME for index in self.times)
            ):
                return record(**item)
        return _checked(record, item, self.fields)


def _checked(record, item: object, fields: dict):
    """`record(**item)` once every field is there with the right type and form; else ValueError. A
    hand-edited lock must be an error at its line, not a traceback somewhere in the build."""
    if type(item) is not dict or item.keys() - _OPTIONAL != fields.keys() - _OPTIONAL:
        raise ValueError(f"expected an object with the keys {', '.join(fields)}")
    for name, (kind, form) in fields.items():
        if name not in item:
            continue  # an optional key (`kind`, `fields`, `base`, `raw`)
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


_ENTRY, _V1_ENTRY = _Form(_ENTRY_FIELDS), _Form(_V1_ENTRY_FIELDS)
_TOMBSTONE, _NOTE_TYPES = _Form(_TOMBSTONE_FIELDS), _Form(_NOTE_TYPES_FIELDS)


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
            text = read_regular_text(path, MAX_LOCK_BYTES)
        except FileNotFoundError:
            return cls(path)
        except NotRegularFile:  # a folder, a FIFO that would block forever, a device
            raise ContentError.at(
                Source(path, 0), "the lock file is not a regular file; remove it"
            ) from None
        except FileTooLarge as exc:  # a lock is read whole: its size is checked first
            message = f"the lock file is {exc.strerror}; is it a lock file? fix it or delete it"
            raise ContentError.at(Source(path, 0), message) from None
        except OSError as exc:
            message = f"cannot read the lock file: {exc.strerror}"
            raise ContentError.at(Source(path, 0), message) from None
        except UnicodeDecodeError as exc:
            message = f"cannot read the lock file ({exc}); fix it or delete it"
            raise ContentError.at(Source(path, 1), message) from None
        entries, removed = None, None
        try:
            data = json.loads(text)
            version = data.get("version")
            if version not in _VERSIONS:
                raise ValueError(f"unsupported lock version {version!r}")
            stamps = data.get("note_types", data.get("looks", {}))
            note_types = {str(k): _NOTE_TYPES.checked(NoteTypes, v) for k, v in stamps.items()}
            entries = []
            for item in data["questions"]:
                if version == 1:
                    item = _V1_ENTRY.checked(dict, item)
                    item["guid"] = legacy_guid(item["id"])
                entries.append(_ENTRY.checked(Entry, item))
            removed = []
            for item in data.get("removed", []) if version >= 3 else []:
                # (a failure here is at the tombstone after those read: see `_failed_line`)
                fields = _TOMBSTONE.checked(dict, item)
                when = fields.pop("removed")
                removed.append(Tombstone(Entry(**fields), when))
        except RecursionError:
            raise ContentError.at(
                Source(path, 1),
                "cannot read the lock file (nested too deeply); fix it or delete it",
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ContentError.at(
                # the entry that failed is the one after those read
                Source(path, _failed_line(text, entries, removed)),
                f"cannot read the lock file ({exc}); fix it or delete it",
            ) from None
        return cls(path, entries, note_types, removed)

    def dumps(self) -> str:
        # One entry a line, in file and document order: diffs read like the content's own diffs.
        lines = ",\n".join("  " + _JSON(entry.as_dict()) for entry in self.entries)
        stamps = {
            name: {"fingerprint": stamp.fingerprint, "modified": stamp.modified}
            for name, stamp in sorted(self.note_types.items())
        }
        stamped = f', "note_types": {json.dumps(stamps)}' if stamps else ""
        seen = any(e.fields or e.base for e in (*self.entries, *(t.entry for t in self.removed)))
        version = 4 if seen else 3 if self.removed else 2
        if not self.removed:
            return f'{{"version": {version}{stamped}, "questions": [\n{lines}\n]}}\n'
        removed = ",\n".join("  " + _JSON(tombstone.as_dict()) for tombstone in self.removed)
        return (
            f'{{"version": {version}{stamped}, "questions": [\n{lines}\n],\n'
            f'"removed": [\n{removed}\n]}}\n'
        )


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
