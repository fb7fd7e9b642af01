"""Configuration: `cardsmith config`, the precedence of default, config file, front matter and flag,
and bad settings as errors at their line."""

from __future__ import annotations

import json
import tomllib

import pytest

from cardsmith.settings import SETTINGS

from support.command_line import cardsmith
from support.inputs import write


def test_config_precedence_default_config_front_matter_flag(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    write(tmp_path / "content", "a.md", "# A\n### Q?\nYes, really.\n")
    write(tmp_path / "content", "b.md", "---\ntags: [own]\n---\n# B\n### Q?\nYes, really.\n")
    (tmp_path / "cardsmith.toml").write_text(
        'out = "built"\nformats = ["json"]\ntags = ["from-config"]\npaper = "letter"\n', "utf-8"
    )
    shown = cardsmith("config").stdout
    assert tomllib.loads(shown)["out"] == "built"  # valid TOML, to paste into cardsmith.toml
    assert 'out = "built"' in shown and "# cardsmith.toml: folder the outputs go to" in shown
    assert "columns = 0" in shown and "# default: cheat-sheet columns" in shown
    result = cardsmith("build")
    assert result.exit_code == 0, result.output
    tags = {
        name: json.loads((tmp_path / "built" / f"{name}.json").read_text())["tags"]
        for name in ("a", "b")
    }
    assert tags == {"a": ["from-config"], "b": ["own"]}  # front matter beats the config
    assert sorted(p.name for p in (tmp_path / "built").iterdir() if not p.name.startswith(".")) == [
        "a.json",
        "b.json",
    ]
    flagged = cardsmith("build", "-o", "elsewhere", "-f", "csv")  # flags beat the config
    assert flagged.exit_code == 0
    assert (tmp_path / "elsewhere" / "a.csv").exists()


def test_pyproject_tool_table_and_bad_config_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.cardsmith]\npaper = "letter"\n'
    )
    shown = cardsmith("config").stdout
    assert tomllib.loads(shown)["paper"] == "letter"
    assert 'paper = "letter"' in shown and "# pyproject.toml: PDF paper size" in shown
    (tmp_path / "cardsmith.toml").write_text('paper = "a3"\n')
    result = cardsmith("config")
    assert result.exit_code == 1
    assert "cardsmith.toml:1: error: paper: 'a3' is not one of a4, letter" in result.stderr


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('formats = ["apkg", "nope"]', "formats: 'nope' is not one of apkg, csv,"),
        ("formats = [1]", "formats must be a list of texts in quotes"),
        ('tags = "x"', "tags must be a list"),
        ("jobs = -1", "jobs must be 0 or more"),
        ("columns = 9", "columns must be 0 to 6"),
        ('columns = "2"', "columns must be a whole number"),
        ("strict = 1", "strict must be true or false"),
        ('questions = "nope"', "questions: 'nope' is not one of auto, heading,"),
    ],
)
def test_a_bad_setting_is_an_error_at_its_line(tmp_path, monkeypatch, setting, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "content", "a.md", "# A\n### Q?\nYes.\n")
    (tmp_path / "cardsmith.toml").write_text(f'# mine\nout = "built"\n{setting}\n', "utf-8")
    for command in (["config"], ["build"]):
        result = cardsmith(*command)
        assert result.exit_code == 1
        assert f"cardsmith.toml:3: error: {message}" in result.stderr
        assert isinstance(result.exception, SystemExit)  # a message, never a traceback
    assert not (tmp_path / "built").exists()


def test_the_config_is_found_from_a_subfolder_with_its_paths(tmp_path, monkeypatch):
    """`cd content && cardsmith build x.md` uses ../cardsmith.toml and the project's output."""
    write(tmp_path, "cardsmith.toml", 'formats = ["json"]\n')
    write(tmp_path / "content", "x.md", "# X\n### Q?\nYes.\n")
    monkeypatch.chdir(tmp_path / "content")
    result = cardsmith("build", "x.md", "-v")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("config: ../cardsmith.toml\n")
    assert result.stdout.startswith("x: 1 question, 1 section -> ../output/x.json\n")
    assert (tmp_path / "output" / "x.json").is_file()
    assert not (tmp_path / "content" / "output").exists()
    shown = cardsmith("config").stdout
    assert shown.startswith(
        "# in force: ../cardsmith.toml, the command line and the defaults (paths relative to ../)\n"
    )
    assert tomllib.loads(shown)["out"] == "output"  # as cardsmith.toml would write it
    assert 'formats = ["json"]            # ../cardsmith.toml: formats to build' in shown


