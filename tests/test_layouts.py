"""The layouts real question banks use (issue #15), each generated with tens of questions whose answers
hold code, tables, nested lists, images and HTML, and read back exactly: counts, prompts, numbers,
fronts, options, answers and sections. The shapes are those of public README banks; the text is ours.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field

import pytest

from cardsmith.errors import ContentError, Report
from cardsmith.model import Kind
from cardsmith.reading.bank import read_bank

from support.inputs import DATA, write

BODIES = [
    "```python\nprint('code', {n})\n```",
    "| key | value |\n|---|---|\n| n | {n} |",
    "- outer {n}\n  - inner\n    - innermost",
    "![diagram {n}](img/event-loop.png)",
    '<div class="note">raw html {n}</div>',
    "Plain **bold** text {n} with `code`.",
]


def body(n: int) -> str:
    return BODIES[n % len(BODIES)].replace("{n}", str(n))


def indent(text: str, columns: int) -> str:
    return "\n".join(" " * columns + line if line else "" for line in text.split("\n"))


@dataclass
class Expected:
    prompt: str
    answer: str
    number: int | None = None
    section: tuple[str, ...] = ()
    front: str = ""
    choices: list[tuple[str, str, bool]] = field(default_factory=list)


def read(tmp_path, name: str, text: str):
    shutil.copytree(DATA / "conventions" / "img", tmp_path / "img", dirs_exist_ok=True)
    report = Report()
    deck = read_bank(write(tmp_path, name, text), tmp_path, report)
    return deck, report


def assert_reads(deck, expected: list[Expected]) -> None:
    got = [
        Expected(
            q.prompt,
            q.answer,
            q.number,
            q.section,
            q.front,
            [(c.label, c.text, c.correct) for c in q.choices],
        )
        for q in deck.questions
    ]
    assert len(got) == len(expected)
    for actual, wanted in zip(got, expected, strict=True):
        assert actual == wanted


# 1. Questions with sub-headings in their answers -------------------------------------------------


def subheadings_bank(count: int) -> tuple[str, list[Expected]]:
    parts, expected = ["# Python Interview Questions\n\nAn introduction.\n"], []
    for n in range(1, count + 1):
        parts.append(
            f"## {n}. What is topic {n}, and why does it matter?\n\nTopic {n} in one line.\n\n"
            f"### What is topic {n}?\n\n{body(n)}\n\n### Key guidelines\n\n1. first\n2. second\n"
        )
        expected.append(
            Expected(
                f"What is topic {n}, and why does it matter?",
                f"Topic {n} in one line.\n\n### What is topic {n}?\n\n{body(n)}\n\n"
                "### Key guidelines\n\n1. first\n2. second",
                n,
            )
        )
    return "\n".join(parts), expected


def test_sub_headings_under_numbered_questions_are_answer_structure(tmp_path):
    text, expected = subheadings_bank(30)
    deck, report = read(tmp_path, "pep8.md", text)
    assert_reads(deck, expected)
    assert deck.intro == "An introduction."
    assert not report.diagnostics


def test_question_level_can_be_set(tmp_path):
    text = "# T\n\n## Basics\n\n### Naming\n\nUse snake_case.\n\n### Layout\n\nFour spaces.\n"
    deck, _ = read(tmp_path, "a.md", text)
    assert [q.prompt for q in deck.questions] == ["Naming", "Layout"]  # a glossary: level 3
    deck, _ = read(tmp_path, "b.md", "---\nquestion-level: 2\n---\n" + text)
    [question] = deck.questions
    assert question.prompt == "Basics"
    assert question.answer == "### Naming\n\nUse snake_case.\n\n### Layout\n\nFour spaces."


# 2. The question inside <summary> ----------------------------------------------------------------


def details_bank(count: int) -> tuple[str, list[Expected]]:
    parts, expected = ['<p align="center"><img src="img/event-loop.png" width="300"></p>\n'], []
    for n in range(1, count + 1):
        section = f"Topic {(n - 1) // 10 + 1}"
        group = f"{section} Questions ({min(10, count - (n - 1) // 10 * 10)})"
        if n % 10 == 1:
            parts.append(f"## {section}\n\n###### {group}\n")
        form = n % 4
        if form == 0:  # blank lines around Markdown, wrapped in <b> for GitHub's bold
            parts.append(
                f"<details>\n<summary>What does command {n} do?</summary><br><b>\n\n{body(n)}\n\n"
                "</b></details>\n"
            )
            answer = body(n)
        elif form == 1:  # one HTML block: no blank line anywhere
            parts.append(
                f"<details>\n<summary>What is item {n}?</summary><br><b>\nItem {n} is a thing.\n"
                "</b></details>\n"
            )
            answer = f"Item {n} is a thing."
        elif form == 2:  # a list answer, `</details>` hanging on to its last item
            parts.append(
                f"<details>\n<summary><b>Name the parts of {n}?</b></summary><br><b>\n\n"
                f"  * part one\n  * part {n}\n</b></details>\n"
            )
            answer = f"* part one\n* part {n}"
        else:  # summary and details on one line, answer in <p>
            parts.append(
                f"<details><summary><b>How does `cmd{n}` work?</b></summary>\n<p>\n\n{body(n)}\n\n"
                "</p>\n</details>\n"
            )
            answer = body(n)
        prompt = {
            0: f"What does command {n} do?",
            1: f"What is item {n}?",
            2: f"Name the parts of {n}?",
            3: f"How does `cmd{n}` work?",
        }[form]
        expected.append(Expected(prompt, answer, None, (section, group)))
    return "\n".join(parts), expected


def test_questions_inside_summary_with_answers_inside_details(tmp_path):
    text, expected = details_bank(40)
    deck, report = read(tmp_path, "devops.md", text)
    assert_reads(deck, expected)
    assert {q.rule for q in deck.questions} == {"details"}
    for question in deck.questions:
        assert "details>" not in question.answer and "summary>" not in question.answer
    assert not report.warnings


def test_a_summary_over_several_lines_gives_the_question_a_front(tmp_path):
    text = (
        "# T\n\n<details>\n<summary>Which OSI layer is each of these?\n\n  * MAC address\n"
        "  * IP address</summary><br><b>\n\n  * MAC address - Data link\n  * IP address - Network\n"
        "</b></details>\n"
    )
    deck, _ = read(tmp_path, "osi.md", text)
    [question] = deck.questions
    assert question.prompt == "Which OSI layer is each of these?"
    assert question.front == "* MAC address\n* IP address"
    assert question.answer == "* MAC address - Data link\n* IP address - Network"


def test_a_summary_that_only_reveals_is_not_a_question(tmp_path):
    text = (
        "# T\n\n<details><summary><strong>See 20 translations</strong></summary>\n\n"
        "- [Deutsch](./de.md)\n- [Español](./es.md)\n\n</details>\n\n"
        "### 1. What is `typeof null`?\n\n<details><summary><b>Solution 1 (spec)</b></summary>\n"
        "<p>\n\n`'object'`, a historic bug.\n\n</p>\n</details>\n"
    )
    deck, report = read(tmp_path, "t.md", text)
    [question] = deck.questions
    assert question.answer == "**Solution 1 (spec)**\n\n`'object'`, a historic bug."
    assert "See 20 translations" in deck.intro and not report.warnings


# 3. Quizzes --------------------------------------------------------------------------------------


def task_quiz(count: int) -> tuple[str, list[Expected]]:
    parts, expected = ["## Python (Programming Language)\n"], []
    for n in range(1, count + 1):
        right = n % 4
        options = [f"option {k} of {n}" for k in range(4)]
        marks = "\n".join(
            f"- [{'x' if k == right else ' '}] {text}" for k, text in enumerate(options)
        )
        code = f"```python\nprint({n} * 2)\n```"
        explanation = f"**Explanation:** because {n}.\n\n[reference](https://example.org/{n})"
        tail = f"\n\n{explanation}" if n % 3 else ""
        # the same prompt every time: only the code tells the questions apart
        parts.append(f"#### Q{n}. What is the output of this code?\n\n{code}\n\n{marks}{tail}\n")
        expected.append(
            Expected(
                "What is the output of this code?",
                explanation if n % 3 else "",
                n,
                ("Python (Programming Language)",),
                code,
                [("ABCD"[k], text, k == right) for k, text in enumerate(options)],
            )
        )
    return "\n".join(parts), expected


def test_task_list_quizzes_are_choice_questions(tmp_path):
    text, expected = task_quiz(30)
    deck, report = read(tmp_path, "quiz.md", text)
    assert_reads(deck, expected)
    assert {q.kind for q in deck.questions} == {Kind.CHOICE}
    assert not report.warnings  # same prompt, different code: not duplicates


def lettered_quiz(count: int) -> tuple[str, list[Expected]]:
    parts, expected = ["# JavaScript Questions\n\n---\n"], []
    for n in range(1, count + 1):
        right = "ABCD"[n % 4]
        options = "\n".join(f"- {label}: `value{n}{label}`" for label in "ABCD")
        parts.append(
            f"###### {n}. What's the output?\n\n```javascript\nconsole.log({n});\n```\n\n{options}\n\n"
            f"<details><summary><b>Answer</b></summary>\n<p>\n\n#### Answer: {right}\n\n"
            f"Because of rule {n}.\n\n</p>\n</details>\n\n---\n"
        )
        expected.append(
            Expected(
                "What's the output?",
                f"Because of rule {n}.",
                n,
                (),
                f"```javascript\nconsole.log({n});\n```",
                [(label, f"`value{n}{label}`", label == right) for label in "ABCD"],
            )
        )
    return "\n".join(parts), expected


def test_lettered_options_with_the_answer_in_details_are_choice_questions(tmp_path):
    text, expected = lettered_quiz(25)
    deck, report = read(tmp_path, "js.md", text)
    assert_reads(deck, expected)
    assert not report.warnings


def test_a_checklist_without_a_ticked_item_is_not_a_quiz(tmp_path):
    deck, _ = read(tmp_path, "c.md", "# T\n### How do I ship?\n\n- [ ] tests\n- [ ] docs\n")
    [question] = deck.questions
    assert question.kind == Kind.BASIC and question.answer == "- [ ] tests\n- [ ] docs"


# 4. and 10. List-heading questions: author numbers, headings indented inside answers -------------


def list_heading_bank(count: int) -> tuple[str, list[Expected]]:
    parts, expected = ["# JavaScript Interview Questions & Answers\n\n### Table of Contents\n"], []
    parts.append("\n".join(f"| {n} | [Question {n}](#question-{n}) |" for n in range(1, count + 1)))
    parts[-1] = "| No. | Questions |\n| --- | --------- |\n" + parts[-1] + "\n"
    for n in range(1, count + 1):
        number = n + 10  # the author's own numbers, not the list's
        pad = len(f"{number}. ")
        if n % 3 == 0:  # answer indented less than the item needs: it ends the list on GitHub
            answer_md = f"Short answer {n}.\n\n---\n\n#### Details\n\n{body(n)}\n\n## Key Points\n\n- point {n}"
            parts.append(
                f"{number}. ### Question {n}?\n\n{indent(answer_md, 2)}\n\n  ---\n\n"
                "  **[⬆ Back to Top](#table-of-contents)**\n"
            )
            answer = answer_md
        else:
            answer_md = f"Answer {n} in a line.\n\n{body(n)}"
            parts.append(
                f"{number}. ### Question {n}?\n\n{indent(answer_md, pad + 1)}\n\n"
                f"{' ' * (pad + 1)}**[⬆ Back to Top](#table-of-contents)**\n"
            )
            answer = answer_md
        expected.append(Expected(f"Question {n}?", answer, number))
    return "\n".join(parts), expected


def test_list_heading_questions_keep_numbers_and_indented_headings(tmp_path):
    text, expected = list_heading_bank(30)
    deck, report = read(tmp_path, "js.md", text)
    assert_reads(deck, expected)
    assert not report.warnings
    assert [s.reason for s in deck.skipped][:1] == ["table of contents"]
    assert "back-to-top link" in {s.reason for s in deck.skipped}


# 5. Two conventions in one file, in different parts ----------------------------------------------


def test_two_conventions_in_different_parts_are_both_read(tmp_path):
    first, expected = list_heading_bank(24)
    parts = [first, "\n### Coding Exercise\n"]
    for n in range(1, 21):
        right = n % 3 + 1
        parts.append(
            f"---\n\n**[⬆ Back to Top](#table-of-contents)**\n\n#### {n}. What is the output of below "
            f"code\n\n```javascript\nconsole.log({n});\n```\n\n- 1: one\n- 2: two\n- 3: three\n\n"
            f"<details><summary><b>Answer</b></summary>\n<p>\n\n##### Answer: {right}\n\n"
            f"Reason {n}.\n\n</p>\n\n</details>\n"
        )
        expected.append(
            Expected(
                "What is the output of below code",
                f"Reason {n}.",
                n,
                ("Coding Exercise",),
                f"```javascript\nconsole.log({n});\n```",
                [(str(k), word, k == right) for k, word in ((1, "one"), (2, "two"), (3, "three"))],
            )
        )
    deck, report = read(tmp_path, "both.md", "\n".join(parts))
    assert_reads(deck, expected)
    assert dict(deck.rule_counts) == {"list-heading": 24, "heading": 20}
    assert not report.warnings


# 6. and 7. Prefixes, group headings, empty answers, HTML back-to-top blocks ----------------------

BACK_TO_TOP = (
    '<div align="right">\n    <b><a href="#table-of-contents">↥ back to top</a></b>\n</div>'
)


def test_prefixes_leave_the_prompt_and_group_headings_are_sections(tmp_path):
    forms = ["Q. {p}", "Q{n}: {p}", "Question {n} - {p}", "Q{n}. ***{p}***", "{n}) {p}"]
    parts, expected = ["# Node.js Interview Questions\n"], []
    for n in range(1, 26):
        if n % 5 == 1:
            group = f"{n // 5 + 1}. PART {n // 5 + 1}"
            parts.append(f"## # {group}\n\n<br/>\n")
        prompt = f"What does module {n} export?"
        heading = forms[n % len(forms)].format(n=n, p=prompt)
        parts.append(f"### {heading}\n\n{body(n)}\n\n{BACK_TO_TOP}\n")
        number = None if forms[n % len(forms)].startswith("Q. ") else n
        expected.append(Expected(prompt, body(n), number, (group,)))
    deck, report = read(tmp_path, "node.md", "\n".join(parts))
    assert_reads(deck, expected)
    assert {s.reason for s in deck.skipped} >= {"back-to-top link", "empty HTML"}
    assert not report.warnings


@pytest.mark.parametrize("answer", ["<br>", "<br/>\n&nbsp;", "---", "<p></p>", "*ToDo*"])
def test_an_answer_of_only_breaks_rules_or_empty_html_is_empty(tmp_path, answer):
    deck, report = read(
        tmp_path, "e.md", f"# T\n### Q. What is A?\n\n{answer}\n\n### Q. What is B?\nB.\n"
    )
    assert [q.prompt for q in deck.questions] == ["What is B?"]
    assert [u.prompt for u in deck.unanswered] == ["What is A?"]
    assert any("What is A?" in w.message for w in report.warnings)


# 8. Section names are clean text -----------------------------------------------------------------


def test_section_names_are_clean_text(tmp_path):
    text = (
        '# T\n\n## <a name="general-knowledge">General Knowledge</a>\n\n'
        "### :diamond_shape_with_a_dot_inside: Junior Sysadmin\n\n"
        "<details><summary>What is a shell?</summary>\nA program.\n</details>\n\n"
        "## :star: A::::B:\n\n<details><summary>What is C?</summary>\nC.\n</details>\n"
    )
    deck, _ = read(tmp_path, "s.md", text)
    assert [q.section for q in deck.questions] == [
        ("General Knowledge", "Junior Sysadmin"),
        ("A:B",),
    ]


# 9. Images written from the repository's top ------------------------------------------------------


def test_images_from_the_top_resolve_in_the_content_folder(tmp_path):
    shutil.copytree(DATA / "conventions" / "img", tmp_path / "images")
    path = write(tmp_path, "docs/q.md", "# T\n### What is shown?\n![x](/images/event-loop.png)\n")
    deck = read_bank(path, tmp_path, Report())
    [image] = deck.questions[0].images
    assert image.path == (tmp_path / "images" / "event-loop.png").resolve()


# 11. A file of questions without answers ---------------------------------------------------------


def test_a_file_of_questions_without_answers_says_so(tmp_path):
    questions = "\n".join(f"* What is concept {n}?" for n in range(1, 31))
    with pytest.raises(ContentError, match="30 questions found, none answered"):
        read(tmp_path, "list.md", f"---\ntitle: Questions\nlayout: page\n---\n\n{questions}\n")


# 12. Static-site front matter --------------------------------------------------------------------


def test_static_site_front_matter_is_not_warned_about(tmp_path):
    matter = (
        "---\ntitle: T\nlayout: page\npermalink: /q/\nnav_order: 2\nparent: Home\n"
        "sidebar_position: 3\nsidebar_label: Q\nfrobnicate: yes\n---\n"
    )
    _, report = read(tmp_path, "f.md", matter + "# T\n### What is A?\nA.\n")
    assert [w.message for w in report.warnings] == ["unknown front matter key 'frobnicate'"]


# 13. A fence in a list item whose closing fence is mis-indented ----------------------------------


def test_a_misindented_closing_fence_warning_says_where_the_code_really_ends(tmp_path):
    text = (
        "# T\n\n### What is it?\n\n- item:\n\n  ```python\n  x = 1\n      ```\n\n"
        "- next item\n\n### What else?\n\nMore.\n"
    )
    _, report = read(tmp_path, "f.md", text)
    [warning] = report.warnings
    assert warning.source.line == 7
    assert "not closed by the ``` on line 9" in warning.message
    assert "shows as code" in warning.message


# No silent loss ----------------------------------------------------------------------------------


def test_text_that_is_in_no_question_is_reported_at_its_line(tmp_path):
    text = (
        "# T\n\n## Networking\n\nThis part covers TCP.\n\n"
        "<details><summary>What is TCP?</summary>\nA protocol.\n</details>\n\n"
        "A stray remark between questions.\n\n"
        "<details><summary>What is UDP?</summary>\nAnother.\n</details>\n"
    )
    deck, report = read(tmp_path, "s.md", text)
    assert len(deck.questions) == 2
    assert deck.sections[0].intro == "This part covers TCP."  # before its first question
    assert [(w.source.line, w.message) for w in report.warnings] == [
        (11, "text under section 'Networking' is in no question"),
    ]


# 14. A bold question with its answer on the very next line (issue #27, open class F) -------------


def bold_next_line_bank(count: int) -> tuple[str, list[Expected]]:
    """`**16. Is X a Y?**` with the answer on the next line of the same paragraph, in the shapes of
    interview READMEs: a marker or none, `**` or `__`, a hard break after the bold, one line of
    answer or several, more blocks after it, and every third question with a blank line as before."""
    parts, expected = ["# Web interview answers\n"], []
    for n in range(1, count + 1):
        marker = f"{n}. " if n % 2 else ""
        asking = f"Is thing {n} a library?" if n % 4 < 2 else f"Name the parts of thing {n}"
        mark = "__" if n % 5 == 0 else "**"
        brk = "  " if n % 7 == 0 else ("\\" if n % 11 == 0 else "")
        lines = f"Answer {n} first line." + ("\nand its second line." if n % 3 == 1 else "")
        more = f"\n\n{body(n)}" if n % 2 == 0 else ""
        blank = "\n" if n % 3 == 0 else ""
        parts.append(f"{mark}{marker}{asking}{mark}{brk}\n{blank}{lines}{more}\n")
        expected.append(Expected(asking, f"{lines}{more}", n if marker else None))
    return "\n".join(parts), expected


def test_a_bold_question_answered_on_its_next_line_is_a_question(tmp_path):
    text, expected = bold_next_line_bank(36)
    deck, report = read(tmp_path, "answers.md", text)
    assert_reads(deck, expected)
    assert dict(deck.rule_counts) == {"bold": 36}
    assert not report.diagnostics


def test_a_bold_label_on_a_paragraphs_first_line_stays_answer_text(tmp_path):
    # `**Note**` or `**Example:**` then text is no question: it stays in the answer above
    parts = []
    for n in range(1, 13):
        label = ("**Note**", "**Example:**", "**Important detail**")[n % 3]
        parts.append(f"**{n}. What is thing {n}?**\nIt is {n}.\n\n{label}\nMore on {n}.\n")
    deck, report = read(tmp_path, "labels.md", "\n".join(parts))
    assert [q.prompt for q in deck.questions] == [f"What is thing {n}?" for n in range(1, 13)]
    assert [q.answer for q in deck.questions] == [
        f"It is {n}.\n\n{('**Note**', '**Example:**', '**Important detail**')[n % 3]}\nMore on {n}."
        for n in range(1, 13)
    ]
    assert not report.diagnostics


# 15. Numbered questions without a space, `1.What is X?` (issue #27, open class D) ---------------


def numbered_lines_bank(topics: int, answers: bool = False) -> tuple[str, int]:
    """Topic headings over paragraphs of `N.Question?` lines (a hard break after some), as interview
    lists in Ukrainian and English write them; no answers, or an `A:` line after each."""
    parts, count = ["# Співбесіда з Python\n\nВступ до списку.\n"], 0
    for t in range(1, topics + 1):
        lines = []
        for _ in range(t % 4 + 2):
            count += 1
            asking = (
                f"Що таке поняття {count}?" if count % 2 else f"Explain concept {count} in depth"
            )
            lines.append(f"{count}.{asking}" + ("  " if count % 3 else ""))
            if answers:
                lines.append(f"A: answer {count}.")
        parts.append(f"## Тема {t}:\n\n" + "\n".join(lines) + "\n")
    return "\n".join(parts), count


def test_numbered_lines_without_a_space_are_unanswered_questions(tmp_path):
    text, count = numbered_lines_bank(12)
    assert count > 40
    with pytest.raises(ContentError, match=f"{count} questions found, none answered"):
        read(tmp_path, "junior.md", text)


def test_numbered_lines_without_a_space_take_answers_and_sections(tmp_path):
    text, count = numbered_lines_bank(12, answers=True)
    deck, report = read(tmp_path, "junior.md", text)
    asking = [
        f"Що таке поняття {n}?" if n % 2 else f"Explain concept {n} in depth"
        for n in range(1, count + 1)
    ]
    assert [q.prompt for q in deck.questions] == asking
    assert [q.number for q in deck.questions] == list(range(1, count + 1))
    assert [q.answer for q in deck.questions] == [f"answer {n}." for n in range(1, count + 1)]
    assert {q.section for q in deck.questions} == {(f"Тема {t}",) for t in range(1, 13)}
    assert deck.title == "Співбесіда з Python"
    assert not report.diagnostics


def test_a_number_with_a_digit_after_its_dot_is_no_question(tmp_path):
    deck, _ = read(tmp_path, "prose.md", "### What is X?\n\nIt grew\n3.5 million times.\n")
    assert [q.answer for q in deck.questions] == ["It grew\n3.5 million times."]


# 16. Answer labels in other languages (issue #27, open class A) ----------------------------------

ANSWER_LABELS = [
    "第 {n} 题的答案",
    "查看答案",
    "参考答案",
    "答案",
    "点击查看答案",
    "Antwort",
    "Lösung",
    "Antwort anzeigen",
    "Réponse",
    "Voir la réponse",
    "Solution",
    "Respuesta",
    "Ver la respuesta",
    "Ответ",
    "Показать ответ",
    "Відповідь",
    "解答",
    "回答",
    "答えを見る",
    "정답",
    "정답 보기",
    "Show the answer",
]


def answer_labels_bank(count: int) -> tuple[str, list[Expected]]:
    """`## 第 N 题`, the exercise's text, and its answer behind a `<details>` or a collapsible
    admonition labelled in one of many languages: the exercise stays on the front."""
    parts, expected = ["# Markdown 试题\n\n这是 Markdown 试题。\n"], []
    for n in range(1, count + 1):
        label = ANSWER_LABELS[n % len(ANSWER_LABELS)].replace("{n}", str(n))
        front = f"书写第 {n} 个练习。\n\n要求：不用 HTML {n}。"
        answer = body(n)
        if n % 3 == 0:
            kind = ("success", "note", "question")[n % 2]
            box = f'??? {kind} "{label}"\n\n' + indent(answer, 4)
        else:
            spaces = "    " if n % 2 else ""
            box = f"<details>\n{spaces}<summary>{label}</summary>\n\n{answer}\n\n</details>"
        parts.append(f"## 第 {n} 题\n\n{front}\n\n{box}\n")
        expected.append(Expected(f"第 {n} 题", answer, None, (), front))
    return "\n".join(parts), expected


def test_answer_labels_in_other_languages_reveal_the_answer(tmp_path):
    text, expected = answer_labels_bank(2 * len(ANSWER_LABELS))
    deck, report = read(tmp_path, "quiz.md", text)
    assert_reads(deck, expected)
    assert not report.diagnostics
