"""Headings at the question level that are not questions (`reading/bank/rules/heading.py`): dividers
(`## # 1. INTRODUCTION` with nothing under it, then `## Q. What is X?` at the same level) open
sections, and a heading with only links under it (`## Related Topics`) is a link list, left out for
that reason. Found on a README of 166 `## Q.` questions in 23 such parts (bench/BANKS.md); each
case here a generated bank of variations, read back exactly. The text is ours."""

from __future__ import annotations

import pytest

from cardsmith.errors import Report
from cardsmith.reading.bank import read_bank

from support.inputs import write

DIVIDERS = [
    "## # {n}. PART {n}",
    "## Part {n}",
    "## 📦 Modules {n}",
    "## {n}. BASICS {n}",
    '## <a name="p{n}"></a> Topic {n}',
    "## Topic {n}:",
]
BETWEEN = [
    [""],
    ["", "<br/>", ""],
    ["", "<br>", "", "<br>", ""],
    ["", '<div align="right"></div>', ""],
]
QUESTIONS = ["## Q. What is {n}.{m}?", "## {m}. How does {n}.{m} work?", "## Why {n}.{m}?"]
SECTION = {
    0: "{n}. PART {n}",
    1: "Part {n}",
    2: "📦 Modules {n}",
    3: "{n}. BASICS {n}",
    4: "Topic {n}",
    5: "Topic {n}",
}


def read(tmp_path, name: str, text: str):
    report = Report()
    return read_bank(write(tmp_path, name, text), tmp_path, report), report


def divided_bank(shape: int, parts: int, per_part: int, links: bool) -> tuple[str, list]:
    """`parts` dividers of one style, each followed by `per_part` questions of its level."""
    lines = ["# Handbook", ""]
    if links:
        lines += ["## Related Topics", "", "* *[Other](https://example.org/a)*"]
        lines += ["* [More](https://example.org/b) - more of it", ""]
    expected = []
    for n in range(1, parts + 1):
        lines += [DIVIDERS[shape % len(DIVIDERS)].format(n=n), *BETWEEN[(shape + n) % len(BETWEEN)]]
        for m in range(1, per_part + 1):
            question = QUESTIONS[(shape + m) % len(QUESTIONS)].format(n=n, m=m)
            lines += [question, "", f"Answer {n}.{m}.", ""]
            prompt = question.split(" ", 1)[1]
            prompt = prompt.removeprefix("Q. ").removeprefix(f"{m}. ")
            expected.append((prompt, f"Answer {n}.{m}.", (SECTION[shape].format(n=n),)))
    return "\n".join(lines) + "\n", expected


@pytest.mark.parametrize("shape", range(len(DIVIDERS)))
def test_dividers_at_the_question_level_open_sections(tmp_path, shape):
    cases = 0
    for parts in (2, 3, 5):
        for per_part in (1, 2, 4):
            for links in (False, True):
                text, expected = divided_bank(shape, parts, per_part, links)
                deck, report = read(tmp_path, f"d{shape}-{parts}-{per_part}-{links}.md", text)
                cases += 1
                got = [(q.prompt, q.answer, q.section) for q in deck.questions]
                assert got == expected, text
                assert not deck.unanswered, text
                assert not report.errors and not report.warnings, (text, report.warnings)
                reasons = {s.reason for s in deck.skipped}
                assert ("link list" in reasons) == links
    assert cases == 18


def test_one_empty_heading_is_a_question_left_without_answer_not_a_divider(tmp_path):
    for n in range(1, 11):
        lines = ["# Deck", ""]
        for m in range(1, n + 1):
            lines += [f"## What is {m}?", "", f"Answer {m}.", ""]
        lines += [f"## Closures {n}", ""]
        lines += ["## What comes after?", "", "After.", ""]
        deck, _ = read(tmp_path, f"one{n}.md", "\n".join(lines))
        assert [q.prompt for q in deck.questions][-1] == "What comes after?"
        assert {q.section for q in deck.questions} == {()}
        assert [(u.prompt, u.reason) for u in deck.unanswered] == [(f"Closures {n}", "no answer")]


@pytest.mark.parametrize(
    "body, kept",
    [
        (["Text about it."], True),  # a heading with text is a question (the author's choice)
        (
            ["- [A](https://a.example) and why it matters, in many more words than a link's note."],
            True,
        ),
        (["- [A](https://a.example)", "", "Then a paragraph."], True),
        (["- [A](https://a.example)", "- [B](https://b.example)"], False),
        (["| Site | Link |", "|---|---|", "| A | [a](https://a.example) |"], False),
    ],
)
def test_a_heading_with_only_links_under_it_is_a_link_list(tmp_path, body, kept):
    text = "\n".join(
        ["# Deck", "", "## Useful Things", "", *body, "", "## What is A?", "", "A is a.", ""]
    )
    deck, report = read(tmp_path, "links.md", text)
    assert ("Useful Things" in [q.prompt for q in deck.questions]) == kept
    assert "What is A?" in [q.prompt for q in deck.questions]
    if not kept:
        assert [(s.source.line, s.reason) for s in deck.skipped] == [(3, "link list")]
        assert not report.warnings


def test_an_asking_heading_whose_answer_is_links_stays_a_question(tmp_path):
    text = "\n".join(
        [
            "# Deck",
            "",
            "## What are good resources?",
            "",
            "- [A](https://a.example)",
            "- [B](https://b.example)",
            "",
            "## What is A?",
            "",
            "A is a.",
            "",
        ]
    )
    deck, _ = read(tmp_path, "resources.md", text)
    assert [q.prompt for q in deck.questions] == ["What are good resources?", "What is A?"]
    assert "[A](https://a.example)" in deck.questions[0].answer


def test_a_topic_at_the_question_level_over_asking_headings_is_a_section(tmp_path):
    """`### Chapter 3` (asks nothing) over `#### What is C?` headings, where other parts ask at
    `###`: the chapter is a section and its headings are questions (it was one card holding
    them). A question-level heading over one asking sub-heading keeps it as its answer."""
    for chapters in (1, 2, 3):
        for per in (2, 3):
            lines = ["# Course", "", "## Part 1", ""]
            expected = []
            for m in range(1, 4):
                lines += [f"### What is A{m}?", "", f"A{m}.", ""]
                expected.append((f"What is A{m}?", ("Part 1",)))
            lines += ["## Part 2", ""]
            for c in range(1, chapters + 1):
                lines += [f"### Chapter {c}", ""]
                for m in range(1, per + 1):
                    lines += [f"#### How does C{c}.{m} work?", "", f"C{c}.{m}.", ""]
                    expected.append((f"How does C{c}.{m} work?", ("Part 2", f"Chapter {c}")))
            lines += ["### What is last?", "", "Last.", ""]
            expected.append(("What is last?", ("Part 2",)))
            deck, report = read(tmp_path, f"topics{chapters}{per}.md", "\n".join(lines))
            assert [(q.prompt, q.section) for q in deck.questions] == expected
            assert not report.warnings
    one = "# C\n\n### What is X?\n\nX.\n\n### Closures\n\n#### Why use them?\n\nTo keep state.\n"
    deck, _ = read(tmp_path, "one.md", one)
    assert [q.prompt for q in deck.questions] == ["What is X?", "Closures"]
