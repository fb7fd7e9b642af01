"""Inputs that broke cardsmith (issue #17), each a message at its place or a bounded build now: lock and
cache files of any shape, front matter bombs and typos, image paths that are not paths, names full of
colons, and text too large to lay out. How long the large ones take is measured in `bench/`."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pypdf
import pytest
from anki.collection import Collection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardsmith.build.cache import CACHE_NAME
from cardsmith.build.pipeline import build, check
from cardsmith.identity import LOCK_NAME
from cardsmith.settings import Settings

from support.anki_engine import build_one, deck_names, import_package, notes
from support.inputs import write

DECK = "# T\n## S\n### What is A?\nA.\n"


def _only_error(result) -> str:
    errors = [str(d) for d in result.all_diagnostics if d.is_error]
    assert len(errors) == 1, errors
    return errors[0]


# --- the lock file --------------------------------------------------------------------------------


def test_a_lock_that_is_a_folder_is_an_error(content):
    write(content, "d.md", DECK)
    (content / LOCK_NAME).mkdir()
    error = _only_error(check([content], Settings()))
    assert error == f"{content / LOCK_NAME}: error: the lock file is not a regular file; remove it"


def test_a_lock_that_is_a_fifo_is_an_error_not_a_hang(content):
    write(content, "d.md", DECK)
    os.mkfifo(content / LOCK_NAME)
    assert "not a regular file" in _only_error(check([content], Settings()))


def test_a_lock_nested_100k_deep_is_an_error(content):
    write(content, "d.md", DECK)
    write(content, LOCK_NAME, "[" * 100_000)
    assert "nested too deeply" in _only_error(check([content], Settings()))


@pytest.mark.parametrize("built_before", [False, True])
def test_decks_of_a_folder_whose_lock_is_unreadable_are_not_built_by_parallel_workers(
    tmp_path, built_before
):
    """Two workers start reading a cold build's decks before the locks are read: the decks of a
    folder whose lock turns out unreadable are still left out, with one error; the others build."""
    from cardsmith.run import Run

    bad, good, out = tmp_path / "bad", tmp_path / "good", tmp_path / "out"
    for folder in (bad, good):
        folder.mkdir()
        for name in ("one", "two"):
            write(folder, f"{folder.name}-{name}.md", DECK.replace("A", name.title()))
    if built_before:  # the cache knows every deck: the locks are read first, to look them up
        assert not build([bad, good], out, ["apkg"], Settings(jobs=2)).failed
        write(good, "good-two.md", DECK.replace("A", "Two again"))
    write(bad, LOCK_NAME, "{not json")
    for force in (False, True):
        result = build([bad, good], out, ["apkg"], Settings(jobs=2), Run(force=force))
        error = _only_error(result)
        assert error.startswith(f"{bad / LOCK_NAME}:1: error: cannot read the lock file")
        assert sorted(r.path.name for r in result.decks) == ["good-one.md", "good-two.md"]
        for deck in result.decks:
            [package] = deck.outputs
            wanted = deck.path.stem.removeprefix("good-").title()
            if built_before and wanted == "Two":
                wanted = "Two again"
            collection = Collection(str(tmp_path / f"{force}-{deck.path.stem}.anki2"))
            try:
                import_package(collection, package)
                [note] = notes(collection)
            finally:
                collection.close()
            assert f"What is {wanted}?" in note.fields[0]
    if not built_before:
        assert sorted(path.name for path in out.glob("*.apkg")) == [
            "good-one.apkg",
            "good-two.apkg",
        ]


def test_a_lock_time_beyond_sqlite_is_an_error_at_its_line(content, tmp_path):
    write(content, "d.md", DECK)
    entry = {
        "id": "abcdefghij",
        "guid": "x",
        "file": "d.md",
        "section": "S",
        "prompt": "What is A?",
        "answer": "0" * 16,
        "simhash": "0" * 16,
        "content": "0" * 16,
        "modified": 10**20,
    }
    write(content, LOCK_NAME, '{"version": 2, "questions": [\n  ' + json.dumps(entry) + "\n]}\n")
    error = _only_error(build([content], tmp_path / "out", ["apkg"], Settings()))
    assert error.startswith(f"{content / LOCK_NAME}:2: error: cannot read the lock file (modified")


# --- the build cache ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cache",
    [
        "[]",
        '{"version": 1, "decks": {"x": "a string"}}',
        '{"version": 1, "decks": []}',
        '{"version": 1, "decks": {"x": {"key": 1}}}',
        "[" * 100_000,
        "\x00\xff",
    ],
)
def test_a_cache_of_the_wrong_shape_is_ignored(content, tmp_path, cache):
    path = write(content, "d.md", DECK)
    out = tmp_path / "out"
    out.mkdir()
    (out / CACHE_NAME).write_bytes(cache.encode("utf-8", "surrogateescape"))
    result = build([path], out, ["json"], Settings())
    assert not result.failed and result.decks[0].cached is None
    assert build([path], out, ["json"], Settings()).decks[0].cached is not None  # rewritten


def _sparse(path: Path, size: int = 2 << 30) -> Path:
    """A file of `size` bytes that takes no room on disk (read whole, 2 GB took 18 s and 4 GiB)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def test_a_lock_of_2_gb_is_an_error_before_it_is_read(content):
    write(content, "d.md", DECK)
    _sparse(content / LOCK_NAME)
    error = _only_error(check([content], Settings()))
    assert error.startswith(f"{content / LOCK_NAME}: error: the lock file is larger than 128 MiB")


