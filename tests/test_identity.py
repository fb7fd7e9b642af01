"""Stable note identity: rebuilding after edits updates notes in Anki and never duplicates them."""

from __future__ import annotations

import hashlib
import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from cardsmith.build.pipeline import build, check
from cardsmith.identity import LOCK_NAME
from cardsmith.identity.fingerprints import content_fingerprint, simhash, text_digest
from cardsmith.identity.lockfile import Entry
from cardsmith.identity.matching import Keys, match
from cardsmith.model import Kind, Question, Source
from cardsmith.settings import Settings

from support.anki_engine import build_one, guids, import_package, notes
from support.inputs import write
from support.library import settings_and_run


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def ids(source) -> dict[str, str]:
    result = check([source], Settings())
    return {q.prompt: q.id for r in result.decks for q in r.deck.questions}


def test_reworded_question_and_edited_answer_update_two_notes(seed_copy, tmp_path, collection):
    assert len(import_package(collection, build_one(seed_copy, tmp_path / "out")).new) == 20
    before = guids(collection)
    edit(
        seed_copy,
        'What is SageMaker Endpoints and "Multi-Model Endpoints"?',
        "What are SageMaker Endpoints and Multi-Model Endpoints (MME)?",
    )
    edit(
        seed_copy,
        "1.  **Serialize**: Save model (e.g., `joblib.dump`).",
        "1.  **Serialize**: Save the model (e.g., `joblib.dump` or `pickle`).\n"
        "    Keep the library versions pinned.",
    )  # one line longer: later questions move down
    log = import_package(collection, build_one(seed_copy, tmp_path / "out"))
    assert (len(log.new), len(log.updated)) == (0, 2)
    assert guids(collection) == before
    assert collection.note_count() == 20
    shown = {note["Question"]: note["Answer"] for note in notes(collection)}
    assert "What are SageMaker Endpoints and Multi-Model Endpoints (MME)?" in shown
    deploy = shown[
        "How do you deploy a custom model (e.g., Scikit-Learn built locally) to SageMaker?"
    ]
    assert "Keep the library versions pinned." in deploy


def test_inserted_question_and_renumbering_add_exactly_one_note(seed_copy, tmp_path, collection):
    import_package(collection, build_one(seed_copy, tmp_path / "out"))
    before = guids(collection)
    text = seed_copy.read_text(encoding="utf-8")
    for number in range(20, 4, -1):  # renumber 5..20 -> 6..21, from the end
        text = text.replace(f"### {number}. ", f"### {number + 1}. ", 1)
    text = text.replace(
        "## Generative AI (Bedrock)\n",
        "## Generative AI (Bedrock)\n\n### 5. What is a foundation model?\n"
        "A large model pre-trained on broad data, adapted to many tasks.\n",
        1,
    )
    seed_copy.write_text(text, encoding="utf-8")
    log = import_package(collection, build_one(seed_copy, tmp_path / "out"))
    assert len(log.new) == 1
    after = guids(collection)
    assert before < after and len(after) == 21


def test_question_moved_to_another_section_keeps_its_guid(seed_copy, tmp_path, collection):
    import_package(collection, build_one(seed_copy, tmp_path / "out"))
    before = guids(collection)
    block = (
        "### 13. What is Amazon Q?\nA Generative AI-powered assistant designed for work. It can "
        "generate code, answer questions about AWS documentation, and troubleshoot console errors.\n"
    )
    edit(seed_copy, block, "")
    edit(seed_copy, "## Generative AI (Bedrock)\n", "## Generative AI (Bedrock)\n\n" + block)
    log = import_package(collection, build_one(seed_copy, tmp_path / "out"))
    assert len(log.new) == 0
    assert guids(collection) == before
    [moved] = [n for n in notes(collection) if n["Question"] == "What is Amazon Q?"]
    assert moved["Section"] == "Generative AI (Bedrock)"


def test_unchanged_content_builds_identical_bytes(seed_copy, tmp_path):
    first = build_one(seed_copy, tmp_path / "one")
    lock = (seed_copy.parent / LOCK_NAME).read_bytes()
    second = build_one(seed_copy, tmp_path / "two", clock=lambda: 4_000_000_000)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)]
    assert digest[0] == digest[1]
    assert (seed_copy.parent / LOCK_NAME).read_bytes() == lock


def test_renamed_file_keeps_its_ids(seed_copy):
    before = ids(seed_copy.parent)
    build([seed_copy.parent], seed_copy.parent.parent / "out", ["json"], Settings())
    seed_copy.rename(seed_copy.with_name("renamed.md"))
    assert ids(seed_copy.parent) == before


