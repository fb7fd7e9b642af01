"""One settings schema (`cardsmith.settings`): the command line, the config file, front matter,
`cardsmith init` and the build cache all follow it, so a setting is declared once."""

from __future__ import annotations

import dataclasses
import pickle
import tomllib

import pytest
from click.testing import CliRunner

from cardsmith.build.cache import deck_key
from cardsmith.build.config import resolve, settings_from
from cardsmith.build.project import NEW_PROJECTS, example_config
from cardsmith.cli.commands import main
from cardsmith.run import Run
from cardsmith.settings import (
    COMMAND_LINE,
    CONFIG,
    FRONT_MATTER,
    SETTING,
    SETTINGS,
    DeckSettings,
    Settings,
    problem,
)

from support.inputs import write


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
    base = deck_key(path, "digest", "[]", ["json"], Settings())
    changed = [Settings(**{declared.name: value})]
    if declared.deck:  # from the config file, a deck setting is a default for front matter
        changed.append(Settings(deck_defaults={declared.name: value}))
    for options in changed:
        assert deck_key(path, "digest", "[]", ["json"], options) != base


def test_settings_that_do_not_change_outputs_keep_the_cache_key(tmp_path):
    path = write(tmp_path, "d.md", "# T\n### Q?\nA.\n")
    base = deck_key(path, "digest", "[]", ["json"], Settings())
    others = [s for s in SETTINGS if not s.output]
    assert {s.name for s in others} == {"sources", "exclude", "out", "formats", "jobs", "backups"}
    for declared in others:
        options = Settings(**{declared.name: _other_value(declared)})
        assert deck_key(path, "digest", "[]", ["json"], options) == base


def test_every_command_line_setting_is_an_option_of_build():
    help_text = CliRunner().invoke(main, ["build", "--help"]).output
    for declared in SETTINGS:
        if COMMAND_LINE in declared.where and declared.name != "sources":
            assert declared.cli_names[-1] in help_text, declared.name
    assert "apkg: <stem>.apkg, an Anki package" in help_text  # the registry's descriptions


def test_the_example_config_holds_every_config_setting_at_its_default(tmp_path, monkeypatch):
    table = tomllib.loads(example_config())
    assert set(table) == {s.name for s in SETTINGS if CONFIG in s.where}
    write(tmp_path, "cardsmith.toml", example_config())
    monkeypatch.chdir(tmp_path)
    _, resolved = resolve({})
    for declared in SETTINGS:
        value = resolved[declared.name].value
        default = NEW_PROJECTS.get(declared.name, declared.default)  # what a new project turns on
        assert (tuple(value) if declared.kind is tuple else value) == default


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


def test_the_command_line_and_config_make_options(tmp_path, monkeypatch):
    write(tmp_path, "cardsmith.toml", 'paper = "letter"\ntags = ["x"]\nquestions = "bold"\n')
    monkeypatch.chdir(tmp_path)
    options = settings_from(resolve({"questions": "qa", "columns": 3})[1])
    assert (options.paper, options.columns, options.questions) == ("letter", 3, "qa")
    assert options.tags is None and options.deck.defaults == {"tags": ("x",)}  # qa overrides bold


def test_every_deck_setting_is_checked_in_front_matter_as_in_the_config(tmp_path):
    from cardsmith.errors import ContentError, Report
    from cardsmith.reading.bank import read_text

    for declared in (s for s in SETTINGS if FRONT_MATTER in s.where):
        key = declared.front_matter_key
        text = f"---\n{key}: {{}}\n---\n# T\n### Q?\nA.\n"
        if declared.name == "tags":  # a list setting: a mapping is no list of tags
            with pytest.raises(ContentError, match=f"front matter `{key}`"):
                read_text(text, tmp_path / "d.md", tmp_path, Report())
            continue
        # front matter is shared with other tools (a lesson's `questions:` list): a list or a
        # mapping under a one-value setting's name is theirs, warned about and left out
        report = Report()
        deck = read_text(text, tmp_path / "d.md", tmp_path, report)
        assert [q.prompt for q in deck.questions] == ["Q?"]
        assert [w.message.split(",")[0] for w in report.warnings] == [
            f"front matter `{key}` is a mapping"
        ]


def test_settings_hold_only_what_is_declared_and_the_run_the_rest():
    names = {f.name for f in dataclasses.fields(Settings)}
    assert names - {s.name for s in SETTINGS} == {"deck_defaults"}
    run = {f.name for f in dataclasses.fields(Run)}
    assert run == {"fail_fast", "force", "progress", "activity", "waiting", "clock"}
    assert not run & names
    pickle.dumps(Settings(deck_defaults={"tags": ("x",)}))  # sent to worker processes as it is


def test_each_setting_s_choices_agree_with_the_table_that_acts_on_them():
    from cardsmith.exporters import FORMAT_NAMES, csv, printing
    from cardsmith.reading.bank.rules import RULES, Rule
    from cardsmith.reading.obsidian.cards import CLOZE_KINDS

    assert SETTING["formats"].allowed == FORMAT_NAMES
    assert SETTING["paper"].allowed == tuple(printing.PAPER)
    assert SETTING["csv_delimiter"].allowed == tuple(csv.DELIMITERS)
    assert SETTING["questions"].allowed == ("auto", *Rule)
    assert tuple(RULES) == tuple(Rule)  # every rule has its row, in the order of the choices
    assert SETTING["cloze"].allowed == tuple(CLOZE_KINDS)