def test_a_build_cache_of_2_gb_is_ignored_before_it_is_read(content, tmp_path):
    path = write(content, "d.md", DECK)
    _sparse(tmp_path / "out" / CACHE_NAME)
    result = build([path], tmp_path / "out", ["json"], Settings())
    assert not result.failed and result.decks[0].cached is None


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_a_cache_entry_naming_an_image_that_is_no_file_rebuilds_its_deck(content, tmp_path, kind):
    """The cache is read as untrusted: an image it names is opened only if it is a regular file."""
    (content / "img").mkdir()
    (content / "img" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = write(content, "d.md", "# T\n### What is shown?\n\n![a](img/a.png)\n")
    out = tmp_path / "out"
    assert not build([path], out, ["json"], Settings()).failed
    cache = json.loads((out / CACHE_NAME).read_text())
    [record] = cache["decks"][str(path)]
    strange = {"fifo": tmp_path / "pipe", "device": Path("/dev/zero"), "folder": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(strange)  # opened to be read, it would wait for a writer forever
    record["images"] = {str(strange): "0" * 64}
    (out / CACHE_NAME).write_text(json.dumps(cache))
    result = build([path], out, ["json"], Settings())
    assert not result.failed and result.decks[0].cached is None  # built again


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_an_image_that_is_no_regular_file_is_an_error_at_its_line(content, kind):
    (content / "img").mkdir()
    if kind == "fifo":
        os.mkfifo(content / "img" / "a.png")
    else:
        (content / "img" / "a.png").mkdir()
    path = write(content, "d.md", "# T\n### What is shown?\n\n![a](img/a.png)\n")
    error = _only_error(check([path], Settings()))
    assert error == f"{path}:4: error: image 'img/a.png' cannot be read: not a regular file"


TOMBSTONE = {
    "id": st.just("abcdefghij"),
    "guid": st.just("Ab1!x"),
    "file": st.just("d.md"),
    "section": st.just("S"),
    "prompt": st.just("What is gone?"),
    "answer": st.just("0123456789abcdef"),
    "simhash": st.just("fedcba9876543210"),
    "content": st.just("0123456789abcdef"),
    "modified": st.integers(0, 2**34),
    "removed": st.integers(-1, 2**34),
}


# front matter of a few keys, each value with a YAML tag or none, of the right kind or not
YAML_TAGS = ["", "", "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp "]
YAML_TAGS += ["!!binary ", "!!set ", "!!omap ", "!!pairs ", "!!seq ", "!!map ", "!x "]
YAML_TAGS += ["!!python/object/apply:os.getcwd ", "!!python/name:os.system "]
YAML_VALUES = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12),
    st.integers().map(str),
    st.integers(4000, 6000).map(lambda n: "7" * n),
    st.sampled_from(
        ["", "-", "maybe", "yes", "2024-13-45", "2024-01-01", "0x1F", ".inf", "1:20:30", "~"]
    ),
    st.sampled_from(["{a: 1}", "[1, 2]", "[]", "aGk=", "{a: null}", "[a: 1]", "&a x", "*a"]),
)
FRONT_MATTER = st.lists(
    st.tuples(
        st.sampled_from(["title", "date", "tags", "html", "author", "question-level", "x"]),
        st.sampled_from(YAML_TAGS),
        YAML_VALUES,
    ),
    max_size=4,
).map(lambda items: "---\n" + "".join(f"{k}: {t}{v}\n" for k, t, v in items) + "---\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lock=st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=12),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=8), inner, max_size=5)
            ),
            max_leaves=12,
        ).map(lambda value: json.dumps({"version": 2, "questions": [value]}).encode()),
        # tombstones of the right keys with values of any kind (right ones too, now and then)
        st.fixed_dictionaries(
            {
                key: st.none() | st.integers() | st.text(max_size=12) | right
                for key, right in TOMBSTONE.items()
            }
        ).map(
            lambda value: json.dumps({"version": 3, "questions": [], "removed": [value]}).encode()
        ),
    ),
    cache=st.binary(max_size=200),
    front=FRONT_MATTER,
)
def test_any_lock_or_cache_file_is_read_or_reported(lock, cache, front):
    """Hypothesis over the state files and the front matter: whatever bytes they hold, whatever YAML
    tags the front matter has, the build either uses them or says why at the lock's path or at a
    line of the front matter, and never raises."""
    with tempfile.TemporaryDirectory() as scratch:
        content = Path(scratch) / "content"
        path = write(content, "d.md", front + DECK)
        (content / LOCK_NAME).write_bytes(lock)
        out = Path(scratch) / "out"
        out.mkdir()
        (out / CACHE_NAME).write_bytes(cache)
        result = build([path], out, ["json"], Settings())
        if result.failed:
            [error] = [d for d in result.all_diagnostics if d.is_error]
            in_front = error.source.path == path and error.message.startswith("front matter")
            assert error.source.path == content / LOCK_NAME or in_front, str(error)
            assert not in_front or 2 <= error.source.line <= front.count("\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(properties=FRONT_MATTER)
def test_any_yaml_in_a_vault_notes_properties_is_read_or_left_out(properties):
    """The same YAML as a vault note's properties: read, or left out (listed by `check -v`); the
    note's cards and the other notes' are read either way."""
    with tempfile.TemporaryDirectory() as scratch:
        vault = Path(scratch) / "Vault"
        write(vault, ".obsidian/app.json", "{}")
        write(vault, "Note.md", properties + "#flashcards\nnote::card\n")
        write(vault, "Other.md", "#flashcards\nother::card\n")
        result = check([vault], Settings())
        assert not result.failed, [str(d) for d in result.all_diagnostics]
        assert [q.prompt for q in result.decks[0].deck.questions] == ["note", "other"]


# --- front matter -----------------------------------------------------------------------------------


def test_a_date_typo_is_an_error_at_its_line(content):
    path = write(content, "d.md", "---\ntitle: T\ndate: 2024-13-45\n---\n" + DECK)
    error = _only_error(check([path], Settings()))
    assert error == f"{path}:3: error: front matter `date` is not a date: '2024-13-45' (YYYY-MM-DD)"


def test_a_yaml_alias_bomb_is_refused_at_its_line(content):
    bomb = (
        "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 10)}]\n"
            for n in range(8)
        )
        + "---\n"
    )
    path = write(content, "d.md", bomb + DECK)
    error = _only_error(check([path], Settings()))
    assert error.startswith(f"{path}:3: error: front matter: aliases (*name) are not allowed")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("date: !!timestamp foo", "!!timestamp 'foo' is not a date"),
        ("date: !!timestamp 2024-13-45", "!!timestamp '2024-13-45' is not a date"),
        ("author: !!int abc", "!!int 'abc' is not a whole number"),
        ("author: !!float abc", "!!float 'abc' is not a number"),
        ("html: !!bool maybe", "!!bool 'maybe' is not true or false"),
        ("author: " + "7" * 5000, "a number 5,000 characters long; put it in quotes"),
        ("tags: [" + "7" * 5000 + "]", "a number 5,000 characters long; put it in quotes"),
        ("author: !!int " + "7" * 5000, "a number 5,000 characters long; put it in quotes"),
        ("7" * 1000 + ": x", "a number 1,000 characters long; put it in quotes"),  # a key
        ("author: !!int 0x" + "f" * 5000, "a number 5,002 characters long; put it in quotes"),
        ("author: !!set {a: null}", "the tag !!set is not allowed: plain text, numbers"),
        ("author: !!binary aGk=", "the tag !!binary is not allowed"),
        ("author: !!omap [a: 1]", "the tag !!omap is not allowed"),
        ("author: !!python/object/apply:os.getcwd []", "the tag !!python/object/apply:os.getcwd"),
        ("author: !custom x", "the tag !custom is not allowed"),
    ],
)
def test_yaml_tags_that_would_build_other_values_are_errors_at_their_line(
    content, tmp_path, line, message
):
    bad = write(content, "bad.md", f"---\ntitle: T\n{line}\n---\n" + DECK)
    good = write(content, "good.md", DECK)
    result = build([content], tmp_path / "out", ["json"], Settings())
    assert _only_error(result).startswith(f"{bad}:3: error: front matter: {message}")
    [built] = [r for r in result.decks if r.path == good]
    assert built.outputs == [tmp_path / "out" / "good.json"]  # the other decks still build


