"""A sync or pull that finds nothing changed reads no field's HTML (issue #28, #29): the lock keeps,
beside each field's fingerprint (what it shows), a hash of its bytes (`Entry.raw`), and a field whose
bytes are those is not read again. Counted, not timed: the calls that read a field's HTML for its
key (`field_html._tokens`, under every `fingerprint` and `field_key`)."""

from __future__ import annotations

import json

import pytest
from anki.collection import Collection
from click.testing import CliRunner

from cardsmith.cli.commands import main
from cardsmith.collection import field_html
from cardsmith.identity import LOCK_NAME

from support.inputs import write

ANSWERS = (
    "Plain words, *emphasis* and **bold**.",
    "- one\n- two `code`\n  - nested",
    "```python\nprint('x')\nif a < b:\n    pass\n```",
    "| a | b |\n|---|---|\n| 1 | <2 |",
    "1. first\n2. second\n\n> quoted & escaped",
    "A line  \nbroken, and a [link](https://example.org).",
)


def _bank(questions: int) -> str:
    lines = ["# Bank", ""]
    for number in range(questions):
        if number % 4 == 0:
            lines += [f"## Part {number // 4 + 1}", ""]
        lines += [f"### {number + 1}. Question {number} of the bank?", ANSWERS[number % 6], ""]
    return "\n".join(lines)


QUESTIONS = 18


@pytest.fixture
def synced(content, tmp_path):
    write(content, "bank.md", _bank(QUESTIONS))
    collection = tmp_path / "profile" / "collection.anki2"
    collection.parent.mkdir()
    Collection(str(collection)).close()
    done = _run("sync", collection, content)
    assert done.exit_code == 0, done.output
    assert f"add {QUESTIONS}," in done.output
    return collection


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def reads(monkeypatch):
    """How many times a field's HTML was read for its key, since the count was last emptied."""
    counted: list[str] = []
    tokens = field_html._tokens

    def counting(html: str):
        counted.append(html)
        return tokens(html)

    monkeypatch.setattr(field_html, "_tokens", counting)
    return counted


def _lock(content):
    return json.loads((content / LOCK_NAME).read_text(encoding="utf-8"))["questions"]


def test_a_sync_and_a_pull_with_nothing_changed_read_no_field(synced, content, reads):
    assert all(len(e["raw"]) == 33 for e in _lock(content))
    lock = (content / LOCK_NAME).read_bytes()
    done = _run("sync", synced, content)
    assert done.exit_code == 0, done.output
    assert "add 0, update 0, move 0, delete 0" in done.output
    assert reads == []
    done = _run("pull", synced, content)
    assert done.exit_code == 0, done.output
    assert reads == []
    assert (content / LOCK_NAME).read_bytes() == lock


def _edit(collection, number: int, change) -> None:
    col = Collection(str(collection))
    try:
        [nid] = col.find_notes(f'"Question:*Question {number} of*"')
        note = col.get_note(nid)
        note.fields[1] = change(note.fields[1])
        col.update_note(note)
    finally:
        col.close()


def test_a_field_whose_bytes_changed_is_read_and_an_edit_still_comes_back(synced, content, reads):
    _edit(synced, 0, lambda html: html.replace("Plain words", "Plain word"))
    done = _run("pull", synced, content)
    assert done.exit_code == 0, done.output
    assert "Plain word, *emphasis*" in (content / "bank.md").read_text(encoding="utf-8")
    # the edited note's fields, and no other note's
    assert reads and all("Plain word" in html or "Question 0 " in html for html in reads)
    reads.clear()
    done = _run("sync", synced, content)
    assert done.exit_code == 0, done.output
    assert reads == []


def test_bytes_an_editor_rewrote_showing_the_same_are_read_once(synced, content, reads):
    """`<strong>` saved as `<b>` by Anki's editor: not an edit, found so by reading the field; the
    lock then keeps the new bytes, so the next sync does not read it again."""
    _edit(synced, 6, lambda html: html.replace("<strong>", "<b>").replace("</strong>", "</b>"))
    done = _run("sync", synced, content)
    assert done.exit_code == 0, done.output
    assert "add 0, update 0, move 0, delete 0" in done.output
    assert reads and all("Question 6 " in html or "<b>bold</b>" in html for html in reads)
    reads.clear()
    assert _run("sync", synced, content).exit_code == 0
    assert _run("pull", synced, content).exit_code == 0
    assert reads == []


