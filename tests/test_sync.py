"""`cardsmith sync`: decks written straight into a real Anki collection file (the `anki` engine)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from anki.collection import Collection
from click.testing import CliRunner

from cardsmith.cli.commands import main
from cardsmith.identity import LOCK_NAME

from support.inputs import write

BANK = """\
# Capitals

## Europe

### What is the capital of France?
Paris.

![flag](flag.png)

### What is the capital of Italy?
Rome.

## Asia

### What is the capital of Japan?
Tokyo.
"""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture
def project(content):
    write(content, "flag.png", PNG)
    return write(content, "capitals.md", BANK)


@pytest.fixture
def collection_path(tmp_path):
    path = tmp_path / "profile" / "collection.anki2"
    path.parent.mkdir()
    Collection(str(path)).close()
    return path


def sync(collection_path, content, *extra: str):
    return CliRunner().invoke(main, ["sync", str(collection_path), str(content), *extra])


def opened(collection_path) -> Collection:
    return Collection(str(collection_path))


def test_sync_adds_then_updates_keeping_review_history(project, content, collection_path):
    done = sync(collection_path, content)
    assert done.exit_code == 0, done.output
    assert "add 3, update 0, move 0, delete 0" in done.output
    backups = list((collection_path.parent / "cardsmith-backups").iterdir())
    assert len(backups) == 1 and backups[0].suffix == ".anki2"
    col = opened(collection_path)
    try:
        assert col.note_count() == 3
        media = col.media.dir()
        [card_id] = col.find_cards('"Question:What is the capital of France?"')
        card = col.get_card(card_id)
        card.start_timer()
        states = col._backend.get_scheduling_states(card.id)
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=3))
        card = col.get_card(card_id)
        card.ivl = 30
        col.update_card(card)
        reviews = col.db.scalar("SELECT count() FROM revlog")
    finally:
        col.close()
    from pathlib import Path

    flag = [p for p in Path(media).iterdir() if p.name.startswith("cardsmith-flag-")]
    assert len(flag) == 1 and flag[0].read_bytes() == PNG

    project.write_text(BANK.replace("Paris.", "Paris, on the Seine."), encoding="utf-8")
    done = sync(collection_path, content, "-v")
    assert done.exit_code == 0, done.output
    assert "add 0, update 1, move 0, delete 0" in done.output
    assert "update: What is the capital of France?" in done.output
    col = opened(collection_path)
    try:
        assert col.note_count() == 3
        [note] = col.find_notes('"Question:What is the capital of France?"')
        assert "on the Seine" in col.get_note(note)["Answer"]
        assert col.get_card(card_id).ivl == 30
        assert col.db.scalar("SELECT count() FROM revlog") == reviews
    finally:
        col.close()


def test_sync_deletes_removed_questions_or_only_tags_them(project, content, collection_path):
    assert sync(collection_path, content).exit_code == 0
    project.write_text(
        BANK.replace("### What is the capital of Italy?\nRome.\n\n", ""), encoding="utf-8"
    )
    kept = sync(collection_path, content, "--keep-removed")
    assert kept.exit_code == 0, kept.output
    assert "update 1" in kept.output and "delete 0" in kept.output
    col = opened(collection_path)
    try:
        assert col.note_count() == 3
        [italy] = col.find_notes("tag:cardsmith::removed")
        assert "Italy" in col.get_note(italy)["Question"]
    finally:
        col.close()

    done = sync(collection_path, content)
    assert done.exit_code == 0, done.output
    assert "delete 1" in done.output
    col = opened(collection_path)
    try:
        assert col.note_count() == 2
        assert col.find_notes("Italy") == []
    finally:
        col.close()
    again = sync(collection_path, content)  # the deleted note is not brought back
    assert "add 0, update 0, move 0, delete 0" in again.output
    col = opened(collection_path)
    try:
        assert col.note_count() == 2
    finally:
        col.close()


def test_sync_moves_the_cards_of_a_question_moved_to_another_section(
    project, content, collection_path
):
    assert sync(collection_path, content).exit_code == 0
    moved = BANK.replace("### What is the capital of Italy?\nRome.\n\n", "") + (
        "\n### What is the capital of Italy?\nRome.\n"
    )
    project.write_text(moved, encoding="utf-8")
    done = sync(collection_path, content)
    assert done.exit_code == 0, done.output
    assert "move 1" in done.output
    col = opened(collection_path)
    try:
        [card] = col.find_cards('"Question:What is the capital of Italy?"')
        assert col.decks.name(col.get_card(card).did) == "Capitals::Asia"
    finally:
        col.close()


def test_a_dry_run_says_what_it_would_do_and_changes_nothing(project, content, collection_path):
    assert sync(collection_path, content).exit_code == 0
    project.write_text(
        BANK.replace("Rome.", "Rome, since 1871.").replace("## Asia\n", "## Asia\n\n### What is the "
                     "capital of Korea?\nSeoul.\n"),
        encoding="utf-8",
    )  # fmt: skip
    lock = (content / LOCK_NAME).read_bytes()
    before = collection_path.read_bytes()
    done = sync(collection_path, content, "--dry-run")
    assert done.exit_code == 0, done.output
    assert "would add 1, would update 1, would move 0, would delete 0" in done.output
    assert "add: What is the capital of Korea?" in done.output
    assert "update: What is the capital of Italy?" in done.output
    assert collection_path.read_bytes() == before
    assert (content / LOCK_NAME).read_bytes() == lock
    assert len(list((collection_path.parent / "cardsmith-backups").iterdir())) == 1


def test_sync_refuses_a_collection_open_in_anki(project, content, collection_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
                import sys
                from anki.collection import Collection
                col = Collection({str(collection_path)!r})
                col.set_config("held", True)  # Anki holds its collection locked while it runs
                print("open", flush=True)
                sys.stdin.read()
                col.close()
            """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        done = sync(collection_path, content)
    finally:
        holder.communicate("")
    assert done.exit_code == 1
    assert f"{collection_path}: error: the collection is open in Anki" in done.output
    assert not (collection_path.parent / "cardsmith-backups").exists()
    assert not (content / LOCK_NAME).exists()  # nothing was built either
    assert sync(collection_path, content).exit_code == 0  # once Anki is closed


@pytest.mark.parametrize("kind", ["missing", "not a collection"])
def test_sync_refuses_what_is_not_a_collection(project, content, tmp_path, kind):
    path = tmp_path / "c.anki2"
    if kind == "not a collection":
        path.write_text("hello", encoding="utf-8")
    done = sync(path, content)
    assert done.exit_code == 1
    assert done.output.startswith(f"{path}: error: ")
    assert "Traceback" not in done.output


def test_sync_of_a_deck_with_errors_changes_nothing(content, collection_path):
    write(content, "bad.md", "# T\n### Q?\n![x](missing.png)\nA.\n")
    before = collection_path.read_bytes()
    done = sync(collection_path, content)
    assert done.exit_code == 1
    assert "not changed (the decks have errors)" in done.output
    assert collection_path.read_bytes() == before
