"""Question banks written the ways people write them: each convention read into the same model."""

from __future__ import annotations

import shutil

import pytest

from cardsmith.errors import ContentError
from cardsmith.reading.bank.rules import Rule

from support.inputs import DATA, write
from support.library import parse

SAMPLES = DATA / "conventions"


@pytest.fixture
def sample(tmp_path):
    def copy(name: str):
        shutil.copytree(SAMPLES, tmp_path / "c")
        return parse(tmp_path / "c" / name)

    return copy


def test_readme_list_heading_bank(sample):
    deck, report = sample("list-heading.md")
    assert deck.rule == "list-heading"
    assert deck.title == "JavaScript Interview Questions & Answers"
    assert [q.prompt for q in deck.questions] == [
        "What is a closure?",
        "What is hoisting?",
        "What is the event loop?",
        "What is the difference between == and ===?",
        "What is a promise?",
    ]
    assert [q.number for q in deck.questions] == [1, 2, 3, 4, 5]  # the author's list numbers
    assert [s.path for s in deck.sections] == [()]  # the ToC and License are not sections
    closure, hoisting, loop, equality, promise = deck.questions
    assert closure.answer == (
        "A closure is the combination of a function and the lexical environment within which that\n"
        "function was declared.\n\n```javascript\nfunction counter() {\n  let count = 0;\n"
        "  return () => ++count;\n}\n```"
    )
    assert (
        "  - `let` and `const` are hoisted" in hoisting.answer
    )  # nesting kept, item indent removed
    assert "Back to Top" not in hoisting.answer
    assert loop.images[0].src == "img/event-loop.png"
    assert equality.answer.startswith("| Operator | Coerces types? |")
    assert promise.answer.startswith('<div class="note">')
    assert [str(u.source.line) for u in deck.unanswered] == ["72"]
    assert any("placeholder answer" in d.message for d in report.warnings)


def test_bold_paragraph_bank_with_difficulty_markers(sample):
    deck, _ = sample("bold.md")
    assert deck.rule == "bold"
    assert [(q.prompt, q.section, q.tags[-1]) for q in deck.questions] == [
        ("What is regularization?", ("Fundamentals",), "easy"),
        ("What is overfitting?", ("Fundamentals",), "medium"),
        ("Explain the bias–variance trade-off", ("Fundamentals",), "hard"),
        ("Why do we use ReLU?", ("Deep learning",), "easy"),
        ("What does dropout do?", ("Deep learning",), "hard"),
    ]
    regularization, overfitting, tradeoff, relu, _ = deck.questions
    assert regularization.answer.endswith("\\lambda \\lVert w \\rVert^2\n$$")
    assert overfitting.answer.endswith(
        "**Example:**\n\nThis bold label is part of the answer above, not a question."
    )
    assert "  - while validation error rises" in overfitting.answer
    assert tradeoff.answer.endswith("| deep tree | low | high |")  # the rule after it is dropped
    assert relu.answer.startswith("```python\ndef relu(x):")
    assert relu.tags == ("deep-learning", "easy")
    assert len(deck.unanswered) == 1  # "Answer here"


def test_q_and_a_lines_with_question_code_in_front(sample):
    deck, _ = sample("qa.md")
    assert deck.rule == "qa"
    assert [q.prompt for q in deck.questions] == [
        "What does `type([])` return?",
        "Are strings mutable?",
        "How do you make an empty set?",
        "What is printed?",
        "What does `*args` collect?",
    ]
    assert [q.section for q in deck.questions] == [("Data types",)] * 3 + [("Functions",)] * 2
    first, mutable, _, printed, args = deck.questions
    assert first.answer == "`<class 'list'>`"
    assert mutable.answer.startswith('No. Every "change" builds a new string:\n\n```python')
    assert (
        printed.front
        == "```python\ndef f(x=[]):\n    x.append(1)\n    return x\nf(); print(f())\n```"
    )
    assert printed.answer.startswith("`[1, 1]`: the default list")
    assert args.answer.endswith("| `**kwargs` | keyword, dict |")
    assert len(deck.unanswered) == 1  # "TBD"


