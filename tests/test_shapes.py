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
    "**Q**：{}",
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
    ("**A**：{}", "{}"),
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


# 2. A question in a numbered list item, its answer a `<details>` inside the item -------------------

OPTION_STYLES = ["- {l}. {t}", "- {l}) {t}", "* ({l}) {t}", "- {l}: {t}", "{l}. {t}"]
SUMMARIES = [
    "<summary>Answer</summary>",
    "<summary markdown='span'>Answer</summary>",
    "<summary><b>Show answer</b></summary>",
    "<summary>Click to see the answer</summary>",
]
KEYS = ["Correct answer: {}", "Answer: {}", "**Correct Answer:** {}", "The correct answer is {}"]


def practice_exam(count: int):
    """A practice exam: numbered items, each a prompt, lettered options and a `<details>` with the
    answer key (one or two letters) and perhaps an explanation, in every spelling above; every
    ninth item a plain question whose `<details>` holds a written answer. Items numbered from 95,
    so that some need five columns of indentation and get four (the options then stand in the
    prompt's paragraph and the `<details>` after the list, as on GitHub); some `<details>` not
    indented at all. Sections of ten."""
    lines, expected = ["# Cloud practice exam", ""], []
    for n in range(count):
        number = 95 + n
        section = f"Domain {n // 10 + 1}"
        if n % 10 == 0:
            lines += [f"## {section}", ""]
        pad = " " * (4 if n % 2 else len(f"{number}. "))
        details = f'<details markdown="1">{SUMMARIES[n % len(SUMMARIES)]}'
        if n % 9 == 4:
            prompt = f"What does service {n} do?"
            lines += [f"{number}. {prompt}", "", pad + details, "", f"{pad}It runs job {n}.", ""]
            lines += [pad + "</details>", ""]
            expected.append((prompt, "", [], f"It runs job {n}.", number, (section,), Kind.BASIC))
            continue
        prompt = (
            f"Which service stores the objects of team {n}?"
            if n % 3
            else f"Select the two services team {n} should use (Choose TWO)"
        )
        right = ["BCDA"[n % 4]] if n % 3 else sorted({"ABCD"[n % 4], "E"})
        labels = "ABCDE" if n % 3 == 0 else "ABCD"
        options = [
            OPTION_STYLES[n % len(OPTION_STYLES)].format(l=label, t=f"Service {label}{n}")
            for label in labels
        ]
        lines.append(f"{number}. {prompt}")
        lines += [pad + option for option in options]
        lines.append("")
        key = KEYS[n % len(KEYS)].format(", ".join(right))
        explanation = f"Explanation: service {right[0]}{n} keeps objects." if n % 4 else ""
        inner = [key, explanation] if explanation else [key]
        at = "" if n % 7 == 3 else pad  # the `<details>` after the list, not indented
        if n % 5 == 0:
            lines += [f"{at}{details}{key}</details>", ""]
            explanation = ""
        else:
            lines += [at + details, *(at + "  " + t for t in inner), at + "</details>", ""]
        choices = [(label, f"Service {label}{n}", label in right) for label in labels]
        expected.append((prompt, "", choices, explanation, number, (section,), Kind.CHOICE))
    return "\n".join(lines) + "\n", expected


def test_numbered_items_with_the_answer_in_details_are_choice_questions(tmp_path):
    text, expected = practice_exam(60)
    deck, report = read(tmp_path, "exam.md", text)
    got = [
        (
            q.prompt,
            q.front,
            [(c.label, c.text, c.correct) for c in q.choices],
            q.answer,
            q.number,
            q.section,
            q.kind,
        )
        for q in deck.questions
    ]
    assert got == expected
    assert {q.rule for q in deck.questions} == {"list-details"}
    assert not report.diagnostics
    assert not deck.unanswered


def test_a_list_item_with_a_details_that_is_no_answer_is_no_question(tmp_path):
    text = (
        "# Setup\n\n## 1. How do I install it?\n\nWith the steps below.\n\n"
        "1. Install the package\n\n   <details><summary>Show code</summary>\n\n   pip install x\n\n"
        "   </details>\n\n2. Run it\n"
    )
    deck, _ = read(tmp_path, "setup.md", text)
    assert [(q.prompt, q.rule) for q in deck.questions] == [("How do I install it?", "heading")]


# 5. Several `#` headings in one file: sibling parts under the file's deck --------------------------


