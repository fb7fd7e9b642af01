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


# 3. `Q:` and `A:` markers wrapped in emphasis ------------------------------------------------------

# (the prompt line, as the author wrote it) for a prompt `{}`
EMPHASISED_PROMPTS = [
    "*Q: {}*",
    "**Q:** {}",
    "*Q? {}*",
    "*Q:{}",
    "_Q: {}_",
    "**Q: {}**",
    "***Q:*** {}",
    "**Q1.** {}",
    "*Question 3: {}*",
    "__Q__: {}",
    "*Q - {}*",
    "Q: {}",
]
# (the answer line as written, the answer read) for an answer `{}`
EMPHASISED_ANSWERS = [
    ("A: {}", "{}"),
    ("**A:** {}", "{}"),
    ("*A: {}*", "*{}*"),
    ("_A:_ {}", "{}"),
    ("*A:{}", "{}"),
    ("Answer: {}", "{}"),
    ("**Ans.** {}", "{}"),
]


def emphasised_qa_bank(count: int):
    """Q/A lines in every emphasis, under `##` sections of eight, some with code after the `A:`
    line, some never answered (a `Q:` line straight after another, or alone before the next):
    (text, [(prompt, answer, section)], [(unanswered prompt, its line)])."""
    lines, answered, unanswered = ["# Networking flash notes", ""], [], []
    for n in range(count):
        section = f"Part {n // 8 + 1}"
        if n % 8 == 0:
            lines += [f"## {section}", ""]
        prompt = (
            f"How many hosts fit in subnet {n}?" if n % 3 else f"Name the layer of protocol {n}"
        )
        asked = EMPHASISED_PROMPTS[n % len(EMPHASISED_PROMPTS)].format(prompt)
        if n % 7 == 5:
            lines.append(asked)  # unanswered: the next line is the next question's (or a blank)
            unanswered.append((prompt, len(lines)))
            if n % 2:
                lines.append("")
            continue
        written, read_as = EMPHASISED_ANSWERS[n % len(EMPHASISED_ANSWERS)]
        lines.append(asked)
        if n % 4 == 1:
            lines.append("")  # the answer in a paragraph of its own
        lines.append(written.format(f"{n * 2} hosts"))
        answer = read_as.format(f"{n * 2} hosts")
        if n % 5 == 2:
            lines += ["", "```", f"ipcalc 10.0.{n}.0/24", "```"]
            answer += f"\n\n```\nipcalc 10.0.{n}.0/24\n```"
        lines.append("")
        answered.append((prompt, answer, (section,)))
    return "\n".join(lines) + "\n", answered, unanswered


def test_markers_wrapped_in_emphasis_are_questions_under_their_sections(tmp_path):
    text, answered, unanswered = emphasised_qa_bank(80)
    deck, report = read(tmp_path, "networking.md", text)
    assert [(q.prompt, q.answer, q.section) for q in deck.questions] == answered
    assert {(q.kind, q.rule) for q in deck.questions} == {(Kind.BASIC, "qa")}
    assert [s.title for s in deck.sections] == [f"Part {k}" for k in range(1, 11)]
    assert [(u.prompt, u.source.line) for u in deck.unanswered] == unanswered
    assert [(d.source.line, d.message) for d in report.diagnostics] == [
        (line, f"question has no answer; left out: {prompt!r}") for prompt, line in unanswered
    ]


def test_a_paragraph_of_questions_without_answers_is_that_many_unanswered(tmp_path):
    text = "# Quiz\n\n*Q: What is A?*\n*Q: What is B?*\n*Q: What is C?*\n*A: C.*\n"
    deck, _ = read(tmp_path, "q.md", text)
    assert [(q.prompt, q.answer) for q in deck.questions] == [("What is C?", "*C.*")]
    assert [u.prompt for u in deck.unanswered] == ["What is A?", "What is B?"]
