"""Questions deleted from the Markdown: tombstones in the lock, tagged notes in every Anki import
(checked with the real Anki engine), restoring, `cardsmith forget`."""

from __future__ import annotations

import json

from anki.collection import Collection, ImportCsvRequest

from cardsmith.build.pipeline import build, check
from cardsmith.identity import LOCK_NAME
from cardsmith.settings import Settings

from support.anki_engine import build_one, import_package
from support.inputs import write
from support.library import settings_and_run

REMOVED = "cardsmith::removed"
BANK = """\
# Capitals

## Europe

### What is the capital of France?
Paris.

### What is the capital of Italy?
Rome.

### Fill in: {{c1::Madrid}} is the capital of Spain.
It has been since 1561.

## Asia

### What is the capital of Japan?
Tokyo.
"""
ITALY = "### What is the capital of Italy?\nRome.\n\n"
SPAIN = "### Fill in: {{c1::Madrid}} is the capital of Spain.\nIt has been since 1561.\n\n"


class Clock:
    """Build times a day apart, so each build's changes are plainly newer."""

    def __init__(self) -> None:
        self.now = 1_800_000_000

    def __call__(self) -> float:
        self.now += 86_400
        return self.now


def study(collection: Collection, prompt: str) -> tuple[int, int]:
    """Answer the card of `prompt` "good" with the scheduler (a review in its history); return its
    card id and its interval afterwards."""
    [card_id] = collection.find_cards(f'"Question:{prompt}"')
    card = collection.get_card(card_id)
    card.start_timer()
    states = collection._backend.get_scheduling_states(card.id)
    collection.sched.answer_card(
        collection.sched.build_answer(card=card, states=states, rating=3)  # good
    )
    card = collection.get_card(card_id)
    card.ivl = 30  # as if studied for a month
    collection.update_card(card)
    return card_id, collection.get_card(card_id).ivl


def tagged(collection: Collection) -> list[str]:
    return sorted(
        collection.get_note(nid).fields[0] for nid in collection.find_notes(f"tag:{REMOVED}")
    )


def test_a_deleted_question_is_tagged_on_import_and_untagged_when_restored(
    content, tmp_path, collection
):
    bank = write(content, "capitals.md", BANK)
    clock = Clock()
    out = tmp_path / "out"
    assert len(import_package(collection, build_one(bank, out, clock=clock)).new) == 4
    card_id, interval = study(collection, "What is the capital of France?")
    reviews = collection.db.scalar("SELECT count() FROM revlog")
    italy_note = collection.find_notes('"Question:What is the capital of Italy?"')
    assert reviews >= 1 and len(italy_note) == 1

    bank.write_text(BANK.replace(ITALY, "").replace(SPAIN, ""), encoding="utf-8")
    result = build([bank], out, ["apkg"], *settings_and_run(clock=clock))
    assert not result.failed
    said = [d.message for d in result.all_diagnostics]
    assert sum("question removed since the last build" in m for m in said) == 2
    log = import_package(collection, result.decks[0].outputs[0])
    assert (len(log.new), len(log.updated)) == (0, 2)
    assert collection.note_count() == 4  # no duplicate
    assert [n[:29] for n in tagged(collection)] == [
        "<p>Fill in: {{c1::Madrid}} is",
        "<p>What is the capital of Ita",
    ]
    [italy] = [collection.get_note(nid) for nid in collection.find_notes(f"tag:{REMOVED}")
               if "Italy" in collection.get_note(nid).fields[0]]  # fmt: skip
    assert italy.id == italy_note[0]
    assert "Removed from <code>capitals.md</code>" in italy["Answer"]
    assert len(collection.get_note(
        collection.find_notes(f"tag:{REMOVED} Madrid")[0]).cards()) == 1  # fmt: skip
    studied = collection.get_card(card_id)
    assert studied.ivl == interval == 30
    assert collection.db.scalar("SELECT count() FROM revlog") == reviews
    lock = json.loads((content / LOCK_NAME).read_text(encoding="utf-8"))
    assert [t["prompt"] for t in lock["removed"]] == [
        "What is the capital of Italy?",
        "Fill in: {{c1::Madrid}} is the capital of Spain.",
    ]
    assert len(lock["questions"]) == 2

    # a rebuild with nothing changed keeps sending the tagged notes, and the import changes nothing
    again = build([bank], out, ["apkg"], *settings_and_run(clock=clock, force=True))
    log = import_package(collection, again.decks[0].outputs[0])
    assert (len(log.new), len(log.updated)) == (0, 0)

    bank.write_text(BANK, encoding="utf-8")  # both come back
    log = import_package(collection, build_one(bank, out, clock=clock))
    assert (len(log.new), len(log.updated)) == (0, 2)
    assert tagged(collection) == []
    assert collection.note_count() == 4
    assert collection.find_notes('"Question:What is the capital of Italy?"') == italy_note
    assert collection.get_note(italy_note[0])["Answer"] == "<p>Rome.</p>"
    assert "removed" not in json.loads((content / LOCK_NAME).read_text(encoding="utf-8"))


