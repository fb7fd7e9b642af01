"""A section's own text when it has no question of its own (issue #27, bench/BANKS.md class J2): a
closing summary, a `Key Review` list above the Q&A, a part whose questions are all in its chapters.
The text is the section's `intro` in the model (a section may hold text and no questions); JSON has it,
the study page and the cheat sheet show it under its heading, the Anki writers make no sub-deck for it
and the flashcards leave it out. Read back exactly on a generated bank of tens of variations."""

from __future__ import annotations

import json

import pypdf
import pytest

from cardsmith.errors import Report
from cardsmith.exporters.anki_notes import subdeck_name
from cardsmith.exporters.json import deck_to_dict
from cardsmith.exporters.study_page import page
from cardsmith.reading.bank import read_bank

from support.anki_engine import build_one, deck_names, import_package, notes
from support.inputs import write

# what a section's own text may be made of; `{n}` is the section's number
BLOCKS = [
    "Section {n} sums up *topic {n}* in a paragraph\nthat runs over two lines.",
    "- key point {n}\n- another point\n  - nested point {n}",
    "```python\nprint('summary', {n})\n```",
    "| term | meaning |\n|---|---|\n| t{n} | m{n} |",
    "1. first step {n}\n2. second step {n}",
    "> A quote about {n}.",
    "Closing words on {n}, with `code {n}` and a [link](https://example.org/{n}).",
]
BACK_TO_TOP = "**[⬆ Back to Top](#table-of-contents)**"
# where a section with no question of its own stands
SHAPES = ["opening", "closing", "between", "part over chapters", "nested twice"]


def blocks(n: int, count: int) -> list[str]:
    return [BLOCKS[(n + k) % len(BLOCKS)].replace("{n}", str(n)) for k in range(count)]


# how the questions are written: a heading deeper than every section's, `Q:`/`A:` lines, bold
QUESTIONS = {
    "heading": "###### {n}. What is item {n}?\n\nItem {n}, answered.\n",
    "qa": "Q: What is item {n}?\nA: Item {n}, answered.\n",
    "bold": "**What is item {n}?**\n\nItem {n}, answered.\n",
}


def text_bank(count: int, written: str = "heading"):
    """A bank of `count` groups, each a shape of SHAPES with 1-3 blocks of section text (some after
    a back-to-top line, which stays boilerplate) and 1-2 questions where the shape has any. Returns
    the Markdown, the sections expected ((path, intro, prompts) in order), and the back-to-top count."""
    parts = ["# Review notes\n"]
    expected: list[tuple[tuple[str, ...], str, list[str]]] = []
    number, tops = 0, 0

    def questions(_level: str, many: int) -> list[str]:
        nonlocal number
        prompts = []
        for _ in range(many):
            number += 1
            prompts.append(f"What is item {number}?")
            parts.append(QUESTIONS[written].replace("{n}", str(number)))
        return prompts

    def text(n: int) -> str:
        nonlocal tops
        own = blocks(n, 1 + n % 3)
        if n % 4 == 0:
            parts.append(BACK_TO_TOP + "\n")
            tops += 1
        parts.extend(block + "\n" for block in own)
        return "\n\n".join(own)

    for n in range(1, count + 1):
        shape = SHAPES[n % len(SHAPES)]
        many = 1 + n % 2
        if shape == "opening":
            parts.append(f"## Key review {n}\n")
            expected.append(((f"Key review {n}",), text(n), []))
            parts.append(f"## Q and A {n}\n")
            expected.append(((f"Q and A {n}",), "", questions("###", many)))
        elif shape == "closing":
            parts.append(f"## Topic {n}\n")
            expected.append(((f"Topic {n}",), "", questions("###", many)))
            parts.append(f"## Summary {n}\n")
            expected.append(((f"Summary {n}",), text(n), []))
        elif shape == "between":
            parts.append(f"## Before {n}\n")
            expected.append(((f"Before {n}",), "", questions("###", 1)))
            parts.append(f"## Aside {n}\n")
            expected.append(((f"Aside {n}",), text(n), []))
            parts.append(f"## After {n}\n")
            expected.append(((f"After {n}",), "", questions("###", many)))
        elif shape == "part over chapters":
            parts.append(f"## Part {n}\n")
            expected.append(((f"Part {n}",), text(n), []))
            parts.append(f"### Chapter {n}\n")
            expected.append(((f"Part {n}", f"Chapter {n}"), "", questions("####", many)))
        else:  # a part and a chapter with text, the questions a level further down
            parts.append(f"## Book {n}\n")
            expected.append(((f"Book {n}",), text(n), []))
            parts.append(f"### Volume {n}\n")
            own = blocks(n + 1, 1)[0]
            parts.append(own + "\n")
            expected.append(((f"Book {n}", f"Volume {n}"), own, []))
            parts.append(f"#### Chapter {n}\n")
            expected.append(
                ((f"Book {n}", f"Volume {n}", f"Chapter {n}"), "", questions("#####", many))
            )
    return "\n".join(parts), expected, tops


