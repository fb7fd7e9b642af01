"""`cardsmith watch`: a change rebuilds what it touches, a save during a build is built, the config
is read again when it changes, and the watch outlives errors."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from pathlib import Path

import pytest

from cardsmith.build.config import Config
from cardsmith.cli.flags import Chosen, plan
from cardsmith.cli.terminal import Watched
from cardsmith.cli.watch import watch
from cardsmith.run import Run
from cardsmith.settings import Settings

from support.inputs import write


def _chosen(sources: list[Path], out: Path, formats=("json",)) -> Chosen:
    return Chosen(sources, out, list(formats), Settings(), Config(None, {}))


class _Watching:
    """`watch` in a thread, its results gathered; stopped at the end of the `with`."""

    def __init__(self, chosen: Chosen, **given):
        self.results: list = []
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watch, args=(chosen, self.results.append, self.stop), kwargs=given
        )

    def __enter__(self):
        self.thread.start()
        return self

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 20
        while len(self.results) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.results) >= count, f"no build {count}"

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()


def test_watch_rebuilds_the_changed_deck_and_survives_errors(content, tmp_path):
    path = write(content, "d.md", "# T\n### Q?\nA.\n")
    write(content, "other.md", "# O\n### R?\nB.\n")
    with _Watching(_chosen([content], tmp_path / "out")) as watching:
        watching.wait_for(1)
        path.write_text("# T\n### Q?\nA, edited.\n", encoding="utf-8")
        watching.wait_for(2)
        rebuilt = [r.path.name for r in watching.results[1].decks if r.cached is None]
        assert rebuilt == ["d.md"]
        path.write_bytes(b"# T\n### Q?\n\xff\n")  # a content error: reported, watch goes on
        watching.wait_for(3)
        assert watching.results[2].failed
        path.write_text("# T\n### Q?\nFixed.\n", encoding="utf-8")
        watching.wait_for(4)
        assert not watching.results[3].failed
    answer = json.loads((tmp_path / "out" / "d.json").read_text())["sections"][0]["questions"][0]
    assert answer["answer"] == "Fixed."


def test_a_save_made_during_the_first_build_is_built(content, tmp_path):
    """The watching starts before the first build: what is on disk when it settles gets built."""
    path = write(content, "d.md", "# T\n### Q?\nBefore.\n")

    def save_while_building(done: int, total: int) -> None:  # called as the build exports
        if not path.read_text(encoding="utf-8").endswith("During.\n"):
            path.write_text("# T\n### Q?\nDuring.\n", encoding="utf-8")

    with _Watching(
        _chosen([content], tmp_path / "out"), run=Run(progress=save_while_building)
    ) as w:
        w.wait_for(2)
        [deck] = w.results[1].decks
        assert deck.cached is None and deck.deck.questions[0].answer == "During."
    saved = json.loads((tmp_path / "out" / "d.json").read_text())
    assert saved["sections"][0]["questions"][0]["answer"] == "During."


def test_watch_rebuilds_a_vault_when_its_plugin_settings_change(tmp_path):
    vault = tmp_path / "Vault"
    settings = write(vault, ".obsidian/plugins/obsidian-spaced-repetition/data.json", "{}")
    write(vault, "n.md", "#flashcards\nterm;;definition\nq::a\n")
    with _Watching(_chosen([vault], tmp_path / "out")) as watching:
        watching.wait_for(1)
        assert [q.prompt for q in watching.results[0].decks[0].deck.questions] == ["q"]
        settings.write_text('{"singleLineCardSeparator": ";;"}', encoding="utf-8")
        watching.wait_for(2)
        assert [q.prompt for q in watching.results[1].decks[0].deck.questions] == ["term"]


def test_watch_reads_the_config_again_and_reports_a_bad_one(tmp_path, monkeypatch):
    project = tmp_path / "project"
    config = write(project, "cardsmith.toml", 'formats = ["json"]\n')
    write(project / "content", "d.md", "# T\n### Q?\nA.\n")
    monkeypatch.chdir(project)
    heard: list[tuple[Path, list[str]]] = []
    chosen = plan({})
    with _Watching(
        chosen, reload=lambda: plan({}), on_config=lambda p, d: heard.append((p, list(map(str, d))))
    ) as watching:
        watching.wait_for(1)
        assert [p.name for p in watching.results[0].decks[0].outputs] == ["d.json"]
        config.write_text('formats = ["csv"]\n', encoding="utf-8")
        watching.wait_for(2)
        assert heard == [(Path("cardsmith.toml"), [])]
        assert [p.name for p in watching.results[1].decks[0].outputs] == ["d.csv"]
        config.write_text('formats = ["csv"]\npapr = "letter"\n', encoding="utf-8")
        deadline = time.monotonic() + 20
        while len(heard) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert heard[1] == (
            Path("cardsmith.toml"),
            ["cardsmith.toml:2: error: unknown setting 'papr' (did you mean 'paper'?)"],
        )
        assert len(watching.results) == 2  # nothing built with a config that has a mistake
        config.write_text('formats = ["json", "csv"]\n', encoding="utf-8")
        watching.wait_for(3)
        assert [p.name for p in watching.results[2].decks[0].outputs] == ["d.json", "d.csv"]


@pytest.fixture
def two_builds(content, tmp_path):
    """A first build and a rebuild of two decks, one changed, with warnings out of line order."""
    from cardsmith.build.pipeline import build

    # a heading with nothing under it: a warning said after the question's, yet at an earlier line
    write(content, "a.md", "# A\n## P\n\n\n## S\n### Q?\nA.\n### Q?\nA.\n")
    write(content, "README.md", "# About\n\nNo questions here.\n")  # left out, with a warning
    changed = write(content, "b.md", "# B\n### R?\nB.\n")
    first = build([content], tmp_path / "out", ["json"], Settings())
    changed.write_text("# B\n### R?\nB, edited.\n", encoding="utf-8")
    return content, first, build([content], tmp_path / "out", ["json"], Settings())


def test_watch_lines_have_the_time_and_warnings_come_in_line_order(two_builds, capsys):
    """Also: a file left out is said once, not at every rebuild."""
    content, first, again = two_builds
    watched = Watched(quiet=False, verbose=False)
    watched(first)
    shown = capsys.readouterr()
    a = content / "a.md"
    assert shown.err == (
        f"{content / 'README.md'}: warning: no questions found; left out of the build (`exclude` "
        "leaves it out quietly)\n"
        f"{a}:2: warning: section 'P' has no questions; its heading is left out\n"
        f"{a}:8: warning: same question as at line 6: 'Q?'\n"
    )
    time_ = r"\d\d:\d\d:\d\d"
    assert re.fullmatch(
        rf"{time_} a: 2 questions, 1 section -> \S+/a\.json\n{time_} b: 1 question, 1 section "
        r"-> \S+/b\.json\n",
        shown.out,
    )
    watched(again)  # only what was built again
    shown = capsys.readouterr()
    assert shown.err == ""
    assert re.fullmatch(rf"{time_} b: 1 question, 1 section -> \S+/b\.json\n", shown.out)


def test_watch_writes_and_reports_the_quick_formats_before_the_pdfs(content, tmp_path):
    """Each round is two builds: the formats ready in moments, reported as soon as they are written,
    then the PDFs (with their own `Run`: the progress line). The build cache keeps both, so a round
    where nothing changed builds neither again."""
    path = write(content, "d.md", "# T\n### Q?\nA.\n### R?\nB.\n")
    write(content, "other.md", "# O\n### S?\nC.\n")
    out = tmp_path / "out"
    papers, runs = [], []

    @contextlib.contextmanager
    def paper():
        runs.append("paper")
        yield Run()

    chosen = _chosen([content], out, formats=("cards-pdf", "json", "apkg"))
    with _Watching(chosen, paper=paper, on_paper=papers.append) as watching:
        watching.wait_for(1)
        assert _until(lambda: len(papers) == 1)
        first, first_papers = watching.results[0], papers[0]
        assert sorted(p.name for r in first.decks for p in r.outputs) == [
            "d.apkg", "d.json", "other.apkg", "other.json",
        ]  # fmt: skip
        assert sorted(p.name for r in first_papers.decks for p in r.outputs) == [
            "d.cards.pdf", "other.cards.pdf",
        ]  # fmt: skip
        path.write_text("# T\n### Q?\nA, edited.\n### R?\nB.\n", encoding="utf-8")
        watching.wait_for(2)
        assert _until(lambda: len(papers) == 2)
    for result in (watching.results[1], papers[1]):  # only the edited deck, in both builds
        assert [r.path.name for r in result.decks if r.cached is None] == ["d.md"]
    assert runs == ["paper", "paper"]


def _until(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()