def import_csv(collection: Collection, path):
    metadata = collection.get_csv_metadata(str(path), delimiter=None)
    return collection.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def test_the_anki_csv_tags_a_deleted_question_and_untags_it_when_restored(
    content, tmp_path, collection
):
    bank = write(content, "capitals.md", BANK.replace(SPAIN, ""))
    clock = Clock()
    out = tmp_path / "out"
    assert len(import_csv(collection, build_one(bank, out, "anki-csv", clock=clock)).new) == 3
    card_id, interval = study_csv(collection, "What is the capital of France?")
    [italy] = collection.find_notes('"Front:What is the capital of Italy?"')

    bank.write_text(BANK.replace(SPAIN, "").replace(ITALY, ""), encoding="utf-8")
    log = import_csv(collection, build_one(bank, out, "anki-csv", clock=clock))
    assert len(log.new) == 0
    assert collection.note_count() == 3
    assert collection.find_notes(f"tag:{REMOVED}") == [italy]
    assert collection.get_card(card_id).ivl == interval

    bank.write_text(BANK.replace(SPAIN, ""), encoding="utf-8")
    log = import_csv(collection, build_one(bank, out, "anki-csv", clock=clock))
    assert len(log.new) == 0
    assert collection.find_notes(f"tag:{REMOVED}") == []
    assert collection.find_notes('"Front:What is the capital of Italy?"') == [italy]
    assert collection.note_count() == 3


def study_csv(collection: Collection, prompt: str) -> tuple[int, int]:
    [card_id] = collection.find_cards(f'"Front:{prompt}"')
    card = collection.get_card(card_id)
    card.type, card.queue, card.ivl, card.due = 2, 2, 30, collection.sched.today + 30
    collection.update_card(card)
    return card_id, 30


def test_a_question_written_again_takes_back_its_old_note(content, tmp_path):
    bank = write(content, "capitals.md", BANK)
    clock = Clock()
    first = {q.prompt: q.guid for q in check([bank], Settings()).decks[0].deck.questions}
    build_one(bank, tmp_path / "out", "json", clock=clock)
    bank.write_text(BANK.replace(ITALY, ""), encoding="utf-8")
    build_one(bank, tmp_path / "out", "json", clock=clock)
    # written again elsewhere, in another section: the same question, the same note
    bank.write_text(BANK.replace(ITALY, "") + "\n" + ITALY, encoding="utf-8")
    deck = check([bank], Settings()).decks[0].deck
    again = {q.prompt: q.guid for q in deck.questions}
    assert again == first and deck.removed == ()


def test_the_json_lists_removed_questions_and_stats_counts_them(content, tmp_path):
    from click.testing import CliRunner

    from cardsmith.cli.commands import main

    bank = write(content, "capitals.md", BANK)
    clock = Clock()
    build_one(bank, tmp_path / "out", "json", clock=clock)
    bank.write_text(BANK.replace(ITALY, ""), encoding="utf-8")
    path = build_one(bank, tmp_path / "out", "json", clock=clock)
    data = json.loads(path.read_text(encoding="utf-8"))
    [removed] = data["removed"]
    assert removed["prompt"] == "What is the capital of Italy?"
    assert removed["section"] == ["Europe"]
    assert removed["removed"] == clock.now
    stats = CliRunner().invoke(main, ["stats", str(bank), "--json"])
    assert json.loads(stats.output)[0]["removed"] == 1
    table = CliRunner().invoke(main, ["stats", str(bank)])
    assert "1 removed question (cardsmith forget" in table.output


def test_forget_drops_tombstones_and_the_next_build_stops_sending_them(content, tmp_path):
    from click.testing import CliRunner

    from cardsmith.cli.commands import main

    bank = write(content, "capitals.md", BANK)
    clock = Clock()
    out = tmp_path / "out"
    build_one(bank, out, "anki-csv", clock=clock)
    bank.write_text(BANK.replace(ITALY, "").replace(SPAIN, ""), encoding="utf-8")
    assert REMOVED in build_one(bank, out, "anki-csv", clock=clock).read_text(encoding="utf-8")
    lock = json.loads((content / LOCK_NAME).read_text(encoding="utf-8"))
    italy = next(t["id"] for t in lock["removed"] if "Italy" in t["prompt"])

    done = CliRunner().invoke(main, ["forget", str(content), "--id", italy])
    assert done.exit_code == 0, done.output
    assert "forgot 1 removed question" in done.output
    csv_text = build_one(bank, out, "anki-csv", clock=clock).read_text(encoding="utf-8")
    assert (
        "Madrid" in csv_text and "Italy" not in csv_text
    )  # rebuilt although the file is as it was

    done = CliRunner().invoke(main, ["forget", str(content)])
    assert done.exit_code == 0 and "forgot 1 removed question" in done.output
    assert REMOVED not in build_one(bank, out, "anki-csv", clock=clock).read_text(encoding="utf-8")
    assert "removed" not in json.loads((content / LOCK_NAME).read_text(encoding="utf-8"))

    nothing = CliRunner().invoke(main, ["forget", str(content), "--id", "nope"])
    assert nothing.exit_code == 1
    assert "no removed question with the id 'nope'" in nothing.output


def test_a_hand_edited_tombstone_is_an_error_at_its_line(content, tmp_path):
    bank = write(content, "capitals.md", BANK)
    clock = Clock()
    build_one(bank, tmp_path / "out", "json", clock=clock)
    bank.write_text(BANK.replace(ITALY, ""), encoding="utf-8")
    build_one(bank, tmp_path / "out", "json", clock=clock)
    lock = content / LOCK_NAME
    lines = lock.read_text(encoding="utf-8").split("\n")
    [line] = [n for n, text in enumerate(lines, 1) if "Italy" in text]
    lines[line - 1] = lines[line - 1].replace('"removed": ', '"removed": "yesterday", "x": ')
    lock.write_text("\n".join(lines), encoding="utf-8")
    result = check([bank], Settings())
    [error] = [str(d) for d in result.all_diagnostics]
    assert error.startswith(f"{lock}:{line}: error: cannot read the lock file")
