"""Images that are not there (issue #27.7): a bank's broken image link is a warning at its line, not
an error that throws away the deck. The card shows the image's alt text, else its file name, marked;
`--strict` fails; an image that appears later is built in. Images leaving the content folder are still
refused (`tests/test_parse.py`, `tests/test_sanitize.py`)."""

from __future__ import annotations

import re

import pytest

from cardsmith.build.pipeline import build

from support.anki_engine import import_package, notes, package_media
from support.inputs import write
from support.library import settings_and_run

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)

# (the Markdown of an answer with image n, what its card shows in place of the image, its src)
SHAPES = [
    ("See ![chart {n}](img/gone-{n}.png) above.", "chart {n}", "img/gone-{n}.png"),
    ("![](img/bare-{n}.png)", "bare-{n}.png", "img/bare-{n}.png"),
    ('![plot {n}](img/titled-{n}.png "Figure {n}")', "plot {n}", "img/titled-{n}.png"),
    ("![ref {n}][pic{n}]\n\n[pic{n}]: img/ref-{n}.png", "ref {n}", "img/ref-{n}.png"),
    ('<img src="img/html-{n}.png" alt="html {n}">', "html {n}", "img/html-{n}.png"),
    (
        '<p align="center">\n  <img src="img/centred-{n}.png" width="300">\n</p>',
        "centred-{n}.png",
        "img/centred-{n}.png",
    ),
    ("![top {n}](/img/top-{n}.png)", "top {n}", "/img/top-{n}.png"),
    ("![space {n}](img/with%20space-{n}.png)", "space {n}", "img/with%20space-{n}.png"),
    ("- first\n- then ![item {n}](img/item-{n}.png)", "item {n}", "img/item-{n}.png"),
    ("| a | b |\n|---|---|\n| 1 | ![cell {n}](img/cell-{n}.png) |", "cell {n}", "img/cell-{n}.png"),
]
ROUNDS = 3  # each shape three times: 30 questions with a missing image, and 3 with a present one


def _bank(content):
    write(content, "img/ok.png", PNG)
    parts = ["# Broken links\n", "## Pictures\n"]
    expected = []  # (prompt, shown, src)
    for n in range(1, ROUNDS + 1):
        for index, (answer, shown, src) in enumerate(SHAPES):
            number = (n - 1) * len(SHAPES) + index + 1
            prompt = f"What does figure {number} show?"
            parts.append(f"### {number}. {prompt}\n\nIt shows this.\n\n{answer.format(n=number)}\n")
            expected.append((prompt, shown.format(n=number), src.format(n=number)))
        parts.append(
            f"### What is beside the missing one in round {n}?\n\n![ok](img/ok.png) ![gone](img/other-{n}.png)\n"
        )
        expected.append(
            (f"What is beside the missing one in round {n}?", "gone", f"img/other-{n}.png")
        )
    text = "\n".join(parts)
    path = write(content, "broken.md", text)
    lines = text.split("\n")
    at = {}  # each image's line: the first after its prompt's that shows it (not a reference's)
    for prompt, shown, src in expected:
        asked = next(n for n, line in enumerate(lines) if line.endswith(prompt))
        at[src] = next(
            n + 1
            for n in range(asked + 1, len(lines))
            if re.search(rf"{re.escape(shown)}(?!\d)", lines[n])
        )
    return path, expected, at


def test_broken_image_links_are_warnings_and_cards_show_the_alt_text(content, tmp_path, collection):
    path, expected, at = _bank(content)
    result = build([path], tmp_path / "out", ["apkg"], *settings_and_run())
    assert not result.failed, [str(d) for d in result.all_diagnostics]
    warned = {
        (d.source.line, re.search(r"image '([^']+)'", d.message)[1]) for d in result.all_diagnostics
    }
    assert all(d.severity == "warning" for d in result.all_diagnostics)
    assert warned == {(at[src], src) for _, _, src in expected}
    [deck] = result.decks
    assert len(deck.deck.missing_images) == len(expected)

    package = deck.outputs[0]
    assert len(import_package(collection, package).new) == len(expected)
    answers = {note["Question"]: note["Answer"] for note in notes(collection)}
    for prompt, shown, _ in expected:
        answer = next(a for q, a in answers.items() if prompt in q)
        assert (
            f'<span class="missing-image" title="image not found">[missing image: {shown}]</span>'
            in answer
        )
    assert list(package_media(package).values()) == [PNG]  # the image that is there, once


