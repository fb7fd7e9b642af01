"""List items that ask, with the answer inside the item (`reading/bank/rules/list_item.py`):
`1. What does X return?` and, indented under it, a paragraph, a nested list, a quote, code or a
table. Before this rule such a file failed with "2 questions found, none answered". Generated banks
of variations, read back exactly; the text is ours."""

from __future__ import annotations

import pytest

from cardsmith.errors import ContentError, Report
from cardsmith.model import Kind
from cardsmith.reading.bank import read_bank

from support.inputs import write

ANSWERS = [
    ["It is {n}."],
    ["- first of {n}", "- second of {n}"],
    ["> A quoted answer {n}."],
    ["```python", "print({n})", "```"],
    ["| a | b |", "|---|---|", "| {n} | 2 |"],
    ["One paragraph {n}.", "", "Another paragraph {n}."],
]
EXPECTED = [
    "It is {n}.",
    "- first of {n}\n- second of {n}",
    "> A quoted answer {n}.",
    "```python\nprint({n})\n```",
    "| a | b |\n|---|---|\n| {n} | 2 |",
    "One paragraph {n}.\n\nAnother paragraph {n}.",
]
PROMPTS = ["What is {n}?", "How does `{n}` work?", "Why {n}?", "Explain how {n} works."]


def read(tmp_path, name: str, text: str):
    report = Report()
    return read_bank(write(tmp_path, name, text), tmp_path, report), report


def item_bank(count: int, shape: int, ordered: bool, tight: bool) -> tuple[str, list]:
    """`count` items of one list, answers of each kind in turn; `tight`: the answer's first line
    right under the prompt (no blank line), as a lazy paragraph or a nested block."""
    lines = ["# Quiz", ""]
    expected = []
    for n in range(1, count + 1):
        marker = f"{n}. " if ordered else "- "
        pad = " " * len(marker)
        prompt = PROMPTS[(n + shape) % len(PROMPTS)].format(n=n)
        kind = (n + shape) % len(ANSWERS)
        lines.append(marker + prompt)
        if not tight:
            lines.append("")
        lines += [pad + line if line else "" for line in (x.format(n=n) for x in ANSWERS[kind])]
        lines.append("")
        expected.append((prompt, EXPECTED[kind].format(n=n)))
    return "\n".join(lines) + "\n", expected


@pytest.mark.parametrize("shape", range(4))
def test_items_that_ask_with_their_answer_under_them(tmp_path, shape):
    cases = 0
    for count in (2, 3, 7, 12):
        for ordered in (True, False):
            for tight in (False, True):
                text, expected = item_bank(count, shape, ordered, tight)
                deck, report = read(tmp_path, f"i{shape}-{count}-{ordered}-{tight}.md", text)
                cases += 1
                assert [(q.prompt, q.answer) for q in deck.questions] == expected, text
                assert {q.rule for q in deck.questions} == {"list-item"}
                assert not deck.unanswered and not report.warnings, text
    assert cases == 16


def test_an_item_with_nothing_under_it_is_unanswered_among_answered_ones(tmp_path):
    for missing in range(1, 6):
        lines = ["# Quiz", ""]
        for n in range(1, 6):
            lines += [f"{n}. What is {n}?", ""]
            if n != missing:
                lines += [f"   It is {n}.", ""]
        deck, _ = read(tmp_path, f"m{missing}.md", "\n".join(lines))
        assert [q.prompt for q in deck.questions] == [
            f"What is {n}?" for n in range(1, 6) if n != missing
        ]
        assert [u.prompt for u in deck.unanswered] == [f"What is {missing}?"]


def test_options_alone_are_a_quiz_without_answer_and_a_ticked_box_a_choice(tmp_path):
    lettered = ["1. Which is right?", "   - A. one", "   - B. two", ""]
    lettered += ["2. Which is wrong?", "   - A. three", "   - B. four", ""]
    with pytest.raises(ContentError, match="2 questions found, none answered"):
        read(tmp_path, "letters.md", "# Quiz\n\n" + "\n".join(lettered))  # not answered by options
    ticked = ["1. Which is right?", "   - [ ] one", "   - [x] two", ""]
    ticked += ["2. Which is wrong?", "   - [x] three", "   - [ ] four", ""]
    deck, _ = read(tmp_path, "ticks.md", "# Quiz\n\n" + "\n".join(ticked))
    assert [(q.prompt, q.kind) for q in deck.questions] == [
        ("Which is right?", Kind.CHOICE),
        ("Which is wrong?", Kind.CHOICE),
    ]


def test_inside_a_heading_question_such_items_are_its_answer(tmp_path):
    """Weak, as `list-bold` is: after the heading question's own text the items are its answer;
    a heading whose text opens with them groups them (a section), as with bold questions."""
    items = ["1. What is the team like?", "", "   Tells you who you work with.", ""]
    items += ["2. How are releases made?", "", "   Tells you how work ships.", ""]
    after = ["## What is B?", "", "B is b.", ""]
    heading = ["# Deck", "", "## What should you ask an interviewer?", ""]
    deck, _ = read(tmp_path, "inside.md", "\n".join([*heading, "Ask these:", "", *items, *after]))
    assert [q.prompt for q in deck.questions] == [
        "What should you ask an interviewer?",
        "What is B?",
    ]
    assert "Tells you how work ships." in deck.questions[0].answer
    deck, _ = read(tmp_path, "groups.md", "\n".join([*heading, *items, *after]))
    assert [(q.prompt, q.section) for q in deck.questions] == [
        ("What is the team like?", ("What should you ask an interviewer?",)),
        ("How are releases made?", ("What should you ask an interviewer?",)),
        ("What is B?", ()),
    ]


def test_items_that_do_not_ask_stay_text(tmp_path):
    text = "# Notes\n\n## What is a list?\n\n- Apples\n\n  are red.\n- Pears\n\n  are green.\n"
    deck, _ = read(tmp_path, "notes.md", text)
    assert [q.prompt for q in deck.questions] == ["What is a list?"]


def test_a_heading_question_that_answers_itself_before_an_exercise_stays_a_question(tmp_path):
    """A strong question (an exercise box, a `<details>` question) after a heading question's own
    answer ends that answer; the heading is no section over it. Without its own answer first, it
    still groups (a section)."""
    boxes = [
        '!!! exercise "Try {n}"\n    Do {n}.\n\n    !!! solution\n        Done {n}.',
        "<details>\n<summary>What is {n} squared?</summary>\n\nIt is {n}².\n\n</details>",
    ]
    for n in range(1, 9):
        box = boxes[n % 2].format(n=n)
        text = (
            f"# Deck\n\n## What is {n}?\n\n{n} is a number.\n\n{box}\n\n## What is next?\n\nNext.\n"
        )
        deck, _ = read(tmp_path, f"ex{n}.md", text)
        assert deck.questions[0].prompt == f"What is {n}?"
        assert deck.questions[0].answer == f"{n} is a number."
        assert len(deck.questions) == 3
        grouped = f"# Deck\n\n## What is {n}?\n\n{box}\n\n## What is next?\n\nNext.\n"
        deck, _ = read(tmp_path, f"gr{n}.md", grouped)
        assert deck.questions[0].section == (f"What is {n}?",)
