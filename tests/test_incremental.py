"""Incremental and parallel builds, and a light start-up: measured by what happens, not by time."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cardsmith import fingerprint
from cardsmith.build.pipeline import build
from cardsmith.cli.commands import main
from cardsmith.settings import Settings

from support.inputs import ROOT, SEED, write
from support.library import settings_and_run


def stamps(folder):
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if not p.name.startswith(".")}


def built(result) -> list[str]:
    return sorted(r.path.stem for r in result.decks if r.cached is None)


@pytest.fixture
def project(content):
    for n in range(10):
        write(
            content, f"deck{n}.md", f"# Deck {n}\n## S\n### Q{n}?\nAnswer {n}.\n### R{n}?\nMore.\n"
        )
    return content


def test_unchanged_deck_is_not_rebuilt_and_its_warnings_are_replayed(
    mis_encoded_seed_copy, tmp_path
):
    out = tmp_path / "out"
    args = ["build", str(mis_encoded_seed_copy.parent), "-o", str(out), "-f", "apkg", "-f", "json"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0
    before = stamps(out)
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0
    assert stamps(out) == before  # not rewritten
    assert "20 questions, 4 sections -> " in second.stdout and "(unchanged)" in second.stdout
    assert ":33: warning: repaired mis-encoded text" in second.stderr


def test_one_changed_file_rebuilds_only_that_deck(project, tmp_path):
    out = tmp_path / "out"
    assert len(built(build([project], out, ["apkg"], Settings()))) == 10
    before = stamps(out)
    (project / "deck3.md").write_text("# Deck 3\n## S\n### Q3?\nAnswer three.\n", encoding="utf-8")
    result = build([project], out, ["apkg"], Settings())
    assert built(result) == ["deck3"]
    after = stamps(out)
    assert [name for name in before if before[name] != after[name]] == ["deck3.apkg"]


def test_force_and_changed_options_rebuild(project, tmp_path):
    out = tmp_path / "out"
    build([project], out, ["json"], Settings())
    assert built(build([project], out, ["json"], *settings_and_run(force=True))) == [
        f"deck{n}" for n in range(10)
    ]
    assert built(build([project], out, ["json"], Settings())) == []
    assert len(built(build([project], out, ["json"], Settings(html=True)))) == 10
    assert len(built(build([project], out, ["json", "csv"], Settings()))) == 10


@pytest.mark.parametrize(
    "markdown",
    [
        "# T\n### Q?\n![x](a.png)\n",
        '# T\n### Q?\n![x](<a.png> "title")\n',
        "# T\n### Q?\n![x][pic]\n\n[pic]: a.png\n",  # by reference
        "# T\n### Q?\n![x][pic]\n\n  [pic]: <a.png> 'title'\n",
    ],
)
def test_changed_image_or_deleted_output_rebuilds(content, tmp_path, markdown):
    write(content, "a.png", b"\x89PNG one")
    path = write(content, "d.md", markdown)
    out = tmp_path / "out"
    build([path], out, ["apkg"], Settings())
    assert built(build([path], out, ["apkg"], Settings())) == []
    write(content, "a.png", b"\x89PNG two")
    assert built(build([path], out, ["apkg"], Settings())) == ["d"]
    (out / "d.apkg").unlink()
    assert built(build([path], out, ["apkg"], Settings())) == ["d"]
    assert (out / "d.apkg").exists()


def test_edited_template_rebuilds(content, tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    monkeypatch.setenv("CARDSMITH_TEMPLATES", str(templates))
    fingerprint.code_fingerprint.cache_clear()
    path = write(content, "d.md", "# T\n### Q?\nA.\n")
    out = tmp_path / "out"
    build([path], out, ["apkg"], Settings())
    assert built(build([path], out, ["apkg"], Settings())) == []
    with (templates / "card" / "card.css").open("a") as css:
        css.write("\n.card { letter-spacing: 0.01em; }\n")
    fingerprint.code_fingerprint.cache_clear()
    assert built(build([path], out, ["apkg"], Settings())) == ["d"]
    fingerprint.code_fingerprint.cache_clear()


def test_parallel_build_writes_the_same_bytes(project, tmp_path):
    serial = build([project], tmp_path / "one", ["apkg", "csv"], Settings(jobs=1))
    parallel = build(
        [project], tmp_path / "two", ["apkg", "csv"], *settings_and_run(jobs=2, force=True)
    )
    assert not serial.failed and not parallel.failed
    for name in sorted(p.name for p in (tmp_path / "one").iterdir() if not p.name.startswith(".")):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_parallel_build_reports_what_a_serial_one_does(project, tmp_path):
    write(
        project,
        "deck3.md",
        "# Deck 3\n### Q?\nTODO\n### R?\n![x](../../../etc/passwd)\n```\nopen\n### S?\nx\n",
    )
    write(project, "deck5.md", "# Deck 5\n### Q?\nTODO\n### R?\nFine.\n")

    def said(result):
        return sorted((str(d.source), d.severity.value, d.message) for d in result.all_diagnostics)

    serial = build([project], tmp_path / "one", ["csv"], Settings(jobs=1))
    parallel = build([project], tmp_path / "two", ["csv"], Settings(jobs=2))
    assert said(parallel) == said(serial)
    assert any(d.source.line == 6 and "never closed" in d.message for d in parallel.all_diagnostics)
    assert any(d.source.line == 5 and "outside" in d.message for d in parallel.all_diagnostics)
    assert sorted(p.name for p in (tmp_path / "two").glob("*.csv")) == [
        f"deck{n}.csv" for n in range(10) if n != 3
    ]


@pytest.fixture
def export_tasks(monkeypatch) -> list[list[tuple[str, list[str]]]]:
    """What each build hands its workers to export: a list of (deck stem, formats) per build."""
    from cardsmith.build import pipeline as building

    tasks = []
    made: list[tuple[str, list[str]]] = []  # the export jobs made for the build's next `drive`
    real_job, real_drive = building._export_job, building.Workers.drive

    def job(task, *args):
        deck, formats, *_ = task
        made.append((deck.stem, list(formats)))
        return real_job(task, *args)

    def drive(self, jobs, *args, **kwargs):
        tasks.append(made[:])
        made.clear()
        return real_drive(self, jobs, *args, **kwargs)

    monkeypatch.setattr(building, "_export_job", job)
    monkeypatch.setattr(building.Workers, "drive", drive)
    return tasks


def test_one_deck_exports_its_formats_side_by_side_and_writes_the_same_bytes(
    seed_copy, tmp_path, export_tasks
):
    formats = ["apkg", "json", "pdf", "csv"]
    serial = build([seed_copy], tmp_path / "one", formats, Settings(jobs=1))
    parallel = build([seed_copy], tmp_path / "two", formats, Settings(jobs=2))
    assert not serial.failed and not parallel.failed
    stem = seed_copy.stem
    assert export_tasks == [[(stem, formats)], [(stem, [f]) for f in formats]]
    assert parallel.decks[0].outputs == [tmp_path / "two" / f"{stem}.{f}" for f in formats]
    for name in sorted(p.name for p in (tmp_path / "one").iterdir() if not p.name.startswith(".")):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_as_many_decks_as_workers_keep_their_formats_together(project, tmp_path, export_tasks):
    assert not build([project], tmp_path / "out", ["json", "csv"], Settings(jobs=2)).failed
    # ten decks, two workers: a task per deck, its formats sharing renders
    assert export_tasks == [[(f"deck{n}", ["json", "csv"]) for n in range(10)]]


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["check", str(SEED)]])
def test_start_up_does_not_import_heavy_libraries(args):
    script = (
        "import sys\nfrom cardsmith.cli.commands import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "heavy = {'weasyprint', 'genanki', 'pygments', 'anki', 'jinja2', 'latex2mathml'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


# answers of the shapes banks have, each made its question's own by `{n}`
KEPT_SHAPES = [
    "Plain **bold** {n} with `code`.",
    "- outer {n}\n  - inner\n- another",
    "```python\nprint({n})\n```",
    "| key | value |\n|---|---|\n| n | {n} |",
    "> quoted {n}\n\nAfter it, www.example.com/{n}.",
    'Raw <b onclick="x()">{n}</b><script>x</script>.',
    "Math $x^{n}$ and\n\n$$\n{n}\n$$",
    "",  # unanswered
]


def _kept_bank(count: int, edited: int | None = None) -> str:
    parts = ["# Bank\n"]
    for n in range(count):
        answer = KEPT_SHAPES[n % len(KEPT_SHAPES)].replace("{n}", str(n))
        if n == edited:
            answer += "\n\nEdited."
        parts.append(f"### {n + 1}. What is item {n}?\n\n{answer}\n")
    return "\n".join(parts)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_given_what_earlier_ones_rendered_renders_only_the_edited_answer(
    content, tmp_path, monkeypatch, jobs
):
    """`watch` keeps each deck's rendered answers between its builds (`pipeline.Kept`): after an
    edit, only the edited answer is rendered again, for each target its formats show, and every
    output is what a build without them writes, byte for byte."""
    from anki.collection import Collection

    from cardsmith.build.pipeline import Kept
    from cardsmith.render import html as render_html

    from support.anki_engine import import_package, notes

    count = 4 * len(KEPT_SHAPES)
    path = write(content, "bank.md", _kept_bank(count))
    formats = ["apkg", "anki-csv", "json", "csv", "html"]
    kept = Kept()
    settings, run = settings_and_run(jobs=jobs)
    assert not build([path], tmp_path / "out", formats, settings, run, kept).failed
    assert not build([path], tmp_path / "out", ["csv"], settings, run, kept).failed  # no target

    rendered: list[str] = []
    real = render_html._render_blocks

    def counted(markdown, blocks, rendering):
        rendered.append(markdown)
        return real(markdown, blocks, rendering)

    monkeypatch.setattr(render_html, "_render_blocks", counted)
    path.write_text(_kept_bank(count, edited=3), encoding="utf-8")
    result = build([path], tmp_path / "out", formats, settings, run, kept)
    assert not result.failed, result.all_diagnostics
    [deck] = [r.deck for r in result.decks]
    [edited] = [q.answer for q in deck.questions if q.answer.endswith("Edited.")]
    assert rendered == [edited, edited]  # a card's and the study page's
    texts = {key[1] for key in kept.renders[path]}
    assert edited in texts and edited.removesuffix("\n\nEdited.") not in texts  # the old: dropped

    # the same sources built without what was kept, from nothing
    again = build([path], tmp_path / "fresh", formats, settings, run)
    assert not again.failed
    outputs = {p.name: p.read_bytes() for p in result.decks[0].outputs}
    fresh = {p.name: p.read_bytes() for p in again.decks[0].outputs}
    assert outputs.keys() == fresh.keys() and len(outputs) == len(formats)
    for name in outputs:
        if not name.endswith(".apkg"):
            assert outputs[name] == fresh[name], name
    packages = {}
    for folder in ("out", "fresh"):
        collection = Collection(str(tmp_path / f"{folder}.anki2"))
        try:
            import_package(collection, tmp_path / folder / "bank.apkg")
            packages[folder] = sorted((n["Question"], n["Answer"]) for n in notes(collection))
        finally:
            collection.close()
    assert packages["out"] == packages["fresh"]
    assert len(packages["out"]) == count - count // len(KEPT_SHAPES)  # unanswered left out
    assert any("Edited." in answer for _, answer in packages["out"])


def _double(number: int) -> int:
    return 2 * number


@pytest.mark.parametrize("jobs", [1, 2])
def test_workers_hand_out_items_in_the_order_given_and_return_them_in_theirs(jobs):
    """Items go to the workers in the order given (the largest deck first: `_longest_first`), and
    come back in their own; the build's own work (`meanwhile`) runs once, while they work."""
    from cardsmith.build.workers import Workers

    said, done = [], []
    with Workers(jobs) as workers:
        results = workers.map(
            _double,
            [1, 2, 3, 4, 5],
            finished=done.append,
            first=[4, 2, 0, 1, 3],
            meanwhile=lambda: said.append("meanwhile"),
        )
    assert results == [2, 4, 6, 8, 10]
    assert sorted(done) == [0, 1, 2, 3, 4] and said == ["meanwhile"]


