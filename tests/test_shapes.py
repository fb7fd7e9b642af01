"""Shapes found on banks nobody had shown cardsmith (issue #27), each generated with tens of
variations and read back exactly: counts, prompts, fronts, answers, options, sections and kinds, and
what is reported as unanswered. The shapes are those of public banks; the text is ours."""

from __future__ import annotations

import itertools

from cardsmith.errors import Report
from cardsmith.model import Kind
from cardsmith.reading.bank import read_bank
from cardsmith.reading.bank.answers import is_placeholder

from support.inputs import write


def read(tmp_path, name: str, text: str):
    report = Report()
    deck = read_bank(write(tmp_path, name, text), tmp_path, report)
    return deck, report


# 6. Placeholders in other words are unanswered questions ------------------------------------------

PLACEHOLDERS = [
    "To be completed",
    "Answer coming soon",
    "TODO: add answer",
    "TBD",
    "Coming soon",
    "Will be updated later",
    "Your answer here",
    "Answer goes here",
    "Work in progress",
    "Answer: TBA",
    "Solution pending",
    "To be added",
    "Yet to be written",
    "Explanation will be added soon",
    "TODO - write the solution",
    "T.B.D.",
    "Under construction",
    "Not yet answered",
    "Content coming soon",
    "Answer: TODO",
]
CASES = [str, str.lower, str.upper, str.title]
DRESS = ["{}", "{}.", "*{}*", "**{}.**", "_{}..._", "({})", "> {}!", "{} 🚧"]
# answers that share the placeholders' words and are answers all the same
ANSWERS = [
    "Pending",
    "Update",
    "Later",
    "Solution",
    "Done",
    "Pending, fulfilled or rejected.",
    "To do so, call `f()`.",
    "It is added to the queue.",
    "Missing values are `NaN`.",
    "`TODO`",
    "The answer is 42.",
    "Coming from the server, the data is JSON.",
]


def placeholder_bank(count: int) -> tuple[str, list[str], list[tuple[str, str]]]:
    """A bank whose answers are placeholders in every case and dress, between real answers with
    the same words: (text, prompts left unanswered, (prompt, answer) of the cards)."""
    parts, unanswered, answered = ["# Placeholders\n"], [], []
    variants = itertools.product(PLACEHOLDERS, CASES, DRESS)
    for n in range(1, count + 1):
        if n % 3:
            words, case, dress = next(itertools.islice(variants, 6, None))  # spread the variants
            text = dress.format(case(words))
            parts.append(f"## {n}. What is missing in part {n}?\n\n{text}\n")
            unanswered.append(f"What is missing in part {n}?")
        else:
            answer = ANSWERS[(n // 3) % len(ANSWERS)]
            parts.append(f"## {n}. What does part {n} say?\n\n{answer}\n")
            answered.append((f"What does part {n} say?", answer))
    return "\n".join(parts), unanswered, answered


def test_placeholders_in_other_words_are_unanswered_questions(tmp_path):
    text, unanswered, answered = placeholder_bank(90)
    deck, report = read(tmp_path, "placeholders.md", text)
    assert [(q.prompt, q.answer) for q in deck.questions] == answered
    assert [u.prompt for u in deck.unanswered] == unanswered
    warned = [d.message for d in report.warnings]
    assert len(warned) == len(unanswered)
    assert all("placeholder answer" in message for message in warned)
    assert {q.kind for q in deck.questions} == {Kind.BASIC}


def test_every_placeholder_in_every_case_and_dress_is_one():
    for words, case, dress in itertools.product(PLACEHOLDERS, CASES, DRESS):
        assert is_placeholder(dress.format(case(words))), dress.format(case(words))
    for answer in ANSWERS:
        assert not is_placeholder(answer), answer