def read(tmp_path, text: str):
    report = Report()
    deck = read_bank(write(tmp_path, "bank.md", text), tmp_path, report)
    return deck, report


@pytest.mark.parametrize("written", sorted(QUESTIONS))
def test_text_under_a_section_with_no_question_of_its_own_is_its_intro(tmp_path, written):
    text, expected, tops = text_bank(40, written)
    deck, report = read(tmp_path, text)
    assert [(s.path, s.intro, [q.prompt for q in s.questions]) for s in deck.sections] == expected
    assert not report.diagnostics, [str(d) for d in report.diagnostics]
    assert len(deck.questions) == sum(len(prompts) for *_, prompts in expected)
    assert [q.answer for q in deck.questions] == [
        f"Item {n}, answered." for n in range(1, len(deck.questions) + 1)
    ]
    # each section's heading line is its source; the back-to-top lines are skipped for their reason
    lines = text.split("\n")
    for section in deck.sections:
        assert lines[section.source.line - 1].lstrip("#").strip() == section.title
    assert len([s for s in deck.skipped if s.reason == "back-to-top link"]) == tops
    assert not any("Back to Top" in s.intro for s in deck.sections)


def test_a_section_with_only_boilerplate_or_nothing_still_says_its_heading_is_left_out(tmp_path):
    text = (
        "# Deck\n\n## Links\n\n" + BACK_TO_TOP + "\n\n## Empty\n\n## Topic\n\n"
        "### 1. What is x?\n\nX.\n\n## Closing\n\nAll said.\n"
    )
    deck, report = read(tmp_path, text)
    assert [(s.path, s.intro, len(s.questions)) for s in deck.sections] == [
        (("Topic",), "", 1),
        (("Closing",), "All said.", 0),
    ]
    path = tmp_path / "bank.md"
    assert [str(d) for d in report.diagnostics] == [
        f"{path}:3: warning: section 'Links' has no questions; its heading is left out",
        f"{path}:7: warning: section 'Empty' has no questions; its heading is left out",
    ]


def test_section_text_is_in_the_json_and_on_the_study_page_under_its_heading(tmp_path):
    text, expected, _ = text_bank(15)
    deck, _ = read(tmp_path, text)
    data = json.loads(json.dumps(deck_to_dict(deck)))
    assert [(tuple(s["path"]), s["intro"], len(s["questions"])) for s in data["sections"]] == [
        (path, intro, len(prompts)) for path, intro, prompts in expected
    ]
    html = page(deck)
    for n, section in enumerate(deck.sections):
        start = html.index(f'<h2 id="s-{n}">{section.label}</h2>')
        shown = html[start : html.index("</section>", start)]
        assert ('<div class="intro">' in shown) == bool(section.intro)
        assert ('<ol class="questions">' in shown) == bool(section.questions)  # no empty list
    assert "<table" in html and "<blockquote>" in html and "print</span>" in html


