"""mkdocs-material pages (issue #27.4): admonitions, `<div markdown>` and content tabs are containers
whose indented body is Markdown; a collapsible admonition that holds the answer is the answer; a quiz
whose options stand in an `upper-alpha` div and whose answer says `The correct answer is **B**` is a
choice question with lettered options. Generated banks of tens of questions in the shapes of public
course and quiz sites (the text is ours), read back exactly and built in every format, with no
admonition, tab or `<details>` markup left on any card.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pypdf
import pytest
from anki.collection import Collection, ImportCsvRequest

from cardsmith.build.pipeline import build
from cardsmith.errors import Report
from cardsmith.exporters import FORMAT_NAMES
from cardsmith.model import Kind
from cardsmith.reading.bank import read_text
from cardsmith.render.html import question_html, to_html
from cardsmith.render.target import Rendering

from support.anki_engine import import_package, notes
from support.inputs import write
from support.library import settings_and_run

CODE = "```python\nprint({n})\n```"
EXPLANATIONS = [
    "Because {n} is the only one that holds.",
    "Because of {n}.\n\n" + CODE,
    "Because:\n\n- first {n}\n- second {n}",
    "Because of $x^{n}$.\n\n| k | v |\n|---|---|\n| n | {n} |",
]
# how the options stand: a numbered list in an upper-alpha div (its `markdown` attribute spelt three
# ways), `A.` paragraphs in such a div, `A.` lines ending in hard breaks, a bulleted list in a div
OPTIONS = ["div-list", "div-list-1", "div-list-block", "div-paragraphs", "lines", "div-bullets"]
# the revealing admonition
REVEALS = [
    '??? question "Show Answer"',
    '??? Question "Show Answer"',
    '??? note "Answer"',
    '???+ success "Solution"',
    "??? success",
    '!!! tip "Answer"',
]
# how the key is said
KEYS = [
    "The correct answer is **{k}**. {e}",
    "The correct answer is {k}. {e}",
    "Correct answer: **{k}**\n\n{e}",
    "**Answer: {k}**\n\n{e}",
    "The correct answer is **{k}. {t}**. {e}",
    "The correct answer is **{k}) {t}** {e}",
]


def _indent(text: str, columns: int = 4) -> str:
    return "\n".join(" " * columns + line if line else "" for line in text.split("\n"))


def _options(shape: str, texts: list[str]) -> str:
    letters = "ABCDEFG"
    if shape.startswith("div-list"):
        attribute = {"div-list": "markdown", "div-list-1": 'markdown="1"'}.get(
            shape, 'markdown="block"'
        )
        items = "\n".join(f"{i}. {t}" for i, t in enumerate(texts, 1))
        return f'<div class="upper-alpha" {attribute}>\n{items}\n</div>'
    if shape == "div-bullets":
        return (
            '<div class="upper-alpha" markdown>\n' + "\n".join(f"- {t}" for t in texts) + "\n</div>"
        )
    if shape == "div-paragraphs":
        items = "\n\n".join(f"{letters[i]}. {t}" for i, t in enumerate(texts))
        return f'<div class="upper-alpha" markdown>\n\n{items}\n</div>'
    return "\n".join(f"{letters[i]}. {t}  " for i, t in enumerate(texts))


def quiz_bank(count: int) -> tuple[str, list[dict]]:
    """`count` quiz questions, each a new combination of heading, options, reveal and key."""
    parts, expected = (
        ["# Quiz: Sorting\n\nTest your understanding. Open each answer to check.\n"],
        [],
    )
    for n in range(1, count + 1):
        options = OPTIONS[n % len(OPTIONS)]
        reveal = REVEALS[n % len(REVEALS)]
        key_shape = KEYS[(n // 2) % len(KEYS)]
        explanation = EXPLANATIONS[n % len(EXPLANATIONS)].replace("{n}", str(n))
        size = 3 + n % 3
        texts = [f"option {n}.{i} with `code {i}`" for i in range(1, size + 1)]
        right = "ABCDE"[n % size]
        prompt = f"Which sort is number {n}?"
        head = (
            f"#### {n}. {prompt}"
            if n % 4
            else f"#### Question {n}\n\n{prompt}"  # the question in the paragraph under a label
        )
        right_text = texts["ABCDE".index(right)]
        key = key_shape.replace("{k}", right).replace("{t}", right_text).replace("{e}", explanation)
        concept = f"\n\n**Concept Tested:** sorting {n}" if n % 3 == 0 else ""
        parts.append(
            f"---\n\n{head}\n\n{_options(options, texts)}\n\n{reveal}\n{_indent(key + concept)}\n"
        )
        expected.append(
            {
                "prompt": prompt,
                "number": n,
                "choices": [("ABCDE"[i], t, "ABCDE"[i] == right) for i, t in enumerate(texts)],
                "answer": explanation + concept,
            }
        )
    return "\n".join(parts), expected


def read(tmp_path, text: str):
    report = Report()
    deck = read_text(text, write(tmp_path, "bank.md", text), tmp_path, report)
    return deck, report


def test_a_quiz_page_is_choice_questions_with_lettered_options(tmp_path):
    text, expected = quiz_bank(48)
    deck, report = read(tmp_path, text)
    assert [d.message for d in report.diagnostics] == []
    assert len(deck.questions) == 48 and not deck.unanswered
    for question, wanted in zip(deck.questions, expected, strict=True):
        assert question.kind is Kind.CHOICE, question.prompt
        assert question.prompt == wanted["prompt"]
        assert question.number == wanted["number"]
        assert question.front == ""
        assert [(c.label, c.text, c.correct) for c in question.choices] == wanted["choices"]
        assert question.answer == wanted["answer"]
    assert {s.reason for s in deck.skipped} == {"horizontal rule"}


def box(kind: str, title: str, body: str) -> str:
    """An admonition or tab as the model keeps it: the HTML box of GitHub's alerts, Markdown inside."""
    return (
        f'<div class="markdown-alert markdown-alert-{kind}">\n'
        f'<p class="markdown-alert-title">{title}</p>\n\n{body}\n\n</div>'
    )