def test_new_fresh_builds_agree_on_ids(seed_copy, tmp_path):
    """Without a lock, ids are minted from the prompt, so two people get the same GUIDs."""
    other = write(tmp_path / "other", seed_copy.name, seed_copy.read_bytes())
    assert ids(seed_copy) == ids(other)


def test_explicit_id_wins_over_everything(content, tmp_path):
    path = write(content, "d.md", "# T\n### Old question? {#keep-me}\nOld answer.\n")
    build([path], tmp_path / "out", ["json"], Settings())
    path.write_text("# T\n### Entirely different? {#keep-me}\nNothing alike.\n", encoding="utf-8")
    assert ids(path) == {"Entirely different?": "keep-me"}


def test_similar_question_keeps_id_unrelated_one_gets_new(content, tmp_path):
    path = write(
        content,
        "d.md",
        "# T\n## S\n### How do you scale a SageMaker endpoint?\n"
        "Use auto scaling on invocations per instance.\n### What is S3?\nObject storage.\n",
    )
    build([path], tmp_path / "out", ["json"], Settings())
    old = ids(path)
    path.write_text(
        "# T\n## S\n### How would you scale SageMaker endpoints?\n"
        "Use auto scaling on the invocations per instance metric.\n"
        "### Who wrote Hamlet?\nShakespeare.\n",
        encoding="utf-8",
    )
    result = check([path], Settings())
    new = {q.prompt: q.id for q in result.decks[0].deck.questions}
    assert (
        new["How would you scale SageMaker endpoints?"]
        == old["How do you scale a SageMaker endpoint?"]
    )
    assert new["Who wrote Hamlet?"] not in old.values()
    [removed] = [d for d in result.decks[0].diagnostics if "removed" in d.message]
    assert "'What is S3?'" in removed.message


def test_lock_is_sorted_one_entry_a_line_and_stable(seed_copy, tmp_path):
    build([seed_copy], tmp_path / "out", ["json"], Settings())
    lock_path = seed_copy.parent / LOCK_NAME
    text = lock_path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) == 22  # header, 20 entries, footer
    data = json.loads(text)
    assert data["questions"][0]["prompt"] == "What are the three main components of SageMaker?"
    build([seed_copy], tmp_path / "out", ["json"], *settings_and_run(clock=lambda: 4_000_000_000))
    assert lock_path.read_text(encoding="utf-8") == text


def test_edited_note_gets_a_newer_modification_time(content, tmp_path):
    path = write(content, "d.md", "# T\n### Q?\nA.\n")
    build([path], tmp_path / "out", ["json"], *settings_and_run(clock=lambda: 1000))
    path.write_text("# T\n### Q?\nA, edited.\n", encoding="utf-8")
    build(
        [path], tmp_path / "out", ["json"], *settings_and_run(clock=lambda: 1000)
    )  # clock did not move
    [entry] = json.loads((content / LOCK_NAME).read_text())["questions"]
    assert entry["modified"] == 1001