def test_the_largest_decks_are_read_first(tmp_path):
    from cardsmith.build.pipeline import _longest_first

    sizes = {"a.md": 10, "b.md": 300, "c.md": 20, "d.md": 300}
    paths = [write(tmp_path, name, "x" * size) for name, size in sizes.items()]
    vault = tmp_path / "vault"
    vault.mkdir()
    # a folder (a vault's deck) first, then by size, largest first; equal sizes in their order
    assert _longest_first([*paths, vault, tmp_path / "gone.md"]) == [4, 1, 3, 2, 0, 5]


def test_a_deck_goes_to_a_worker_and_back_unchanged(tmp_path):
    """Decks travel between the build's process and its workers pickled field by field
    (`workers._pickled`): every kind of model object comes back equal, in its own class."""
    import pickle

    from cardsmith.build.pipeline import check

    from support.inputs import DATA, SEED

    bank = write(
        tmp_path, "removed.md", "# R\n## S\n### What is kept?\nKept.\n### What goes?\nGone.\n"
    )
    assert not build([bank], tmp_path / "out", ["json"], Settings()).failed  # then one goes:
    bank.write_text("# R\n## S\n### What is kept?\nKept.\n", encoding="utf-8")
    result = check([DATA / "conventions", DATA / "golden.md", SEED, bank], Settings())
    decks = [r.deck for r in result.decks if r.deck is not None]
    questions = [q for deck in decks for q in deck.questions]
    assert any(q.images for q in questions) and any(deck.removed for deck in decks)
    for deck in decks:
        again = pickle.loads(pickle.dumps(deck))
        assert again == deck and type(again.sections[0]) is type(deck.sections[0])
        assert [q.source for q in again.questions] == [q.source for q in deck.questions]


