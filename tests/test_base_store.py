"""The base store (`collection.base_store`): whatever is in `cardsmith.base.gz`, reading it is a
store or a reason, never a traceback, and a text is used only under its own fingerprint. (A conflict
shown against it, with the real Anki engine: tests/test_pull.py.)"""

from __future__ import annotations

import gzip
import json
import os

import pytest

from cardsmith.collection import base_store
from cardsmith.collection.base_store import STORE_NAME, BaseStore
from cardsmith.collection.field_html import fingerprint
from cardsmith.identity import Lock
from cardsmith.identity.lockfile import Entry

QUESTION, ANSWER = "What is it?", "<p>It is <b>this</b>.</p>"
PRINTS = (fingerprint(QUESTION), fingerprint(ANSWER))


def _packed(value) -> bytes:
    return gzip.compress(json.dumps(value).encode("utf-8"))


GOOD = {"version": 1, "fields": {PRINTS[0]: QUESTION, PRINTS[1]: ANSWER}}


def test_a_store_gives_the_fields_by_their_fingerprints(content):
    (content / STORE_NAME).write_bytes(_packed(GOOD))
    store = BaseStore.load(content)
    assert store.problem is None and store.warning() is None
    assert store.fields(PRINTS) == (QUESTION, ANSWER)
    assert store.fields((PRINTS[0], "0" * 16)) is None and store.fields(None) is None


def test_no_store_is_no_base_and_no_warning(content):
    store = BaseStore.load(content)
    assert store.fields(PRINTS) is None and store.warning() is None


def _bomb(content, monkeypatch):
    monkeypatch.setattr(base_store, "MAX_TEXT_BYTES", 1 << 16)
    return gzip.compress(b" " * (1 << 20))


def _outside(content, monkeypatch):
    outside = content.parent / "elsewhere.gz"
    outside.write_bytes(_packed(GOOD))
    (content / STORE_NAME).symlink_to(outside)


def _folder(content, monkeypatch):
    (content / STORE_NAME).mkdir()


def _fifo(content, monkeypatch):
    os.mkfifo(content / STORE_NAME)


def _deep(content, monkeypatch):
    return gzip.compress(b'{"version": 1, "fields": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")


DAMAGED = {
    "truncated": (lambda c, m: _packed(GOOD)[:30], "cannot be read (it is cut short)"),
    "not gzip": (lambda c, m: b"hello", "cannot be read (not gzip"),
    "empty": (lambda c, m: b"", "cannot be read (it is cut short)"),
    "not UTF-8": (lambda c, m: gzip.compress(b"\xff\xfe"), "cannot be read (not its JSON"),
    "not JSON": (lambda c, m: gzip.compress(b"{"), "cannot be read (not its JSON"),
    "nested too deeply": (_deep, "cannot be read ("),
    "a list": (lambda c, m: _packed([1]), "cannot be read (unsupported version None)"),
    "version 2": (lambda c, m: _packed({**GOOD, "version": 2}), "unsupported version 2"),
    "no fields": (lambda c, m: _packed({"version": 1}), "cannot be read (it has no fields)"),
    "a gzip bomb": (_bomb, "cannot be read (it holds more than 64 KiB)"),
    "a folder": (_folder, "cannot be read (not a regular file)"),
    "a FIFO": (_fifo, "cannot be read (not a regular file)"),
    "a link out of the content folder": (_outside, "it links out of the content folder"),
    "a text changed under its name": (
        lambda c, m: _packed(
            {"version": 1, "fields": {PRINTS[0]: QUESTION, PRINTS[1]: "<p>x</p>"}}
        ),
        f"holds a text that is not the field its fingerprint {PRINTS[1]} names",
    ),
    "a number for a text": (
        lambda c, m: _packed({"version": 1, "fields": {PRINTS[0]: QUESTION, PRINTS[1]: 7}}),
        "holds 1 entry that is no field text: left out",
    ),
    "a name that is no fingerprint": (
        lambda c, m: _packed({"version": 1, "fields": {PRINTS[0]: QUESTION, "../x": ANSWER}}),
        "holds 1 entry that is no field text: left out",
    ),
}


@pytest.mark.parametrize("kind", DAMAGED)
def test_a_damaged_or_hostile_store_is_a_reason_never_a_traceback_or_a_wrong_base(
    content, monkeypatch, kind
):
    make, reason = DAMAGED[kind]
    data = make(content, monkeypatch)
    if data is not None:
        (content / STORE_NAME).write_bytes(data)
    store = BaseStore.load(content)
    assert store.fields(PRINTS) is None
    warning = store.warning()
    assert warning is not None and reason in warning.message, warning
    assert str(warning).startswith(f"{content / STORE_NAME}: warning: the base store ")
    assert warning.message.endswith("else as Markdown against Anki")
    assert store.warning() is None  # said once
    assert store.fields(PRINTS) is None
    if kind.startswith(("a text", "a number", "a name")):
        assert store.texts == {PRINTS[0]: QUESTION}  # what is sound stays usable


def _lock(content, *prints: tuple[str, str]) -> Lock:
    entries = [
        Entry(f"q{n}", f"g{n}", "a.md", "", "?", "0" * 16, "0" * 16, "0" * 16, 1, "", ",".join(p))
        for n, p in enumerate(prints)
    ]
    return Lock(content / "cardsmith.lock", entries)


def test_a_store_keeps_what_the_new_lock_and_the_lock_on_disk_reference_and_no_more(content):
    other = "<p>Another answer.</p>"
    seen = {PRINTS[0]: QUESTION, PRINTS[1]: ANSWER, fingerprint(other): other}
    old = _lock(content, PRINTS)
    assert base_store.write_with_locks({content: old}, seen) == []
    assert BaseStore.load(content).texts == {PRINTS[0]: QUESTION, PRINTS[1]: ANSWER}
    new = _lock(content, (PRINTS[0], fingerprint(other)))
    assert base_store.write_with_locks({content: new}, seen) == []
    assert set(BaseStore.load(content).texts) == {*PRINTS, fingerprint(other)}
    base_store.write_with_locks({content: new}, {})  # the old lock is gone from disk: pruned
    assert BaseStore.load(content).texts == {PRINTS[0]: QUESTION, fingerprint(other): other}


def test_a_store_that_cannot_be_written_is_a_warning(content):
    (content / STORE_NAME).mkdir()
    (content / STORE_NAME / "x").write_text("keep", encoding="utf-8")
    said = base_store.write_with_locks(
        {content: _lock(content, PRINTS)}, dict(zip(PRINTS, (QUESTION, ANSWER), strict=True))
    )
    messages = [str(d) for d in said]
    assert any("warning: cannot write the base store" in m for m in messages), messages
    assert (content / "cardsmith.lock").is_file()  # the lock is written all the same


def test_nothing_to_keep_writes_no_store(content):
    base_store.write_with_locks({content: _lock(content)}, {})
    assert not (content / STORE_NAME).exists()