def test_the_anki_package_has_no_sub_deck_for_section_text_and_the_pdfs_show_it(
    tmp_path, collection
):
    text, expected, _ = text_bank(10)
    source = write(tmp_path / "content", "bank.md", text)
    deck, _ = read(tmp_path / "content", text)
    package = build_one(source, tmp_path / "out", "apkg")
    import_package(collection, package)
    assert len(notes(collection)) == len(deck.questions)
    with_cards = {subdeck_name(deck, path) for path, _, prompts in expected if prompts}
    # Anki makes the parents of a sub-deck itself (`Review notes::Part 4` above its chapter)
    parents = {"::".join(name.split("::")[:k]) for name in with_cards for k in (1, 2, 3)}
    assert deck_names(collection) == with_cards | parents
    assert not any("Summary" in name or "Key review" in name for name in deck_names(collection))
    sheet = pypdf.PdfReader(build_one(source, tmp_path / "out", "pdf"))
    printed = " ".join(page.extract_text() for page in sheet.pages)
    squashed = "".join(printed.split())
    for _, intro, _ in expected:
        for word in ("keypoint", "firststep", "Aquoteabout", "Closingwordson"):
            if word in "".join(intro.split()):
                assert word in squashed
    assert "Section7sumsup" in squashed and "print('summary',9)" in squashed
    cards = pypdf.PdfReader(build_one(source, tmp_path / "out", "cards-pdf"))
    on_cards = "".join(" ".join(page.extract_text() for page in cards.pages).split())
    assert "keypoint" not in on_cards and "Closingwordson" not in on_cards
    assert "Whatisitem1?" in on_cards


PNG = bytes.fromhex(  # the smallest image a browser and WeasyPrint draw
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
# a section's figures: images of the content folder stand in its text; a linked or remote image
# alone in a paragraph is still a badge or banner
FIGURES = [
    ("![diagram {n}](img/d{n}.png)", ["img/d{n}.png"], True),
    ('<img src="img/h{n}.png" alt="html {n}">', ["img/h{n}.png"], True),
    (
        "Before and after: ![a {n}](img/a{n}.png) ![b {n}](img/b{n}.png)",
        ["img/a{n}.png", "img/b{n}.png"],
        True,
    ),
    ("[![logo {n}](img/l{n}.png)](https://example.org)", [], False),
    ("![ci](https://img.shields.io/badge/ci-{n}-green.svg)", [], False),
]


def test_a_sections_figures_are_its_text_with_their_images_and_banners_stay_skipped(tmp_path):
    parts, expected = ["# Figures\n\nThe deck's ![cover](img/cover.png) introduction.\n"], []
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "cover.png").write_bytes(PNG)
    for n in range(1, 31):
        markdown, sources, kept = FIGURES[n % len(FIGURES)]
        markdown = markdown.replace("{n}", str(n))
        sources = [s.replace("{n}", str(n)) for s in sources]
        for source in sources:
            (tmp_path / source).write_bytes(PNG)
        parts += [f"## Summary {n}\n", markdown + "\n", f"Closing words on {n}.\n"]
        if n % 2:
            parts.append(f"### {n}. What is item {n}?\n\nItem {n}.\n")
        intro = f"{markdown}\n\nClosing words on {n}." if kept else f"Closing words on {n}."
        expected.append(((f"Summary {n}",), intro, sources))
    deck, report = read(tmp_path, "\n".join(parts))
    assert [(s.path, s.intro, [i.src for i in s.images]) for s in deck.sections] == expected
    assert [i.src for i in deck.intro_images] == ["img/cover.png"]
    assert not report.diagnostics, [str(d) for d in report.diagnostics]
    badges = [s for s in deck.skipped if s.reason == "badges and banners"]
    assert len(badges) == sum(1 for n in range(1, 31) if not FIGURES[n % len(FIGURES)][2])
    html = page(deck)
    shown = sum(len(s.images) for s in deck.sections) + 1
    assert html.count('<img src="data:image/png;base64,') == shown
    assert "missing image" not in html