# answers as written, and as the model keeps them (containers as boxes any Markdown reader shows)
WRITTEN = [
    "{w} is the answer.",
    "It prints:\n\n" + CODE,
    "- one {w}\n- two {w}\n  - nested {w}",
    '!!! note "Remember `{w}`"\n    {w} is kept in a box.\n\n    ??? tip\n        a tip {w}',
    '=== "Python"\n    ```python\n    x = {n}\n    ```\n\n=== "Go"\n    `x := {n}`',
    "<div markdown>\n- {w} in a div\n- and more\n</div>",
]
KEPT = [
    *WRITTEN[:3],
    box(
        "note",
        "Remember <code>{w}</code>",
        "{w} is kept in a box.\n\n" + box("tip", "Tip", "a tip {w}"),
    ),
    box("tab", "Python", "```python\nx = {n}\n```") + "\n\n" + box("tab", "Go", "`x := {n}`"),
    "- {w} in a div\n- and more",
]


def answer(n: int, table: list[str] = WRITTEN) -> str:
    return table[n % len(table)].replace("{w}", f"word{n}").replace("{n}", str(n))


def admonition_bank(count: int) -> tuple[str, list[dict]]:
    """Questions as collapsible admonitions whose titles ask, in sections; some hold their answer
    in an answering admonition (after a hint, or after the question's code)."""
    parts, expected = ["# Stream Processing\n"], []
    for n in range(1, count + 1):
        if n % 10 == 1:
            parts.append(f"## Part {n // 10 + 1}\n")
        section = (f"Part {(n - 1) // 10 + 1}",)
        written, kept = answer(n), answer(n, KEPT)
        prompt = f"What is topic {n}?" if n % 3 else f"Define topic {n} and its parts"
        marker = ("???", "???+", "!!!")[n % 3]
        kind = ("question", "faq", "question")[n % 3]
        title = f"Q{n}. {prompt}" if n % 2 else prompt
        front = ""
        if n % 4 == 0:
            body = _indent(f'??? success "Answer"\n{_indent(written)}')
        elif n % 4 == 1:
            code = f"Look at:\n\n```\nitem {n}\n```\n\n"
            front = code + box("tip", "Hint", f"a hint {n}")  # a hint stays with the question
            hint = f'{code}??? tip "Hint"\n    a hint {n}'
            body = _indent(f'{hint}\n\n??? success "Show answer"\n{_indent(written)}')
        else:
            body = _indent(written)
        parts.append(f'{marker} {kind} "{title}"\n{body}\n')
        expected.append({"prompt": prompt, "front": front, "answer": kept, "section": section})
    return "\n".join(parts), expected


