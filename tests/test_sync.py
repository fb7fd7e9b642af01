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
    write(content, "bad.md", "# T\n### Q?\n![x](../outside.png)\nA.\n")
    before = collection_path.read_bytes()
    done = sync(collection_path, content)
    assert done.exit_code == 1
    assert "not changed (the decks have errors)" in done.output
    assert collection_path.read_bytes() == before


# --- hygiene, all or nothing, and collections that cannot be used (issue #31, items 2 and 9) ------


def backups_of(collection_path) -> list:
    folder = collection_path.parent / "cardsmith-backups"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_backup_is_made_only_when_something_changes_and_the_last_n_are_kept(
    project, content, collection_path, monkeypatch
):
    assert sync(collection_path, content).exit_code == 0
    again = sync(collection_path, content)
    assert "add 0, update 0, move 0, delete 0" in again.output
    assert "backup:" not in again.output
    assert len(backups_of(collection_path)) == 1
    write(content.parent, "cardsmith.toml", "backups = 2\n")
    monkeypatch.chdir(content.parent)  # where the config is looked for
    for number in range(4):
        project.write_text(BANK.replace("Tokyo.", f"Tokyo ({number})."), encoding="utf-8")
        done = CliRunner().invoke(main, ["sync", str(collection_path), str(content)])
        assert done.exit_code == 0, done.output
        assert "update 1" in done.output and "backup:" in done.output
    assert len(backups_of(collection_path)) == 2


def test_removed_notes_are_deleted_in_this_run_once_and_their_tombstones_go(
    project, content, collection_path
):
    assert sync(collection_path, content).exit_code == 0
    project.write_text(
        BANK.replace("### What is the capital of Italy?\nRome.\n\n", ""), encoding="utf-8"
    )
    done = sync(collection_path, content)
    assert done.exit_code == 0, done.output
    assert "delete 1" in done.output
    assert "its note was deleted by this sync" in done.output
    assert "in the next import" not in done.output
    col = opened(collection_path)
    try:
        graves = col.db.scalar("SELECT count() FROM graves")
    finally:
        col.close()
    lock = (content / LOCK_NAME).read_text(encoding="utf-8")
    assert "Italy" not in lock  # the tombstone went with its note
    for _ in range(2):  # nothing is sent again, so Anki's deletion log stays as it is
        again = sync(collection_path, content)
        assert "add 0, update 0, move 0, delete 0" in again.output
    col = opened(collection_path)
    try:
        assert col.db.scalar("SELECT count() FROM graves") == graves
        assert col.note_count() == 2
    finally:
        col.close()


def test_a_sync_sends_only_the_notes_that_changed(project, content, collection_path, monkeypatch):
    assert sync(collection_path, content).exit_code == 0
    project.write_text(BANK.replace("Rome.", "Rome, on the Tiber."), encoding="utf-8")
    from cardsmith.collection import anki_file

    sent = []
    real = anki_file.import_package

    def counting(col, package):
        log = real(col, package)
        sent.append(len(log.new) + len(log.updated) + len(log.duplicate))
        return log

    monkeypatch.setattr("cardsmith.collection.sync.import_package", counting)
    done = sync(collection_path, content)
    assert done.exit_code == 0, done.output
    assert sent == [1]


def test_the_lock_records_what_the_collection_holds(project, content, collection_path):
    assert sync(collection_path, content).exit_code == 0
    import json

    data = json.loads((content / LOCK_NAME).read_text(encoding="utf-8"))
    assert data["version"] == 4
    assert all(len(e["fields"]) == 33 and len(e["base"]) == 16 for e in data["questions"])
    assert all(e["base"] == e["content"] for e in data["questions"])


def test_a_collection_with_a_missing_table_is_refused_before_any_backup(
    project, content, collection_path
):
    import sqlite3

    connection = sqlite3.connect(collection_path)
    connection.execute("DROP TABLE graves")
    connection.commit()
    connection.close()
    done = sync(collection_path, content)
    assert done.exit_code == 1
    assert f"{collection_path}: error: not an Anki collection, or a damaged one" in done.output
    assert "graves" in done.output and "Traceback" not in done.output
    assert backups_of(collection_path) == []


def test_a_collection_made_by_a_newer_anki_is_said_so(project, content, collection_path):
    import sqlite3

    connection = sqlite3.connect(collection_path)
    connection.execute("UPDATE col SET ver = 99")
    connection.commit()
    connection.close()
    done = sync(collection_path, content)
    assert done.exit_code == 1
    assert "made by a newer Anki" in done.output and "Traceback" not in done.output
    assert backups_of(collection_path) == []


def _read_only(path) -> None:
    """Make `path` unwritable even for root (an immutable file), where the file system allows it."""
    import os

    path.chmod(0o444)
    immutable = ["chattr", "+i", str(path)]
    if os.access(path, os.W_OK) and subprocess.run(immutable, capture_output=True).returncode:
        pytest.skip("cannot make a file read-only here")


