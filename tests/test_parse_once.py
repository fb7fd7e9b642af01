"""Each answer is parsed once (issue #28): the reader's parse of its file gives the block tokens of an
answer that is whole blocks of the file, word for word (`reading.bank.slices`), and the build renders
it from them for every target its formats show (`render.render_ahead`); any other answer is parsed
once, alone, for all of them. What comes out is what `to_html` makes of the answer's Markdown."""

from __future__ import annotations

import collections

import pytest
from anki.collection import Collection
from markdown_it import MarkdownIt

from cardsmith.build.pipeline import build
from cardsmith.errors import Report
from cardsmith.exporters.anki_notes import card_fields
from cardsmith.reading.bank import read_bank
from cardsmith.render import Rendering, Renders, Target, render_ahead, to_html

from support.anki_engine import import_package, notes
from support.inputs import write
from support.library import settings_and_run

# answers of every shape a bank's answers take; `{n}` makes each question's its own
SHAPES = [
    "Plain **bold** and _em_ text {n} with `code`.",
    "First paragraph {n}.\n\nSecond paragraph, with a hard break  \nand a line after it.",
    "- outer {n}\n  - inner\n    - innermost\n- another",
    "3. third {n}\n4. fourth\n\n   loose item\n5. fifth",
    "```python\nprint('code', {n})\n\n\nx = [i for i in range(3)]\n```",
    "```yaml\nplugins:\n  - exercise:\n      label: 'n{n}'\n```",
    "    indented code {n}\n    more",
    "| key | value |\n|---|:-:|\n| n | {n} |\n| `a|b` | **x** |",
    "Text {n} right above a table:\n| a | b |\n|---|---|\n| 1 | 2 |",
    "> quoted {n}\n> - with a list\n\n> [!NOTE]\n> An alert.",
    "Math $x^{n}$ inline and a block:\n\n$$\n\\frac{a}{b} = {n}\n$$",
    '<div class="note" onclick="x()">raw html {n}</div>\n\nAfter the <b>HTML</b><script>x</script>.',
    "<details>\n<summary>More</summary>\n\nHidden {n} text.\n\n</details>",
    "- [x] done {n}\n- [ ] not done",
    "See www.example.com/{n} and https://example.org/a?b=c or me@example.com.",
    "Before the rule {n}.\n\n***\n\nAfter the rule.",
    "שלום עולם {n}, טקסט מימין לשמאל.\n\nAnd `print()` in English.",
    "#### A sub-heading {n}\n\nUnder it.",
    "Text {n} <!-- a comment --> and a [link](https://example.com 'title').",
    "A footnote-looking [^{n}] and a [reference][nowhere].",
    "Term {n}\n: not a definition list in GFM\n\n1) paren list\n2) second",
    "```\nno language {n}\n```\n\n~~~js\nlet tilde = {n};\n~~~",
    "Line {n} with &amp; entities &copy; and \\*escapes\\*.",
    "   Three-space indented paragraph {n}.\n\n  - two-space list",
]


def answer(n: int) -> str:
    return SHAPES[n % len(SHAPES)].replace("{n}", str(n))


def heading_bank(count: int) -> str:
    parts = ["# Bank\n"]
    for n in range(count):
        if n % 10 == 0:
            parts.append(f"## Part {n // 10}\n")
        parts.append(f"### {n + 1}. What is item {n}?\n\n{answer(n)}\n")
    return "\n".join(parts)


def bold_bank(count: int) -> str:
    shapes = (n for n in range(count) if not answer(n).startswith("#"))  # a heading asks here
    return "# Bank\n\n" + "\n".join(f"**What is item {n}?**\n\n{answer(n)}\n" for n in shapes)


def details_bank(count: int) -> str:
    return "---\nquestions: details\n---\n# Bank\n\n" + "\n".join(
        f"<details>\n<summary>What is item {n}?</summary>\n\n{answer(n)}\n\n</details>\n"
        for n in range(count)
        if "<details>" not in answer(n)
    )


def list_heading_bank(count: int) -> str:
    indented = (
        "\n".join("   " + line if line else "" for line in answer(n).split("\n"))
        for n in range(count)
    )
    return "---\nquestions: list-heading\n---\n# Bank\n\n" + "\n".join(
        f"{n + 1}. ### What is item {n}?\n\n{text}\n" for n, text in enumerate(indented)
    )


