"""A section's introduction (issue #27, bench/BANKS.md class J): the text under a section heading
before its first question is the section's `intro` in the model, shown in the JSON and on the study
page under the section's heading, as the deck's own introduction is; the cards do not change. Read
back exactly on a generated bank of tens of sections with zero to three introduction blocks each."""

from __future__ import annotations

import json

from cardsmith.errors import Report
from cardsmith.exporters.json import deck_to_dict
from cardsmith.exporters.study_page import page
from cardsmith.reading.bank import read_bank

from support.inputs import write

BLOCKS = [
    "Section {n} is about *topic {n}*, in a paragraph\nthat runs over two lines.",
    "- point {n}\n- another point\n  - nested {n}",
    "```python\nprint('intro', {n})\n```",
    "| term | meaning |\n|---|---|\n| t{n} | m{n} |",
    "1. first {n}\n2. second {n}",
    "> A quote about {n}.",
]
BACK_TO_TOP = "**[⬆ Back to Top](#table-of-contents)**"


def intro_bank(count: int) -> tuple[str, dict[tuple[str, ...], str], list[str]]:
    """A bank of `count` sections, each with 0-3 introduction blocks (some after a back-to-top line,
    which stays boilerplate) and 1-3 questions; the intros expected and the prompts in order."""
    parts = ["# Interview notes\n\nThe deck's own introduction.\n"]
    intros: dict[tuple[str, ...], str] = {}
    prompts: list[str] = []
    number = 0
    for n in range(1, count + 1):
        blocks = [BLOCKS[(n + k) % len(BLOCKS)].replace("{n}", str(n)) for k in range(n % 4)]
        parts.append(f"## Part {n}\n")
        if n % 5 == 0:
            parts.append(BACK_TO_TOP + "\n")
        parts.extend(block + "\n" for block in blocks)
        intros[(f"Part {n}",)] = "\n\n".join(blocks)
        for _ in range(1 + n % 3):
            number += 1
            prompts.append(f"What is item {number}?")
            parts.append(f"### {number}. What is item {number}?\n\nItem {number}, answered.\n")
    return "\n".join(parts), intros, prompts


def read(tmp_path, text: str):
    report = Report()
    deck = read_bank(write(tmp_path, "bank.md", text), tmp_path, report)
    return deck, report


def test_text_under_a_section_heading_before_its_first_question_is_its_intro(tmp_path):
    text, intros, prompts = intro_bank(36)
    deck, report = read(tmp_path, text)
    assert {s.path: s.intro for s in deck.sections} == intros
    assert [q.prompt for q in deck.questions] == prompts
    assert [q.answer for q in deck.questions] == [
        f"Item {n}, answered." for n in range(1, len(prompts) + 1)
    ]
    assert deck.intro == "The deck's own introduction."
    assert not report.diagnostics
    # the back-to-top lines are skipped for their reason, not in an intro
    assert len([s for s in deck.skipped if s.reason == "back-to-top link"]) == 36 // 5
    assert not any("Back to Top" in s.intro for s in deck.sections)


def test_a_sections_intro_is_in_the_json_and_on_the_study_page_under_its_heading(tmp_path):
    text, intros, _ = intro_bank(12)
    deck, _ = read(tmp_path, text)
    data = json.loads(json.dumps(deck_to_dict(deck)))
    assert {tuple(s["path"]): s["intro"] for s in data["sections"]} == intros
    html = page(deck)
    for n, section in enumerate(deck.sections):
        heading = html.index(f'<h2 id="s-{n}">{section.label}</h2>')
        following = html.index('<ol class="questions">', heading)
        shown = html[heading:following]
        assert ('<div class="intro">' in shown) == bool(section.intro)
    assert "<table>" in html and "print</span>" in html and "<blockquote>" in html


def test_text_under_a_part_whose_questions_are_in_its_chapter_is_the_parts_intro(tmp_path):
    text = (
        "# Deck\n\n## Part\n\nAbout the part.\n\n### Chapter\n\nAbout the chapter.\n\n"
        "#### 1. What is x?\n\nX.\n"
    )
    deck, report = read(tmp_path, text)
    assert [(s.path, s.intro, len(s.questions)) for s in deck.sections] == [
        (("Part",), "About the part.", 0),
        (("Part", "Chapter"), "About the chapter.", 1),
    ]
    assert not report.diagnostics