def parts_bank(parts: int, per_part: int, shape: int) -> tuple[str, list[tuple[str, tuple]]]:
    """A file of `# Part k` headings, each holding questions, in one of eight shapes: heading,
    bold, `Q:` or practice-exam questions (one way per part); straight under the part or under `##` topics; with a
    contents heading before the parts and a licence after them, or not. (text, [(prompt, section)])."""
    lines, expected = [], []
    if shape % 4 == 3:
        lines += ["# Table of Contents", ""]
        lines += [f"- [Part {k}](#part-{k})" for k in range(1, parts + 1)] + [""]
    for k in range(1, parts + 1):
        part = f"Part {k}: topic {k}"
        lines += [f"# {part}", ""]
        for m in range(per_part):
            topic = f"Topic {k}.{m // 3 + 1}"
            if shape % 2 and m % 3 == 0:
                lines += [f"## {topic}", ""]
            prompt = f"What is item {k}.{m}?"
            form = (shape // 2 + k) % 4  # one way of writing per part
            if form == 0:
                lines += [f"### {m + 1}. {prompt}", "", f"Item {k}.{m} is an item.", ""]
            elif form == 1:
                lines += [f"**{prompt}**", "", f"Item {k}.{m} is an item.", ""]
            elif form == 2:
                lines += [f"*Q: {prompt}*", f"A: Item {k}.{m} is an item.", ""]
            else:
                lines += [f"{m + 1}. {prompt}", "", "   <details><summary>Answer</summary>", ""]
                lines += [f"   Item {k}.{m} is an item.", "", "   </details>", ""]
            expected.append((prompt, (part, topic) if shape % 2 else (part,)))
    if shape % 4 == 3:
        lines += ["# License", "", "MIT", ""]
    return "\n".join(lines) + "\n", expected


def test_several_top_headings_are_sibling_parts_of_the_files_deck(tmp_path):
    for shape in range(8):
        for parts in (2, 3, 5):
            text, expected = parts_bank(parts, 6, shape)
            deck, report = read(tmp_path, f"cloud-{shape}-{parts}.md", text)
            got = [(q.prompt, q.section) for q in deck.questions]
            assert got == expected, (shape, parts)
            assert [q.answer for q in deck.questions] == [
                f"Item {p[len('What is item ') : -1]} is an item." for p, _ in expected
            ]
            assert deck.title == f"cloud-{shape}-{parts}"  # no part is the title
            assert not report.diagnostics, (shape, parts, report.diagnostics)


def test_front_matter_names_a_deck_in_parts_and_a_first_heading_over_an_intro_is_its_title(
    tmp_path,
):
    text, _ = parts_bank(2, 3, 0)
    deck, _ = read(tmp_path, "a.md", "---\ntitle: Cloud exam\n---\n" + text)
    assert (deck.title, [s.path for s in deck.sections]) == (
        "Cloud exam",
        [("Part 1: topic 1",), ("Part 2: topic 2",)],
    )
    deck, _ = read(tmp_path, "b.md", "# Cloud exam\n\nAn introduction.\n\n" + text)
    assert (deck.title, deck.intro, [s.path for s in deck.sections]) == (
        "Cloud exam",
        "An introduction.",
        [("Part 1: topic 1",), ("Part 2: topic 2",)],
    )


def test_parts_are_sibling_subdecks_in_anki(tmp_path, collection):
    from support.anki_engine import build_one, deck_names, import_package

    text, _ = parts_bank(3, 4, 1)
    package = build_one(write(tmp_path / "c", "cloud.md", text), tmp_path / "out")
    import_package(collection, package)
    assert deck_names(collection) == {
        "cloud",
        *(f"cloud::Part {k}: topic {k}" for k in (1, 2, 3)),
        *(f"cloud::Part {k}: topic {k}::Topic {k}.{t}" for k in (1, 2, 3) for t in (1, 2)),
    }


def test_bullet_items_with_the_answer_in_details_are_questions_too(tmp_path):
    parts, expected = ["# Quiz", ""], []
    for n in range(24):
        if n % 2:
            parts += [f"- Which port does service {n} use?", "  - A. 80", f"  - B. {n}", ""]
            parts += ["  <details><summary>Show answer</summary>", "", "  Answer: B", ""]
            parts += [f"  Port {n} carries it.", "", "  </details>", ""]
            choices = [("A", "80", False), ("B", str(n), True)]
            expected.append((f"Which port does service {n} use?", choices, f"Port {n} carries it."))
        else:
            parts += [f"* What does resolver {n} resolve?", ""]
            parts += [f"  <details><summary>Answer</summary>Names {n}.</details>", ""]
            expected.append((f"What does resolver {n} resolve?", [], f"Names {n}."))
    deck, report = read(tmp_path, "ports.md", "\n".join(parts))
    got = [
        (q.prompt, [(c.label, c.text, c.correct) for c in q.choices], q.answer)
        for q in deck.questions
    ]
    assert got == expected
    assert not report.diagnostics