def test_details_answers_and_code_in_the_question_front(sample):
    deck, report = sample("details.md")
    assert deck.rule == "heading"
    assert [(q.number, q.prompt, q.section) for q in deck.questions] == [
        (1, "What's the output?", ("Basics",)),
        (2, "What's the output?", ("Basics",)),
        (3, "Which is true about `Object.freeze`?", ("Objects",)),
    ]
    first, second, third = deck.questions
    # lettered options with `#### Answer: B` in the revealed answer: a quiz
    assert first.kind == "choice"
    assert (
        first.front
        == "```javascript\nfunction sayHi() {\n  console.log(name);\n  var name = 'Lydia';\n}\nsayHi();\n```"
    )
    assert [(c.label, c.text, c.correct) for c in first.choices] == [
        ("A", "`Lydia`", False),
        ("B", "`undefined`", True),
        ("C", "`ReferenceError`", False),
    ]
    assert first.answer == "`var name` is hoisted and holds `undefined` until the assignment runs."
    assert "<summary>" not in second.answer and "</details>" not in second.answer
    assert second.answer.startswith("`3 3 3`") and second.answer.endswith("| `let` | block |")
    assert third.front == ""
    assert "  - freeze them one by one" in third.answer
    assert not report.warnings  # same prompt, different code: not duplicates


def test_two_conventions_in_one_file_are_both_read(sample):
    deck, report = sample("mixed.md")
    assert [(q.prompt, q.rule) for q in deck.questions] == [
        ("What is DNS?", "heading"),
        ("What is TCP?", "heading"),
        ("What is UDP?", "heading"),
        ("Port of HTTPS?", "qa"),
        ("Port of SSH?", "qa"),
    ]
    assert [s.title for s in deck.sections] == ["Headings part", "Quick fire"]
    assert not report.warnings


def test_a_heading_that_opens_with_bold_questions_is_their_section(sample):
    deck, report = sample("ambiguous.md")
    assert [(q.section, q.prompt, q.answer) for q in deck.questions] == [
        (("What is A?",), "What is B?", "Answer to B."),
        (("What is C?",), "What is D?", "Answer to D."),
    ]
    assert not report.warnings


def test_front_matter_and_option_override_detection(content):
    text = "# T\n## What is A?\n**What is B?**\n\nAnswer to B.\n"
    path = write(content, "d.md", "---\nquestions: bold\n---\n" + text)
    deck, report = parse(path)
    assert deck.rule == "bold" and deck.questions[0].prompt == "What is B?"
    assert not report.warnings
    from cardsmith.errors import Report
    from cardsmith.reading.bank import read_bank
    from cardsmith.settings import DeckSettings

    forced = read_bank(
        write(content, "e.md", text), content, Report(), DeckSettings({"questions": "heading"})
    )
    assert forced.questions[0].prompt == "What is A?"
    bad = write(content, "f.md", "---\nquestions: yaml\n---\n" + text)
    with pytest.raises(ContentError, match="`questions`: 'yaml' is not one of auto, heading"):
        parse(bad)


# Generated banks: tens of questions per convention, each answer a different kind of block.
BODIES = [
    "```python\nprint('code')\n```",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "- outer\n  - inner\n    - innermost",
    "![diagram](img/event-loop.png)",
    '<div class="html">raw html block</div>',
    "Plain **bold** text with `code`.",
]


