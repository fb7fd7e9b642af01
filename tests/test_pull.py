"""`cardsmith pull`: edits made in a real Anki collection (the `anki` engine, `col.update_note` as a
phone's editor would) come back into the Markdown as the smallest change of its file."""

from __future__ import annotations

import difflib

import pytest
from anki.collection import Collection
from click.testing import CliRunner

from cardsmith.cli.commands import main

from support.inputs import write

BANK = """\
---
title: Capitals
tags: [geo]
---

# Capitals

## Europe

### 1. What is the capital of France?
Paris is the capitol of *France*, on the Seine.

- the Louvre
- the Eiffel tower

### 2. How is a list sorted in Python?
Call `sorted`:

```python
names = ["b", "a"]
print(sorted(names))
```

## Asia

### 3. What is the capital of Japan?
Tokyo, since 1868.
"""


@pytest.fixture
def collection_path(tmp_path):
    path = tmp_path / "profile" / "collection.anki2"
    path.parent.mkdir()
    Collection(str(path)).close()
    return path


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def synced(content, collection_path, text: str = BANK, name: str = "capitals.md"):
    path = write(content, name, text)
    done = run("sync", collection_path, content)
    assert done.exit_code == 0, done.output
    return path


def edit(collection_path, prompt: str, change) -> None:
    """Edit the note asking `prompt` as Anki's editor would: `change(fields)` on its fields."""
    col = Collection(str(collection_path))
    try:
        [nid] = col.find_notes(f'"Question:*{prompt}*"')
        note = col.get_note(nid)
        fields = list(note.fields)
        change(fields)
        for index, value in enumerate(fields):
            note.fields[index] = value
        col.update_note(note)
    finally:
        col.close()


def diff(before: str, after: str) -> list[str]:
    """The changed lines, as `-old` and `+new`."""
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def fields_of(collection_path, prompt: str) -> list[str]:
    col = Collection(str(collection_path))
    try:
        [nid] = col.find_notes(f'"Question:*{prompt}*"')
        return list(col.get_note(nid).fields)
    finally:
        col.close()


def test_a_typo_fixed_in_anki_is_a_one_word_diff(content, collection_path):
    path = synced(content, collection_path)
    edit(
        collection_path,
        "capital of France",
        lambda f: f.__setitem__(1, f[1].replace("capitol", "capital")),
    )
    done = run("pull", collection_path, content)
    assert done.exit_code == 0, done.output
    assert "pulled 1 question into 1 file" in done.output
    after = path.read_text(encoding="utf-8")
    assert diff(BANK, after) == [
        "-Paris is the capitol of *France*, on the Seine.",
        "+Paris is the capital of *France*, on the Seine.",
    ]
    again = run("pull", collection_path, content)
    assert "pulled 0 questions" in again.output, again.output
    synced_again = run("sync", collection_path, content)
    assert "add 0, update 0" in synced_again.output, synced_again.output


def _replace(index: int, old: str, new: str):
    def change(fields):
        assert old in fields[index], fields[index]
        fields[index] = fields[index].replace(old, new, 1)

    return change


