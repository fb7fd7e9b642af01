"""The base store, `cardsmith.base.gz` beside `cardsmith.lock`: the text of each field the lock's
`fields` fingerprints, so a conflict can be shown as two diffs against the version both sides started
from, with or without git.

The lock keeps fingerprints, not text. What a sync or pull records there of a note (`Entry.fields`:
the fingerprints of its two fields as the collection held them) is also kept here as text, the
field's HTML as the collection held it (which, when the lock records it, is what cardsmith wrote or
what the Markdown makes now), addressed by that fingerprint. A field's HTML, not the question's
Markdown span: a conflict shows each side's field converted to Markdown by the same converter
(`write_back.to_markdown`), so a base converted the same way differs from each side only where
that side changed, not where the author's Markdown and the converter's spell the same thing
otherwise (`*` or `-` bullets, `_` or `*` emphasis, a fence's info string).

The file is gzip'd JSON, `{"version": 1, "fields": {fingerprint: html}}`, written atomically and
only by `sync` and `pull`, before the lock: it holds the fields both the lock on disk and the new
one reference (so a stop between the two files leaves each lock's base readable), and nothing
else (at most two versions of each question). A text is used only when its own fingerprint is
its address (checked when a conflict asks for it), so a damaged or hand-made store can make a base
missing, never wrong. Missing,
truncated, corrupt or hostile (a folder, a FIFO, a link out of the content folder, a gzip bomb, not
JSON): a warning, and the conflict falls back to git, then to one diff of Markdown against Anki.
It is derived data: no need to commit it (a repository has git's base already).
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterable
from pathlib import Path

from cardsmith.collection.field_html import fingerprint
from cardsmith.errors import Diagnostic, Severity
from cardsmith.files import FileTooLarge, NotRegularFile, read_regular, size_text
from cardsmith.identity import LOCK_NAME, Lock
from cardsmith.model import Source

STORE_NAME = "cardsmith.base.gz"
VERSION = 1
# the store is read whole: compressed, and what it may grow to (a gzip bomb stops there)
MAX_STORE_BYTES = 64 << 20
MAX_TEXT_BYTES = 512 << 20
_HEX16 = re.compile(r"[0-9a-f]{16}")
_FALLBACK = "conflicts are shown against git's base, else as Markdown against Anki"


class BaseStore:
    """The field texts of one content folder's store, by fingerprint; `problem` says why it could
    not be read (a warning for the user), None when it was read or was not there."""

    def __init__(self, path: Path, texts: dict[str, str], problem: str | None = None) -> None:
        self.path = path
        self.texts = texts
        self.problem = problem
        self._warned = False

    @classmethod
    def load(cls, content_root: Path) -> BaseStore:
        path = content_root / STORE_NAME
        try:
            stored = _stored(_read(path, content_root))
        except FileNotFoundError:
            return cls(path, {})
        except _Unreadable as exc:
            return cls(path, {}, f"cannot be read ({exc})")
        texts = {k: v for k, v in stored.items() if type(v) is str and _HEX16.fullmatch(k)}
        wrong = len(stored) - len(texts)
        if wrong:
            entries = "entry that is" if wrong == 1 else "entries that are"
            return cls(path, texts, f"holds {wrong} {entries} no field text: left out")
        return cls(path, texts)

    def fields(self, prints: tuple[str, str] | None) -> tuple[str, str] | None:
        """The two fields whose fingerprints are `prints` (`Entry.field_prints`), when both are here
        and each is the field its fingerprint names (checked here, on use: a store of 20,000 fields
        is not worth checking whole on every sync)."""
        if prints is None or any(p not in self.texts for p in prints):
            return None
        found = self.texts[prints[0]], self.texts[prints[1]]
        for key, text in zip(prints, found, strict=True):
            if fingerprint(text) != key:  # damaged, or made by hand: a wrong base would mislead
                self.problem = f"holds a text that is not the field its fingerprint {key} names"
                del self.texts[key]
                return None
        return found

    def warning(self) -> Diagnostic | None:
        """Why the store, or a text in it, could not be used, the first time there is a reason."""
        if self.problem is None or self._warned:
            return None
        self._warned = True
        message = f"the base store {self.problem}; {_FALLBACK}"
        return Diagnostic(Source(self.path, 0), Severity.WARNING, message)


class _Unreadable(Exception):
    """The store is there but cannot be used; the message says why."""


def _read(path: Path, root: Path) -> bytes:
    try:
        if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
            raise _Unreadable("it links out of the content folder")
        data = read_regular(path, MAX_STORE_BYTES)
    except FileNotFoundError:
        raise
    except NotRegularFile:
        raise _Unreadable("not a regular file") from None
    except FileTooLarge as exc:
        raise _Unreadable(f"it is {exc.strerror}") from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links
        raise _Unreadable(getattr(exc, "strerror", None) or str(exc)) from None
    inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip
    try:
        text = inflate.decompress(data, MAX_TEXT_BYTES + 1)
    except zlib.error as exc:
        raise _Unreadable(f"not gzip: {exc}") from None
    if len(text) > MAX_TEXT_BYTES or inflate.unconsumed_tail:
        raise _Unreadable(f"it holds more than {size_text(MAX_TEXT_BYTES)}")
    if not inflate.eof:
        raise _Unreadable("it is cut short")
    return text


def _stored(data: bytes) -> dict:
    """The store's fields, by the fingerprint each is stored under, as its bytes say."""
    try:
        stored = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _Unreadable(f"not its JSON: {type(exc).__name__}") from None
    if type(stored) is not dict or stored.get("version") != VERSION:
        version = stored.get("version") if type(stored) is dict else None
        raise _Unreadable(f"unsupported version {version!r}")
    fields = stored.get("fields")
    if type(fields) is not dict:
        raise _Unreadable("it has no fields")
    return fields