def test_admonitions_that_ask_are_questions_and_their_bodies_markdown(tmp_path):
    text, expected = admonition_bank(40)
    deck, report = read(tmp_path, text)
    assert [d.message for d in report.diagnostics] == []
    assert len(deck.questions) == 40
    for question, wanted in zip(deck.questions, expected, strict=True):
        assert question.prompt == wanted["prompt"]
        assert question.front == wanted["front"]
        assert question.answer == wanted["answer"]
        assert question.section == wanted["section"]
        assert question.rule == "details"


def heading_bank(count: int) -> tuple[str, list[dict]]:
    """Heading questions whose answers are in an answering admonition, or hold admonitions, tabs
    and markdown divs of their own; and a question whose box (`!!! question`) holds both it and
    its answer."""
    parts, expected = (
        ['# Python Course\n\n!!! info "How to use this page"\n    Read, then open.\n'],
        [],
    )
    for n in range(1, count + 1):
        written, kept = answer(n), answer(n, KEPT)
        prompt = f"What does snippet {n} print?"
        if n % 3 == 0:
            question = f"### {prompt}\n\n!!! question\n    Run this:\n\n{_indent(CODE.replace('{n}', str(n)))}"
            body = f'{question}\n\n    ??? success "Answer"\n{_indent(written, 8)}'
            front = "Run this:\n\n" + CODE.replace("{n}", str(n))
        elif n % 3 == 1:
            body = f'### {prompt}\n\n??? question "Show Answer"\n{_indent(written)}'
            front = ""
        else:
            body = f"### {prompt}\n\n{written}"
            front = ""
        parts.append(body + "\n")
        expected.append({"prompt": prompt, "front": front, "answer": kept})
    return "\n".join(parts), expected


def test_answers_in_and_around_admonitions_under_heading_questions(tmp_path):
    text, expected = heading_bank(30)
    deck, report = read(tmp_path, text)
    assert [d.message for d in report.diagnostics] == []
    assert deck.intro == box("info", "How to use this page", "Read, then open.")
    assert [(q.prompt, q.front, q.answer) for q in deck.questions] == [
        (w["prompt"], w["front"], w["answer"]) for w in expected
    ]


# what no card may show: the author's container markup, as text
LEAKS = re.compile(
    r'!!!|\?\?\?|===\s*"|<div[^>]*\smarkdown[\s=>]|&lt;div|&lt;/?details|\bmarkdown="1"'
)


def test_rendered_cards_show_boxes_and_lists_never_markup(tmp_path):
    for bank in (quiz_bank(24)[0], admonition_bank(24)[0], heading_bank(24)[0]):
        deck, _ = read(tmp_path, bank)
        for question in deck.questions:
            html = "\n".join(question_html(question, Rendering()))
            assert not LEAKS.search(html), html
            assert "<pre" not in html or "```" not in html
    html = to_html('!!! warning "Careful"\n    - one\n    - two\n\n=== "Tab"\n    text')
    assert '<div class="markdown-alert markdown-alert-warning">' in html
    assert '<p class="markdown-alert-title">Careful</p>' in html and "<li>one</li>" in html
    assert '<p class="markdown-alert-title">Tab</p>' in html and "<p>text</p>" in html
    assert "<pre" not in html  # the indented bodies are Markdown, not code
    lettered = to_html('<div class="upper-alpha" markdown>\n1. first\n2. second\n</div>')
    assert lettered == '<ol type="A">\n<li>first</li>\n<li>second</li>\n</ol>'