def test_yaml_tags_in_a_vault_notes_properties_leave_the_other_notes_alone(tmp_path):
    vault = tmp_path / "Vault"
    write(vault, ".obsidian/app.json", "{}")
    write(vault, "Bad.md", "---\ntags: [flashcards]\nsr-due: !!timestamp foo\n---\nbad::card\n")
    write(vault, "Worse.md", "---\ntags: [flashcards]\nn: " + "7" * 5000 + "\n---\nworse::card\n")
    write(vault, "Good.md", "#flashcards\ngood::card\n")
    [deck] = check([vault], Settings()).decks
    assert [q.prompt for q in deck.deck.questions] == ["good"]
    skipped = {(s.source.path.name, s.reason) for s in deck.deck.skipped}
    assert ("Bad.md", "properties that are not YAML") in skipped
    assert ("Worse.md", "properties that are not YAML") in skipped


def test_dates_are_kept_as_the_author_wrote_them(content, tmp_path):
    path = write(content, "d.md", "---\ndate: 2024-07-01\n---\n" + DECK)
    build([path], tmp_path / "out", ["json"], Settings())
    assert json.loads((tmp_path / "out" / "d.json").read_text())["metadata"]["date"] == "2024-07-01"


# --- image paths ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("img/ok.png%00.txt", "image path 'img/ok.png%00.txt' holds a NUL character"),
        ("img/" + "a" * 300 + ".png", "cannot be used: file name too long"),
        ("img/loop", "cannot be used: Symlink loop"),
    ],
    ids=["nul", "long-name", "symlink-loop"],
)
def test_image_paths_that_are_not_paths_are_errors_at_their_line(content, src, message):
    (content / "img").mkdir()
    os.symlink("loop", content / "img" / "loop")
    path = write(content, "d.md", f"# T\n### What is shown?\n\n![x]({src})\n")
    error = _only_error(check([path], Settings()))
    assert error.startswith(f"{path}:4: error:") and message in error


