"""Broken and hostile input: a clear `path:line` message, the right exit code, no traceback, nothing
half-written, nothing unsafe in any output. One test per case of tests/data/hostile/."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import pypdf
import pytest
from anki.collection import Collection
from click.testing import CliRunner

from cardsmith.cli.commands import main

from support.anki_engine import import_package, notes
from support.inputs import DATA

HOSTILE = DATA / "hostile"
FAST = ["-f", "json", "-f", "apkg", "-f", "csv", "-f", "anki-csv"]


def run(content: Path, name: str, out: Path, *extra: str):
    result = CliRunner().invoke(main, ["build", str(content / name), "-o", str(out), *FAST, *extra])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The hostile files in a scratch content folder two levels down (so `../..` stays in tmp)."""
    folder = tmp_path / "project" / "content"
    shutil.copytree(HOSTILE, folder)
    return folder


# (file, exit code, the line and message the user must see; None: no deck written)
ERRORS = [
    ("empty.md", "empty.md:1: error: file is empty"),
    ("only-headings.md", "only-headings.md:1: error: no questions found"),
    ("latin1.md", "latin1.md:2: error: not valid UTF-8 (byte 0xe9 at column 8)"),
    ("nul.md", "nul.md:3: error: file contains NUL bytes"),
    ("bad-front-matter.md", "bad-front-matter.md:3: error: front matter"),
    ("climb.md", "climb.md:3: error: image '../../etc/passwd' is outside the content folder"),
]


@pytest.mark.parametrize(("name", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_broken_input_is_an_error_at_its_line_and_writes_nothing(corpus, tmp_path, name, message):
    out = tmp_path / "out"
    result = run(corpus, name, out)
    assert result.exit_code == 1
    assert f"{corpus / name}".replace(name, "") + message in result.stderr
    assert not out.exists() or not any(out.iterdir())


WARNINGS = [
    ("no-answer.md", "no-answer.md:3: warning: question has no answer; left out: 'Unanswered?'", 1),
    ("duplicate.md", "duplicate.md:4: warning: same question as at line 2: 'What is X?'", 2),
    (
        "remote-image.md",
        "remote-image.md:3: warning: remote image "
        "'https://tracker.example/pixel.png' is kept as a link and not downloaded",
        1,
    ),
    # a path from the top is read from the content folder, as GitHub reads it from the repository
    (
        "absolute.md",
        "absolute.md:3: warning: image '/etc/passwd' not found (a path starting with /",
        1,
    ),
    ("missing-image.md", "missing-image.md:5: warning: image 'images/missing.png' not found", 1),
    # the deck as GitHub shows it: the rest of the file is code in the first answer
    (
        "unclosed-fence.md",
        "unclosed-fence.md:3: warning: code fence ``` is never closed: it swallows the rest of the "
        "file, lines 4-7, as code (as GitHub shows it), including the heading at line 6: "
        "1 question GitHub's reading loses too",
        1,
    ),
]


@pytest.mark.parametrize(("name", "message", "count"), WARNINGS, ids=[w[0] for w in WARNINGS])
def test_suspicious_input_warns_at_its_line_and_builds(corpus, tmp_path, name, message, count):
    out = tmp_path / "out"
    result = run(corpus, name, out)
    assert result.exit_code == 0
    assert f"{corpus}/{message}" in result.stderr
    rows = list(csv.reader(io.StringIO((out / f"{Path(name).stem}.csv").read_text("utf-8-sig"))))
    assert len(rows) == 1 + count
    strict = run(corpus, name, tmp_path / "strict", "--strict")
    assert strict.exit_code == 1
    assert message.replace("warning:", "error:") in strict.stderr


def test_bom_and_crlf_parse_like_lf(corpus, tmp_path):
    out = tmp_path / "out"
    result = run(corpus, "bom-crlf.md", out)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO((out / "bom-crlf.csv").read_text("utf-8-sig"))))
    assert rows[1][1:6] == ["BOM deck", "S", "1", "Does CRLF work?", "Yes."]
    assert rows[1][7].endswith("bom-crlf.md:6")


def test_remote_image_is_never_fetched(corpus, tmp_path, monkeypatch):
    import socket
    import urllib.request

    def refuse(*args, **kwargs):
        raise AssertionError("cardsmith tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(corpus / "remote-image.md"), "-o", str(out), "-f", "apkg", "-f", "pdf"]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "remote-image.apkg") as package:
        assert package.read("media") == b"{}"


def test_script_and_javascript_are_inert_in_every_output(corpus, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus / "script.md"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        import_package(collection, out / "script.apkg")
        [note] = notes(collection)
        fields = " ".join(note.fields)
        names = [d.name for d in collection.decks.all_names_and_ids()]
    finally:
        collection.close()
    lines = (out / "script.anki.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    [row] = csv.reader(io.StringIO("".join(line for line in lines if not line.startswith("#"))))
    html_columns = " ".join(row[2:4])  # Front and Back; the deck column is plain text to Anki
    for text in (fields, html_columns):
        assert "<script" not in text and "<img" not in text
        assert not re.search(r"<[^>]*\son\w+\s*=", text)  # no live handler (the name is text)
        assert 'href="javascript:' not in text and 'href="data:' not in text
        assert "alert(2)" not in text  # a script is dropped with its content
        assert '<a class="remote-image" href="https://x.example/x.png">' in text
    # deck names are the headings' text: a real tag (`<script>`) is dropped, its text kept; the
    # `<img ...>` is not HTML to CommonMark (a quote in an unquoted value), so it is plain text
    assert sorted(names) == [
        "Default",
        'alert("title")',
        'alert("title")::<img src=x onerror=alert("section")>',
    ]
    sheet = "".join(p.extract_text() for p in pypdf.PdfReader(out / "script.pdf").pages)
    assert "alert(2)" not in sheet and "alert(3)" not in sheet
    assert 'onerror=alert("section")' in sheet.lower()  # text, in the (upper-cased) section bar


def test_symlink_out_of_content_is_refused(corpus, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG secret")
    (corpus / "innocent.png").symlink_to(secret)
    (corpus / "link.md").write_text("# T\n### Q?\n![x](innocent.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(corpus, "link.md", out)
    assert result.exit_code == 1
    assert "link.md:3: error: image 'innocent.png' is outside the content folder" in result.stderr
    assert not (out / "link.apkg").exists()


def test_five_megabyte_line_builds(corpus, tmp_path):
    (corpus / "big.md").write_text("# T\n### Q?\n" + "word " * 1_000_000 + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(corpus, "big.md", out)
    assert result.exit_code == 0, result.stderr
    assert (out / "big.apkg").stat().st_size > 1000


@pytest.mark.parametrize(
    "body",
    ["> " * 3000 + "deep", "".join("  " * i + "- x\n" for i in range(1500))],
    ids=["3000-nested-blockquotes", "1500-nested-lists"],
)
def test_deep_nesting_does_not_recurse_to_death(corpus, tmp_path, body):
    (corpus / "deep.md").write_text(f"# T\n### Q?\n{body}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus / "deep.md"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert {p.suffix for p in out.iterdir()} >= {".apkg", ".pdf", ".csv", ".json"}