def test_attribute_lists_after_links_and_images_are_attributes_not_text(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    text = (
        "# D\n\n### What is X?\n\nSee [the task](https://example.org/x){ .md-button "
        'target="_blank" } and ![a chart](img/a.png){ width="300" }, then {braces} stay.\n'
    )
    deck, report = read(tmp_path, text)
    [question] = deck.questions
    assert report.diagnostics == [] and len(question.images) == 1
    html = question_html(question, Rendering())[1]
    assert 'class="md-button"' in html and "the task</a>" in html
    assert "{ ." not in html and "width=" not in html and "{braces} stay" in html


def test_arithmatex_brackets_are_math_as_dollars_are(tmp_path):
    """mkdocs pages write math as `\\( x \\)` and `\\[ x \\]` (arithmatex): math on every
    target, as `$x$` is, never text with its backslashes eaten."""
    from cardsmith.render.target import Target

    text = (
        "# D\n\n#### 1. Which is the projection of \\(b\\) onto \\(u\\)?\n\n"
        '<div class="upper-alpha" markdown>\n1. \\( b \\cdot u \\)\n2. \\( (b \\cdot u) u \\)\n</div>\n\n'
        '??? question "Show Answer"\n    The correct answer is **B**.\n\n    \\[\n    p = (b \\cdot u) u\n    \\]\n'
    )
    deck, report = read(tmp_path, text)
    [question] = deck.questions
    assert report.diagnostics == []
    assert [(c.label, c.correct) for c in question.choices] == [("A", False), ("B", True)]
    for target in (Target.PAGE, Target.PRINT):
        front, back = question_html(question, Rendering(target=target))
        assert front.count("<math") == 4 and back.count("<math") == 2  # B is on the back too
        assert "\\(" not in front + back and "\\[" not in back
    front, back = question_html(question, Rendering())  # a card: MathJax's own delimiters
    assert "\\(b\\)" in front and '<div class="math">\\[' in back


def test_text_that_only_looks_like_a_container_stays_text(tmp_path):
    """python-markdown's first lines only: `??? What is X?` and `!!! Important !!!` are text, a
    div without `markdown` is HTML, `===` under a line is a heading."""
    html = to_html("??? What is X?\n\n!!! Important !!!\n\nTitle\n===\n\n<div>\n1. a\n</div>")
    assert "<p>??? What is X?</p>" in html and "<p>!!! Important !!!</p>" in html
    assert "<h1>Title</h1>" in html and "<div>\n1. a\n</div>" in html


def test_a_markdown_div_left_open_is_html_and_loses_nothing(tmp_path):
    text = "# D\n\n### What is X?\n\n<div markdown>\n- a\n- b\n\nX is y.\n"
    deck, report = read(tmp_path, text)
    assert deck.questions[0].answer == "<div markdown>\n- a\n- b\n\nX is y."
    assert report.diagnostics == []


def _bank_folder(tmp_path):
    folder = tmp_path / "content"
    write(folder, "quiz.md", quiz_bank(12)[0])
    write(folder, "admonitions.md", admonition_bank(12)[0])
    write(folder, "course.md", heading_bank(12)[0])
    write(folder, "checkpoints.md", checkpoint_bank(12)[0])
    return folder


def test_every_format_builds_and_no_card_shows_container_markup(tmp_path):
    folder = _bank_folder(tmp_path)
    out = tmp_path / "out"
    result = build([folder], out, list(FORMAT_NAMES), *settings_and_run())
    assert not result.failed, [str(d) for d in result.all_diagnostics]
    assert len(result.decks) == 4
    texts: list[str] = []
    for stem, count in (("quiz", 12), ("admonitions", 12), ("course", 12), ("checkpoints", 12)):
        collection = Collection(str(tmp_path / f"{stem}.anki2"))
        try:
            import_package(collection, out / f"{stem}.apkg")
            found = notes(collection)
            assert len(found) == count
            texts += [field for note in found for field in note.fields]
            if stem == "quiz":
                note = next(n for n in found if "number 5?" in n.fields[0])
                assert 'class="cs-choices"' in note.fields[0] and "option 5.1" in note.fields[0]
            path = str(out / f"{stem}.anki.csv")
            metadata = collection.get_csv_metadata(path, delimiter=None)
            collection.import_csv(ImportCsvRequest(path=path, metadata=metadata))
            assert collection.note_count() == count  # the CSV's rows update the same notes
            texts += [
                f for nid in collection.find_notes("") for f in collection.get_note(nid).fields
            ]
        finally:
            collection.close()
        page = (out / f"{stem}.html").read_text(encoding="utf-8")
        texts.append(re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S))  # the page's own
        for pdf in (f"{stem}.pdf", f"{stem}.cards.pdf"):
            texts += [page.extract_text() for page in pypdf.PdfReader(out / pdf).pages]
        rows = list(csv.reader(io.StringIO((out / f"{stem}.csv").read_text("utf-8-sig"))))
        assert len(rows) == count + 1
        data = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
        assert sum(len(s["questions"]) for s in data["sections"]) == count
        texts += [cell for row in rows for cell in row]  # the model's Markdown, for other tools
        texts += [
            q[field]
            for s in data["sections"]
            for q in s["questions"]
            for field in ("prompt", "front", "answer")
        ]
    everything = "\n".join(texts)
    assert "option 5.1" in everything and "word6 is the answer" in everything
    for leak in ("!!!", "???", '=== "', "markdown>", 'markdown="', "&lt;details", "&lt;div"):
        assert leak not in everything, leak


