"""`cardsmith pull`: edits made in a real Anki collection (the `anki` engine, `col.update_note` as a
phone's editor would) come back into the Markdown as the smallest change of its file."""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from anki.collection import Collection
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

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


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@dataclass
class Sides:
    """The two sides a pull brings level: a content folder (or a vault: `source`) and an Anki
    collection, opened with the real engine as Anki's editor would change it."""

    content: Path
    collection: Path
    scratch: Path
    source: Path

    def sync(self, *flags):
        return run("sync", self.collection, self.source, *flags)

    def pull(self, *flags):
        return run("pull", self.collection, self.source, *flags)

    def synced(self, text: str = BANK, name: str = "capitals.md") -> Path:
        """`text` written as `name` in `source`, and synced."""
        path = write(self.source, name, text)
        done = self.sync()
        assert done.exit_code == 0, done.output
        return path

    def imported(self, text: str | None = BANK, name: str = "capitals.md") -> Path:
        """`text` written (None: the file as it is), the deck built as a package and imported as
        File > Import does: no sync, so the lock has no record of the collection."""
        from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

        path = self.content / name
        if text is not None:
            write(self.content, name, text)
        out = self.scratch / "out"
        assert run("build", self.content, "-f", "apkg", "-o", out).exit_code == 0
        options = ImportAnkiPackageOptions(with_scheduling=False, merge_notetypes=True)
        request = ImportAnkiPackageRequest(
            package_path=str(out / f"{path.stem}.apkg"), options=options
        )
        with self.opened() as col:
            col.import_anki_package(request)
        return path

    @contextlib.contextmanager
    def opened(self) -> Iterator[Collection]:
        col = Collection(str(self.collection))
        try:
            yield col
        finally:
            col.close()

    def edit(self, prompt: str, change) -> None:
        """Edit the note asking `prompt` as Anki's editor would: `change(fields)` on its fields."""
        with self.opened() as col:
            [nid] = _found(col, prompt)
            note = col.get_note(nid)
            fields = list(note.fields)
            change(fields)
            for index, value in enumerate(fields):
                note.fields[index] = value
            col.update_note(note)

    def fields(self, prompt: str) -> list[str]:
        with self.opened() as col:
            [nid] = _found(col, prompt)
            return list(col.get_note(nid).fields)

    def delete(self, prompt: str) -> None:
        with self.opened() as col:
            col.remove_notes(col.find_notes(f'"Question:*{prompt}*"'))

    def retag(self, prompt: str, add: str, remove: str | None = None) -> None:
        """Tag the note asking `prompt` in Anki's browser: `add` added, `remove` taken off."""
        with self.opened() as col:
            [nid] = _found(col, prompt)
            note = col.get_note(nid)
            note.add_tag(add)
            if remove:
                note.remove_tag(remove)
            col.update_note(note)

    def add(self, deck: str, question: str, answer: str) -> None:
        """A note added in Anki to `deck`, in cardsmith's note type."""
        with self.opened() as col:
            note = col.new_note(col.models.by_name("cardsmith"))
            note["Question"] = question
            note["Answer"] = answer
            col.add_note(note, col.decks.id(deck))


def _found(col, prompt: str) -> list[int]:
    """The note whose question holds `prompt` (a cloze note's text, which has no Question)."""
    return col.find_notes(f'"Question:*{prompt}*"') or col.find_notes(f'"Text:*{prompt}*"')


@pytest.fixture
def sides(content, tmp_path) -> Sides:
    path = tmp_path / "profile" / "collection.anki2"
    path.parent.mkdir()
    Collection(str(path)).close()
    return Sides(content, path, tmp_path, content)


def diff(before: str, after: str) -> list[str]:
    """The changed lines, as `-old` and `+new`."""
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_a_typo_fixed_in_anki_is_a_one_word_diff(sides):
    path = sides.synced()
    sides.edit(
        "capital of France",
        lambda f: f.__setitem__(1, f[1].replace("capitol", "capital")),
    )
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert "pulled 1 question into 1 file" in done.output
    after = path.read_text(encoding="utf-8")
    assert diff(BANK, after) == [
        "-Paris is the capitol of *France*, on the Seine.",
        "+Paris is the capital of *France*, on the Seine.",
    ]
    again = sides.pull()
    assert "pulled 0 questions" in again.output, again.output
    synced_again = sides.sync()
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
def test_an_anki_edit_comes_back_as_exactly_that_edit(sides, case):
    prompt, change, expected = CASES[case]
    path = sides.synced()
    sides.edit(prompt, change)
    edited = sides.fields(prompt)
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert "pulled 1 question into 1 file" in done.output, done.output
    assert diff(BANK, path.read_text(encoding="utf-8")) == expected
    # the round trip is stable: a second pull changes nothing, a sync sends nothing back, and a
    # rebuilt note shows what the user wrote
    assert "pulled 0 questions" in sides.pull().output
    assert "add 0, update 0" in sides.sync().output
    from cardsmith.collection.field_html import field_key

    assert [field_key(f) for f in sides.fields(prompt)[:2]] == [field_key(f) for f in edited[:2]]


def test_a_question_edited_on_both_sides_is_a_conflict_until_prefer_settles_it(sides):
    path = sides.synced()
    sides.edit("capital of Japan", _replace(1, "since 1868", "since 1869"))
    ours = BANK.replace("Tokyo, since 1868.", "Tokyo, the capital since 1868.")
    path.write_text(ours, encoding="utf-8")
    done = sides.pull()
    assert done.exit_code == 1
    assert (
        "capitals.md:26: error: edited in the Markdown and in Anki since the last sync"
        in done.output
    )
    # each side against the base both started from, from the base store (no git here)
    where = f"{path}:26 (answer)"
    assert (
        f"--- base: {where}\n+++ markdown: {where}\n@@ -1 +1 @@\n"
        "-Tokyo, since 1868.\n+Tokyo, the capital since 1868.\n"
        f"--- base: {where}\n+++ anki: {where}\n@@ -1 +1 @@\n"
        "-Tokyo, since 1868.\n+Tokyo, since 1869.\n"
    ) in done.output
    assert "warning" not in done.output
    assert "1 in conflict" in done.output
    assert path.read_text(encoding="utf-8") == ours  # neither side is overwritten
    refused = sides.sync()
    assert refused.exit_code == 1 and "not changed" in refused.output
    assert "Tokyo, since 1869." in sides.fields("capital of Japan")[1]

    kept = sides.pull("--prefer", "markdown")
    assert kept.exit_code == 0, kept.output
    assert path.read_text(encoding="utf-8") == ours
    pushed = sides.sync()
    assert pushed.exit_code == 0 and "update 1" in pushed.output, pushed.output
    assert "the capital since 1868" in sides.fields("capital of Japan")[1]