def test_one_explicit_id_on_two_questions_is_an_error(content):
    path = write(content, "d.md", "# T\n### A? {#same}\nx\n### B? {#same}\ny\n")
    result = check([path], Settings())
    assert result.failed
    [deck] = result.decks  # the error belongs to the deck, so per-deck reports show it (fuzz-found)
    assert any(d.source.line == 4 and "'same'" in d.message for d in deck.diagnostics)


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"version": 1, "looks": [], "questions": []}',
        '{"version": 1, "looks": {"apkg": 3}, "questions": []}',
        '{"version": 1, "questions": [{"id": "x"}]}',
    ],
)
def test_corrupt_lock_is_an_error_naming_it(content, text):
    path = write(content, "d.md", "# T\n### Q?\nA\n")
    write(content, LOCK_NAME, text)
    result = check([path], Settings())
    assert result.failed
    [diagnostic] = result.diagnostics
    assert diagnostic.source.path == content / LOCK_NAME


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("1795923598", '"yesterday"'), "modified must be a whole number: 'yesterday'"),
        (('"d1b1805c6d187a92"', '"zz"'), "simhash 'zz' is not in the form cardsmith writes"),
        (('"5bbpkxim6b"', "5"), "id must be text: 5"),
        (('"5bbpkxim6b"', '"has space"'), "id 'has space' is not in the form cardsmith writes"),
        ((', "section": ""', ""), "expected an object with the keys id, file, section"),
        (('"ea10a64a44250705", "modified": 1', '"x", "modified": 1'), "fingerprint 'x' is not"),
    ],
)
def test_a_hand_edited_lock_entry_is_an_error_at_its_line(content, edit, message):
    # these went through to the build before, and failed there with a traceback
    path = write(content, "d.md", "# T\n### A?\nYes.\n### B?\nNo.\n")
    lock = (
        '{"version": 1, "looks": {"apkg": {"fingerprint": "ea10a64a44250705", "modified": 1}}, '
        '"questions": [\n'
        '  {"id": "pfkilxczka", "file": "d.md", "section": "", "prompt": "A?", "answer": '
        '"5f9a2b795615ba6a", "simhash": "7e8eafb96f16fae7", "content": "0fb2743d37df72d4", '
        '"modified": 1795923598},\n'
        '  {"id": "5bbpkxim6b", "file": "d.md", "section": "", "prompt": "B?", "answer": '
        '"38178a20b470cfd1", "simhash": "d1b1805c6d187a92", "content": "85cdd37ea6a14a71", '
        '"modified": 1795923598}\n]}\n'
    )
    write(content, LOCK_NAME, lock)
    assert not check([path], Settings()).failed  # as cardsmith wrote it
    old, new = edit
    lines = lock.split("\n")
    where = next(n for n in (2, 1, 0) if old in lines[n])  # the entry for B, or the looks
    lines[where] = lines[where].replace(old, new, 1)
    write(content, LOCK_NAME, "\n".join(lines))
    result = check([path], Settings())
    assert result.failed
    [diagnostic] = result.diagnostics
    assert diagnostic.source == Source(content / LOCK_NAME, where + 1 if where else 1)
    assert message in diagnostic.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "0000000000000000"),
        ("The endpoint scales the model behind a load balancer.", "5fd3bf38d3872a0e"),
        ("Ünïcode straße " * 3 + "word " * 20, "4aa4cf27d7c78e95"),
    ],
)
def test_simhash_values_are_those_already_in_lock_files(text, expected):
    # committed lock files hold these; a faster implementation must give the same bits
    from cardsmith.identity.fingerprints import simhash

    assert simhash(text) == expected


def test_new_card_templates_reach_a_collection_when_no_note_changed(
    seed_copy, tmp_path, collection, monkeypatch
):
    from cardsmith import fingerprint
    from cardsmith.templating import templates_dir

    templates = tmp_path / "templates"
    shutil.copytree(templates_dir(), templates)
    monkeypatch.setenv("CARDSMITH_TEMPLATES", str(templates))
    fingerprint.code_fingerprint.cache_clear()
    clock = iter([1_000_000, 2_000_000])
    first = build_one(seed_copy, tmp_path / "out", clock=lambda: next(clock))
    import_package(collection, first)
    with (templates / "card" / "card.css").open("a") as css:
        css.write("\n.cs-section { letter-spacing: 0.2em; }\n")
    fingerprint.code_fingerprint.cache_clear()
    second = build_one(seed_copy, tmp_path / "out", clock=lambda: next(clock))
    log = import_package(collection, second)
    fingerprint.code_fingerprint.cache_clear()

    assert len(log.new) == 0 and len(notes(collection)) == 20
    assert "letter-spacing: 0.2em" in collection.models.by_name("cardsmith")["css"]
    lock = json.loads((seed_copy.parent / LOCK_NAME).read_text())
    assert lock["note_types"]["apkg"]["modified"] == 2_000_000


def _project(root, name: str, text: str):
    """A project of its own (a content folder with one deck), as a second user's repository."""
    return write(root / name / "content", f"{name}.md", text)


CLOSURE = "# {title}\n\n### 1. What is a closure?\n{answer}\n"


def test_the_same_prompt_in_two_decks_is_two_notes_and_edits_stay_apart(tmp_path, collection):
    js = _project(tmp_path, "js", CLOSURE.format(title="JavaScript", answer="Lexical scope, JS."))
    py = _project(tmp_path, "py", CLOSURE.format(title="Python", answer="A nested function."))
    import_package(collection, build_one(js, tmp_path / "js-out"))
    log = import_package(collection, build_one(py, tmp_path / "py-out"))
    assert len(log.new) == 1 and collection.note_count() == 2

    edit(py, "A nested function.", "A nested function that keeps its free variables.")
    log = import_package(collection, build_one(py, tmp_path / "py-out"))
    assert (len(log.new), len(log.updated)) == (0, 1)
    answers = sorted(note["Answer"] for note in notes(collection))
    assert answers == [
        "<p>A nested function that keeps its free variables.</p>",
        "<p>Lexical scope, JS.</p>",
    ]