@pytest.mark.parametrize("reveal", REVEALS)
def test_each_reveal_is_the_answer_of_a_bold_question(tmp_path, reveal):
    text = f"# D\n\n**What is X?**\n\nSee this first.\n\n{reveal}\n    X is y.\n"
    deck, _ = read(tmp_path, text)
    [question] = deck.questions
    assert (question.front, question.answer) == ("See this first.", "X is y.")


def exercise_bank(count: int) -> tuple[str, list[dict], list[str]]:
    """Lesson exercises: `!!! exercise "Title"` boxes holding the question (prose, code, task-list
    options) and their solution in a nested box of an answering type, titled in any language
    (`!!! solution`, `??? success "参考答案"`, `??? answer "Lösung"`); an exercise with none is
    unanswered."""
    solutions = ["!!! solution", '??? success "参考答案"', '??? answer "Lösung"', "???+ solution"]
    parts, expected, unanswered = ["# Exercises\n"], [], []
    for n in range(1, count + 1):
        title = f"Exercise {n}: the sky" if n % 2 else f"Clouds {n}"
        question = f"What colour is sky {n}?"
        options = "\n\n- [ ] Red\n- [x] Blue\n- [ ] Green" if n % 3 == 0 else ""
        code = f"\n\n```c\nint sky = {n};\n```" if n % 3 == 1 else ""
        solution = solutions[n % len(solutions)]
        inner = f"{question}{options}{code}"
        answer_text = f"Blue, because of scattering {n}."
        if n % 7 == 0:  # no solution: unanswered, unless its ticked option answers it
            parts.append(f'!!! exercise "{title}"\n\n{_indent(inner)}\n')
            answer_text = ""
            if not options:
                unanswered.append(title)
                continue
        else:
            parts.append(
                f'!!! exercise "{title}"\n\n{_indent(inner)}\n\n'
                f"{_indent(solution)}\n\n{_indent(answer_text, 8)}\n"
            )
        expected.append(
            {
                "prompt": title,
                "front": f"{question}{code}",
                "answer": answer_text,
                "choices": [("A", "Red", False), ("B", "Blue", True), ("C", "Green", False)]
                if options
                else [],
            }
        )
    return "\n".join(parts), expected, unanswered


def test_exercise_boxes_hold_their_question_and_a_solution_of_an_answering_type(tmp_path):
    text, expected, unanswered = exercise_bank(30)
    deck, report = read(tmp_path, text)
    got = [
        {
            "prompt": q.prompt,
            "front": q.front,
            "answer": q.answer,
            "choices": [(c.label, c.text, c.correct) for c in q.choices],
        }
        for q in deck.questions
    ]
    assert got == expected
    assert [u.prompt for u in deck.unanswered] == unanswered
    assert [d.message for d in report.diagnostics] == [
        f"question has no answer; left out: {title!r}" for title in unanswered
    ]


def checkpoint_bank(count: int) -> tuple[str, list[dict]]:
    """'Check your understanding' lists: numbered items that ask, each answered by an admonition
    inside the item (indented four columns, or three under a one-digit number), after a hint."""
    parts, expected = ["# Hash Tables\n\n## Check your understanding\n"], []
    for n in range(1, count + 1):
        width = 4 if n % 2 or n >= 10 else 3
        prompt = f"Why does table {n} compare keys after hashing?"
        written, kept = answer(n), answer(n, KEPT)
        reveal = ('??? success "Answer"', "??? success", '???+ note "Show answer"')[n % 3]
        hint = f'??? tip "Hint"\n    think of bucket {n}\n\n' if n % 4 == 0 else ""
        inner = f"{hint}{reveal}\n{_indent(written)}"
        parts.append(f"{n}. {prompt}\n\n{_indent(inner, width)}\n")
        front = box("tip", "Hint", f"think of bucket {n}") if hint else ""
        expected.append({"prompt": prompt, "number": n, "front": front, "answer": kept})
    return "\n".join(parts), expected


def test_list_items_answered_by_an_admonition_inside_them(tmp_path):
    text, expected = checkpoint_bank(24)
    deck, report = read(tmp_path, text)
    assert [d.message for d in report.diagnostics] == []
    got = [
        {"prompt": q.prompt, "number": q.number, "front": q.front, "answer": q.answer}
        for q in deck.questions
    ]
    assert got == expected
    assert {q.section for q in deck.questions} == {("Check your understanding",)}