def test_prefer_anki_writes_the_anki_side_into_the_markdown(sides):
    path = sides.synced()
    sides.edit("capital of Japan", _replace(1, "since 1868", "since 1869"))
    path.write_text(BANK.replace("Tokyo, since 1868.", "Tokyo, since 1870."), encoding="utf-8")
    done = sides.pull("--prefer", "anki")
    assert done.exit_code == 0, done.output
    assert path.read_text(encoding="utf-8") == BANK.replace("1868", "1869")
    assert "add 0, update 0" in sides.sync().output


def test_a_dry_run_prints_the_diff_and_writes_nothing(sides):
    from cardsmith.identity import LOCK_NAME

    path = sides.synced()
    lock = (sides.content / LOCK_NAME).read_bytes()
    sides.edit("capital of France", _replace(1, "capitol", "capital"))
    done = sides.pull("--dry-run")
    assert done.exit_code == 0, done.output
    assert f"--- a/{path}\n+++ b/{path}\n" in done.output
    assert "-Paris is the capitol of *France*, on the Seine.\n" in done.output
    assert "+Paris is the capital of *France*, on the Seine.\n" in done.output
    assert "would pull 1 question into 1 file" in done.output
    assert path.read_text(encoding="utf-8") == BANK
    assert (sides.content / LOCK_NAME).read_bytes() == lock


def test_a_file_changed_on_disk_meanwhile_is_refused(sides, monkeypatch):
    from cardsmith.collection import pull

    path = sides.synced()
    sides.edit("capital of France", _replace(1, "capitol", "capital"))
    real = pull._file

    def meanwhile(*args, **kwargs):  # the user saves the file while the pull works
        changed = real(*args, **kwargs)
        path.write_text(BANK + "\n", encoding="utf-8")
        return changed

    monkeypatch.setattr(pull, "_file", meanwhile)
    done = sides.pull()
    assert done.exit_code == 1
    assert f"{path}: error: changed on disk since the pull read it" in done.output
    assert path.read_text(encoding="utf-8") == BANK + "\n"
    monkeypatch.undo()
    again = sides.pull()  # the edit is still there to pull
    assert "pulled 1 question" in again.output, again.output


def test_bom_crlf_and_every_other_byte_stay(sides):
    data = b"\xef\xbb\xbf" + BANK.replace("\n", "\r\n").encode("utf-8")
    path = sides.content / "capitals.md"
    path.write_bytes(data)
    assert sides.sync().exit_code == 0
    sides.edit(
        "capital of France",
        _replace(1, "<li>the Louvre</li>", "<li>the Louvre</li><li>Orsay</li>"),
    )
    sides.edit("capital of Japan", _replace(1, "Tokyo", "Tōkyō"))
    done = sides.pull()
    assert done.exit_code == 0, done.output
    expected = b"\xef\xbb\xbf" + (
        BANK.replace("- the Louvre\n", "- the Louvre\n- Orsay\n").replace("Tokyo", "Tōkyō")
    ).replace("\n", "\r\n").encode("utf-8")
    assert path.read_bytes() == expected


def test_the_review_history_is_untouched(sides):
    sides.synced()
    with sides.opened() as col:
        [card_id] = col.find_cards('"Question:*capital of France*"')
        card = col.get_card(card_id)
        card.start_timer()
        states = col._backend.get_scheduling_states(card.id)
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=3))
        reviews = col.db.all("SELECT * FROM revlog")
        due = col.get_card(card_id).due
    sides.edit("capital of France", _replace(1, "capitol", "capital"))
    assert sides.pull().exit_code == 0
    assert sides.sync().exit_code == 0
    with sides.opened() as col:
        assert col.db.all("SELECT * FROM revlog") == reviews
        assert col.get_card(card_id).due == due


def test_sync_pulls_first(sides):
    path = sides.synced()
    sides.edit("capital of France", _replace(1, "capitol", "capital"))
    path.write_text(BANK.replace("Tokyo,", "Tokyo (東京),"), encoding="utf-8")
    done = sides.sync()
    assert done.exit_code == 0, done.output
    assert "pulled 1 question into 1 file" in done.output
    assert "add 0, update 1" in done.output
    text = path.read_text(encoding="utf-8")
    assert "capital of *France*" in text and "Tokyo (東京)," in text
    assert "add 0, update 0" in sides.sync().output


def test_an_edit_markdown_cannot_say_is_reported_not_half_applied(sides):
    path = sides.synced()

    def change(fields):  # a fix that lands, and a table the Markdown around it cannot take
        fields[1] = (
            fields[1]
            .replace("capitol", "capital")
            .replace("<li>the Louvre</li>", "<li><table><tr><td>the Louvre</td></tr></table></li>")
        )

    sides.edit("capital of France", change)
    done = sides.pull()
    assert "cannot be written back as Markdown" in done.output, done.output
    assert path.read_text(encoding="utf-8") == BANK


CLOZE = """\
# Biology

## Cells

### The {{c1::mitochondria}} is the powerhouse of the cell.
It makes ATP.
"""


def test_a_cloze_edit_keeps_cardsmith_cloze_syntax(sides):
    path = sides.synced(CLOZE, "biology.md")
    sides.edit("mitochondria", _replace(0, "of the cell", "of the {{c2::cell}}"))
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert diff(CLOZE, path.read_text(encoding="utf-8")) == [
        "-### The {{c1::mitochondria}} is the powerhouse of the cell.",
        "+### The {{c1::mitochondria}} is the powerhouse of the {{c2::cell}}.",
    ]
    edited = sides.fields("mitochondria")
    assert "add 0, update 0" in sides.sync().output
    assert "pulled 0 questions" in sides.pull().output
    with sides.opened() as col:  # the second deletion is a card of its own
        assert len(col.find_cards("mitochondria")) == 2
    assert sides.fields("mitochondria")[0] == edited[0]


