"""Configuration: `cardsmith config`, the precedence of default, config file, front matter and flag,
and bad settings as errors at their line."""

from __future__ import annotations

import json

import pytest

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
    assert "out            'built'" in shown and "cardsmith.toml" in shown
    assert "columns        0" in shown and "# default" in shown
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
    assert (
        "'letter'" in cardsmith("config").stdout and "pyproject.toml" in cardsmith("config").stdout
    )
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