def test_the_same_explicit_id_in_two_decks_is_two_notes(tmp_path, collection):
    for name in ("one", "two"):
        path = _project(tmp_path, name, f"# {name}\n### Intro? {{#intro}}\nAbout {name}.\n")
        import_package(collection, build_one(path, tmp_path / f"{name}-out"))
    assert collection.note_count() == 2
    assert sorted(n["Answer"] for n in notes(collection)) == [
        "<p>About one.</p>",
        "<p>About two.</p>",
    ]


def test_fresh_ids_differ_between_decks_but_agree_between_fresh_builds(tmp_path):
    one = _project(tmp_path, "a", CLOSURE.format(title="A", answer="x"))
    two = _project(tmp_path, "b", CLOSURE.format(title="B", answer="x"))
    again = _project(tmp_path / "elsewhere", "a", CLOSURE.format(title="A", answer="x"))
    assert ids(one) != ids(two)
    assert ids(one) == ids(again)


V1_LOCK = (
    '{"version": 1, "questions": [\n'
    '  {"id": "pfkilxczka", "file": "d.md", "section": "", "prompt": "A?", "answer": '
    '"5f9a2b795615ba6a", "simhash": "7e8eafb96f16fae7", "content": "0fb2743d37df72d4", '
    '"modified": 1795923598},\n'
    '  {"id": "keep-me", "file": "d.md", "section": "", "prompt": "B?", "answer": '
    '"38178a20b470cfd1", "simhash": "d1b1805c6d187a92", "content": "85cdd37ea6a14a71", '
    '"modified": 1795923598}\n]}\n'
)


def test_a_version_1_lock_keeps_the_guids_its_notes_already_have(content, tmp_path, collection):
    import genanki  # what built those notes before GUIDs were kept in the lock

    path = write(content, "d.md", "# T\n### A?\nYes.\n### B? {#keep-me}\nNo.\n")
    write(content, LOCK_NAME, V1_LOCK)
    import_package(collection, build_one(path, tmp_path / "out"))
    expected = {genanki.guid_for("cardsmith", qid) for qid in ("pfkilxczka", "keep-me")}
    assert guids(collection) == expected
    lock = json.loads((content / LOCK_NAME).read_text())
    assert lock["version"] == 2
    assert {e["guid"] for e in lock["questions"]} == expected


@pytest.mark.parametrize("parts", [("cardsmith", ""), ("cardsmith", "abc"), ("x", "ü", "::")])
def test_guids_are_made_the_way_genanki_makes_them(parts):
    import genanki

    from cardsmith.identity import anki_guid

    assert anki_guid(*parts) == genanki.guid_for(*parts)


def test_adding_an_explicit_id_to_a_question_keeps_its_note(content, tmp_path, collection):
    path = write(content, "d.md", "# T\n### What is a monad?\nA monoid in endofunctors.\n")
    import_package(collection, build_one(path, tmp_path / "out"))
    edit(path, "monad?", "monad? {#monad}")
    log = import_package(collection, build_one(path, tmp_path / "out"))
    assert len(log.new) == 0 and collection.note_count() == 1
    assert ids(path) == {"What is a monad?": "monad"}


def test_an_explicit_id_moved_to_a_file_built_alone_takes_its_entry_along(content, tmp_path):
    first = write(content, "a.md", "# A\n### Kept? {#kept}\nYes.\n### Other?\nNo.\n")
    build([content], tmp_path / "out", ["json"], Settings())
    guid = _lock_guids(content)["kept"]
    edit(first, "### Kept? {#kept}\nYes.\n", "")
    second = write(content, "b.md", "# B\n### Kept, moved? {#kept}\nYes.\n")
    build([second], tmp_path / "out", ["json"], Settings())
    assert _lock_guids(content)["kept"] == guid
    entries = json.loads((content / LOCK_NAME).read_text())["questions"]
    assert [e["file"] for e in entries if e["id"] == "kept"] == ["b.md"]


def _lock_guids(content) -> dict[str, str]:
    entries = json.loads((content / LOCK_NAME).read_text())["questions"]
    return {e["id"]: e["guid"] for e in entries}