# each edit made in Anki, and the exact change of the Markdown it must give
CASES = {
    "reworded prompt": (
        "capital of Japan",
        _replace(0, "What is the capital of Japan?", "Which city is the capital of Japan?"),
        ["-### 3. What is the capital of Japan?", "+### 3. Which city is the capital of Japan?"],
    ),
    "new bullet": (
        "capital of France",
        _replace(1, "<li>the Eiffel tower</li>", "<li>the Eiffel tower</li><li>Notre-Dame</li>"),
        ["+- Notre-Dame"],
    ),
    "bold and a link": (
        "capital of Japan",
        _replace(
            1, "Tokyo, since 1868.", '<b>Tokyo</b>, since <a href="https://e.org/1868">1868</a>.'
        ),
        ["-Tokyo, since 1868.", "+**Tokyo**, since [1868](https://e.org/1868)."],
    ),
    "a line inside a code block": (
        "list sorted",
        _replace(1, '<span class="s">"b"</span>', '<span class="s">"c"</span>'),
        ['-names = ["b", "a"]', '+names = ["c", "a"]'],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_an_anki_edit_comes_back_as_exactly_that_edit(content, collection_path, case):
    prompt, change, expected = CASES[case]
    path = synced(content, collection_path)
    edit(collection_path, prompt, change)
    edited = fields_of(collection_path, prompt)
    done = run("pull", collection_path, content)
    assert done.exit_code == 0, done.output
    assert "pulled 1 question into 1 file" in done.output, done.output
    assert diff(BANK, path.read_text(encoding="utf-8")) == expected
    # the round trip is stable: a second pull changes nothing, a sync sends nothing back, and a
    # rebuilt note shows what the user wrote
    assert "pulled 0 questions" in run("pull", collection_path, content).output
    assert "add 0, update 0" in run("sync", collection_path, content).output
    from cardsmith.collection.field_html import field_key

    assert [field_key(f) for f in fields_of(collection_path, prompt)[:2]] == [
        field_key(f) for f in edited[:2]
    ]


def test_a_question_edited_on_both_sides_is_a_conflict_until_prefer_settles_it(
    content, collection_path
):
    path = synced(content, collection_path)
    edit(collection_path, "capital of Japan", _replace(1, "since 1868", "since 1869"))
    ours = BANK.replace("Tokyo, since 1868.", "Tokyo, the capital since 1868.")
    path.write_text(ours, encoding="utf-8")
    done = run("pull", collection_path, content)
    assert done.exit_code == 1
    assert (
        "capitals.md:26: error: edited in the Markdown and in Anki since the last sync"
        in done.output
    )
    assert "-Tokyo, the capital since 1868.\n+Tokyo, since 1869.\n" in done.output
    assert "1 in conflict" in done.output
    assert path.read_text(encoding="utf-8") == ours  # neither side is overwritten
    refused = run("sync", collection_path, content)
    assert refused.exit_code == 1 and "not changed" in refused.output
    assert "Tokyo, since 1869." in fields_of(collection_path, "capital of Japan")[1]

    kept = run("pull", collection_path, content, "--prefer", "markdown")
    assert kept.exit_code == 0, kept.output
    assert path.read_text(encoding="utf-8") == ours
    pushed = run("sync", collection_path, content)
    assert pushed.exit_code == 0 and "update 1" in pushed.output, pushed.output
    assert "the capital since 1868" in fields_of(collection_path, "capital of Japan")[1]


def test_prefer_anki_writes_the_anki_side_into_the_markdown(content, collection_path):
    path = synced(content, collection_path)
    edit(collection_path, "capital of Japan", _replace(1, "since 1868", "since 1869"))
    path.write_text(BANK.replace("Tokyo, since 1868.", "Tokyo, since 1870."), encoding="utf-8")
    done = run("pull", collection_path, content, "--prefer", "anki")
    assert done.exit_code == 0, done.output
    assert path.read_text(encoding="utf-8") == BANK.replace("1868", "1869")
    assert "add 0, update 0" in run("sync", collection_path, content).output


def test_a_dry_run_prints_the_diff_and_writes_nothing(content, collection_path):
    from cardsmith.identity import LOCK_NAME

    path = synced(content, collection_path)
    lock = (content / LOCK_NAME).read_bytes()
    edit(collection_path, "capital of France", _replace(1, "capitol", "capital"))
    done = run("pull", collection_path, content, "--dry-run")
    assert done.exit_code == 0, done.output
    assert f"--- a/{path}\n+++ b/{path}\n" in done.output
    assert "-Paris is the capitol of *France*, on the Seine.\n" in done.output
    assert "+Paris is the capital of *France*, on the Seine.\n" in done.output
    assert "would pull 1 question into 1 file" in done.output
    assert path.read_text(encoding="utf-8") == BANK
    assert (content / LOCK_NAME).read_bytes() == lock


def test_a_file_changed_on_disk_meanwhile_is_refused(content, collection_path, monkeypatch):
    from cardsmith.collection import pull

    path = synced(content, collection_path)
    edit(collection_path, "capital of France", _replace(1, "capitol", "capital"))
    real = pull._file

    def meanwhile(*args, **kwargs):  # the user saves the file while the pull works
        changed = real(*args, **kwargs)
        path.write_text(BANK + "\n", encoding="utf-8")
        return changed

    monkeypatch.setattr(pull, "_file", meanwhile)
    done = run("pull", collection_path, content)
    assert done.exit_code == 1
    assert f"{path}: error: changed on disk since the pull read it" in done.output
    assert path.read_text(encoding="utf-8") == BANK + "\n"
    monkeypatch.undo()
    again = run("pull", collection_path, content)  # the edit is still there to pull
    assert "pulled 1 question" in again.output, again.output


def test_bom_crlf_and_every_other_byte_stay(content, collection_path):
    data = b"\xef\xbb\xbf" + BANK.replace("\n", "\r\n").encode("utf-8")
    path = content / "capitals.md"
    path.write_bytes(data)
    assert run("sync", collection_path, content).exit_code == 0
    edit(
        collection_path,
        "capital of France",
        _replace(1, "<li>the Louvre</li>", "<li>the Louvre</li><li>Orsay</li>"),
    )
    edit(collection_path, "capital of Japan", _replace(1, "Tokyo", "Tōkyō"))
    done = run("pull", collection_path, content)
    assert done.exit_code == 0, done.output
    expected = b"\xef\xbb\xbf" + (
        BANK.replace("- the Louvre\n", "- the Louvre\n- Orsay\n").replace("Tokyo", "Tōkyō")
    ).replace("\n", "\r\n").encode("utf-8")
    assert path.read_bytes() == expected


def test_the_review_history_is_untouched(content, collection_path):
    synced(content, collection_path)
    col = Collection(str(collection_path))
    try:
        [card_id] = col.find_cards('"Question:*capital of France*"')
        card = col.get_card(card_id)
        card.start_timer()
        states = col._backend.get_scheduling_states(card.id)
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=3))
        reviews = col.db.all("SELECT * FROM revlog")
        due = col.get_card(card_id).due
    finally:
        col.close()
    edit(collection_path, "capital of France", _replace(1, "capitol", "capital"))
    assert run("pull", collection_path, content).exit_code == 0
    assert run("sync", collection_path, content).exit_code == 0
    col = Collection(str(collection_path))
    try:
        assert col.db.all("SELECT * FROM revlog") == reviews
        assert col.get_card(card_id).due == due
    finally:
        col.close()


def test_sync_pulls_first(content, collection_path):
    path = synced(content, collection_path)
    edit(collection_path, "capital of France", _replace(1, "capitol", "capital"))
    path.write_text(BANK.replace("Tokyo,", "Tokyo (東京),"), encoding="utf-8")
    done = run("sync", collection_path, content)
    assert done.exit_code == 0, done.output
    assert "pulled 1 question into 1 file" in done.output
    assert "add 0, update 1" in done.output
    text = path.read_text(encoding="utf-8")
    assert "capital of *France*" in text and "Tokyo (東京)," in text
    assert "add 0, update 0" in run("sync", collection_path, content).output


def test_an_edit_markdown_cannot_say_is_reported_not_half_applied(content, collection_path):
    path = synced(content, collection_path)

    def change(fields):  # a fix that lands, and a table the Markdown around it cannot take
        fields[1] = (
            fields[1]
            .replace("capitol", "capital")
            .replace("<li>the Louvre</li>", "<li><table><tr><td>the Louvre</td></tr></table></li>")
        )

    edit(collection_path, "capital of France", change)
    done = run("pull", collection_path, content)
    assert "cannot be written back as Markdown" in done.output, done.output
    assert path.read_text(encoding="utf-8") == BANK