def test_tags_and_moves_made_in_anki_are_listed(sides):
    sides.synced()
    sides.retag("capital of Japan", "review-me")
    with sides.opened() as col:
        [france] = col.find_cards('"Question:*capital of France*"')
        col.set_deck([france], col.decks.id("Capitals::Asia"))
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert (
        "capitals.md:26: warning: 'What is the capital of Japan?': tags changed in Anki (+review-me)"
        in done.output
    )
    assert (
        "capitals.md:10: warning: 'What is the capital of France?': moved in Anki to Capitals::Asia;"
        " its section here is Capitals::Europe"
    ) in done.output


def test_a_note_deleted_in_anki_is_listed_kept_out_of_sync_and_removed_with_delete(sides):
    path = sides.synced()
    sides.delete("capital of Japan")
    done = sides.pull()
    assert (
        "'What is the capital of Japan?': deleted in Anki (cardsmith pull --delete" in done.output
    )
    assert path.read_text(encoding="utf-8") == BANK
    synced_now = sides.sync()
    assert "add 0, update 0" in synced_now.output, synced_now.output  # not brought back
    removed = sides.pull("--delete")
    assert removed.exit_code == 0, removed.output
    assert path.read_text(encoding="utf-8") == BANK.replace(
        "### 3. What is the capital of Japan?\nTokyo, since 1868.\n", ""
    )
    last = sides.sync()
    assert last.exit_code == 0 and "add 0, update 0, move 0, delete 0" in last.output, last.output


def test_a_package_exported_from_a_phone_is_pulled_from(sides, tmp_path):
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    path = sides.synced()
    sides.edit("capital of France", _replace(1, "capitol", "capital"))
    exported = tmp_path / "phone.apkg"
    with sides.opened() as col:
        options = ExportAnkiPackageOptions(with_scheduling=True, with_media=True, legacy=False)
        limit = DeckIdLimit(deck_id=col.decks.id("Capitals"))
        col.export_anki_package(out_path=str(exported), options=options, limit=limit)
    done = run("pull", exported, sides.content)
    assert done.exit_code == 0, done.output
    assert diff(BANK, path.read_text(encoding="utf-8")) == [
        "-Paris is the capitol of *France*, on the Seine.",
        "+Paris is the capital of *France*, on the Seine.",
    ]
    assert exported.is_file()


def test_a_note_added_in_anki_is_appended_to_its_section(sides):
    path = sides.synced()
    sides.add("Capitals::Europe", "What is the capital of Spain?", "<b>Madrid</b>, since 1561.")
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert diff(BANK, path.read_text(encoding="utf-8")) == [
        "+### 4. What is the capital of Spain?",
        "+**Madrid**, since 1561.",
        "+",
    ]
    synced_now = sides.sync()
    assert "add 0, update 0" in synced_now.output, synced_now.output
    with sides.opened() as col:
        assert col.note_count() == 4
    assert "pulled 0 questions" in sides.pull().output


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_pasted_image_is_copied_into_the_image_folder_and_linked(sides, dry_run):
    path = sides.synced()
    media = sides.collection.parent / "collection.media"
    media.mkdir(exist_ok=True)
    (media / "paste-6b1f.png").write_bytes(PNG)
    sides.edit(
        "capital of Japan",
        lambda f: f.__setitem__(1, f[1] + '<img src="paste-6b1f.png">'),
    )
    done = sides.pull(*(["--dry-run"] if dry_run else []))
    assert done.exit_code == 0, done.output
    copy = sides.content / "images" / "paste-6b1f.png"
    if dry_run:
        assert f"would copy a pasted image to {copy}" in done.output
        assert "+![](images/paste-6b1f.png)\n" in done.output
        assert not (sides.content / "images").exists() and path.read_text(encoding="utf-8") == BANK
        return
    assert copy.read_bytes() == PNG
    assert diff(BANK, path.read_text(encoding="utf-8")) == ["+", "+![](images/paste-6b1f.png)"]
    assert "add 0, update 0" in sides.sync().output
    assert "pulled 0 questions" in sides.pull().output


VERBS = """\
#flashcards
hablar::to speek <!--SR:!2026-01-01,3,250-->
comer::to eat

The ==mitochondria== is the powerhouse of the cell.

Which verb means *to write*?
?
escribir
"""


def test_a_vault_note_takes_the_edit_in_the_plugin_syntax_review_comments_untouched(
    tmp_path, sides
):
    vault = sides.source = tmp_path / "Notes"
    (vault / ".obsidian").mkdir(parents=True)
    note = write(vault, "Spanish.md", VERBS)
    assert sides.sync().exit_code == 0

    def change(search: str, old: str, new: str, index: int) -> None:
        with sides.opened() as col:
            [nid] = col.find_notes(search)
            found = col.get_note(nid)
            assert old in found.fields[index], found.fields[index]
            found.fields[index] = found.fields[index].replace(old, new)
            col.update_note(found)

    change("hablar", "to speek", "to speak", 1)
    change("mitochondria", "of the cell", "of the {{c2::cell}}", 0)
    change("escribir", "escribir", "escribir (to write)", 1)
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert "pulled 3 questions into 1 file" in done.output
    assert diff(VERBS, note.read_text(encoding="utf-8")) == [
        "-hablar::to speek <!--SR:!2026-01-01,3,250-->",
        "+hablar::to speak <!--SR:!2026-01-01,3,250-->",
        "-The ==mitochondria== is the powerhouse of the cell.",
        "+The ==mitochondria== is the powerhouse of the ==cell==.",
        "-escribir",
        "+escribir (to write)",
    ]
    assert "add 0, update 0" in sides.sync().output


# --- the property: random small edits to random rendered fields ------------------------------

PROPERTY_BANK = """\
---
title: Mixed
---

# Mixed

## Prose

### 1. What does a **bold** word do in a sentence?
It stands out, as [a link](https://example.org) does; *emphasis* leans.
A second line of the same paragraph.

### 2. Which items are listed?
* alpha one
* beta two
  * nested gamma
* delta four

Then a closing sentence.

## Code

### 3. What does this print?
```python
total = sum([1, 2, 3])
print(total)
```

It prints `6`, the sum.

### 4. How is a table written?
| name | value |
|------|-------|
| width | 10 |

A table has a header row.

### 5. What is $x^2$ called?
The square of x; <kbd>Ctrl</kbd> plus <b>C</b> copies it.
> A quote, kept as written.
"""