def test_a_thousand_identical_questions_are_warnings_not_a_crash(content, tmp_path):
    path = write(content, "d.md", "# T\n" + "### Same?\nSame.\n" * 1001)
    result = build([path], tmp_path / "out", ["json"], Settings())
    assert not result.failed
    [deck] = result.decks
    assert len(deck.deck.questions) == 1001
    assert len({q.id for q in deck.deck.questions}) == 1001
    assert sum("same question as at line 2" in d.message for d in deck.diagnostics) == 1000


REWORDED = (
    'What is SageMaker Endpoints and "Multi-Model Endpoints"?',
    "What are endpoints and MMEs?",
)


@pytest.mark.parametrize("formats", [["json", "apkg"], ["apkg"]], ids=["from-json", "from-apkg"])
def test_a_deleted_lock_is_read_back_from_the_last_outputs(
    seed_copy, tmp_path, collection, formats
):
    out = tmp_path / "out"
    result = build([seed_copy], out, formats, Settings())
    assert not result.failed
    import_package(collection, out / f"{seed_copy.stem}.apkg")
    (seed_copy.parent / LOCK_NAME).unlink()
    edit(seed_copy, *REWORDED)  # the same prompt rule cannot find it: only the old answer can

    result = build([seed_copy], out, formats, *settings_and_run(clock=lambda: 4_000_000_000))
    assert not result.failed
    [warning] = [d for d in result.all_diagnostics if "lock file is missing" in d.message]
    assert warning.severity == "warning"
    assert f"the ids of 20 questions of {seed_copy.name} were read back from" in warning.message
    log = import_package(collection, out / f"{seed_copy.stem}.apkg")
    assert len(log.new) == 0 and collection.note_count() == 20
    assert "What are endpoints and MMEs?" in {n["Question"] for n in notes(collection)}


def test_without_a_lock_or_earlier_outputs_nothing_is_said(seed_copy, tmp_path):
    result = build([seed_copy], tmp_path / "out", ["json"], Settings())
    assert not any("lock file is missing" in d.message for d in result.all_diagnostics)


def test_an_unreadable_earlier_output_is_a_warning_not_a_crash(seed_copy, tmp_path):
    write(tmp_path / "out", f"{seed_copy.stem}.json", '{"sections": [{"questions": [7]}]}')
    result = build([seed_copy], tmp_path / "out", ["json"], Settings())
    assert not result.failed
    [warning] = [d for d in result.all_diagnostics if "cannot read ids back" in d.message]
    assert warning.source.path == tmp_path / "out" / f"{seed_copy.stem}.json"


ORIGINAL = "# {title}\n\n### 1. What is a closure?\nA function that keeps its free variables.\n"


def _build_all(content, out, **options) -> dict[str, str]:
    """Build the content folder's decks as .apkg; each deck's file name -> its package."""
    result = build([content], out, ["apkg"], *settings_and_run(**options))
    assert not result.failed, [str(d) for d in result.all_diagnostics]
    return {r.path.name: r.outputs[0] for r in result.decks}


def _decks_of_notes(collection) -> dict[str, tuple[str, str]]:
    """guid -> (the deck its card is in, its answer)."""
    return {
        note.guid: (collection.decks.name(note.cards()[0].did), note["Answer"])
        for note in notes(collection)
    }


@pytest.mark.parametrize("rebuild", ["plain", "force", "fresh-clone", "copy-alone", "both-edited"])
@pytest.mark.parametrize(
    ("original", "copy"),
    [("python.md", "javascript.md"), ("javascript.md", "python.md")],
    ids=["copy-sorts-first", "copy-sorts-last"],
)
def test_a_question_copied_into_another_deck_never_takes_over_its_note(
    tmp_path, collection, original, copy, rebuild
):
    content = tmp_path / "content"
    write(content, original, ORIGINAL.format(title="Original"))
    out = tmp_path / "out"
    import_package(collection, _build_all(content, out)[original])
    [first] = guids(collection)

    write(content, copy, ORIGINAL.format(title="Copy"))
    if rebuild == "fresh-clone":  # the repository cloned again: the lock, no outputs, no cache
        shutil.copytree(content, tmp_path / "clone" / "content")
        (tmp_path / "clone" / ".git").mkdir()
        content, out = tmp_path / "clone" / "content", tmp_path / "clone" / "out"
    if rebuild == "both-edited":
        edit(content / original, "# Original\n", "# Original\n\nIntro.\n")
    sources = [content / copy] if rebuild == "copy-alone" else [content]
    result = build(sources, out, ["apkg"], *settings_and_run(force=rebuild == "force"))
    assert not result.failed, [str(d) for d in result.all_diagnostics]
    packages = _build_all(content, out, force=True)  # and once more, every deck rebuilt
    for name in (copy, original):
        import_package(collection, packages[name])

    held = _decks_of_notes(collection)
    assert len(held) == 2
    assert held[first][0] == "Original"  # the original note stayed in its deck
    [other] = set(held) - {first}
    assert held[other][0] == "Copy"

    edit(content / copy, "keeps its free variables.", "closes over its scope.")
    packages = _build_all(content, out, force=rebuild == "force")
    for name in (copy, original):
        import_package(collection, packages[name])
    held = _decks_of_notes(collection)
    assert held[first] == ("Original", "<p>A function that keeps its free variables.</p>")
    assert held[other] == ("Copy", "<p>A function that closes over its scope.</p>")


