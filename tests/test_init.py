"""`cardsmith init`: a project that builds at once, never written over."""

from __future__ import annotations

import json

from cardsmith.build.pipeline import check
from cardsmith.settings import Settings

from support.anki_engine import build_one, import_package, notes
from support.command_line import cardsmith
from support.inputs import SEED, write


def test_init_then_build(tmp_path, monkeypatch):
    project = tmp_path / "flashcards"
    result = cardsmith("init", str(project))
    assert result.exit_code == 0, result.output
    assert (project / "content" / "example.md").exists() and (project / ".gitignore").exists()
    monkeypatch.chdir(project)
    built = cardsmith("build", "-f", "apkg", "-f", "json")
    assert built.exit_code == 0, built.output
    assert "example: 4 questions, 2 sections" in built.stdout
    assert (project / "output" / "example.apkg").exists()
    assert cardsmith("init", str(project)).exit_code == 1  # never overwrites


def test_seed_builds_with_the_example_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "content", SEED.name, SEED.read_bytes())
    assert cardsmith("init", ".").exit_code == 0
    result = cardsmith("build", "-f", "json", "-q")
    assert result.exit_code == 0, result.output


def test_a_new_project_tags_sections_under_their_deck(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cardsmith("init").exit_code == 0
    assert "prefix_tags = true" in (tmp_path / "cardsmith.toml").read_text(encoding="utf-8")
    write(
        tmp_path / "content", "other.md", "---\ndeck: AWS ML\n---\n# Other\n## Basics\n### Q?\nA.\n"
    )
    assert cardsmith("build", "-f", "json").exit_code == 0
    tags = {
        name: json.loads((tmp_path / "output" / f"{name}.json").read_text())["sections"][0]["tag"]
        for name in ("example", "other")
    }
    # a section "Basics" in two decks: two tags
    assert tags == {"example": "example-deck::basics", "other": "aws-ml::basics"}


def test_without_the_setting_a_project_keeps_its_tags(seed_copy):
    deck = check([seed_copy], Settings()).decks[0].deck
    assert deck.sections[0].questions[0].tags == ("amazon-sagemaker",)
    front_matter = check([seed_copy], Settings(prefix_tags=True)).decks[0].deck
    assert front_matter.sections[0].questions[0].tags == (
        "aws-machine-learning-engineer-interview-questions::amazon-sagemaker",
    )


def test_turning_prefixed_tags_on_updates_each_note_and_adds_none(seed_copy, tmp_path, collection):
    """A tag change is an edit: the same notes (the lock keeps each question's GUID), newer, with
    the new tags; Anki updates them and adds nothing."""
    out = tmp_path / "out"
    import_package(collection, build_one(seed_copy, out, clock=lambda: 1_800_000_000))
    before = {note.guid: note.tags for note in notes(collection)}
    assert len(before) == 20 and before == {g: t for g, t in before.items() if "::" not in t[0]}
    package = build_one(seed_copy, out, prefix_tags=True, clock=lambda: 1_800_000_100)
    log = import_package(collection, package)
    assert (len(log.new), len(log.updated)) == (0, 20)
    after = {note.guid: note.tags for note in notes(collection)}
    assert set(after) == set(before)
    prefix = "aws-machine-learning-engineer-interview-questions::"
    assert all(tags == [prefix + before[guid][0]] for guid, tags in after.items())