def with_references(count: int) -> str:
    """Link references and footnotes belong to the whole file: an answer's text alone lacks them."""
    return (
        heading_bank(count)
        + "\n### Last?\n\nSee [the docs][docs] and a note[^1].\n\n[docs]: https://example.com\n\n"
        "[^1]: The note.\n"
    )


BANKS = {
    "heading": heading_bank,
    "bold": bold_bank,
    "details": details_bank,
    "list-heading": list_heading_bank,
    "references": with_references,
}


@pytest.mark.parametrize("bank", list(BANKS))
def test_answers_rendered_ahead_are_what_to_html_makes(tmp_path, bank):
    path = write(tmp_path, f"{bank}.md", BANKS[bank](2 * len(SHAPES)))
    parsed: dict[str, list] = {}
    deck = read_bank(path, tmp_path, Report(), parsed=parsed)
    assert len(deck.questions) >= len(SHAPES)
    memo = Renders()
    render_ahead(deck, parsed, list(Target), memo)
    for question in deck.questions:
        for markdown in (question.answer, question.front):
            if not markdown:
                continue
            for target in Target:
                rendering = Rendering.of(deck, target)
                key = Renders.key(False, markdown, rendering)
                if "]: " in markdown:  # its own references: left to `to_html`
                    assert key not in memo
                    continue
                assert memo[key] == to_html(markdown, rendering), (target, markdown)
    if bank == "heading":  # every answer is whole blocks of the file, word for word
        assert set(parsed) == {q.answer for q in deck.questions if q.answer}
    if bank == "references":
        assert parsed == {}


def _counting_parses(monkeypatch) -> collections.Counter:
    """The text of every `MarkdownIt.parse` call (a render parses, `renderInline` does not)."""
    parsed: collections.Counter = collections.Counter()
    real = MarkdownIt.parse

    def parse(self, src, env=None):
        parsed[src] += 1
        return real(self, src, env)

    monkeypatch.setattr(MarkdownIt, "parse", parse)
    return parsed


QUICK = ["apkg", "anki-csv", "json", "csv", "html"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_parses_the_file_once_and_no_answer_again(tmp_path, monkeypatch, jobs):
    path = write(tmp_path / "content", "bank.md", heading_bank(2 * len(SHAPES)))
    parses = _counting_parses(monkeypatch)
    result = build([path], tmp_path / "out", QUICK, *settings_and_run(jobs=jobs))
    assert not result.failed, result.all_diagnostics
    deck = result.decks[0].deck
    if jobs == 1:  # workers are other processes: their parses are not counted here
        assert parses == {path.read_text(encoding="utf-8"): 1}
    _assert_package_holds(result.decks[0].outputs[0], deck, tmp_path)


def test_answers_that_are_not_the_files_text_are_parsed_once_for_all_formats(tmp_path, monkeypatch):
    path = write(tmp_path / "content", "bank.md", details_bank(2 * len(SHAPES)))
    parses = _counting_parses(monkeypatch)
    result = build([path], tmp_path / "out", QUICK, *settings_and_run(jobs=1))
    assert not result.failed, result.all_diagnostics
    deck = result.decks[0].deck
    answers = {q.answer for q in deck.questions if q.answer}
    assert parses[path.read_text(encoding="utf-8")] == 1
    assert max(parses[text] for text in answers) == 1  # some are, none twice
    _assert_package_holds(result.decks[0].outputs[0], deck, tmp_path)


def _assert_package_holds(package, deck, tmp_path) -> None:
    """The package imports into Anki with every answer as `to_html` renders it for a card."""
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(collection, package)
        fields = {note["Question"]: note["Answer"] for note in notes(collection)}
    finally:
        collection.close()
    assert len(fields) == len(deck.questions)
    rendering = Rendering.of(deck, Target.CARD)
    expected = {}
    for question in deck.questions:
        prompt, answer = card_fields(question, rendering, deck.lang)[:2]
        expected[prompt] = answer
        assert to_html(question.answer, rendering) in answer
    assert fields == expected