def test_an_image_outside_the_folder_is_refused_before_it_is_read(content, tmp_path):
    os.mkfifo(tmp_path / "outside.png")  # reading it would block forever
    path = write(content, "d.md", "# T\n### Q?\n![x](../outside.png)\n")
    assert "is outside the content folder" in _only_error(check([path], Settings()))


def test_an_image_larger_than_the_cap_is_an_error(content):
    with (content / "huge.png").open("wb") as handle:
        handle.truncate(33 * 2**20)  # sparse: no disk used
    path = write(content, "d.md", "# T\n### Q?\n![x](huge.png)\n")
    assert "larger than 32 MiB" in _only_error(check([path], Settings()))


# --- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["apkg", "anki-csv"])
def test_runs_of_colons_never_split_an_anki_deck(content, tmp_path, fmt):
    text = (
        '---\ndeck: "Ops::::Notes:"\n---\n# T\n\n## A::::B\n\n### What is A?\nA.\n\n'
        "## :star: Basics :rocket:\n\n### What is B?\nB.\n"
    )
    path = write(content, "d.md", text)
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        output = build_one(path, tmp_path / "out", fmt)
        if fmt == "apkg":
            import_package(collection, output)
        else:
            from anki.collection import ImportCsvRequest

            metadata = collection.get_csv_metadata(path=str(output), delimiter=None)
            collection.import_csv(ImportCsvRequest(path=str(output), metadata=metadata))
        names = deck_names(collection)
        assert len(notes(collection)) == 2
    finally:
        collection.close()
    assert names == {"Ops:Notes", "Ops:Notes::A:B", "Ops:Notes::Basics"}