def test_a_read_only_collection_is_said_so(project, content, collection_path):
    _read_only(collection_path)
    try:
        done = sync(collection_path, content)
    finally:
        subprocess.run(["chattr", "-i", str(collection_path)], capture_output=True)
        collection_path.chmod(0o644)
    assert done.exit_code == 1
    assert f"{collection_path}: error: the collection is read-only" in done.output
    assert "Traceback" not in done.output
    assert backups_of(collection_path) == []


_KILLER = """
import os, signal, sys
from pathlib import Path
from cardsmith.collection.sync import sync
from cardsmith.run import Run
from cardsmith.settings import Settings

target = sys.argv[3]

def activity(text):
    if text == target:
        os.kill(os.getpid(), signal.SIGKILL)

sync(Path(sys.argv[1]), [Path(sys.argv[2])], Settings(jobs=1), Run(activity=activity))
"""
# (no "reading the decks": the pull here writes nothing, and the sync goes on with its reading)
SYNC_STEPS = [
    "sync: pulling what was edited in Anki",
    "sync: copying the collection",
    "sync: opening the copy",
    "sync: writing capitals.apkg",
    "sync: importing capitals.apkg",
    "sync: moving cards",
    "sync: deleting the notes of removed questions",
    "sync: copying media",
    "sync: keeping a backup",
    "sync: replacing the collection",
    "sync: writing the lock",
]


def _state(collection_path) -> dict:
    """What a collection holds, as far as a sync changes it; and whether Anki finds it sound (on a
    copy: the check rebuilds things)."""
    import shutil

    col = opened(collection_path)
    try:
        state = {
            "notes": sorted(
                (n.guid, tuple(n.fields[:2]), tuple(sorted(n.tags)))
                for n in (col.get_note(i) for i in col.find_notes(""))
            ),
            "decks": sorted(
                (col.get_card(c).note().guid, col.decks.name(col.get_card(c).did))
                for c in col.find_cards("")
            ),
            "graves": col.db.scalar("SELECT count() FROM graves"),
            "reviews": col.db.scalar("SELECT count() FROM revlog"),
        }
    finally:
        col.close()
    probe = collection_path.with_name("probe.anki2")
    shutil.copyfile(collection_path, probe)
    col = opened(probe)
    try:
        problems, ok = col.fix_integrity()
    finally:
        col.close()
    assert ok, problems
    return state


def test_a_sync_killed_at_any_step_leaves_the_collection_as_it_was_or_as_it_should_be(
    project, content, collection_path, tmp_path
):
    import shutil

    write(content, "map.png", PNG + b"map")
    assert sync(collection_path, content).exit_code == 0
    start = tmp_path / "start"
    shutil.copytree(collection_path.parent, start / "profile")
    shutil.copytree(content, start / "content")
    # an update, an addition with an image, a move and a deletion, all in one sync
    edited = (
        BANK.replace("Paris.", "Paris, on the Seine.")
        .replace("### What is the capital of Italy?\nRome.\n\n", "")
        .replace(
            "## Asia\n",
            "## Asia\n\n### What is the capital of Spain?\nMadrid.\n\n![map](map.png)\n",
        )
    )
    reference = tmp_path / "reference"
    shutil.copytree(start, reference)
    (reference / "content" / "capitals.md").write_text(edited, encoding="utf-8")
    done = sync(reference / "profile" / "collection.anki2", reference / "content")
    assert "add 1, update 1, move 0, delete 1" in done.output, done.output
    after = _state(reference / "profile" / "collection.anki2")
    before = _state(start / "profile" / "collection.anki2")
    seen = set()
    for step in SYNC_STEPS:
        run = tmp_path / f"run-{SYNC_STEPS.index(step)}"
        shutil.copytree(start, run)
        (run / "content" / "capitals.md").write_text(edited, encoding="utf-8")
        col_path = run / "profile" / "collection.anki2"
        killed = subprocess.run(
            [sys.executable, "-c", _KILLER, str(col_path), str(run / "content"), step],
            capture_output=True,
            text=True,
        )
        assert killed.returncode == -9, (step, killed.stderr)  # the step was reached
        state = _state(col_path)
        assert state in (before, after), step
        seen.add("after" if state == after else "before")
        again = sync(col_path, run / "content")
        assert again.exit_code == 0, (step, again.output)
        assert _state(col_path)["notes"] == after["notes"], step
        assert _state(col_path)["graves"] <= after["graves"] + 1, step
        last = sync(col_path, run / "content")
        assert "add 0, update 0, move 0, delete 0" in last.output, (step, last.output)
        media = col_path.parent / "collection.media"
        assert any(p.name.startswith("cardsmith-map-") for p in media.iterdir()), step
    assert seen == {"before", "after"}