def test_a_question_moved_between_files_of_one_deck_is_found_there_before_another_deck():
    """A vault is one deck of many notes: a card moved from one note to another is still looked
    for in its own deck before a copy in another deck (whose file sorts first) may take it."""

    def question(file: str) -> Question:
        return Question(
            "", 1, "What is a closure?", "A function.", (), (), Kind.BASIC, Source(Path(file), 3)
        )

    old = question("vault/b.md")
    entry = Entry(
        "closure", "guid", "vault/b.md", "", old.prompt, text_digest(old.answer),
        simhash(old.answer), content_fingerprint(old), 1,
    )  # fmt: skip
    # a copy in deck 0 (a.md), the card moved from vault/b.md to vault/c.md in deck 1
    questions = [(None, question("a.md")), (None, question("vault/c.md"))]
    keys = [Keys(questions[0][1], "a.md", 0), Keys(questions[1][1], "vault/c.md", 1)]
    deck_of = {"a.md": 0, "vault/b.md": 1, "vault/c.md": 1}
    assert match(questions, keys, [entry], deck_of) == {1: entry}


ACCENTED = [
    "café", "garçon", "élève", "naïveté", "déjà vu", "señor", "mañana", "Müller", "Größe",
    "São Paulo", "Ærø", "Dvořák", "Łódź", "İstanbul", "phở", "Việt Nam", "résumé", "crème brûlée",
    "piñata", "fiancée",
]  # fmt: skip
ACCENTED_BANK = "# Words\n\n" + "".join(
    f"### {n}. Où écrit-on « {word} » ?\nÀ la page {n}, avec « {word} » et ses accents.\n\n"
    for n, word in enumerate(ACCENTED, 1)
)


@pytest.mark.parametrize(
    "resave",
    [
        lambda text: unicodedata.normalize("NFD", text),
        # a zero-width space, a soft hyphen and a word joiner inside words of every question
        lambda text: (
            text.replace("écrit", "é\u200bcrit")
            .replace("page", "pa\u00adge")
            .replace("accents", "ac\u2060cents")
        ),
    ],
    ids=["nfc-to-nfd", "zero-width"],
)
def test_re_saving_accented_questions_invisibly_differently_keeps_every_note(
    content, tmp_path, collection, resave
):
    bank = write(content, "words.md", ACCENTED_BANK)
    assert len(import_package(collection, build_one(bank, tmp_path / "out")).new) == 20
    before = ids(bank)
    bank.write_text(resave(ACCENTED_BANK), encoding="utf-8")
    assert bank.read_text(encoding="utf-8") != ACCENTED_BANK
    assert set(ids(bank).values()) == set(before.values())
    log = import_package(collection, build_one(bank, tmp_path / "out"))
    assert len(log.new) == 0 and collection.note_count() == 20


def test_a_lock_entry_is_written_with_its_optional_keys_only_when_they_say_something():
    """`Entry.as_dict` (each lock line) has every field in order, the optional ones (`kind`,
    `fields`, `base`, `raw`) only when set: its quick path assumes they are the entry's last."""
    from dataclasses import fields, replace

    from cardsmith.identity.lockfile import _OPTIONAL, Entry

    names = [f.name for f in fields(Entry)]
    assert set(names[-len(_OPTIONAL) :]) == _OPTIONAL
    bare = Entry("q1", "g", "a.md", "", "Q?", "0" * 16, "1" * 16, "2" * 16, 5)
    assert list(bare.as_dict()) == names[: -len(_OPTIONAL)]
    for name in _OPTIONAL:
        one = replace(bare, **{name: "x"})
        assert list(one.as_dict()) == [*names[: -len(_OPTIONAL)], name]
        assert one.as_dict()[name] == "x"
