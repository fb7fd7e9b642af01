"""`cardsmith init`: a project that builds at once, never written over."""

from __future__ import annotations

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
