"""Obsidian vaults (`cardsmith.reading.obsidian`): the spaced-repetition plugin's card syntax and Obsidian's
Markdown, one deck per vault, checked with the real Anki engine."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pypdf
import pytest
from anki.collection import Collection, ImportCsvRequest

from cardsmith.build.pipeline import build, check
from cardsmith.exporters import FORMAT_NAMES
from cardsmith.model import Kind
from cardsmith.settings import Settings

from support.anki_engine import import_package, package_media
from support.command_line import cardsmith
from support.inputs import write
from support.library import settings_and_run

PLUGIN = ".obsidian/plugins/obsidian-spaced-repetition"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
VERBS = """\
---
sr-due: 2026-01-01
sr-interval: 3
sr-ease: 250
aliases: [verbs]
---
#flashcards/spanish/verbs

# Common verbs

hablar::to speak
<!--SR:!2026-01-01,3,250-->
comer:::to eat <!--SR:!2026-01-02,4,250!2026-01-03,5,260-->
- vivir::to live #irregular

Which verb means *to write*?
?
escribir, see [[Spanish Grammar|the grammar note]] and [[Conjugation#Present]]
![[loop.png|200]]

%% a private comment
over two lines: nota::privada %%
Some notes about verbs that are not cards.

#flashcards/spanish/nouns
el perro::the dog #animals
"""
BIOLOGY = """\
#flashcards

The ==mitochondria== is the powerhouse of the ==cell==.
<!--SR:!2026-02-01,10,270!2026-02-02,11,270-->

The {{nucleus}} holds the ==DNA==^[molecule].

What is ATP?
??
Adenosine triphosphate, the cell's ==energy== currency.
> [!tip] Remember
> Cells make it in the mitochondria.

`a::b` is C++ scope, not a card.
"""
GERMAN = """\
---
tags: [flashcards]
---
der Hund::the dog
"""
QUESTIONS = """\
#flashcards/reading

## What does a heading question look like?
Like this: cardsmith's own conventions work in a vault too.
"""


@pytest.fixture
def vault(tmp_path) -> Path:
    root = tmp_path / "Vault"
    write(root, ".obsidian/app.json", '{"attachmentFolderPath": "attachments"}')
    # the plugin's own settings: {{curly}} clozes on (its default is off)
    write(
        root,
        f"{PLUGIN}/data.json",
        '{"convertCurlyBracketsToClozes": true, "flashcardTags": ["#flashcards"]}',
    )
    write(root, "attachments/loop.png", PNG)
    write(root, "attachments/Pasted note.md", "#flashcards\nnot::content\n")
    write(root, ".trash/Old.md", "#flashcards\nold::card\n")
    write(root, "Spanish/Verbs.md", VERBS)
    write(root, "Biology.md", BIOLOGY)
    write(root, "Languages/German/Animals.md", GERMAN)
    write(root, "Reading.md", QUESTIONS)
    write(root, "Daily/2026-11-29.md", "Today I studied. Not a card here either: a::b\n")
    write(root, "Drawing.excalidraw.md", "#flashcards\ndrawn::text\n%%\n{}\n%%\n")  # not a note
    return root


def built(vault: Path, out: Path, *formats: str, **options):
    result = build([vault], out, list(formats or FORMAT_NAMES), *settings_and_run(**options))
    assert not result.failed, [str(d) for d in result.all_diagnostics]
    return result


def test_a_vault_is_one_deck_with_subdecks_from_tags_and_folders(vault, tmp_path, collection):
    result = built(vault, tmp_path / "out", "apkg")
    [deck] = result.decks
    assert deck.outputs == [tmp_path / "out" / "Vault.apkg"]
    assert [d.message for d in result.all_diagnostics] == []  # notes are not questions: no noise
    import_package(collection, deck.outputs[0])
    names = {d.name for d in collection.decks.all_names_and_ids()} - {"Default"}
    assert names >= {
        "Vault",
        "Vault::spanish::verbs",
        "Vault::spanish::nouns",
        "Vault::Languages::German",
        "Vault::reading",
    }

    def deck_of(text: str) -> str:
        [nid] = collection.find_notes(f'"Question:*{text}*"')
        return collection.decks.name(collection.get_note(nid).cards()[0].did)

    assert deck_of("hablar") == "Vault::spanish::verbs"
    assert deck_of("el perro") == "Vault::spanish::nouns"  # the later tag line
    assert deck_of("der Hund") == "Vault::Languages::German"  # bare tag: the folder
    assert deck_of("What is ATP?") == "Vault"
    assert deck_of("heading question") == "Vault::reading"
    prompts = [n.fields[0] for n in map(collection.get_note, collection.find_notes(""))]
    assert len(prompts) == 10
    assert not {"old", "not", "nota", "a", "Today I studied. Not a card here either: a"} & set(
        prompts
    )


def test_each_kind_of_card_becomes_its_anki_note(vault, tmp_path, collection):
    package = built(vault, tmp_path / "out", "apkg").decks[0].outputs[0]
    import_package(collection, package)

    def note(search: str):
        [nid] = collection.find_notes(search)
        return collection.get_note(nid)

    comer = note('"Question:comer"')
    assert comer.note_type()["name"] == "cardsmith (and reversed card)"
    forward, backward = sorted(comer.cards(), key=lambda c: c.ord)
    assert "comer" in forward.question() and "to eat" in forward.answer()
    assert "to eat" in backward.question() and "comer" not in backward.question()
    assert "comer" in backward.answer()
    atp = note('"Question:What is ATP?"')
    assert len(atp.cards()) == 2  # `??`: reversed too
    assert 'class="markdown-alert markdown-alert-tip"' in atp["Answer"]
    assert "<mark>energy</mark>" in atp["Answer"]

    mito = note("powerhouse")
    assert mito.note_type()["name"] == "cardsmith Cloze"
    assert "{{c1::mitochondria}}" in mito["Text"] and "{{c2::cell}}" in mito["Text"]
    assert len(mito.cards()) == 2
    assert "[...]" in mito.cards()[0].question()
    nucleus = note("nucleus")
    assert "{{c1::nucleus}}" in nucleus["Text"] and "{{c2::DNA::molecule}}" in nucleus["Text"]

    write_card = note('"Question:Which verb means*"')
    assert "the grammar note" in write_card["Answer"] and "[[" not in write_card["Answer"]
    assert "Conjugation › Present" in write_card["Answer"]
    assert write_card.note_type()["name"] == "cardsmith"
    assert note('"Question:vivir"').tags == ["irregular"]  # a list item; its tag an Anki tag
    assert note('"Question:el perro"').tags == ["animals"]
    assert "#animals" not in note('"Question:el perro"')["Answer"]
    assert note('"Question:hablar"')["Answer"] == "<p>to speak</p>"


def test_embeds_are_found_by_name_and_bundled(vault, tmp_path, collection):
    package = built(vault, tmp_path / "out", "apkg").decks[0].outputs[0]
    media = package_media(package)
    [name] = [n for n in media if n.startswith("cardsmith-loop-")]
    assert media[name] == PNG
    import_package(collection, package)
    [nid] = collection.find_notes('"Question:Which verb means*"')
    assert f'<img src="{name}" alt="loop.png" width="200">' in collection.get_note(nid)["Answer"]


def test_an_embed_outside_the_vault_is_refused(vault, tmp_path):
    write(tmp_path, "secret.png", PNG)
    write(vault, "Leak.md", "#flashcards\nleak::![[../secret.png]]\n")
    result = build([vault], tmp_path / "out", ["apkg"], Settings())
    assert result.failed
    assert any("outside the content folder" in str(d) for d in result.all_diagnostics)


@pytest.mark.parametrize("exists", [True, False], ids=["existing", "missing"])
@pytest.mark.parametrize("spelling", ["/{outside}", "../{name}", "{name}/../../{name}"])
def test_an_embed_by_a_path_out_of_the_vault_is_the_usual_error_whether_or_not_it_exists(
    vault, tmp_path, exists, spelling
):
    """Whether a file outside the vault exists is not the vault's business: the same error."""
    if exists:
        write(tmp_path, "secret.png", PNG)
    target = spelling.format(outside=tmp_path / "secret.png", name="secret.png")
    note = write(vault, "Leak.md", f"#flashcards\nleak::![[{target}]]\n")
    errors = [d for d in check([vault], Settings()).all_diagnostics if d.is_error]
    assert [(d.source.path, d.source.line) for d in errors] == [(note, 2)]
    assert f"image {target!r} is outside the content folder" in errors[0].message


@pytest.mark.parametrize(
    "settings_file", ["nested", "fifo", "sparse", "folder"], ids=lambda kind: kind
)
def test_plugin_settings_of_any_shape_are_a_warning_and_defaults(vault, tmp_path, settings_file):
    path = vault / PLUGIN / "data.json"
    path.unlink()
    if settings_file == "nested":
        path.write_text("[" * 100_000)
    elif settings_file == "fifo":  # opening it for reading would wait for a writer forever
        os.mkfifo(path)
    elif settings_file == "sparse":  # 2 GB of nothing, read no further than its size
        with path.open("wb") as handle:
            handle.truncate(2 << 30)
    else:
        path.mkdir()
    result = build([vault], tmp_path / "out", ["json"], Settings())
    assert not result.failed, [str(d) for d in result.all_diagnostics]
    [warning] = [d for d in result.all_diagnostics if "plugin's settings" in d.message]
    assert warning.source.path == path and warning.message.endswith("; defaults used")
    # the defaults: {{curly}} clozes off
    prompts = [q["prompt"] for s in json.loads((tmp_path / "out" / "Vault.json").read_text())[
        "sections"] for q in s["questions"]]  # fmt: skip
    assert "The {{nucleus}} holds the {{c1::DNA}}." not in prompts


def test_a_vault_note_of_2_gb_is_an_error_before_it_is_read(vault, tmp_path):
    note = vault / "Huge.md"
    with note.open("wb") as handle:
        handle.truncate(2 << 30)
    result = build([vault], tmp_path / "out", ["json"], Settings())
    [error] = [d for d in result.all_diagnostics if d.is_error]
    assert error.source.path == note and "larger than 64 MiB" in error.message


def test_obsidian_settings_that_are_a_fifo_or_nested_deep_are_ignored(vault, tmp_path):
    app = vault / ".obsidian" / "app.json"
    app.unlink()
    os.mkfifo(app)
    built(vault, tmp_path / "out", "json")
    app.unlink()
    app.write_text("[" * 100_000)
    built(vault, tmp_path / "out2", "json")


def test_no_review_data_reaches_any_output(vault, tmp_path):
    out = tmp_path / "out"
    built(vault, out)  # every format
    texts = []
    for path in sorted(p for p in out.iterdir() if not p.name.startswith(".")):  # not the caches
        if path.suffix == ".pdf":
            texts.append(" ".join(p.extract_text() for p in pypdf.PdfReader(path).pages))
        elif path.suffix == ".apkg":
            with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(path) as package:
                database = Path(scratch) / "c.anki2"
                database.write_bytes(package.read("collection.anki2"))
                connection = sqlite3.connect(database)
                texts += [row[0] for row in connection.execute("SELECT flds FROM notes")]
                connection.close()
        elif path.suffix in (".json", ".csv", ".html"):
            texts.append(path.read_text(encoding="utf-8"))
    assert len(texts) >= 7
    with tempfile.TemporaryDirectory() as scratch:  # and as the real Anki engine imports them
        col = Collection(str(Path(scratch) / "c.anki2"))
        try:
            import_package(col, out / "Vault.apkg")
            csv_path = str(out / "Vault.anki.csv")
            metadata = col.get_csv_metadata(csv_path, delimiter=None)
            col.import_csv(ImportCsvRequest(path=csv_path, metadata=metadata))
            texts += [f for nid in col.find_notes("") for f in col.get_note(nid).fields]
            assert col.note_count() == 10  # the CSV's rows have the package's notes' GUIDs
        finally:
            col.close()
    everything = "\n".join(texts)
    assert "hablar" in everything
    for review_data in ("<!--SR", "&lt;!--SR", "sr-due", "sr-ease", "2026-01-02,4,250"):
        assert review_data not in everything
    assert "private comment" not in everything and "%%" not in everything


def test_reviewing_in_obsidian_is_not_an_edit(vault, tmp_path, collection):
    out = tmp_path / "out"
    package = built(vault, out, "apkg").decks[0].outputs[0]
    first = package.read_bytes()
    assert len(import_package(collection, package).new) == 10
    # the plugin rewrites its review data after a review session
    verbs = vault / "Spanish" / "Verbs.md"
    verbs.write_text(
        VERBS.replace("2026-01-01,3,250", "2026-03-09,21,270")
        .replace("sr-due: 2026-01-01", "sr-due: 2026-04-01")
        .replace("sr-interval: 3", "sr-interval: 30")
        .replace("comer:::to eat ", "comer:::to eat <!--SR:!2026-05-05,40,290-->"),
        encoding="utf-8",
    )
    again = build([vault], out, ["apkg"], Settings())
    assert again.decks[0].cached is not None  # nothing to rebuild
    forced = built(vault, out, "apkg", force=True).decks[0].outputs[0]
    assert forced.read_bytes() == first
    log = import_package(collection, forced)  # Anki sees nothing to update
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 0, 10)


def test_an_edited_note_changes_only_its_cards(vault, tmp_path, collection):
    out = tmp_path / "out"
    import_package(collection, built(vault, out, "apkg").decks[0].outputs[0])
    notes_before = collection.note_count()
    (vault / "Biology.md").write_text(
        BIOLOGY.replace("Adenosine triphosphate", "Adenosine 5'-triphosphate"), encoding="utf-8"
    )
    log = import_package(collection, built(vault, out, "apkg").decks[0].outputs[0])
    assert (len(log.new), len(log.updated)) == (0, 1)
    assert collection.note_count() == notes_before
    lock = json.loads((vault / "cardsmith.lock").read_text(encoding="utf-8"))
    assert {e["file"] for e in lock["questions"]} == {
        "Biology.md",
        "Spanish/Verbs.md",
        "Languages/German/Animals.md",
        "Reading.md",
    }


def test_a_card_deleted_from_a_note_is_tagged_removed(vault, tmp_path, collection):
    out = tmp_path / "out"
    import_package(collection, built(vault, out, "apkg").decks[0].outputs[0])
    (vault / "Spanish" / "Verbs.md").write_text(VERBS.replace("hablar::to speak\n", ""), "utf-8")
    import_package(collection, built(vault, out, "apkg").decks[0].outputs[0])
    [nid] = collection.find_notes("tag:cardsmith::removed")
    assert "hablar" in collection.get_note(nid)["Question"]


def test_the_anki_csv_has_reversed_and_cloze_notes(vault, tmp_path, collection):
    path = built(vault, tmp_path / "out", "anki-csv").decks[0].outputs[0]
    metadata = collection.get_csv_metadata(str(path), delimiter=None)
    log = collection.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log
    assert len(log.new) == 10
    [comer] = collection.find_notes("comer")
    note = collection.get_note(comer)
    assert note.note_type()["name"] == "Basic (and reversed card)" and len(note.cards()) == 2
    [mito] = collection.find_notes("powerhouse")
    assert collection.get_note(mito).note_type()["name"] == "Cloze"


def test_check_lists_what_a_vault_skips_and_says_nothing_of_plain_notes(vault):
    result = check([vault], Settings())
    assert not result.failed and result.all_diagnostics == []
    deck = result.decks[0].deck
    reasons = {(s.source.path.name, s.reason) for s in deck.skipped}
    assert ("2026-11-29.md", "note without a flashcards tag") in reasons
    assert ("Verbs.md", "note text (not a card)") in reasons
    assert ("Verbs.md", "note properties") in reasons
    assert ("Biology.md", "note text (not a card)") in reasons  # `a::b` in code


def test_each_skipped_range_in_a_vaults_json_names_its_note(vault, tmp_path):
    result = built(vault, tmp_path / "out", "json")
    skipped = json.loads(result.decks[0].outputs[0].read_text(encoding="utf-8"))["skipped"]
    verbs = (vault / "Spanish" / "Verbs.md").as_posix()
    assert {"source": f"{verbs}:1", "line": 1, "end": 6, "reason": "note properties"} in skipped
    daily = next(s for s in skipped if s["reason"] == "note without a flashcards tag")
    assert daily["source"] == f"{(vault / 'Daily' / '2026-11-29.md').as_posix()}:1"
    assert all(s["source"].endswith(f".md:{s['line']}") for s in skipped)


def test_both_directions_print_and_study(vault, tmp_path):
    out = tmp_path / "out"
    built(vault, out, "cards-pdf", "pdf", "html")
    cards = pypdf.PdfReader(out / "Vault.cards.pdf")
    fronts = " ".join(cards.pages[i].extract_text() for i in range(0, len(cards.pages), 2))
    assert "comer" in fronts and "to eat" in fronts  # the second card asks the answer
    sheet = " ".join(p.extract_text() for p in pypdf.PdfReader(out / "Vault.pdf").pages)
    assert "comer ⇄" in sheet
    # clozes on paper: filled in on the sheet and a card's back, blanks on its front
    assert "The mitochondria is the powerhouse of the cell." in sheet and "{{c" not in sheet
    assert (
        "The […] is the powerhouse of the" in fronts and "The […] holds the [molecule]." in fronts
    )
    backs = " ".join(cards.pages[i].extract_text() for i in range(1, len(cards.pages), 2))
    assert "The mitochondria is the powerhouse of the cell." in backs and "{{c" not in backs
    page = (out / "Vault.html").read_text(encoding="utf-8")
    assert len(re.findall(r"<li [^>]*data-both", page)) == 2  # comer:::, and the `??` card


def test_flashcard_tags_and_bold_clozes_are_settings(vault, tmp_path):
    write(vault, "Cards.md", "#srs\nThe **bold** word.\n\nterm::definition\n")
    result = check([vault], Settings(flashcard_tags=("srs",), cloze=("bold",)))
    prompts = [q.prompt for q in result.decks[0].deck.questions]
    assert prompts == ["The {{c1::bold}} word.", "term"]


@pytest.mark.parametrize(
    "text",
    [
        "#flashcards\n?\n",
        "#flashcards\n::\n",
        "---\nbad: [\n---\n#flashcards\na::b\n",
        "#flashcards\n```\nunclosed::fence\n",
        "#flashcards\n==\n==x==\n{{}}\n",
        "#flashcards\n> [!note]\n",
        "#flashcards\n![[missing.png]]::x\n",
        "#flashcards\n" + "a::b\n" * 3 + "??\n" * 3,
    ],
)
def test_odd_notes_are_messages_not_tracebacks(tmp_path, text):
    vault = tmp_path / "V"
    write(vault, ".obsidian/app.json", "not json")
    write(vault, "n.md", text)
    result = build([vault], tmp_path / "out", ["apkg", "json"], Settings())
    for diagnostic in result.all_diagnostics:  # a message at its place, never an exception
        assert str(diagnostic).startswith(str(vault))
    assert result.decks[0].deck is not None or result.failed


def test_a_single_line_card_above_a_multi_line_one_is_a_card_of_its_own(tmp_path):
    vault = tmp_path / "V"
    write(vault, ".obsidian/app.json", "{}")
    write(
        vault,
        "n.md",
        "#flashcards\nperro:::dog\nWhy do cells\nmatter?\n?\nThey make up `a::b` life.\n",
    )
    deck = check([vault], Settings()).decks[0].deck
    found = [(q.kind.value, q.prompt, q.front, q.answer) for q in deck.questions]
    assert found == [
        ("reversed", "perro", "", "dog"),
        ("basic", "Why do cells\\\nmatter?", "", "They make up `a::b` life."),
    ]


def test_the_vaults_own_plugin_settings_are_followed(tmp_path):
    """A vault whose plugin is set to `;;` cards, `;?` multi-line ones ending at `+++` (so an answer
    may hold a table after a blank line), and the #srs tag."""
    vault = tmp_path / "V"
    settings = {
        "singleLineCardSeparator": ";;",
        "singleLineReversedCardSeparator": ";;;",
        "multilineCardSeparator": ";?",
        "multilineReversedCardSeparator": ";??",
        "multilineCardEndMarker": "+++",
        "flashcardTags": ["#srs"],
        "convertHighlightsToClozes": False,
        "convertBoldTextToClozes": True,
    }
    write(vault, f"{PLUGIN}/data.json", json.dumps(settings))
    note = (
        "#srs\nterm;;definition\nperro;;;dog\na::b is not a card here\n\n"
        "Which table?\n;?\nThis one:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n+++\n\n"
        "The **bold** word, not ==this==.\n"
    )
    write(vault, "n.md", note)
    deck = check([vault], Settings()).decks[0].deck
    found = [(q.kind.value, q.prompt) for q in deck.questions]
    assert found == [
        ("basic", "term"),
        ("reversed", "perro"),
        ("basic", "Which table?"),
        ("cloze", "The {{c1::bold}} word, not ==this==."),
    ]
    table = deck.questions[2].answer
    assert "| 1 | 2 |" in table and "+++" not in table
    # cardsmith's own settings win over the plugin's
    other = check([vault], Settings(flashcard_tags=("other",)))
    assert other.decks[0].deck is None and "no cards in this vault" in str(other.all_diagnostics)


def test_changing_the_plugins_settings_rebuilds_the_vault(vault, tmp_path):
    out = tmp_path / "out"
    first = built(vault, out, "json").decks[0]
    assert build([vault], out, ["json"], Settings()).decks[0].cached is not None
    (vault / PLUGIN / "data.json").write_text('{"convertCurlyBracketsToClozes": false}', "utf-8")
    again = built(vault, out, "json").decks[0]
    assert again.cached is None
    prompts = [q.prompt for q in again.deck.questions]
    assert "The {{nucleus}} holds the {{c1::DNA::molecule}}." in prompts  # curly is text now
    assert len(prompts) == len(first.deck.questions)


def test_one_edited_note_is_the_only_one_read_again(vault, tmp_path, monkeypatch):
    """A vault is one deck; its notes cache (in the output folder) keeps what each note gave, so
    an edit reads that note alone, and the outputs are those of reading everything."""
    from cardsmith.reading.obsidian.cards import NoteReader

    out = tmp_path / "out"
    built(vault, out, "json", jobs=1)
    read = []
    original = NoteReader.read
    monkeypatch.setattr(
        NoteReader,
        "read",
        lambda self, path, text: read.append(path.name) or original(self, path, text),
    )
    (vault / "Biology.md").write_text(BIOLOGY.replace("ATP?", "ATP, briefly?"), encoding="utf-8")
    cached = built(vault, out, "json", jobs=1).decks[0].outputs[0].read_text(encoding="utf-8")
    assert read == ["Biology.md"]
    assert "What is ATP, briefly?" in cached
    fresh = built(vault, tmp_path / "fresh", "json", jobs=1, force=True)
    assert fresh.decks[0].outputs[0].read_text(encoding="utf-8") == cached.replace(
        str(out), str(tmp_path / "fresh")
    )
    assert sorted(read[1:]) == sorted(p.name for p in vault.rglob("*.md") if "." not in p.parent.name
                                      and "attachments" not in p.parts and ".trash" not in p.parts
                                      and not p.name.endswith(".excalidraw.md"))  # fmt: skip


def test_a_changed_image_reaches_the_deck_though_its_note_did_not_change(
    vault, tmp_path, collection
):
    out = tmp_path / "out"
    first = package_media(built(vault, out, "apkg").decks[0].outputs[0])
    (vault / "attachments" / "loop.png").write_bytes(PNG + b"\0")  # new bytes, same name
    package = built(vault, out, "apkg").decks[0].outputs[0]
    second = package_media(package)
    assert set(first) != set(second) and PNG + b"\0" in second.values()
    import_package(collection, package)
    [name] = [n for n, data in second.items() if data == PNG + b"\0"]
    assert (Path(collection.media.dir()) / name).read_bytes() == PNG + b"\0"
    [nid] = collection.find_notes('"Question:Which verb means*"')
    assert name in collection.get_note(nid)["Answer"]


@pytest.mark.parametrize(
    "cache", ["", "[]", '{"version": 1, "context": 3, "notes": []}', "{" * 5000]
)
def test_a_notes_cache_of_any_shape_is_ignored(vault, tmp_path, cache):
    out = tmp_path / "out"
    expected = built(vault, out, "json").decks[0].outputs[0].read_text(encoding="utf-8")
    (out / ".cardsmith-vault-Vault.json").write_text(cache, encoding="utf-8")
    (vault / "Biology.md").write_text(
        BIOLOGY + "\n", encoding="utf-8"
    )  # a rebuild, not a cache hit
    again = built(vault, out, "json").decks[0].outputs[0].read_text(encoding="utf-8")
    assert again == expected


def test_a_vault_without_cards_is_an_error_that_says_why(tmp_path):
    vault = tmp_path / "V"
    write(vault, ".obsidian/app.json", "{}")
    write(vault, "a.md", "#flashcards\nJust notes, no cards.\n")
    write(vault, "b.md", "Nothing here.\n")
    result = check([vault], Settings())
    assert result.failed
    warning, error = [str(d) for d in result.all_diagnostics]
    assert warning.startswith(
        f"{vault / 'a.md'}:1: warning: note tagged for flashcards holds no card"
    )
    assert error.startswith(f"{vault}: error: no cards in this vault: 2 notes, 1 of them with")


def test_a_notes_own_headings_are_not_taken_for_questions(tmp_path):
    """A tagged note whose cards are written with separators the vault is not set to: its headings
    ("Dictionaries") must not become cards, and the note is named in a warning."""
    vault = tmp_path / "V"
    write(vault, ".obsidian/app.json", "{}")
    write(vault, "cs.md", "#flashcards\n\n## Dictionaries\nkey value pairs\n\n## Tries\nshort\n"
          "for retrieval\n\nfirst in first out;; queue\n")  # fmt: skip
    write(vault, "ok.md", "#flashcards\nq::a\n")
    result = check([vault], Settings())
    assert [q.prompt for q in result.decks[0].deck.questions] == ["q"]
    [warning] = [str(d) for d in result.all_diagnostics]
    assert warning.startswith(f"{vault / 'cs.md'}:1: warning: note tagged for flashcards holds no")


def test_properties_that_are_not_yaml_are_listed_not_warned(tmp_path):
    vault = tmp_path / "V"
    write(vault, ".obsidian/app.json", "{}")
    write(
        vault,
        "template.md",
        "---\ntags: [{{tag}}, {{other}}]\ntitle: <% tp.file.title %>\n---\nx\n",
    )
    write(vault, "ok.md", "#flashcards\nq::a\n")
    result = check([vault], Settings())
    assert result.all_diagnostics == []
    reasons = {(s.source.path.name, s.reason) for s in result.decks[0].deck.skipped}
    assert ("template.md", "properties that are not YAML") in reasons


def test_build_asks_the_readers_table_which_reader_reads_a_path(vault, tmp_path):
    from cardsmith.reading import READERS, reader_of

    for entry in READERS:  # what `build` asks of every reader
        reader = entry.reader()
        assert all(callable(getattr(reader, name)) for name in ("claims", "digest", "read"))
        assert isinstance(reader.CONFIG_FILES, tuple)
    note = vault / "Biology.md"
    assert reader_of(vault).__name__ == "cardsmith.reading.obsidian"
    assert reader_of(note).__name__ == "cardsmith.reading.bank"
    assert reader_of(vault / "Spanish") is None  # a plain folder: its files are the decks
    assert reader_of(tmp_path / "nothing.md") is None
    assert reader_of(vault).digest(vault) != reader_of(note).digest(note)


# --- the deck settings reach a vault as any deck (issue #26) --------------------------------------

RAW = '#flashcards\nraw <b onclick="go()">bold</b>::<script>alert(1)</script> kept\n'


def answer_of(collection, search: str) -> str:
    [nid] = collection.find_notes(search)
    return collection.get_note(nid)["Answer"]


def test_allow_html_keeps_a_vault_cards_raw_html(vault, tmp_path, collection):
    write(vault, "Raw.md", RAW)
    sanitised = built(vault, tmp_path / "safe", "apkg").decks[0]
    assert sanitised.deck.allow_html is False
    raw = built(vault, tmp_path / "raw", "apkg", html=True).decks[0]
    assert raw.deck.allow_html is True
    import_package(collection, sanitised.outputs[0])
    assert "<script>" not in answer_of(collection, "raw")
    with tempfile.TemporaryDirectory() as scratch:
        trusted = Collection(str(Path(scratch) / "c.anki2"))
        try:
            import_package(trusted, raw.outputs[0])
            assert "<script>alert(1)</script> kept" in answer_of(trusted, "raw")
            [nid] = trusted.find_notes("raw")
            assert '<b onclick="go()">bold</b>' in trusted.get_note(nid)["Question"]
        finally:
            trusted.close()


def test_lang_is_a_vault_decks_language(vault, tmp_path, collection):
    auto = check([vault], Settings()).decks[0].deck
    assert auto.lang == "en"  # from the script of its cards, as before
    result = built(vault, tmp_path / "out", "apkg", "html", lang="ja").decks[0]
    assert result.deck.lang == "ja"
    page = (tmp_path / "out" / "Vault.html").read_text(encoding="utf-8")
    assert re.search(r'<html [^>]*lang="ja"', page)
    import_package(collection, tmp_path / "out" / "Vault.apkg")
    fields = [f for nid in collection.find_notes("") for f in collection.get_note(nid).fields[:2]]
    assert len(fields) == 20 and all(f.startswith('<div lang="ja">') for f in fields)


def test_config_tags_tag_every_card_of_a_vault(vault, tmp_path, collection):
    defaults = {"tags": ("From Config", "vault")}
    result = built(vault, tmp_path / "out", "apkg", "json", deck_defaults=defaults).decks[0]
    assert result.deck.tags == ("from-config", "vault")
    assert all(q.tags[:2] == ("from-config", "vault") for q in result.deck.questions)
    deck = json.loads((tmp_path / "out" / "Vault.json").read_text(encoding="utf-8"))
    assert deck["tags"] == ["from-config", "vault"]
    import_package(collection, tmp_path / "out" / "Vault.apkg")
    notes = [collection.get_note(nid) for nid in collection.find_notes("")]
    assert len(notes) == 10 and all({"from-config", "vault"} <= set(n.tags) for n in notes)
    [perro] = collection.find_notes('"Question:el perro"')
    assert collection.get_note(perro).tags == ["animals", "from-config", "vault"]  # its own kept
    untagged = check([vault], Settings()).decks[0].deck
    assert untagged.tags == () and not any("vault" in q.tags for q in untagged.questions)


def test_the_command_line_and_config_give_a_vault_its_deck_settings(
    vault, tmp_path, collection, monkeypatch
):
    write(vault, "Raw.md", RAW)
    write(tmp_path, "cardsmith.toml", 'sources = ["Vault"]\nout = "built"\ntags = ["mine"]\n')
    monkeypatch.chdir(tmp_path)
    result = cardsmith("build", "-f", "apkg", "-f", "json", "--allow-html", "--lang", "ja")
    assert result.exit_code == 0, result.output
    deck = json.loads((tmp_path / "built" / "Vault.json").read_text(encoding="utf-8"))
    assert deck["tags"] == ["mine"]
    assert all("mine" in q["tags"] for s in deck["sections"] for q in s["questions"])
    import_package(collection, tmp_path / "built" / "Vault.apkg")
    notes = [collection.get_note(nid) for nid in collection.find_notes("")]
    assert len(notes) == 11 and all("mine" in n.tags for n in notes)
    assert all(n.fields[0].startswith('<div lang="ja">') for n in notes)
    assert "<script>alert(1)</script> kept" in answer_of(collection, "raw")


def test_direction_controls_are_taken_out_of_a_vaults_prompts(tmp_path):
    root = tmp_path / "Vault"
    write(root, ".obsidian/app.json", "{}")
    write(root, "Files.md", "#flashcards\n\u202eexe.txt::a name\n\nThe ==\u2067cell== is.\n")
    [deck] = check([root], Settings()).decks
    [basic, cloze] = deck.deck.questions
    assert basic.prompt == "exe.txt"
    assert cloze.kind is Kind.CLOZE and "cell" in cloze.prompt and "\u2067" not in cloze.prompt
    assert [(d.source.line, d.message.split(",")[0]) for d in deck.diagnostics] == [
        (2, "removed from the prompt: U+202E (right-to-left override)"),
        (4, "removed from the prompt: U+2067 (right-to-left isolate)"),
    ]
