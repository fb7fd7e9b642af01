"""One settings schema (`cardsmith.options`): the command line, the config file, front matter,
`cardsmith init` and the build cache all follow it, so a setting is declared once."""

from __future__ import annotations

import dataclasses
import tomllib

import pytest
from click.testing import CliRunner

from cardsmith.build.cache import deck_key
from cardsmith.build.config import options_from, resolve
from cardsmith.build.project import example_config
from cardsmith.cli.commands import main
from cardsmith.options import (
    COMMAND_LINE,
    CONFIG,
    FRONT_MATTER,
    SETTINGS,
    DeckSettings,
    Options,
    problem,
)

from conftest import write


def _other_value(declared):
    """A valid value for the setting that is not its default."""
    if declared.allowed:
        if declared.kind is tuple:
            return next((choice,) for choice in declared.allowed if (choice,) != declared.default)
        return next(choice for choice in declared.allowed if choice != declared.default)
    if declared.kind is bool:
        return not declared.default
    if declared.kind is int:
        return (declared.low or 0) + 1
    if declared.kind is tuple:
        return ("other",)
    return "ja" if declared.pattern else "other"  # the one patterned text: a language tag


@pytest.mark.parametrize("declared", [s for s in SETTINGS if s.output], ids=lambda s: s.name)
def test_every_output_setting_changes_the_cache_key(declared, tmp_path):
    path = write(tmp_path, "d.md", "# T\n### Q?\nA.\n")
    value = _other_value(declared)
    assert problem(declared, value) is None
    base = deck_key(path, "digest", "[]", ["json"], Options())
    changed = [Options(**{declared.name: value})]
    if declared.deck:  # from the config file, a deck setting is a default for front matter
        changed.append(Options(deck_defaults={declared.name: value}))
    for options in changed:
        assert deck_key(path, "digest", "[]", ["json"], options) != base


def test_settings_that_do_not_change_outputs_keep_the_cache_key(tmp_path):
    path = write(tmp_path, "d.md", "# T\n### Q?\nA.\n")
    base = deck_key(path, "digest", "[]", ["json"], Options())
    others = [s for s in SETTINGS if not s.output]
    assert {s.name for s in others} == {"sources", "out", "formats", "jobs"}
    for declared in others:
        options = Options(**{declared.name: _other_value(declared)})
        assert deck_key(path, "digest", "[]", ["json"], options) == base


def test_every_command_line_setting_is_an_option_of_build():
    help_text = CliRunner().invoke(main, ["build", "--help"]).output
    for declared in SETTINGS:
        if COMMAND_LINE in declared.where and declared.name != "sources":
            assert declared.cli_names[-1] in help_text, declared.name
    assert "apkg: <stem>.apkg, an Anki package" in help_text  # the registry's descriptions


def test_the_example_config_holds_every_config_setting_at_its_default(tmp_path):
    table = tomllib.loads(example_config())
    assert set(table) == {s.name for s in SETTINGS if CONFIG in s.where}
    write(tmp_path, "cardsmith.toml", example_config())
    resolved = resolve(tmp_path, {})
    for declared in SETTINGS:
        value = resolved[declared.name].value
        assert (tuple(value) if declared.kind is tuple else value) == declared.default


def test_a_deck_setting_follows_command_line_then_front_matter_then_config_then_default():
    front = {"questions": "bold", "question-level": 3}
    settings = DeckSettings(
        overrides={"questions": "qa"}, defaults={"question_level": 2, "html": True}
    )
    values = settings.resolve(front)
    assert values["questions"] == "qa"  # the command line
    assert values["question_level"] == 3  # front matter, over the config's 2
    assert values["html"] is True  # the config
    assert values["tags"] == ()  # the default


def test_the_command_line_and_config_make_options(tmp_path):
    write(tmp_path, "cardsmith.toml", 'paper = "letter"\ntags = ["x"]\nquestions = "bold"\n')
    options = options_from(resolve(tmp_path, {"questions": "qa", "columns": 3}))
    assert (options.paper, options.columns, options.questions) == ("letter", 3, "qa")
    assert options.tags is None and options.deck.defaults == {"tags": ("x",)}  # qa overrides bold


def test_every_deck_setting_is_checked_in_front_matter_as_in_the_config(tmp_path):
    from cardsmith.errors import ContentError, Report
    from cardsmith.reading.bank.parse import parse_text

    for declared in (s for s in SETTINGS if FRONT_MATTER in s.where):
        text = f"---\n{declared.front_matter_key}: {{}}\n---\n# T\n### Q?\nA.\n"
        with pytest.raises(ContentError, match=f"front matter `{declared.front_matter_key}`"):
            parse_text(text, tmp_path / "d.md", tmp_path, Report())


def test_options_fields_are_settings_or_the_build_s_own():
    names = {f.name for f in dataclasses.fields(Options)}
    assert names - {s.name for s in SETTINGS} == {
        "fail_fast",
        "force",
        "deck_defaults",
        "progress",
        "activity",
        "waiting",
        "clock",
        "notes_cache",
    }