def test_a_bad_config_above_is_named_relative_to_here(tmp_path, monkeypatch):
    write(tmp_path, "cardsmith.toml", '# mine\n\npapr = "letter"\n')
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path / "content")
    result = cardsmith("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "../cardsmith.toml:3: error: unknown setting 'papr' (did you mean 'paper'?)\n"
    )


def test_without_a_config_or_content_folder_the_error_says_init(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in ("build", "check", "stats", "watch"):
        result = cardsmith(command)
        assert result.exit_code == 1
        assert result.stderr == (
            "error: no content/ folder here and no cardsmith.toml here or above: start a project "
            "with `cardsmith init`, or name the Markdown files or folders to read\n"
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'out = "built"\n\nformats = ["json"\npaper = "a4"\n',
            "cardsmith.toml:4: error: invalid TOML: unclosed array at column 1\n",
        ),
        ('out = "built"\njobs = \n', "cardsmith.toml:2: error: invalid TOML: invalid value"),
        ('# ok\nout = "a"\nout = "b"\n', "cardsmith.toml:3: error: invalid TOML: cannot"),
        (
            "# ok\n\n[cardsmith]\npaper = 'letter'\n",
            "cardsmith.toml:3: error: settings sit at the top level of cardsmith.toml, without a "
            "[cardsmith] table: remove that line",
        ),
        ("question-level = 2\n", "error: unknown setting 'question-level' (did you mean"),
        ("formts = []\n", "cardsmith.toml:1: error: unknown setting 'formts' (did you mean"),
        ("speed = 1\n", "cardsmith.toml:1: error: unknown setting 'speed'\n"),
        (b'out = "\xff"\n', "cardsmith.toml:1: error: not valid UTF-8; save it as UTF-8"),
        # refused before it is read (a config is a few hundred bytes)
        ("#" * (1 << 20) + "\n", "cardsmith.toml: error: file is larger than 1 MiB; is it the"),
    ],
)
def test_config_mistakes_are_said_at_their_line(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "cardsmith.toml", text)
    result = cardsmith("config")
    assert result.exit_code == 1
    assert result.stderr.startswith(message) or message in result.stderr, result.stderr
    assert result.stdout == ""


def test_config_prints_every_setting_as_toml_that_reads_back(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "cardsmith.toml", 'tags = ["a \\"quoted\\" tag"]\nquestions = "qa"\n')
    shown = cardsmith("config", "--paper", "letter", "-o", "built", "-f", "apkg").stdout
    in_force = tomllib.loads(shown)
    assert list(in_force) == [s.name for s in SETTINGS]
    assert in_force["tags"] == ['a "quoted" tag'] and in_force["questions"] == "qa"
    assert (in_force["paper"], in_force["out"], in_force["formats"]) == (
        "letter",
        "built",
        ["apkg"],
    )
    assert 'paper = "letter"              # command line: PDF paper size' in shown
    # pasted into a cardsmith.toml, it is a config cardsmith takes
    write(tmp_path, "cardsmith.toml", shown)
    assert cardsmith("config").exit_code == 0


def test_a_misspelt_front_matter_key_is_a_warning_that_names_the_key_meant(content):
    path = write(
        content,
        "d.md",
        "---\ntitle: T\ntgas: [x]\nquestion_level: 2\nlayout: post\n---\n# T\n### Q?\nA.\n",
    )
    result = cardsmith("check", str(path))
    assert result.exit_code == 0
    assert result.stderr == (
        f"{path}:3: warning: unknown front matter key 'tgas' (did you mean 'tags'?)\n"
        f"{path}:4: warning: unknown front matter key 'question_level' (did you mean "
        "'question-level'?)\n"
    )
