"""Daily use: watch, stats, configuration and its precedence, init."""

from __future__ import annotations

import json
import threading
import time

import pytest
from click.testing import CliRunner

from cardsmith.cli.commands import main
from cardsmith.cli.watch import watch
from cardsmith.settings import Settings

from support.inputs import SEED, write


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_watch_rebuilds_the_changed_deck_and_survives_errors(content, tmp_path):
    path = write(content, "d.md", "# T\n### Q?\nA.\n")
    write(content, "other.md", "# O\n### R?\nB.\n")
    results, stop = [], threading.Event()
    thread = threading.Thread(
        target=watch, args=([content], tmp_path / "out", ["json"], Settings(), results.append, stop)
    )
    thread.start()

    def wait_for(count: int) -> None:
        deadline = time.monotonic() + 20
        while len(results) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(results) >= count, f"no rebuild after {count - 1}"

    try:
        wait_for(1)
        time.sleep(0.5)  # let the watcher start before editing
        path.write_text("# T\n### Q?\nA, edited.\n", encoding="utf-8")
        wait_for(2)
        rebuilt = [r.path.name for r in results[1].decks if r.cached is None]
        assert rebuilt == ["d.md"]
        path.write_bytes(b"# T\n### Q?\n\xff\n")  # a content error: reported, watch goes on
        wait_for(3)
        assert results[2].failed
        path.write_text("# T\n### Q?\nFixed.\n", encoding="utf-8")
        wait_for(4)
        assert not results[3].failed
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert (
        json.loads((tmp_path / "out" / "d.json").read_text())["sections"][0]["questions"][0][
            "answer"
        ]
        == "Fixed."
    )


def test_stats_table_and_json(content):
    write(content, "img.png", b"\x89PNG")
    path = write(
        content,
        "d.md",
        "# T\n## A\n### Q1?\nshort\n### Q2?\n![x](img.png) and a longer "
        "answer here\n### Empty?\n\n## B\n### The {{c1::x}} cloze\nBack.\n",
    )
    text = run("stats", str(path))
    assert text.exit_code == 0, text.output
    assert "questions written as 'heading'" in text.output
    assert f"{path}:5: " in text.output  # the longest answer, with its place
    data = json.loads(run("stats", str(path), "--json").stdout)
    [deck] = data
    assert (deck["questions"], deck["unanswered"], deck["cloze"], deck["images"]) == (3, 1, 1, 1)
    assert [(s["section"], s["questions"], s["unanswered"]) for s in deck["sections"]] == [
        ("A", 2, 1),
        ("B", 1, 0),
    ]
    assert deck["longest_answers"][0]["source"] == f"{path}:5"


def test_stats_counts_unanswered_questions_in_their_own_sections(content):
    # B has no answered question, so it is not one of the deck's sections; its unanswered question
    # must still be counted under B, not under the section before it
    path = write(
        content,
        "d.md",
        "# T\n### Loose?\n\n## A\n### Q1?\nYes.\n## B\n### Q2?\nTODO\n### Q3?\n\n"
        "## C\n### Q4?\nYes.\n",
    )
    [deck] = json.loads(run("stats", str(path), "--json").stdout)
    assert [(s["section"], s["questions"], s["unanswered"]) for s in deck["sections"]] == [
        ("(no section)", 0, 1),
        ("A", 1, 0),
        ("B", 0, 2),
        ("C", 1, 0),
    ]
    assert deck["unanswered"] == sum(s["unanswered"] for s in deck["sections"]) == 3
    assert "  B  " in run("stats", str(path)).output


def test_config_precedence_default_config_front_matter_flag(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    write(tmp_path / "content", "a.md", "# A\n### Q?\nYes, really.\n")
    write(tmp_path / "content", "b.md", "---\ntags: [own]\n---\n# B\n### Q?\nYes, really.\n")
    (tmp_path / "cardsmith.toml").write_text(
        'out = "built"\nformats = ["json"]\ntags = ["from-config"]\npaper = "letter"\n', "utf-8"
    )
    shown = run("config").stdout
    assert "out            'built'" in shown and "cardsmith.toml" in shown
    assert "columns        0" in shown and "# default" in shown
    result = run("build")
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
    flagged = run("build", "-o", "elsewhere", "-f", "csv")  # flags beat the config
    assert flagged.exit_code == 0
    assert (tmp_path / "elsewhere" / "a.csv").exists()


def test_pyproject_tool_table_and_bad_config_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.cardsmith]\npaper = "letter"\n'
    )
    assert "'letter'" in run("config").stdout and "pyproject.toml" in run("config").stdout
    (tmp_path / "cardsmith.toml").write_text('paper = "a3"\n')
    result = run("config")
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
        result = run(*command)
        assert result.exit_code == 1
        assert f"cardsmith.toml:3: error: {message}" in result.stderr
        assert isinstance(result.exception, SystemExit)  # a message, never a traceback
    assert not (tmp_path / "built").exists()


def test_init_then_build(tmp_path, monkeypatch):
    project = tmp_path / "flashcards"
    result = run("init", str(project))
    assert result.exit_code == 0, result.output
    assert (project / "content" / "example.md").exists() and (project / ".gitignore").exists()
    monkeypatch.chdir(project)
    built = run("build", "-f", "apkg", "-f", "json")
    assert built.exit_code == 0, built.output
    assert "example: 4 questions, 2 sections" in built.stdout
    assert (project / "output" / "example.apkg").exists()
    assert run("init", str(project)).exit_code == 1  # never overwrites


def test_progress_bar_stays_silent_off_a_terminal(content, tmp_path):
    for n in range(3):
        write(content, f"d{n}.md", f"# T{n}\n### Q?\nA.\n")
    result = run("build", str(content), "-o", str(tmp_path / "out"), "-f", "json")
    assert "building" not in result.output and "[#" not in result.output


def test_seed_builds_with_the_example_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "content", SEED.name, SEED.read_bytes())
    assert run("init", ".").exit_code == 0
    result = run("build", "-f", "json", "-q")
    assert result.exit_code == 0, result.output


def test_watch_rebuilds_a_vault_when_its_plugin_settings_change(tmp_path):
    vault = tmp_path / "Vault"
    settings = write(vault, ".obsidian/plugins/obsidian-spaced-repetition/data.json", "{}")
    write(vault, "n.md", "#flashcards\nterm;;definition\nq::a\n")
    results, stop = [], threading.Event()
    thread = threading.Thread(
        target=watch, args=([vault], tmp_path / "out", ["json"], Settings(), results.append, stop)
    )
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not results and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [q.prompt for q in results[0].decks[0].deck.questions] == ["q"]
        time.sleep(0.5)  # let the watcher start before editing
        settings.write_text('{"singleLineCardSeparator": ";;"}', encoding="utf-8")
        deadline = time.monotonic() + 20
        while len(results) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [q.prompt for q in results[1].decks[0].deck.questions] == ["term"]
    finally:
        stop.set()
        thread.join(timeout=10)