def generated(convention: str, count: int) -> str:
    parts = ["# Generated\n"]
    if convention == "pattern":  # the author's own: a line of settings says how
        parts.insert(0, "---\npattern: '^Card: '\n---")
    for n in range(1, count + 1):
        if n % 10 == 1:
            parts.append(f"## Part {n // 10 + 1}\n")
        body = BODIES[n % len(BODIES)]
        if convention == "heading":
            parts.append(f"### {n}. Question number {n}?\n\n{body}\n")
        elif convention == "list-heading":
            pad = " " * len(f"{n}. ")  # item content starts after the marker: 3 columns, then 4
            indented = "\n".join(pad + line if line else "" for line in body.split("\n"))
            parts.append(f"{n}. ### Question number {n}?\n\n{indented}\n")
        elif convention == "bold":
            parts.append(f"**Question number {n}?**\n\n{body}\n")
        elif convention == "list-bold":
            indented = "\n".join("   " + line if line else "" for line in body.split("\n"))
            parts.append(f"- **Question number {n}?**\n\n{indented}\n")
        elif convention == "list-details":
            indented = "\n".join("   " + line if line else "" for line in body.split("\n"))
            parts.append(
                f"{n}. Question number {n}?\n\n   <details><summary>Answer</summary>\n\n"
                f"{indented}\n\n   </details>\n"
            )
        elif convention == "list-item":
            pad = " " * len(f"{n}. ")
            indented = "\n".join(pad + line if line else "" for line in body.split("\n"))
            parts.append(f"{n}. Question number {n}?\n\n{indented}\n")
        elif convention == "pattern":
            parts.append(f"Card: Question number {n}?\n\n{body}\n")
        elif convention == "glossary":
            indented = "\n".join("  " + line if line else "" for line in body.split("\n"))
            parts.append(f"- **Question number {n}?** –\n\n{indented}\n")
        elif convention == "details":
            parts.append(
                f"<details>\n<summary><b>Question number {n}?</b></summary><br><b>\n\n"
                f"{body}\n\n</b></details>\n"
            )
        else:
            answer = f"A: {body}" if "\n" not in body else f"A:\n{body}"  # blocks start a line
            parts.append(f"Q: Question number {n}?\n{answer}\n")
    return "\n".join(parts)


@pytest.mark.parametrize("convention", list(Rule))
def test_generated_bank_of_forty_questions_reads_exactly(tmp_path, convention):
    shutil.copytree(SAMPLES / "img", tmp_path / "img")
    path = write(tmp_path, f"{convention}.md", generated(convention, 40))
    deck, report = parse(path)
    assert deck.rule == convention
    assert not report.warnings
    assert [q.prompt for q in deck.questions] == [f"Question number {n}?" for n in range(1, 41)]
    assert [q.answer for q in deck.questions] == [BODIES[n % len(BODIES)] for n in range(1, 41)]
    assert [s.title for s in deck.sections] == ["Part 1", "Part 2", "Part 3", "Part 4"]
    assert all(len(s.questions) == 10 for s in deck.sections)
    assert sum(len(q.images) for q in deck.questions) == sum(
        1 for n in range(1, 41) if n % len(BODIES) == 3
    )


def test_every_exporter_shows_the_front_with_the_prompt(tmp_path):
    import csv
    import io
    import json

    import pypdf
    from anki.collection import Collection

    from support.anki_engine import build_one, import_package, notes

    shutil.copytree(SAMPLES, tmp_path / "c")
    source = tmp_path / "c" / "details.md"
    out = tmp_path / "out"
    collection = Collection(str(tmp_path / "col.anki2"))
    try:
        import_package(collection, build_one(source, out, "apkg"))
        first = next(n for n in notes(collection) if "sayHi" in n["Question"])
    finally:
        collection.close()
    assert first["Question"].startswith('What\'s the output?<div class="cs-front">')
    assert "sayHi" not in first["Answer"] and "hoisted" in first["Answer"]

    rows = list(csv.reader(io.StringIO(build_one(source, out, "csv").read_text("utf-8-sig"))))
    assert rows[1][4].startswith("What's the output?\n\n```javascript\nfunction sayHi()")
    anki_csv = build_one(source, out, "anki-csv").read_text(encoding="utf-8")
    assert 'What\'s the output?<div class=""cs-front""><pre class=""highlight"">' in anki_csv
    data = json.loads(build_one(source, out, "json").read_text(encoding="utf-8"))
    assert data["sections"][0]["questions"][0]["front"].startswith("```javascript")

    cards = pypdf.PdfReader(build_one(source, out, "cards-pdf"))
    front_page, back_page = cards.pages[0].extract_text(), cards.pages[1].extract_text()
    assert "sayHi" in front_page and "console.log(name)" in front_page
    assert "hoisted" in back_page and "sayHi" not in back_page