# --- too large to lay out -------------------------------------------------------------------------


def test_text_too_long_to_print_is_cut_in_the_pdfs_only(content, tmp_path):
    rows = "\n".join(f"| row {n} | value {n} |" for n in range(300))
    answer = "word " * 5_000 + "\n\n| a | b |\n|---|---|\n" + rows
    path = write(content, "d.md", f"# T\n### What is long?\n{answer}\n")
    out = tmp_path / "out"
    result = build([path], out, ["pdf", "json"], Settings())
    assert not result.failed
    [warning] = [d for d in result.all_diagnostics if "too long to print" in d.message]
    assert warning.source.line == 2
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(out / "d.pdf").pages)
    assert "cut for print" in text and "row 299" not in text
    data = json.loads((out / "d.json").read_text())
    assert data["sections"][0]["questions"][0]["answer"].endswith("| row 299 | value 299 |")


def test_four_thousand_sections_make_four_thousand_decks(content, tmp_path):
    text = "# T\n" + "".join(f"## Part {n}\n### What is {n}?\nA{n}.\n" for n in range(4000))
    path = write(content, "d.md", text)
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        import_package(collection, build_one(path, tmp_path / "out"))
        assert len(deck_names(collection)) == 4001  # T and its 4,000 parts
        assert collection.note_count() == 4000
    finally:
        collection.close()


def test_a_table_too_large_to_be_one_is_its_text_with_a_warning(content, tmp_path):
    """Over 20,000 cells markdown-it made millions of tokens (5,000 columns of 500 rows: 3.3 GiB in
    every format): such a table is read as the text it is, said at its line; a smaller one stays a
    table."""
    wide = "\n".join(["|" + "h|" * 300, "|" + "-|" * 300, *["|" + "x|" * 300] * 70])
    small = "| a | b |\n|---|---|\n" + "| one | two |\n" * 3
    path = write(content, "t.md", f"# T\n### Wide?\n{wide}\n\n### Small?\n{small}\n")
    out = tmp_path / "out"
    result = build([path], out, ["json", "apkg", "pdf"], Settings())
    assert not result.failed
    [warning] = [str(d) for d in result.all_diagnostics if "table" in d.message]
    assert warning == (
        f"{path}:3: warning: a table of 300 columns and 70 rows is too large to be a table "
        "(over 20,000 cells): kept as its text"
    )
    wide_answer, small_answer = (
        q["answer"] for q in json.loads((out / "t.json").read_text())["sections"][0]["questions"]
    )
    assert wide_answer == wide and small_answer.startswith("| a | b |")
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        import_package(collection, out / "t.apkg")
        fields = [" ".join(note.fields) for note in notes(collection)]
        assert sum("<table>" in f for f in fields) == 1  # the small one
        assert any("|x|x|x|" in f for f in fields)  # the wide one, as text
    finally:
        collection.close()


def test_a_long_unbroken_run_is_printed_broken_where_the_line_ends(content, tmp_path):
    """WeasyPrint broke a run of 5,000 characters without a space one glyph at a time (a minute):
    print lets it break every 40 characters, invisibly."""
    run = "".join(f"{n % 10}" for n in range(3000))
    path = write(content, "r.md", f"# T\n### Unbroken?\n{run}\n")
    pages = pypdf.PdfReader(build_one(path, tmp_path / "out", "pdf")).pages
    text = "".join(page.extract_text() for page in pages)
    assert run in "".join(c for c in text if c.isdigit())


def test_front_matter_of_many_keys_says_each_at_its_line(content):
    """Each key's line was looked for in every line: 20,000 keys took 44 s in `check`."""
    keys = "".join(f"key{n}: value {n}\n" for n in range(3000))
    path = write(content, "m.md", f"---\n{keys}'quoted key': 1\n---\n# T\n### Q?\nA.\n")
    found = [
        d for d in check([path], Settings()).all_diagnostics if "front matter key" in d.message
    ]
    assert len(found) == 3001
    assert {d.source.line for d in found} == set(range(2, 3003))
    assert "'key2999'" in next(d.message for d in found if d.source.line == 3001)
