"""Which project a Markdown file belongs to: one lock and one content folder, however it is built."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from cardsmith.build.pipeline import build, check, discover
from cardsmith.cli.commands import main
from cardsmith.identity import LOCK_NAME
from cardsmith.settings import Settings

from support.command_line import cardsmith
from support.inputs import write
from support.library import settings_and_run

DECK = "# T\n## S\n### What is a monad?\nA monoid in the category of endofunctors.\n"


def _ids(source) -> dict[str, str]:
    return {q.prompt: q.id for r in check([source], Settings()).decks for q in r.deck.questions}


def test_a_file_built_alone_uses_the_lock_of_its_folder_above(content, tmp_path):
    path = write(content, "sub/x.md", DECK)
    build([content], tmp_path / "out", ["json"], Settings())
    [old] = _ids(content).values()
    path.write_text(DECK.replace("What is a monad?", "What's a monad?"), encoding="utf-8")
    build([path], tmp_path / "out", ["json"], Settings())
    assert not (content / "sub" / LOCK_NAME).exists()
    assert _ids(path) == {"What's a monad?": old}
    entries = json.loads((content / LOCK_NAME).read_text())["questions"]
    assert [(e["file"], e["prompt"]) for e in entries] == [("sub/x.md", "What's a monad?")]


def test_a_folder_built_below_the_lock_uses_that_lock(content, tmp_path):
    write(content, "sub/x.md", DECK)
    build([content], tmp_path / "out", ["json"], Settings())
    build([content / "sub"], tmp_path / "out", ["json"], Settings())
    assert not (content / "sub" / LOCK_NAME).exists()
    [(_, root)] = discover([content / "sub"])[0]
    assert root == content


def test_before_the_first_build_a_config_names_the_content_folder(tmp_path, monkeypatch):
    project = tmp_path / "cards"
    write(project, "cardsmith.toml", 'sources = ["content"]\n')
    path = write(project, "content/sub/x.md", DECK)
    monkeypatch.chdir(tmp_path)
    build([path.relative_to(tmp_path)], tmp_path / "out", ["json"], Settings())
    assert (project / "content" / LOCK_NAME).is_file()
    assert not (path.parent / LOCK_NAME).exists()


def test_an_image_beside_the_content_folder_root_is_reachable_from_a_file_built_alone(content):
    write(content, "pic.png", b"\x89PNG\r\n\x1a\n")
    write(content, LOCK_NAME, '{"version": 2, "questions": [\n\n]}\n')
    path = write(content, "sub/x.md", "# T\n### Q?\n![p](../pic.png)\n")
    [deck] = check([path], Settings()).decks
    assert not deck.failed, deck.diagnostics


def test_the_search_stops_at_the_top_of_a_repository(tmp_path):
    write(tmp_path, LOCK_NAME, '{"version": 2, "questions": [\n\n]}\n')  # someone else's
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    path = write(repository, "notes/x.md", DECK)
    [(_, root)] = discover([path])[0]
    assert root == path.parent


def test_a_markdown_link_to_a_file_outside_the_content_folder_is_refused(tmp_path, content):
    secret = write(tmp_path, "elsewhere/secret.md", "# Secret\n### Q?\nprivate answer\n")
    os.symlink(secret, content / "linked.md")
    write(content, "real.md", DECK)
    result = build([content], tmp_path / "out", ["json"], Settings())
    assert result.failed
    messages = [str(d) for d in result.all_diagnostics]
    assert messages == [
        f"{content / 'linked.md'}: error: is a link to a file outside the content folder {content}"
    ]
    assert [r.path.name for r in result.decks] == ["real.md"]
    assert "private answer" not in (tmp_path / "out" / "real.json").read_text()


def test_hidden_folders_at_any_depth_are_not_content(content):
    write(content, "deck.md", DECK)
    write(content, "notes/.trash/old.md", DECK)
    write(content, ".cache/x.md", DECK)  # (a folder with .obsidian/ is a vault: test_obsidian.py)
    files, problems = discover([content])
    assert [path.name for path, _ in files] == ["deck.md"] and problems == []


def test_an_empty_folder_is_an_error_not_silence(tmp_path):
    (tmp_path / "empty").mkdir()
    write(tmp_path, "notes/readme.txt", "not markdown")
    for folder in ("empty", "notes"):
        result = CliRunner().invoke(main, ["check", str(tmp_path / folder)])
        assert result.exit_code == 1
        assert (
            f"{tmp_path / folder}: error: no Markdown files (*.md) in this folder" in result.output
        )


def test_a_second_build_of_a_project_waits_for_the_first_and_keeps_its_ids(content, tmp_path):
    import fcntl
    import threading

    write(content, "a.md", DECK)
    build([content], tmp_path / "out", ["json"], Settings())
    first = json.loads((content / LOCK_NAME).read_text())["questions"]
    write(content, "b.md", DECK.replace("monad", "functor"))
    waited = threading.Event()
    # another build holds the content folder, as `build.project.updating` does
    held = os.open(content, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    second = threading.Thread(
        target=build,
        args=(
            [content / "b.md"],
            tmp_path / "out",
            ["json"],
            *settings_and_run(waiting=lambda f: waited.set()),
        ),
    )
    second.start()
    try:
        assert waited.wait(20), "the second build did not wait"
        assert second.is_alive()
        lock = json.loads((content / LOCK_NAME).read_text())["questions"]
        assert lock == first  # untouched while the first build holds it
    finally:
        os.close(held)  # the first build ends
    second.join(20)
    assert not second.is_alive()
    entries = json.loads((content / LOCK_NAME).read_text())["questions"]
    assert [e["file"] for e in entries] == ["a.md", "b.md"]
    assert entries[0] == first[0]


def test_the_command_line_says_it_is_waiting(content, capsys):
    from cardsmith.cli.terminal import run

    run(None).waiting(content)
    assert (
        capsys.readouterr().err == f"waiting for another cardsmith build of {content} to finish\n"
    )


def test_a_file_without_questions_in_a_folder_is_left_out_with_a_warning(content, tmp_path):
    write(content, "deck.md", DECK)
    write(content, "README.md", "# About these decks\n\nNotes for whoever reads the repository.\n")
    write(content, "notes/empty.md", "")
    result = cardsmith("build", str(content), "-o", str(tmp_path / "out"), "-f", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"{content / 'README.md'}: warning: no questions found; left out of the build "
        "(`exclude` leaves it out quietly)\n"
        f"{content / 'notes/empty.md'}: warning: file is empty; left out of the build "
        "(`exclude` leaves it out quietly)\n"
    )
    assert result.stdout == f"deck: 1 question, 1 section -> {tmp_path / 'out/deck.json'}\n"
    assert sorted(p.name for p in (tmp_path / "out").glob("[!.]*")) == ["deck.json"]
    strict = cardsmith("check", str(content), "--strict")
    assert strict.exit_code == 1 and ": error: no questions found; left out" in strict.stderr


def test_a_file_without_questions_named_alone_stays_an_error(content):
    readme = write(content, "README.md", "# About\n\nNothing to ask.\n")
    empty = write(content, "empty.md", " \n\n")
    result = cardsmith("check", str(readme), str(empty))
    assert result.exit_code == 1
    assert f"{readme}:1: error: no questions found: expected headings like" in result.stderr
    assert f"{empty}:1: error: file is empty\n" in result.stderr


def test_exclude_leaves_files_and_folders_out_of_a_folder_build(content, tmp_path, monkeypatch):
    for name in ("deck.md", "README.md", "sub/README.md", "drafts/a.md", "sub/drafts/b.md"):
        write(content, name, DECK)
    write(content, "notes/todo.md", DECK)
    write(content, "notes/keep.md", DECK)

    def found(*exclude: str) -> list[str]:
        return [path.relative_to(content).as_posix() for path, _ in discover([content], exclude)[0]]

    assert found("README.md", "drafts") == ["deck.md", "notes/keep.md", "notes/todo.md"]
    assert found("notes/*", "**/README.md") == ["deck.md", "drafts/a.md", "sub/drafts/b.md"]
    assert found("*.md") == []
    assert [str(d) for d in discover([content], ["*.md"])[1]] == [
        f"{content}: error: no Markdown files (*.md) in this folder but the 7 that `exclude` "
        "leaves out"
    ]
    # a file named alone is built whatever `exclude` says
    assert [p for p, _ in discover([content / "README.md"], ["README.md"])[0]] == [
        content / "README.md"
    ]
    # from the config file, and from the command line
    write(tmp_path, "cardsmith.toml", 'exclude = ["README.md", "drafts"]\n')
    monkeypatch.chdir(tmp_path)
    result = cardsmith("check", "-q")
    assert (result.exit_code, result.output) == (0, "")
    # the command line's list replaces the config's
    assert cardsmith("check", "--exclude", "notes").stdout.count("1 question") == 5


def test_an_unreadable_subfolder_is_an_error_naming_it(content, tmp_path, monkeypatch):
    write(content, "deck.md", DECK)
    locked = content / "locked"
    write(locked, "hidden-deck.md", DECK)
    scandir = os.scandir

    def refusing(path):  # as for a folder without the read permission (root may read any)
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    result = cardsmith("build", str(content), "-o", str(tmp_path / "out"), "-f", "json")
    assert result.exit_code == 1
    assert result.stderr == f"{locked}: error: cannot read this folder: Permission denied\n"
    assert (tmp_path / "out" / "deck.json").is_file()  # the other decks still build