# the other ways of writing questions: hidden answers, Q:/A:, bold list items, a quiz
OTHER_WAYS = """\
# Other ways

## Hidden

### What does ls -l show?
<details><summary>Answer</summary>

The **long** listing: mode, links, owner and size.

</details>

## Pairs

Q: What is a closure?
A: A function with the variables it *closes* over.

Q: What is hoisting?
A: Declarations moved to the top of their scope.

## Lists

1. **What is PEP 8?**
   The style guide for Python code, with naming rules.
2. **What is a docstring?**
   A string literal that documents a module or function.

## Quiz

### Which is a prime number?
- [ ] four
- [x] seven

Seven has no divisor but one and itself.
"""

_WORDS = ["river", "Zeta", "42", "naïve", "and", "über", "x"]


_TEXT = re.compile(r">([^<>]+)<")


def _edited(html: str, data) -> str | None:
    """`html` with one word of its text replaced, deleted or followed by another; None if it has
    no word."""
    spans = [
        (m.start(1) + w.start(), m.start(1) + w.end())
        for m in _TEXT.finditer(f">{html}<")
        for w in re.finditer(r"[A-Za-z]+", m.group(1))
    ]
    if not spans:
        return None
    start, end = data.draw(st.sampled_from(spans))
    start, end = start - 1, end - 1  # the > put in front
    how = data.draw(st.sampled_from(["replace", "delete", "insert"]))
    word = data.draw(st.sampled_from(_WORDS))
    if how == "replace":
        return html[:start] + word + html[end:]
    if how == "delete":
        return html[:start] + html[end:]
    return html[:end] + " " + word + html[end:]


@hsettings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), bank=st.sampled_from([PROPERTY_BANK, OTHER_WAYS]))
def test_random_small_edits_are_applied_or_reported_never_garbled(tmp_path_factory, data, bank):
    from cardsmith.collection import pull
    from cardsmith.collection.anki_file import Note
    from cardsmith.collection.field_html import field_key
    from cardsmith.errors import Report
    from cardsmith.exporters.anki_notes import card_fields
    from cardsmith.reading.bank import read_bank, read_text
    from cardsmith.render import Rendering, Target
    from cardsmith.settings import Settings

    folder = tmp_path_factory.mktemp("property")
    path = write(folder, "mixed.md", bank)
    deck = read_bank(path, folder, Report())
    rendering = Rendering.of(deck, Target.CARD)
    index = data.draw(st.integers(0, len(deck.questions) - 1))
    number = data.draw(st.integers(0, 1))
    ours = card_fields(deck.questions[index], rendering, deck.lang)
    edited_html = _edited(ours[number], data)
    if edited_html is None or field_key(edited_html) == field_key(ours[number]):
        event("no visible edit")
        return
    fields = list(ours)
    fields[number] = edited_html
    note = Note(1, "g", 2, tuple(fields), (), "cardsmith", frozenset())
    item = pull._Pending(deck, index, note, (number,))
    pulled = pull.Pulled()
    media = pull.Images(folder, dry_run=True)
    try:
        changed = pull._file(path, [item], Settings(), pulled, media)
    finally:
        media.done()
    event("reported" if changed is None else "applied")
    if changed is None:  # reported, and nothing of it written
        assert any("cannot be written back" in d.message for d in pulled.diagnostics)
        return
    after = changed.after.decode("utf-8")
    again = read_text(after, path, folder, Report())
    assert len(again.questions) == len(deck.questions)
    for position, (old, new) in enumerate(zip(deck.questions, again.questions, strict=True)):
        shown = card_fields(new, rendering, deck.lang)
        if position == index:
            assert field_key(shown[number]) == field_key(edited_html)
            assert shown[1 - number] == ours[1 - number]
        else:
            assert shown[:2] == card_fields(old, rendering, deck.lang)[:2]
    # every line outside the question's own lines is as it was
    lines, new_lines = bank.split("\n"), after.split("\n")
    first = deck.questions[index].source.line - 1
    assert new_lines[:first] == lines[:first]
    later = [q.source.line for q in deck.questions if q.source.line > first + 1]
    if later:
        tail = len(lines) - (later[0] - 1)
        assert new_lines[len(new_lines) - tail :] == lines[len(lines) - tail :]


def test_decks_only_imported_as_packages_are_pulled(sides):
    import time

    path = sides.imported()
    time.sleep(1.1)  # Anki keeps a note's change time in seconds: the edit is later
    sides.edit("capital of France", _replace(1, "capitol", "capital"))
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert diff(BANK, path.read_text(encoding="utf-8")) == [
        "-Paris is the capitol of *France*, on the Seine.",
        "+Paris is the capital of *France*, on the Seine.",
    ]
    assert "pulled 0 questions" in sides.pull().output


def test_the_same_fix_on_both_sides_is_no_conflict(sides):
    path = sides.synced()
    sides.edit("capital of France", _replace(1, "capitol", "capital"))
    path.write_text(BANK.replace("capitol", "capital"), encoding="utf-8")
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert "pulled 0 questions" in done.output
    assert "add 0, update 0" in sides.sync().output


STYLED = """\
# Style

### What does the author write?
An _emphasis_ and __strong__ words.

* first
* second

<kbd>Ctrl</kbd>+<kbd>C</kbd> copies, <span style="color: red">red</span> stays.
"""


def test_the_authors_markers_and_the_html_nh3_kept_stay(sides):
    path = sides.synced(STYLED, "style.md")

    def change(fields):
        fields[1] = (
            fields[1]
            .replace("<li>second</li>", "<li>second</li><li>third <b>bold</b> <i>it</i></li>")
            .replace("copies", "copies text")
        )

    sides.edit("author write", change)
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert diff(STYLED, path.read_text(encoding="utf-8")) == [
        "+* third __bold__ _it_",
        '-<kbd>Ctrl</kbd>+<kbd>C</kbd> copies, <span style="color: red">red</span> stays.',
        '+<kbd>Ctrl</kbd>+<kbd>C</kbd> copies text, <span style="color: red">red</span> stays.',
    ]


def test_tags_changed_in_anki_become_a_vault_cards_own_tags(tmp_path, sides):
    vault = sides.source = tmp_path / "Notes"
    (vault / ".obsidian").mkdir(parents=True)
    text = "#flashcards\nhablar::to speak #verbs <!--SR:!2026-01-01,3,250-->\ncomer::to eat\n"
    note = write(vault, "Spanish.md", text)
    assert sides.sync().exit_code == 0
    sides.retag("hablar", "irregular", "verbs")
    sides.retag("comer", "food")
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert diff(text, note.read_text(encoding="utf-8")) == [
        "-hablar::to speak #verbs <!--SR:!2026-01-01,3,250-->",
        "-comer::to eat",
        "+hablar::to speak #irregular <!--SR:!2026-01-01,3,250-->",
        "+comer::to eat #food",
    ]
    assert "add 0, update 0" in sides.sync().output
    assert "pulled 0 questions" in sides.pull().output