def referenced(locks: Iterable[Lock]) -> set[str]:
    """The field fingerprints `locks` reference (entries and tombstones)."""
    out: set[str] = set()
    for lock in locks:
        for entry in (*lock.entries, *(t.entry for t in lock.removed)):
            if entry.field_prints:
                out.update(entry.field_prints)
    return out


def write_with_locks(
    locks: dict[Path, Lock], seen: dict[str, str], stores: dict[Path, BaseStore] | None = None
) -> list[Diagnostic]:
    """Write each lock of `locks` (`pipeline.write_locks`), its store first (`save`); what went
    wrong. `stores`: those this run read already, by content folder (each warns once)."""
    from cardsmith.build.pipeline import write_locks

    stores = {} if stores is None else stores
    said = []
    for lock in locks.values():
        root = lock.path.parent
        store = stores.get(root) or BaseStore.load(root)
        said.extend(save(lock, seen, store))
    return said + write_locks(locks)


def save(lock: Lock, seen: dict[str, str], store: BaseStore) -> list[Diagnostic]:
    """Write `store` (beside `lock`, before it is written) with the fields it and the lock now on
    disk reference: from `seen` (fingerprint -> a field's HTML, read from the collection in this run)
    or the store as it was. Nothing is written when that is what the store holds."""
    from cardsmith.output import write_atomic

    root = lock.path.parent
    said = [w for w in (store.warning(),) if w is not None]
    on_disk = _on_disk(root)
    wanted = referenced([lock, *([on_disk] if on_disk is not None else [])])
    texts = {key: seen.get(key, store.texts.get(key)) for key in sorted(wanted)}
    texts = {key: text for key, text in texts.items() if text is not None}
    if store.problem is None and texts == store.texts:
        return said  # as it is (or, with nothing to keep, not there)
    payload = json.dumps({"version": VERSION, "fields": texts}, ensure_ascii=False, indent=0)
    try:
        write_atomic(store.path, gzip.compress(payload.encode("utf-8"), compresslevel=6, mtime=0))
    except OSError as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        message = f"cannot write the base store: {reason}; {_FALLBACK}"
        said.append(Diagnostic(Source(store.path, 0), Severity.WARNING, message))
    return said


def _on_disk(root: Path) -> Lock | None:
    from cardsmith.errors import ContentError

    if not (root / LOCK_NAME).exists():
        return None
    try:
        return Lock.load(root)
    except ContentError:
        return None