def test_a_lock_without_raw_still_reads_and_gains_it(synced, content, reads):
    path = content / LOCK_NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    prints = [e["fields"] for e in data["questions"]]
    for entry in data["questions"]:
        del entry["raw"]
    path.write_text(json.dumps(data), encoding="utf-8")
    done = _run("pull", synced, content)  # fields without raw: every field read, as before
    assert done.exit_code == 0, done.output
    assert len(reads) == 2 * QUESTIONS
    reads.clear()
    done = _run("sync", synced, content)  # its pull reads them, then its record of the collection
    assert done.exit_code == 0, done.output
    assert len(reads) == 4 * QUESTIONS
    assert [e["fields"] for e in _lock(content)] == prints
    assert all(len(e["raw"]) == 33 for e in _lock(content))
    reads.clear()
    assert _run("sync", synced, content).exit_code == 0
    assert reads == []


def test_a_raw_hash_that_names_other_bytes_makes_the_field_read(synced, content, reads):
    """A lock's `raw` is only a shortcut: when it does not match, the field is read and compared by
    what it shows, so a hand-edited or stale `raw` never hides an Anki edit."""
    path = content / LOCK_NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["questions"]:
        entry["raw"] = "0" * 16 + "," + "0" * 16
    path.write_text(json.dumps(data), encoding="utf-8")
    _edit(synced, 1, lambda html: html.replace("one", "uno"))
    done = _run("pull", synced, content)
    assert done.exit_code == 0, done.output
    assert "- uno" in (content / "bank.md").read_text(encoding="utf-8")
    assert len(reads) >= 2 * QUESTIONS


@pytest.fixture
def decks_read(monkeypatch):
    """The decks read (`pipeline.parse_deck`, in this process: `-j 1`), by file name."""
    from cardsmith.build import pipeline

    counted: list[str] = []
    parse = pipeline.parse_deck

    def counting(file, *args):
        counted.append(file[0].name)
        return parse(file, *args)

    monkeypatch.setattr(pipeline, "parse_deck", counting)
    return counted


def test_a_sync_whose_pull_wrote_nothing_reads_each_deck_once(synced, content, decks_read):
    """Its pull reads the decks; when it writes nothing (no Markdown, no lock) the sync goes on with
    that reading. When the pull writes, the decks are read again, and what was pulled is not sent."""
    write(content, "more.md", "# More\n\n### What is more?\nMore.\n")
    assert _run("sync", synced, content, "-j", "1").exit_code == 0
    decks_read.clear()
    lock = (content / LOCK_NAME).read_bytes()
    for flags in ((), ("--dry-run",)):
        done = _run("sync", synced, content, "-j", "1", *flags)
        assert done.exit_code == 0, done.output
        assert "add 0, would update 0" in done.output or "add 0, update 0" in done.output
        assert sorted(decks_read) == ["bank.md", "more.md"], flags
        assert (content / LOCK_NAME).read_bytes() == lock
        decks_read.clear()
    _edit(synced, 2, lambda html: html.replace("print", "show"))
    done = _run("sync", synced, content, "-j", "1")
    assert done.exit_code == 0, done.output
    assert "add 0, update 0, move 0, delete 0" in done.output, done.output
    assert "show('x')" in (content / "bank.md").read_text(encoding="utf-8")
    # the pull's reading, its record's, the sync's
    assert sorted(decks_read) == ["bank.md"] * 3 + ["more.md"] * 3
    decks_read.clear()
    write(content, "more.md", "# More\n\n### What is more?\nMore and more.\n")
    done = _run("sync", synced, content, "-j", "1")
    assert done.exit_code == 0, done.output
    assert "add 0, update 1, move 0, delete 0" in done.output, done.output
    assert sorted(decks_read) == ["bank.md", "more.md"]