def test_a_dry_run_of_sync_shows_what_it_would_pull(sides):
    path = sides.synced()
    sides.edit("capital of France", _replace(1, "capitol", "capital"))
    done = sides.sync("--dry-run")
    assert done.exit_code == 0, done.output
    assert "+Paris is the capital of *France*, on the Seine.\n" in done.output
    assert "would pull 1 question into 1 file" in done.output
    assert path.read_text(encoding="utf-8") == BANK


def test_a_note_added_in_a_vaults_subdeck_is_a_new_card_after_its_last(tmp_path, sides):
    vault = sides.source = tmp_path / "Notes"
    (vault / ".obsidian").mkdir(parents=True)
    text = "#flashcards/spanish\nhablar::to speak\ncomer::to eat <!--SR:!2026-01-01,3,250-->\n\nMore notes.\n"
    note = write(vault, "Spanish.md", text)
    assert sides.sync().exit_code == 0
    sides.add("Notes::spanish", "vivir", "to live")
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert diff(text, note.read_text(encoding="utf-8")) == ["+vivir::to live"]
    assert note.read_text(encoding="utf-8").startswith(
        "#flashcards/spanish\nhablar::to speak\ncomer::to eat <!--SR:!2026-01-01,3,250-->\nvivir::to live\n"
    )
    assert "add 0, update 0" in sides.sync().output


def test_a_fix_in_chinese_rewrites_only_the_characters_that_changed():
    from cardsmith.collection.write_back import apply, edits

    text = "### 什么是闭包？\n闭包是一个函数和它的词法环境。\n"
    start = text.index("\n") + 1
    found = edits(
        "闭包是一个函数和它的词法环境。", "闭包是一个函数及其词法环境。", text, start, len(text)
    )
    assert [(text[e.start : e.end], e.new) for e in found] == [("和它的", "及其")]
    assert apply(text, found) == "### 什么是闭包？\n闭包是一个函数及其词法环境。\n"


@pytest.mark.parametrize("kind", ["missing", "not a package", "not a collection"])
def test_pull_refuses_what_it_cannot_read_without_a_traceback(content, tmp_path, kind):
    write(content, "capitals.md", BANK)
    path = tmp_path / ("phone.apkg" if kind == "not a package" else "c.anki2")
    if kind != "missing":
        path.write_text("hello", encoding="utf-8")
    done = run("pull", path, content)
    assert done.exit_code == 1
    assert done.output.startswith(f"{path}: error: "), done.output
    assert "Traceback" not in done.output


def test_a_line_break_inside_code_is_a_newline_to_the_field_key():
    from cardsmith.collection.field_html import field_key, fingerprint

    broken = "<pre><code>a = 1<br>b = 2</code></pre>"  # an editor's line break in code
    assert field_key(broken) == field_key("<pre><code>a = 1\nb = 2</code></pre>")
    assert fingerprint("&amp;<pre><code><br>") == fingerprint("&amp;<pre><code>\n</code></pre>")


_PIECES = [
    "<p>", "</p>", "<b>", "</b>", "<ul><li>", "</li></ul>", "<br>", "<div>", "</div>",
    '<img src="paste-1.png">', "<script>alert(1)</script>", "&amp;", "&lt;", "{{c1::", "}}",
    "```", "*", "_", "#", "\n", " ", "word", "ünï", "<table><tr><td>x</td></tr></table>",
    "<pre><code>", "</code></pre>", "$x$", "\\(", "\\)", "[", "](", ")", "<!--", "-->", "\r",
    "\x00", "\u200b",
]  # fmt: skip


@hsettings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    index=st.integers(0, 4),
    number=st.integers(0, 1),
    parts=st.lists(st.sampled_from(_PIECES), max_size=30),
    keep=st.booleans(),
)
def test_any_field_anki_may_hold_is_pulled_or_reported_never_a_traceback(
    tmp_path_factory, index, number, parts, keep
):
    from cardsmith.collection import pull
    from cardsmith.collection.anki_file import Note
    from cardsmith.errors import Report
    from cardsmith.exporters.anki_notes import card_fields
    from cardsmith.reading.bank import read_bank
    from cardsmith.render import Rendering, Target
    from cardsmith.settings import Settings

    folder = tmp_path_factory.mktemp("hostile")
    path = write(folder, "mixed.md", PROPERTY_BANK)
    deck = read_bank(path, folder, Report())
    ours = card_fields(deck.questions[index], Rendering.of(deck, Target.CARD), deck.lang)
    fields = list(ours)
    fields[number] = (ours[number] if keep else "") + "".join(parts)
    note = Note(1, "g", 2, tuple(fields), (), "cardsmith", frozenset())
    pulled = pull.Pulled()
    media = pull.Images(folder, dry_run=True)
    try:
        changed = pull._file(
            path, [pull._Pending(deck, index, note, (number,))], Settings(), pulled, media
        )
    finally:
        media.done()
    from cardsmith.collection.field_html import field_key

    shown_alike = field_key(fields[number], True) == field_key(ours[number], True)
    assert changed is not None or pulled.diagnostics or shown_alike
    assert path.read_text(encoding="utf-8") == PROPERTY_BANK


def _base_diffs(path, markdown: str, anki: str, old: str = "Tokyo, since 1868.") -> str:
    """What a conflict on Japan's answer prints: each side against the base."""
    where = f"{path}:26 (answer)"
    return (
        f"--- base: {where}\n+++ markdown: {where}\n@@ -1 +1 @@\n-{old}\n+{markdown}\n"
        f"--- base: {where}\n+++ anki: {where}\n@@ -1 +1 @@\n-{old}\n+{anki}\n"
    )


def _conflict_on_japan(
    sides, path, markdown="Tokyo, the capital since 1868.", anki=("1868", "1869")
):
    sides.edit("capital of Japan", _replace(1, *anki))
    path.write_text(BANK.replace("Tokyo, since 1868.", markdown), "utf-8")


