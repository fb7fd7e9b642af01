"""Which project a Markdown file belongs to: one lock and one content folder, however it is built."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from cardsmith.build.pipeline import build, check, discover
from cardsmith.cli.commands import main
from cardsmith.identity import LOCK_NAME
from cardsmith.settings import Settings

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
