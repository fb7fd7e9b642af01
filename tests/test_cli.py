"""The command line: messages, exit codes, summaries, defaults."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cardsmith import __version__
from cardsmith.build.pipeline import check
from cardsmith.cli.commands import main
from cardsmith.identity import LOCK_NAME
from cardsmith.settings import COMMAND_LINE, SETTINGS, Settings

from support.command_line import cardsmith
from support.inputs import ROOT, SEED, write


def test_check_reports_empty_answer_and_exits_0(content):
    path = write(content, "d.md", "# T\n## S\n### 1. Empty?\n\n### 2. Full?\nYes.\n")
    result = cardsmith("check", str(path))
    assert result.exit_code == 0
    assert f"{path}:3: warning: question has no answer" in result.stderr
    assert "d: 1 question, 1 section, 1 unanswered left out" in result.stdout


def test_check_strict_turns_warnings_into_errors(content):
    path = write(content, "d.md", "# T\n### 1. Empty?\n\n### 2. Full?\nYes.\n")
    result = cardsmith("check", "--strict", str(path))
    assert result.exit_code == 1
    assert f"{path}:2: error: question has no answer" in result.stderr


def test_check_error_exits_1_with_path_and_line(content):
    path = write(content, "d.md", "---\ntitle: [unclosed\n---\n# T\n### Q?\nA\n")
    result = cardsmith("check", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:")
    assert ": error: front matter" in result.stderr
    assert "Traceback" not in result.output


def test_missing_source_is_an_error(tmp_path):
    result = cardsmith("check", str(tmp_path / "nope.md"))
    assert result.exit_code == 1
    assert "nope.md: error: no such file or folder" in result.stderr


def test_build_writes_json_and_prints_summary(mis_encoded_seed_copy, tmp_path):
    out = tmp_path / "out"
    result = cardsmith("build", str(mis_encoded_seed_copy.parent), "-o", str(out), "-f", "json")
    assert result.exit_code == 0, result.output
    expected = out / "aws-ml-engineer-interview.json"
    assert (
        f"aws-ml-engineer-interview: 20 questions, 4 sections -> {expected.as_posix()}"
        in result.stdout
    )
    assert ":33: warning: repaired mis-encoded text" in result.stderr
    data = json.loads(expected.read_text(encoding="utf-8"))
    assert sum(len(s["questions"]) for s in data["sections"]) == 20


def test_one_broken_deck_does_not_stop_the_others(content, tmp_path):
    write(content, "good.md", "# T\n### Q?\nA\n")
    write(content, "bad.md", b"# T\n### Q?\n\xff\n")
    out = tmp_path / "out"
    result = cardsmith("build", str(content), "-o", str(out), "-f", "json")
    assert result.exit_code == 1
    assert "bad.md:3: error: not valid UTF-8" in result.stderr
    assert (out / "good.json").exists()
    assert not (out / "bad.json").exists()


def test_fail_fast_stops_at_the_first_broken_deck(content, tmp_path):
    write(content, "a.md", b"# T\n### Q?\n\xff\n")
    write(content, "b.md", "# T\n### Q?\nA\n")
    out = tmp_path / "out"
    result = cardsmith("build", str(content), "-o", str(out), "-f", "json", "--fail-fast")
    assert result.exit_code == 1
    assert not (out / "b.json").exists()


def test_quiet_prints_only_problems(mis_encoded_seed_copy, tmp_path):
    result = cardsmith(
        "build", str(mis_encoded_seed_copy), "-o", str(tmp_path / "o"), "-f", "json", "-q"
    )
    assert result.stdout == ""
    assert "warning" in result.stderr


def test_unknown_format_is_a_usage_error():
    result = cardsmith("build", "-f", "docx")
    assert result.exit_code == 2


def test_version_and_help():
    assert __version__ in cardsmith("--version").output
    for command in ([], ["build"], ["check"]):
        result = cardsmith(*command, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output


def test_build_py_is_cardsmith_build_with_defaults(tmp_path):
    work = tmp_path / "project"
    (work / "content").mkdir(parents=True)
    (work / "content" / SEED.name).write_bytes(SEED.read_bytes())
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "-f", "json"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (work / "output" / "aws-ml-engineer-interview.json").exists()


def test_the_shipped_sample_builds_without_a_warning_and_keeps_its_ids():
    """The sample once held a mis-encoded dash as a demo of the repair (now `mis_encoded_seed`);
    fixed, every question keeps the id and GUID its lock gave it."""
    result = check([SEED], Settings())
    assert result.all_diagnostics == []
    [deck] = [r.deck for r in result.decks]
    lock = json.loads((SEED.parent / LOCK_NAME).read_text(encoding="utf-8"))["questions"]
    assert sorted((q.id, q.guid) for q in deck.questions) == sorted(
        (e["id"], e["guid"]) for e in lock
    )


# commands that read no deck: init writes a project, forget edits the lock, completion prints a script
READ_NO_DECK = {"init", "forget", "completion"}
WRITE_FILES = {"build", "watch", "config"}  # config shows what a build would use


def test_every_command_that_reads_decks_takes_every_command_line_setting():
    for name, command in main.commands.items():
        if name in READ_NO_DECK:
            continue
        params = {p.name for p in command.params}
        for declared in SETTINGS:
            if COMMAND_LINE not in declared.where or declared.name == "sources":
                continue
            takes = name in WRITE_FILES or not declared.writing
            assert (declared.name in params) == takes, (name, declared.name)
        if name != "config":
            assert {"sources", "quiet", "verbose"} <= params, name


def test_check_takes_the_vault_and_language_settings(tmp_path):
    vault = tmp_path / "Vault"
    write(vault, ".obsidian/app.json", "{}")
    write(vault, "n.md", "#srs\nQuestion::Answer\n")
    result = cardsmith(
        "check", str(vault), "--flashcard-tag", "srs", "--lang", "de", "-j", "1", "--cloze", "bold"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "Vault: 1 question, 1 section\n"


def test_every_message_spells_error_one_way(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cardsmith("init").exit_code == 0
    again = cardsmith("init")
    assert again.exit_code == 1
    assert again.stderr == (
        "error: not overwriting existing files: content/example.md, cardsmith.toml, .gitignore\n"
    )
    usage = cardsmith("build", "-f", "docx")
    assert usage.exit_code == 2
    assert usage.stderr == (
        "Usage: cardsmith build [OPTIONS] [SOURCES]...\n"
        "Try 'cardsmith build --help' for help.\n\n"
        "error: Invalid value for '-f' / '--format': 'docx' is not one of 'apkg', 'csv', "
        "'anki-csv', 'pdf', 'cards-pdf', 'json', 'html'.\n"
    )
    assert cardsmith("bogus").stderr.endswith("\n\nerror: No such command 'bogus'.\n")


def test_init_here_says_the_next_step_without_cd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cardsmith("init").stdout == (
        "created content/example.md\ncreated cardsmith.toml\ncreated .gitignore\n"
        "next: cardsmith build\n"
    )
    assert cardsmith("init", "cards").stdout.endswith("next: cd cards && cardsmith build\n")


def test_command_summaries_are_whole_sentences_at_the_narrowest_help():
    shown = CliRunner().invoke(main, ["--help"], terminal_width=50).output
    listed = shown.split("Commands:\n", 1)[1].splitlines()
    assert len(listed) == len(main.commands)
    for line in listed:
        name, summary = line.split(maxsplit=1)
        assert summary.endswith(".") and "..." not in summary, line
        assert main.commands[name].help.startswith(summary)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_clicks_script(shell):
    from click.shell_completion import get_completion_class

    result = cardsmith("completion", shell)
    assert result.exit_code == 0
    expected = get_completion_class(shell)(main, {}, "cardsmith", "_CARDSMITH_COMPLETE").source()
    assert result.stdout == expected + "\n"
    assert "_CARDSMITH_COMPLETE" in result.stdout


def test_completion_completes_commands_and_choices(monkeypatch):
    monkeypatch.setenv("_CARDSMITH_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", "cardsmith build -f an")
    monkeypatch.setenv("COMP_CWORD", "3")
    result = CliRunner().invoke(main, [], prog_name="cardsmith")
    assert result.stdout == "plain,anki-csv\n"


def test_force_color_colours_messages_off_a_terminal_and_no_color_does_not(content, monkeypatch):
    path = write(content, "d.md", "# T\n### 1. Empty?\n\n### 2. Full?\nYes.\n")
    plain = f"{path}:2: warning: question has no answer; left out: 'Empty?'\n"
    assert cardsmith("check", str(path)).stderr == plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = cardsmith("check", str(path)).stderr
    assert coloured == plain.replace("warning:", "\x1b[33m\x1b[1mwarning:\x1b[0m")
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("NO_COLOR", "1")
    assert cardsmith("check", str(path)).stderr == plain


def test_an_output_folder_that_cannot_be_made_is_one_error(content, tmp_path):
    write(content, "a.md", "# A\n### Q?\nYes.\n")
    write(content, "b.md", "# B\n### R?\nNo.\n")
    write(tmp_path, "a-file", "not a folder")
    out = tmp_path / "a-file" / "out"
    result = cardsmith("build", str(content), "-o", str(out), "-f", "json", "-f", "csv")
    assert result.exit_code == 1
    assert result.stderr == f"{out}: error: cannot create the output folder: Not a directory\n"
    assert result.stdout == ""