def _damage_store(content, how: str) -> None:
    import gzip

    from cardsmith.collection.base_store import STORE_NAME

    store = content / STORE_NAME
    data = store.read_bytes()
    if how == "truncated":
        store.write_bytes(data[: len(data) // 2])
    elif how == "hostile":  # a text changed under its fingerprint: it would be a wrong base
        text = gzip.decompress(data).decode("utf-8")
        assert text.count("since 1868") == 1
        store.write_bytes(gzip.compress(text.replace("since 1868", "since 1066").encode()))


@pytest.mark.parametrize("how", ["truncated", "hostile"])
def test_a_damaged_base_store_is_a_warning_and_the_conflict_is_shown_side_to_side(sides, how):
    from cardsmith.collection.base_store import STORE_NAME

    path = sides.synced()
    _damage_store(sides.content, how)
    _conflict_on_japan(sides, path)
    done = sides.pull()
    assert done.exit_code == 1, done.output
    assert "Traceback" not in done.output
    reason = (
        "cannot be read (it is cut short)"
        if how == "truncated"
        else "holds a text that is not the field"
    )
    assert f"{sides.content / STORE_NAME}: warning: the base store {reason}" in done.output
    assert "--- base:" not in done.output
    assert "-Tokyo, the capital since 1868.\n+Tokyo, since 1869.\n" in done.output
    # settled, the next sync writes the store anew: the base is there again
    assert sides.pull("--prefer", "anki").exit_code == 0
    assert "warning" not in sides.sync().output
    _conflict_on_japan(sides, path, "Tokyo, the capital since 1869.", ("1869", "1870"))
    again = sides.pull()
    assert "warning" not in again.output
    now = "Tokyo, since 1869."
    assert _base_diffs(path, "Tokyo, the capital since 1869.", "Tokyo, since 1870.", now) in (
        again.output
    ), again.output


def test_a_conflict_is_shown_against_the_base_git_keeps_when_the_store_cannot_be(sides):
    import subprocess

    def git(*args):
        subprocess.run(["git", *args], cwd=sides.content, check=True, capture_output=True)

    git("init", "-q")
    path = sides.synced()
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@e.org", "commit", "-q", "-m", "synced")
    _damage_store(sides.content, "truncated")
    _conflict_on_japan(sides, path)
    done = sides.pull()
    assert done.exit_code == 1
    assert "warning: the base store cannot be read (it is cut short)" in done.output
    assert _base_diffs(path, "Tokyo, the capital since 1868.", "Tokyo, since 1869.") in done.output


def test_the_base_store_follows_the_lock_through_pulls_and_syncs(sides):
    import gzip
    import json

    from cardsmith.collection.base_store import STORE_NAME
    from cardsmith.identity import Lock

    def stored() -> set[str]:
        data = gzip.decompress((sides.content / STORE_NAME).read_bytes())
        return set(json.loads(data)["fields"])

    def referenced() -> set[str]:
        return {p for e in Lock.load(sides.content).entries for p in e.field_prints}

    path = sides.synced()
    first = referenced()
    assert stored() == first and len(first) == 6
    sides.edit("capital of France", _replace(1, "capitol", "capital"))
    assert "pulled 1 question" in sides.pull().output
    # the answer the lock on disk named until now is kept until the lock that names it is gone
    assert stored() == first | referenced() and len(stored()) == 7
    assert "add 0, update 0" in sides.sync().output
    assert stored() == referenced()
    kept = (sides.content / STORE_NAME).read_bytes()
    assert "add 0, update 0" in sides.sync().output
    assert (sides.content / STORE_NAME).read_bytes() == kept  # nothing new: not written again
    # a conflict after a pull and two syncs is still shown against the base, without git
    _conflict_on_japan(sides, path)
    done = sides.pull()
    assert done.exit_code == 1
    assert _base_diffs(path, "Tokyo, the capital since 1868.", "Tokyo, since 1869.") in done.output


def test_strict_makes_what_a_pull_lists_an_error(sides):
    sides.synced()
    sides.retag("capital of Japan", "review-me")
    assert sides.pull().exit_code == 0
    strict = sides.pull("--strict")
    assert strict.exit_code == 1
    assert "capitals.md:26: error: 'What is the capital of Japan?': tags changed" in strict.output


# tables as authors write them: pipes outside or not, aligned or not, any dash count, colons
TABLE_LAYOUTS = [
    "| type | mutable |\n|------|---------|\n| list | yes |\n| tuple | no |",
    "| type  | mutable |\n| ----- | ------- |\n| list  | yes     |\n| tuple | no      |",
    "type | mutable\n--- | ---\nlist | yes\ntuple | no",
    "| type | mutable |\n|:-----|--------:|\n| list | yes |\n| tuple | no |",
    "| type | mutable |\n| :---: | :-: |\n| list | yes |\n| tuple | no |",
    "|type|mutable|\n|-|-|\n|list|yes|\n|tuple|no|",
]
# a cell made wider, one made narrower, a header cell renamed
TABLE_EDITS = [
    (">no</td>", ">no (immutable)</td>", "no", "no (immutable)"),
    (">tuple</td>", ">t</td>", "tuple", "t"),
    (">mutable</th>", ">mutable in place</th>", "mutable", "mutable in place"),
]


def test_a_table_cell_edited_in_anki_changes_that_cell_not_the_delimiter_row(sides):
    cases = [(layout, change) for layout in TABLE_LAYOUTS for change in TABLE_EDITS]
    bank = "# Tables\n\n" + "".join(
        f"### {n}. Which types does table {n} compare?\n{layout}\n\n"
        for n, (layout, _) in enumerate(cases, 1)
    )
    path = sides.synced(bank, "tables.md")
    expected = bank
    for n, (layout, (old, new, md_old, md_new)) in enumerate(cases, 1):
        sides.edit(f"table {n} compare", _replace(1, old, new))
        line = next(x for x in layout.splitlines() if re.search(rf"\b{md_old}\b", x))
        edited = re.sub(rf"\b{md_old}\b( +(?=\|))?", rf"{md_new}\1", line, count=1)
        question = f"table {n} compare?\n{layout}"
        expected = expected.replace(question, question.replace(line, edited))
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert f"pulled {len(cases)} questions into 1 file" in done.output, done.output
    assert diff(bank, path.read_text(encoding="utf-8")) == diff(bank, expected)
    assert "pulled 0 questions" in sides.pull().output
    assert "add 0, update 0" in sides.sync().output


def _lock_times(content) -> dict[str, int]:
    import json

    lock = json.loads((content / "cardsmith.lock").read_text(encoding="utf-8"))
    return {entry["guid"]: entry["modified"] for entry in lock["questions"]}


def test_an_imported_note_keeps_the_packages_change_time(sides):
    # the rule of `pull.deleted_in_anki` rests on this: Anki keeps each note's `mod` from the package
    sides.imported()
    times = _lock_times(sides.content)
    with sides.opened() as col:
        held = dict(col.db.all("SELECT guid, mod FROM notes"))
    assert held == times and len(held) == 3


def test_a_note_deleted_after_an_import_without_sync_is_listed_and_removed_with_delete(sides):
    path = sides.imported()  # never synced: the lock has no `fields`
    sides.delete("capital of Japan")
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert (
        "'What is the capital of Japan?': deleted in Anki (cardsmith pull --delete" in done.output
    )
    assert "capital of France" not in done.output
    assert path.read_text(encoding="utf-8") == BANK
    removed = sides.pull("--delete")
    assert removed.exit_code == 0, removed.output
    assert path.read_text(encoding="utf-8") == BANK.replace(
        "### 3. What is the capital of Japan?\nTokyo, since 1868.\n", ""
    )


def test_a_sync_after_an_import_does_not_bring_a_deleted_note_back_until_it_is_edited(sides):
    path = sides.imported()
    sides.delete("capital of Japan")
    first = sides.sync()
    assert first.exit_code == 0, first.output
    assert "add 0, update 0" in first.output, first.output
    assert "capital of Japan?': deleted in Anki" in first.output
    again = sides.sync()
    assert "add 0, update 0" in again.output, again.output
    # the user's new content after the deletion is sent: a later change than any note Anki holds
    path.write_text(BANK.replace("Tokyo, since 1868.", "Tokyo, since 1869."), encoding="utf-8")
    edited = sides.sync()
    assert edited.exit_code == 0, edited.output
    assert "add 1, update 0" in edited.output, edited.output
    assert "deleted in Anki" not in edited.output
    assert sides.fields("capital of Japan")[1].startswith("<p>Tokyo, since 1869.")


def test_a_question_added_after_an_import_is_sent_not_taken_as_deleted(sides):
    # added in the same second as the package's notes were changed: it was in no package
    path = sides.imported()
    path.write_text(BANK + "\n### 4. What is the capital of Korea?\nSeoul.\n", encoding="utf-8")
    done = sides.sync()
    assert done.exit_code == 0, done.output
    assert "add 1, update 0" in done.output and "deleted in Anki" not in done.output, done.output


KOREA = "\n### 4. What is the capital of Korea?\nSeoul, since 1394.\n"


def _synced_then_imported_with_korea(sides):
    """A deck synced once (the lock has `fields`), then a question added in the Markdown, built and
    imported as a package on the phone's side: its entry has no `fields`, and it is the package's
    only new note."""
    import time

    path = sides.synced()
    time.sleep(1.1)  # Anki keeps change times in seconds: Korea is newer than every synced note
    path.write_text(BANK + KOREA, encoding="utf-8")
    sides.imported(None)
    assert "Seoul" in sides.fields("capital of Korea")[1]
    return path


def test_a_note_deleted_after_a_package_import_into_a_synced_deck_is_listed_not_re_added(sides):
    path = _synced_then_imported_with_korea(sides)
    sides.delete("capital of Korea")
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert "'What is the capital of Korea?': deleted in Anki (cardsmith pull --delete" in (
        done.output
    )
    assert "capital of Japan" not in done.output
    assert path.read_text(encoding="utf-8") == BANK + KOREA
    for _ in range(2):  # not brought back by a sync, nor by the next
        again = sides.sync()
        assert again.exit_code == 0 and "add 0, update 0" in again.output, again.output
        assert "capital of Korea?': deleted in Anki" in again.output
    removed = sides.pull("--delete")
    assert removed.exit_code == 0, removed.output
    assert path.read_text(encoding="utf-8") == BANK + "\n"
    last = sides.sync()
    assert "add 0, update 0, move 0, delete 0" in last.output, last.output
    with sides.opened() as col:
        assert col.note_count() == 3


def test_a_note_edited_after_a_package_import_into_a_synced_deck_is_pulled_back(sides):
    import time

    path = _synced_then_imported_with_korea(sides)
    time.sleep(1.1)  # the edit is later than the package's change time
    sides.edit("capital of Korea", _replace(1, "1394", "1392"))
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert diff(BANK + KOREA, path.read_text(encoding="utf-8")) == [
        "-Seoul, since 1394.",
        "+Seoul, since 1392.",
    ]
    assert "pulled 0 questions" in sides.pull().output
    assert "add 0, update 0" in sides.sync().output


# lesson files (`text/lessons.py`): an exercise and its solution as The Carpentries (pandoc's colon
# fences, the solution inside the challenge; older lessons: block quotes named by an attribute list)
# and MyST (colon fences, directives in backticks) write them; the prompt is the box's title, the
# front its body, the back the solution
def _carpentries(n: int, variant: int) -> str:
    outer, inner, close = (":::",) * 3 if variant else (":" * (30 + n), ":" * 16, ":" * 25)
    heading = "## Solution\n\n" if not variant else ""
    return (
        f"{outer} challenge\n\n## Exercise {n}: which flag does `cmd{n}` take?\n\n"
        f"Try `cmd{n}` in folder {n}.\n\n```bash\n$ cmd{n} --help\n```\n\n"
        f"{inner} solution\n\n{heading}Answer {n} is the flag `-f{n}`.\n\n{close}\n\n{outer}"
    )


def _myst_colon(n: int, variant: int) -> str:
    dropdown = ":class: dropdown\n" + ("\n" if variant else "")
    return (
        f":::{{exercise}} Exercise {n}: which flag does `cmd{n}` take?\n:label: ex-{n}\n\n"
        f"Try `cmd{n}` in folder {n}.\n:::\n\n"
        f":::{{solution}} ex-{n}\n{dropdown}\nAnswer {n} is the flag `-f{n}`.\n:::"
    )


def _myst_directive(n: int, variant: int) -> str:
    fence = "````" if variant else "```"
    options = f":label: ex-{n}\n" + ("\n" if variant else "")
    return (
        f"{fence}{{exercise}} Exercise {n}: which flag does `cmd{n}` take?\n{options}"
        f"Try `cmd{n}` in folder {n}.\n\n```bash\n$ cmd{n}\n```\n{fence}\n\n"
        f"```{{solution}} ex-{n}\n:class: dropdown\n\nAnswer {n} is the flag `-f{n}`.\n```"
    )


def _kramdown(n: int, variant: int) -> str:
    more = f"> >\n> > It is short for file {n}.\n" if variant else ""
    return (
        f"> ## Exercise {n}: which flag does `cmd{n}` take?\n>\n> Try `cmd{n}` in folder {n}.\n>\n"
        f"> ~~~\n> $ cmd{n} --help\n> ~~~\n> {{: .language-bash}}\n>\n"
        f"> > ## Solution\n> >\n> > Answer {n} is the flag `-f{n}`.\n{more}"
        "> {: .solution}\n{: .challenge}"
    )


LESSON_SYNTAXES = (_carpentries, _myst_colon, _myst_directive, _kramdown)
# each edit Anki's editor makes: the field, its HTML before and after, and the Markdown's change
LESSON_EDITS = {
    "prompt": (0, "Exercise {n}: which flag", "Exercise {n}: which option"),
    "body": (0, "cmd{n}</code> in folder", "cmd{n}</code> in the folder"),
    "answer": (1, "Answer {n} is the flag", "Answer {n} is the option"),
    "paragraph": (1, "-f{n}</code>.</p>", "-f{n}</code>.</p><p>Also {n}.</p>"),
}
LESSON_MARKDOWN = {
    "prompt": ("Exercise {n}: which flag", "Exercise {n}: which option"),
    "body": ("`cmd{n}` in folder", "`cmd{n}` in the folder"),
    "answer": ("Answer {n} is the flag", "Answer {n} is the option"),
    # a new paragraph, inside a block quote quoted as the line it follows
    "paragraph": ("`-f{n}`.", "`-f{n}`.\n{quote}\n{quote} Also {n}."),
}


def _lesson_bank(count: int) -> str:
    parts = ["# Shell lesson", "", "Lesson intro."]
    for n in range(1, count + 1):
        if n % 6 == 1:
            parts += ["", f"## Part {n // 6 + 1}"]
        syntax = LESSON_SYNTAXES[n % len(LESSON_SYNTAXES)]
        parts += ["", syntax(n, (n // 3) % 2)]
    return "\n".join(parts) + "\n"


LESSON_EDIT_SETS = (
    ["answer"],
    ["prompt"],
    ["body"],
    ["prompt", "body", "answer"],
    ["paragraph"],
    ["body", "paragraph"],
)


def _lesson_edits(n: int) -> list[str]:
    """What the n-th exercise has edited: each set of edits in each syntax (24 exercises)."""
    return LESSON_EDIT_SETS[(n // len(LESSON_SYNTAXES)) % len(LESSON_EDIT_SETS)]


def test_lesson_exercises_edited_in_anki_come_back_as_exactly_those_edits(sides):
    count = 24
    bank = _lesson_bank(count)
    path = sides.synced(bank, "lesson.md")
    with sides.opened() as col:
        assert col.note_count() == count
        for n in range(1, count + 1):
            [nid] = col.find_notes(f'"Question:Exercise {n}: *"')
            note = col.get_note(nid)
            for kind in _lesson_edits(n):
                field, old, new = LESSON_EDITS[kind]
                old, new = old.format(n=n), new.format(n=n)
                assert note.fields[field].count(old) == 1, (old, note.fields)
                note.fields[field] = note.fields[field].replace(old, new)
            col.update_note(note)
    expected = bank
    for n in range(1, count + 1):
        for kind in _lesson_edits(n):
            kramdown = LESSON_SYNTAXES[n % len(LESSON_SYNTAXES)] is _kramdown
            quote = "> >" if kramdown else ""
            old, new = (part.format(n=n, quote=quote) for part in LESSON_MARKDOWN[kind])
            new = new.replace("\n ", "\n")  # no quote: no space before the paragraph
            assert expected.count(old) == 1, old
            expected = expected.replace(old, new)
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert f"pulled {count} questions into 1 file" in done.output, done.output
    after = path.read_text(encoding="utf-8")
    assert diff(bank, after) == diff(bank, expected)
    assert after == expected
    again = sides.pull()
    assert again.exit_code == 0 and "pulled 0 questions" in again.output, again.output
    synced = sides.sync()
    assert "add 0, update 0" in synced.output, synced.output


@pytest.mark.parametrize("syntax", LESSON_SYNTAXES, ids=lambda s: s.__name__.strip("_"))
def test_a_lesson_edit_markdown_cannot_say_there_is_refused_whole(sides, syntax):
    """A line break in a box's title (its one line), and a table in a solution whose list cannot
    hold it: the Markdown stays byte for byte, the pull says where, `--strict` makes it an error."""
    bank = _lesson_bank(4)
    path = sides.synced(bank, "lesson.md")
    n = LESSON_SYNTAXES.index(syntax) or 4
    line = bank.split("\n").index(syntax(n, (n // 3) % 2).split("\n")[0]) + 1

    def change(fields):
        fields[0] = fields[0].replace("which flag", "which<br>flag")
        fields[1] = fields[1].replace(
            "is the flag", "is the flag in <ul><li><table><tr><td>x</td></tr></table></li></ul>"
        )

    sides.edit(f"Exercise {n}: ", change)
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert f"lesson.md:{line}: warning: the Anki edit of 'Exercise {n}: " in done.output
    assert "cannot be written back as Markdown" in done.output, done.output
    assert path.read_text(encoding="utf-8") == bank
    strict = sides.pull("--strict")
    assert strict.exit_code == 1
    assert f"lesson.md:{line}: error: the Anki edit of 'Exercise {n}: " in strict.output
    assert path.read_text(encoding="utf-8") == bank


def test_an_edit_that_would_make_another_question_is_refused_alone(sides):
    """A heading pasted into one answer would add a question to the file: that edit is refused,
    and the other questions' edits in the same file are written all the same."""
    path = sides.synced()
    sides.edit(
        "capital of France", _replace(1, "on the Seine.", "on the Seine.</p><h3>And Lyon?</h3><p>")
    )
    sides.edit("capital of Japan", _replace(1, "since 1868", "since 1869"))
    sides.edit("list sorted", _replace(1, "Call", "Use"))
    done = sides.pull()
    assert done.exit_code == 0, done.output
    assert (
        "capitals.md:10: warning: the Anki edit of 'What is the capital of France?'" in done.output
    )
    assert "the file would hold another number of questions" in done.output, done.output
    assert "pulled 2 questions into 1 file" in done.output, done.output
    assert diff(BANK, path.read_text(encoding="utf-8")) == [
        "-Call `sorted`:",
        "+Use `sorted`:",
        "-Tokyo, since 1868.",
        "+Tokyo, since 1869.",
    ]