def test_strict_makes_a_broken_image_link_fail_the_deck(content, tmp_path):
    path, expected, _ = _bank(content)
    out = tmp_path / "out"
    result = build([path], out, ["apkg"], *settings_and_run(strict=True))
    assert result.failed
    errors = [d for d in result.all_diagnostics if d.severity == "error"]
    assert len(errors) == len(expected) and "not found" in errors[0].message
    assert not out.exists() or not list(out.glob("*.apkg"))


def test_an_image_that_appears_is_built_in_though_the_markdown_did_not_change(content, tmp_path):
    path = write(content, "one.md", "# One\n\n### What is drawn?\n\n![a cat](img/cat.png)\n")
    out = tmp_path / "out"
    first = build([path], out, ["json", "html"], *settings_and_run())
    assert [d.message.split(";")[0] for d in first.all_diagnostics] == [
        "image 'img/cat.png' not found"
    ]
    assert "[missing image: a cat]" in (out / "one.html").read_text(encoding="utf-8")
    again = build([path], out, ["json", "html"], *settings_and_run())
    assert again.decks[0].cached is not None  # nothing changed: the cache holds, warning and all
    assert len(again.all_diagnostics) == 1
    write(content, "img/cat.png", PNG)
    third = build([path], out, ["json", "html"], *settings_and_run())
    assert third.decks[0].cached is None and third.all_diagnostics == []
    page = (out / "one.html").read_text(encoding="utf-8")
    assert "missing image" not in page.replace(".missing-image", "") and "<img" in page


@pytest.mark.parametrize("src", ["https://example.com/x.png", "//example.com/x.png"])
def test_a_remote_image_stays_a_link_not_a_missing_one(content, tmp_path, src):
    path = write(content, "r.md", f"# R\n\n### What is far?\n\n![far]({src})\n")
    build([path], tmp_path / "out", ["html"], *settings_and_run())
    page = (tmp_path / "out" / "r.html").read_text(encoding="utf-8")
    assert f'<a class="remote-image" href="{src}">[image: far]</a>' in page


def test_a_vault_embed_of_an_image_that_is_not_there_is_a_warning_and_marked(tmp_path, collection):
    vault = tmp_path / "Vault"
    write(vault, ".obsidian/app.json", "{}")
    write(vault, "attachments/cat.png", PNG)
    write(
        vault,
        "Pets.md",
        "#flashcards\n\nwhat is drawn::a cat ![[cat.png]]\n\nwhat is gone::a dog ![[dog.png|200]]\n\n"
        "what is linked::see ![[Other note]]\n",
    )
    result = build([vault], tmp_path / "out", ["apkg"], *settings_and_run())
    assert not result.failed, [str(d) for d in result.all_diagnostics]
    assert [(d.source.line, d.message) for d in result.all_diagnostics] == [
        (5, "image 'dog.png' not found in the vault; cards show its name")
    ]
    import_package(collection, result.decks[0].outputs[0])
    answers = {note["Question"]: note["Answer"] for note in notes(collection)}
    gone = '<span class="missing-image" title="image not found">[missing image: dog.png]</span>'
    assert gone in answers["what is gone"]
    assert "<img" in answers["what is drawn"] and "missing" not in answers["what is drawn"]
    assert answers["what is linked"] == "<p>see Other note</p>"  # a note embedded: its name
    strict = build([vault], tmp_path / "strict", ["apkg"], *settings_and_run(strict=True))
    assert strict.failed