def test_cycle_collector_paused_only_where_asked_and_always_back(tmp_path, monkeypatch):
    """`cycles_kept` pauses Python's cycle collector for reading and the quick formats, never for
    paper (WeasyPrint makes cycles), and gives it back as it was, after an error too."""
    import gc

    from cardsmith.build import pipeline
    from cardsmith.build.workers import cycles_kept

    assert gc.isenabled()
    with cycles_kept():
        assert not gc.isenabled()
        with cycles_kept():  # (a deck read inside a build's reading)
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with cycles_kept(paused=False):
        assert gc.isenabled()
    with pytest.raises(ValueError), cycles_kept():
        raise ValueError
    assert gc.isenabled()

    seen = []
    render_ahead, run_here = pipeline.render_ahead, pipeline.run_here

    def reading(*args):
        seen.append(("read", gc.isenabled()))
        return render_ahead(*args)

    def writing(*args):
        seen.append(("write", gc.isenabled()))
        return run_here(*args)

    monkeypatch.setattr(pipeline, "render_ahead", reading)
    monkeypatch.setattr(pipeline, "run_here", writing)
    for fmt in ("json", "pdf"):  # (in this process)
        assert not build([SEED], tmp_path / fmt, [fmt], Settings(jobs=1)).failed
    assert seen == [("read", False), ("write", False), ("read", False), ("write", True)]
    assert gc.isenabled()
