"""Open classes of issue #27 found on public banks (bench/BANKS.md): an unclosed code fence (E), quiz
options that hold blocks (K), task-list quizzes with no option marked or an empty option (H). Each a
generated bank of tens of variations, read back exactly; the text is ours."""

from __future__ import annotations

from click.testing import CliRunner

from cardsmith.cli.commands import main
from cardsmith.errors import Report
from cardsmith.reading.bank import read_bank

from support.inputs import write


def read(tmp_path, name: str, text: str):
    report = Report()
    deck = read_bank(write(tmp_path, name, text), tmp_path, report)
    return deck, report


# E. One unclosed code fence: the deck as GitHub shows it, a warning naming what it swallows -------

FENCES = ["```", "~~~", "````", "```python", "~~~ yaml", "```{code-block} bash"]
ASKING = ["### {n}. What does {n} do?", "## Q{n}: What does {n} do?", "#### What does {n} do?"]


def unclosed_bank(before: int, after: int, shape: int) -> tuple[str, int, int, str]:
    """`before` answered questions, the last of them opening a fence never closed, then `after`
    questions swallowed: (text, the fence's line, the last line, the swallowed text)."""
    lines = ["# Deck", ""]
    asking = ASKING[shape % len(ASKING)]
    for n in range(1, before + 1):
        lines += [asking.format(n=n), "", f"Answer {n}.", ""]
    fence = FENCES[shape % len(FENCES)]
    fence_line = len(lines) + 1
    lines += [fence, f"code {shape}", ""]
    swallowed_from = len(lines)
    for n in range(before + 1, before + 1 + after):
        lines += [asking.format(n=n), "", f"Answer {n}.", ""]
    lines += ["Last words."]
    return "\n".join(lines) + "\n", fence_line, len(lines), "\n".join(lines[swallowed_from:])


def test_an_unclosed_fence_keeps_the_deck_as_github_shows_it_and_warns(tmp_path):
    cases = 0
    for shape in range(len(FENCES)):
        for before in (1, 2, 4):
            for after in (0, 1, 3):
                text, fence_line, last, swallowed = unclosed_bank(before, after, shape)
                deck, report = read(tmp_path, f"e{shape}-{before}-{after}.md", text)
                cases += 1
                assert len(deck.questions) == before, text
                assert [q.prompt for q in deck.questions] == [
                    f"What does {n} do?" for n in range(1, before + 1)
                ]
                assert all(
                    q.answer.startswith(f"Answer {n + 1}.") for n, q in enumerate(deck.questions)
                )
                code = deck.questions[-1].answer
                marker = FENCES[shape % len(FENCES)]
                # the rest of the file is code in the last answer, every line of it (no loss)
                assert code.split("\n")[2] == marker and code.split("\n")[3] == f"code {shape}"
                assert swallowed.strip() in code
                [warning] = [d for d in report.warnings if "never closed" in d.message]
                assert warning.source.line == fence_line
                assert not report.errors
                if after:
                    fence = marker.rstrip("abcdefghijklmnopqrstuvwxyz{}- ")
                    lost = (
                        f": {after} question{'s' if after != 1 else ''} GitHub's reading loses too"
                    )
                    assert warning.message == (
                        f"code fence {fence} is never closed: it swallows the rest of the file, "
                        f"lines {fence_line + 1}-{last}, as code (as GitHub shows it), including "
                        f"the heading at line {fence_line + 3}{lost}; close the fence where its "
                        "code ends"
                    ), text
                else:
                    assert "runs to the end of the file" in warning.message
    assert cases == 54


def test_an_unclosed_fence_is_an_error_only_under_strict(tmp_path):
    text, *_ = unclosed_bank(2, 3, 0)
    path = write(tmp_path, "deck.md", text)
    out = tmp_path / "out"
    done = CliRunner().invoke(main, ["build", str(path), "-f", "csv", "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert (out / "deck.csv").exists()
    assert f"{path}:11: warning: code fence ``` is never closed" in done.stderr
    assert "3 questions GitHub's reading loses too" in done.stderr
    strict = tmp_path / "strict"
    done = CliRunner().invoke(
        main, ["build", str(path), "-f", "csv", "-o", str(strict), "--strict"]
    )
    assert done.exit_code == 1
    assert f"{path}:11: error: code fence ``` is never closed" in done.stderr
    assert not strict.exists() or not any(strict.glob("*.csv"))


# K. A quiz option that holds a block keeps its whole item --------------------------------------

OPTION_BLOCKS = [
    "```go\nfunc f{n}() int {{\n        return {n}\n}}\n```",
    "~~~\nplain {n}\n~~~",
    "A second paragraph of option {n}.",
    "- nested {n}\n- and more",
    "> quoted {n}",
    "```python\nprint({n})\n```\n\nAnd a paragraph after the code.",
]


def block_quiz_bank(count: int) -> tuple[str, list[tuple[str, list[tuple[str, str, bool]]]]]:
    """`count` task-list quizzes whose options hold blocks indented under them (some options plain)."""
    lines = ["# Quiz", ""]
    expected = []
    for q in range(count):
        bullet = "-*+"[q % 3]
        options = 2 + q % 4
        right = q % options
        lines += [f"#### Q{q + 1}. Which option is right in {q}?", ""]
        choices = []
        for o in range(options):
            label = chr(ord("A") + o)
            head = label if q % 2 else f"Option {label} of {q}"
            lines += [f"{bullet} [{'x' if o == right else ' '}] {head}", ""]
            text = head
            if (q + o) % 5:  # every fifth option is plain
                block = OPTION_BLOCKS[(q + o) % len(OPTION_BLOCKS)].format(n=q * 10 + o)
                lines += [("  " + line) if line else "" for line in block.split("\n")] + [""]
                text = f"{head}\n\n{block}"
            choices.append((label, text, o == right))
        if q % 3 == 2:
            lines += [f"Explanation {q}.", ""]
        expected.append((f"Which option is right in {q}?", choices))
    return "\n".join(lines), expected


def test_quiz_options_that_hold_blocks_keep_them(tmp_path):
    text, expected = block_quiz_bank(30)
    deck, report = read(tmp_path, "blocks.md", text)
    got = [(q.prompt, [(c.label, c.text, c.correct) for c in q.choices]) for q in deck.questions]
    assert got == expected
    assert [q.answer for q in deck.questions][2] == "Explanation 2."
    assert all(not q.front for q in deck.questions)
    assert not report.warnings and not report.errors


def test_labelled_options_that_hold_blocks_keep_them(tmp_path):
    lines, expected = ["# Labelled", ""], []
    for q in range(12):
        lines += [f"### {q + 1}. What prints {q}?", ""]
        choices = []
        for o in range(3):
            label = "ABC"[o]
            block = OPTION_BLOCKS[(q + o) % len(OPTION_BLOCKS)].format(n=q * 10 + o)
            lines += [f"- {label}: choice {o} of {q}", ""]
            lines += [("  " + line) if line else "" for line in block.split("\n")] + [""]
            choices.append((label, f"choice {o} of {q}\n\n{block}", o == q % 3))
        key = "ABC"[q % 3]
        lines += ["<details><summary>Answer</summary>", "", f"Answer: {key}", "", "</details>", ""]
        expected.append((f"What prints {q}?", choices))
    deck, report = read(tmp_path, "labelled.md", "\n".join(lines))
    got = [(q.prompt, [(c.label, c.text, c.correct) for c in q.choices]) for q in deck.questions]
    assert got == expected
    assert not report.warnings


def test_an_options_code_is_drawn_with_it_in_anki(tmp_path, collection):
    from support.anki_engine import build_one, import_package, notes

    text, _ = block_quiz_bank(6)
    package = build_one(write(tmp_path / "c", "blocks.md", text), tmp_path / "out")
    import_package(collection, package)
    fronts = sorted((n.fields[0] for n in notes(collection)), key=lambda f: f[:30])
    assert len(fronts) == 6
    front = next(f for f in fronts if "right in 1?" in f)  # A holds code, B a second paragraph
    first, second = front.split('<li class="cs-choice">')[1:3]
    assert "<pre><code>plain 10\n</code></pre>" in first
    assert "<p>A second paragraph of option 11.</p>" in second
    front = next(f for f in fronts if "right in 5?" in f)  # B's Go code, highlighted
    second = front.split('<li class="cs-choice">')[2]
    assert '<pre class="highlight"><code class="language-go">' in second and "51" in second
    assert "<blockquote>\n<p>quoted 40</p>\n</blockquote>" in next(
        f for f in fronts if "in 4?" in f
    )


# H. Task-list quizzes with no option marked, an empty option, and template stubs ------------------


def unmarked_bank(count: int):
    """Quizzes, every third with no option marked, every fourth with an empty `- [ ]` option (some
    with trailing spaces), every fifth a template stub; a ticked quiz makes it a file of quizzes."""
    lines = ["# Quiz", ""]
    answered, unanswered, empties = [], [], []
    for q in range(count):
        stub = q % 5 == 4
        prompt = (
            ["question", "Question", "Your question here", "Question 7"][q % 4]
            if stub
            else (f"Q{q + 1}. Which is right in {q}?")
        )
        lines += [f"### {prompt}", ""]
        marked = not stub and q % 3 != 2
        options = []
        for o in range(4):
            text = (
                [f"option {o + 1}", f"Option {'ABCD'[o]}", f"choice {o + 1}", "Answer"][q % 4]
                if (stub)
                else f"answer {o} of {q}"
            )
            box = "x" if marked and o == q % 4 else " "
            lines.append(f"- [{box}] {text}")
            options.append((text, box == "x"))
        if q % 4 == 1 and not stub:
            empties.append(len(lines) + 1)
            lines.append("- [ ]" + " " * (q % 3))
        lines.append("")
        if marked:
            answered.append((prompt.split(". ", 1)[-1], options))
        else:
            reason = "a template's placeholder" if stub else "no option marked right"
            unanswered.append((prompt.split(". ", 1)[-1], reason))
    return "\n".join(lines), answered, unanswered, empties


def test_unmarked_quizzes_are_unanswered_empty_options_dropped_and_stubs_placeholders(tmp_path):
    text, answered, unanswered, empties = unmarked_bank(40)
    deck, report = read(tmp_path, "unmarked.md", text)
    got = [
        (q.prompt, [(c.text, c.correct) for c in q.choices], q.kind.value) for q in deck.questions
    ]
    assert got == [(p, options, "choice") for p, options in answered]
    assert [(u.prompt, u.reason) for u in deck.unanswered] == unanswered
    assert len(answered) == 21 and len(unanswered) == 19
    dropped = [d.source.line for d in report.warnings if d.message.startswith("quiz option")]
    assert dropped == empties and len(empties) == 8
    left_out = [d for d in report.warnings if "; left out (lines " in d.message]
    assert len(left_out) == len(unanswered)
    assert not report.errors


def test_a_checklist_in_a_file_of_no_quizzes_stays_an_answer(tmp_path):
    text = "# Notes\n\n## What should I do before the exam?\n\n- [ ] Sleep\n- [ ] Eat\n"
    deck, report = read(tmp_path, "notes.md", text)
    [question] = deck.questions
    assert question.kind.value == "basic" and question.answer == "- [ ] Sleep\n- [ ] Eat"
    assert not report.warnings


# B. Quiz chapters: `## 第 N 题`, a `### 题目` sub-heading, options, a key inside `<details>` --------

QUIZ_HEADINGS = [
    "## 第 {n} 题 {d}",
    "## 第{n}题",
    "## 第 {n} 題 {d}",
    "## Frage {n}",
    "## Вопрос {n}",
]
DIFFICULTY = {"🟢": "easy", "🟡": "medium", "🔴": "hard"}
PART_HEADINGS = ["### 题目", "### 📝 题目", "### Question", "### Aufgabe", "### Вопрос", ""]
META = ["**类型：** 单选题  \n**标签：** 盒模型 {n}", "**Type:** choice {n}", ""]
OPTION_LABELS = ["**选项：**", "**Options:**", "选项：", ""]
SUMMARIES = ["查看答案", "答案", "Answer", "Show answer", "Antwort", "Ответ", "参考答案"]
KEYS = [
    "### ✅ 正确答案：{keys}",
    "**正确答案：** {keys}",
    "正确答案：{keys}",
    "**答案**：{keys}",
    "### Correct answer: {keys}",
    "Richtige Antwort: {keys}",
    "Правильный ответ: {keys}",
]
ANSWER_HEADINGS = ["### 答案", "### Answer", "### 参考答案", "#### Lösung", "### ✅ 正确答案"]
EXPLANATIONS = [
    "### 📖 解析\n\n**要点 {n}**\n\n解释 {n}。\n\n```css\n.box{n} {{ margin: 0; }}\n```",
    "### Explanation\n\nBecause of rule {n}.",
    "**解析**：说明 {n}。\n\n- 第一点 {n}\n- 第二点 {n}",
]


def quiz_chapter(count: int):
    """`count` quiz items in the shape of a Chinese quiz chapter, varied: the heading (difficulty
    marks or none), a sub-heading naming the question in four languages (or none), meta lines, an
    options label, single, multiple and true/false items, the `<details>` summary (or, every fifth,
    no `<details>` but an answer sub-heading), the key's words and form (`A, C`, `A、C`, `AC`,
    `A（正确）`), the explanation's shape."""
    lines = [
        "# 第 3 章：盒模型基础 - 面试题",
        "",
        "**难度分布：** 🟢 简单 x3 | 🟡 中等 x4",
        "",
        "---",
        "",
    ]
    expected = []
    for n in range(1, count + 1):
        mark = "🟢🟡🔴"[n % 3]
        heading = QUIZ_HEADINGS[n % len(QUIZ_HEADINGS)].format(n=n, d=mark)
        prompt = heading.lstrip("# ").replace(f" {mark}", "")
        tags = (DIFFICULTY[mark],) if "{d}" in QUIZ_HEADINGS[n % len(QUIZ_HEADINGS)] else ()
        kind = n % 3  # 0: single, 1: multiple, 2: true/false
        if kind == 2:
            options = ["✅ 正确", "❌ 错误"]
            right = ["AB"[n % 2]]
        else:
            options = [f"选项 {n}-{o}" if o % 2 else f"`value-{n}-{o}`" for o in range(4)]
            right = ["B"] if kind == 0 else (["A", "C"] if n % 2 else ["A", "B", "D"])
        key_form = KEYS[n % len(KEYS)]
        joiner = [", ", "、", ""][n % 3] if len(right) > 1 and "答案" in key_form else ", "
        keys = joiner.join(right) + (
            ("（正确）" if right == ["A"] else "（错误）") if kind == 2 else ""
        )
        front_blocks = [
            block
            for block in (
                META[n % len(META)].format(n=n),
                PART_HEADINGS[n % len(PART_HEADINGS)],
                f"下面第 {n} 个说法哪个是对的？"
                if n % 4
                else f"这段代码 {n} 输出什么？\n\n```js\nf({n})\n```",
                OPTION_LABELS[n % len(OPTION_LABELS)],
            )
            if block
        ]
        explanation = EXPLANATIONS[n % len(EXPLANATIONS)].format(n=n)
        summary = SUMMARIES[n % len(SUMMARIES)]
        lines += [heading, "", "\n\n".join(front_blocks)]
        lines += [f"- {chr(ord('A') + o)}. {text}" for o, text in enumerate(options)]
        if n % 5:
            lines += ["", "<details>", f"<summary>{summary}</summary>", ""]
            lines += [key_form.format(keys=keys), "", explanation, "", "</details>", "", "---", ""]
        else:  # no `<details>`: a sub-heading that only says "Answer" starts it
            heading = ANSWER_HEADINGS[n // 5 % len(ANSWER_HEADINGS)]
            lines += ["", heading, "", key_form.format(keys=keys), "", explanation, ""]
        choices = [
            (chr(ord("A") + o), t, chr(ord("A") + o) in right) for o, t in enumerate(options)
        ]
        expected.append((prompt, tags, "\n\n".join(front_blocks), choices, explanation))
    return "\n".join(lines), expected


def test_quiz_chapters_read_one_choice_question_per_item(tmp_path):
    text, expected = quiz_chapter(42)
    deck, report = read(tmp_path, "chapter-03.md", text)
    got = [
        (q.prompt, q.tags, q.front, [(c.label, c.text, c.correct) for c in q.choices], q.answer)
        for q in deck.questions
    ]
    assert len(got) == 42
    for actual, wanted in zip(got, expected, strict=True):
        assert actual == wanted
    assert {q.kind.value for q in deck.questions} == {"choice"}
    assert {q.rule for q in deck.questions} == {"heading"}
    assert {q.section for q in deck.questions} == {()}
    assert deck.title == "第 3 章：盒模型基础 - 面试题"
    assert deck.intro == "**难度分布：** 🟢 简单 x3 | 🟡 中等 x4"
    assert not report.diagnostics


def test_a_part_heading_as_deep_as_the_question_belongs_to_it(tmp_path):
    """`### Answer` and `### 解析` under a `###` question are its answer; `### Question` may start
    one (a template's stub with options is a placeholder, as before)."""
    text = (
        "# Notes\n\n### 1. What is a closure?\n\nA function and its scope.\n\n### Answer\n\nMore.\n\n"
        "### 2. 什么是闭包？\n\n函数。\n\n### 📖 解析\n\n作用域。\n\n"
        "### question\n\n- [ ] option 1\n- [ ] option 2\n\n### 3. Which?\n\n- [x] a\n- [ ] b\n"
    )
    deck, _ = read(tmp_path, "parts.md", text)
    assert [(q.prompt, q.answer) for q in deck.questions[:2]] == [
        ("What is a closure?", "A function and its scope.\n\n### Answer\n\nMore."),
        ("什么是闭包？", "函数。\n\n### 📖 解析\n\n作用域。"),
    ]
    assert deck.questions[2].kind.value == "choice"
    assert [(u.prompt, u.reason) for u in deck.unanswered] == [
        ("question", "a template's placeholder")
    ]


def test_quiz_chapter_in_explain_names_its_rule_and_kind(tmp_path):
    text, _ = quiz_chapter(3)
    path = write(tmp_path, "chapter.md", text)
    done = CliRunner().invoke(main, ["explain", str(path)])
    assert done.exit_code == 0, done.output
    rows = [line.split() for line in done.output.splitlines() if " question " in line]
    assert [row[2:4] for row in rows] == [["heading", "choice"]] * 3


# C. Glossaries written as lists or tables: each term a card --------------------------------------

LETTERS = ["A", "B", "C", "D", "E", "F"]
TERM_SHAPES = [
    "- {t}: {d}",
    "- **{t}** – {d}",
    "- **{t}**: {d}",
    "- **{t}:** {d}",
    "- `{t}` - {d}",
    "- {t} — {d}",
    "- {t}\n    - {d}",
    "- {t}\n  - {d}",
    "* {t}：{d}",
]
TABLE_HEADERS = [
    ("Term", "Definition"),
    ("Acronym", "Meaning"),
    ("术语", "定义"),
    ("Begriff", "Bedeutung"),
    ("Name", "Description"),
]


def glossary_bank(count: int):
    """`count` terms under letter headings, written in nine list shapes (some terms `TBD`, one
    defined in the next item, indented too little to nest, one over a nested list of two), and
    two-column tables headed Term/Definition in several languages: (text, answered, unanswered)."""
    lines = ["# Glossary of Terms", ""]
    answered, unanswered = [], []
    section: tuple[str, ...] = ()
    for n in range(count):
        if n % 8 == 0:
            letter = LETTERS[n // 8 % len(LETTERS)]
            title = f"{letter} {n}" if n // 8 >= len(LETTERS) else letter
            lines += ["", f"# {title}", ""]
            section = (title,)
        shape = TERM_SHAPES[n % len(TERM_SHAPES)]
        term = f"term {n}" if n % 2 else f"Term-{n} (T{n})"
        definition = "TBD" if n % 7 == 3 else f"the meaning of term {n}, with `code` and *words*."
        if n % 11 == 5:  # a definition of two nested items: a list
            lines += [f"- {term}", f"  - first sense of {n}", f"  - second sense of {n}"]
            answered.append((term, f"- first sense of {n}\n- second sense of {n}", section))
            continue
        if n % 13 == 6:  # the definition in the next item, indented too little to nest
            lines += [f"- {term}", f" - the meaning of term {n} given below it."]
            answered.append((term, f"the meaning of term {n} given below it.", section))
            continue
        lines += shape.format(t=term, d=definition).split("\n")
        prompt = f"`{term}`" if "`" in shape else term  # bold around all of it is styling
        (unanswered if definition == "TBD" else answered).append((prompt, definition, section))
    for t, (left, right) in enumerate(TABLE_HEADERS):
        lines += ["", f"## Abbreviations {t}", "", f"| {left} | {right} |", "|:---|:---|"]
        for r in range(3):
            lines.append(f"| AB{t}{r} | Abbreviation {t} \\| {r} |")
            answered.append(
                (f"AB{t}{r}", f"Abbreviation {t} | {r}", (*section, f"Abbreviations {t}"))
            )
    # a glossary table with a third column (a link), and a comparison table of six that stays text
    lines += ["", "## Definitions", "", "| **Word** | **Definition** | Link |", "| -- | -- | -- |"]
    for r in range(4):
        link = f"[[Module {r}#Part]]" if r % 2 else ""
        lines.append(f"| W{r} | Meaning {r} | {link} |" if r != 3 else "| W3 |  | [[M]] |")
        if r != 3:
            answer = f"Meaning {r}" + (f"\n\n**Link:** {link}" if link else "")
            answered.append((f"W{r}", answer, (*section, "Definitions")))
    unanswered.append(("W3", None, None))
    return "\n".join(lines) + "\n", answered, unanswered


def test_glossary_lists_and_tables_make_a_card_of_each_term(tmp_path):
    text, answered, unanswered = glossary_bank(60)
    deck, report = read(tmp_path, "dict.md", text)
    got = [(q.prompt, q.answer, q.section) for q in deck.questions]
    assert len(got) == len(answered) == 71
    for actual, wanted in zip(got, answered, strict=True):
        assert actual == wanted
    assert {(q.rule, q.kind.value, q.front) for q in deck.questions} == {("glossary", "basic", "")}
    assert [(u.prompt, u.reason) for u in deck.unanswered] == [
        (p, "a placeholder answer" if d else "no answer") for p, d, _ in unanswered
    ]
    assert len(unanswered) == 8
    assert deck.title == "Glossary of Terms"
    placeholders = [d for d in report.warnings if "placeholder answer" in d.message]
    assert len(placeholders) == 7 and len(report.warnings) == 8


def test_a_two_column_table_under_a_glossary_heading_is_a_glossary_and_others_are_not(tmp_path):
    text = (
        "# Notes\n\n## Glossary\n\n| Word | Whatever |\n|---|---|\n| CPU | Processor |\n"
        "| RAM | Memory |\n\n## Comparison\n\n| Method | Purpose |\n|---|---|\n| GET | Read |\n"
        "| PUT | Write |\n\n## Key terms\n\n- Cache: fast memory\n- Disk: slow memory\n\n"
        "## Methods\n\n| Method | Notes | Parametric |\n|---|---|---|\n| KNN | lazy | No |\n"
        "| SVM | margins | Yes |\n"
    )
    deck, report = read(tmp_path, "notes.md", text)
    assert [(q.prompt, q.answer) for q in deck.questions] == [
        ("CPU", "Processor"),
        ("RAM", "Memory"),
        ("Cache", "fast memory"),
        ("Disk", "slow memory"),
    ]
    # the comparison table is no glossary: it stays its section's own text
    assert [(s.title, s.intro, len(s.questions)) for s in deck.sections] == [
        ("Glossary", "", 2),
        ("Comparison", "| Method | Purpose |\n|---|---|\n| GET | Read |\n| PUT | Write |", 0),
        ("Key terms", "", 2),
        (
            "Methods",
            "| Method | Notes | Parametric |\n|---|---|---|\n| KNN | lazy | No |\n"
            "| SVM | margins | Yes |",
            0,
        ),
    ]
    assert not report.diagnostics


ANSWER_LISTS = [
    "## What are the HTTP methods?\n\n- GET: read {n}\n- POST: create {n}\n- PUT: replace {n}",
    "### {n}. Name the parts of a URL.\n\n- Scheme: https {n}\n- Host: example.org {n}",
    "**What does a cache hold {n}?**\n\n- Keys: names {n}\n- Values: data {n}",
    "Q: What are the layers {n}?\nA:\n\n- Top: UI {n}\n- Bottom: storage {n}",
    "<details><summary>What are the states {n}?</summary>\n\n- Open: yes {n}\n- Closed: no {n}"
    "\n\n</details>",
]


def test_a_term_list_that_answers_a_question_stays_its_answer(tmp_path):
    """Under a heading or after a line that asks, a `- X: y` list is the question's answer, one
    card, whatever shape its items have."""
    for n, shape in enumerate(ANSWER_LISTS * 3):
        text = f"# Bank\n\n{shape.format(n=n)}\n"
        deck, report = read(tmp_path, f"a{n}.md", text)
        [question] = deck.questions
        assert question.rule != "glossary", text
        items = [line for line in question.answer.split("\n") if line.startswith("- ")]
        assert len(items) in (2, 3) and items[-1].endswith(f" {n}"), text
        assert not report.warnings, text


def test_term_lists_inside_long_sections_leave_the_headings_their_questions(tmp_path):
    """`### Design X` headings whose long answers hold a few `- Term: ...` lists (a system-design
    file, no heading asks) stay the questions; the lists stay in their answers."""
    parts = ["# Design questions"]
    for n in range(4):
        parts.append(
            f"### Question {n}.1: Design service {n}\n\nA paragraph about service {n}.\n\n"
            f"Another paragraph on trade-offs {n}.\n\n```\ncode {n}\n```\n\n"
            f"- Storage: a database {n}\n- Cache: a store {n}\n\nClosing words {n}."
        )
    deck, report = read(tmp_path, "design.md", "\n\n".join(parts) + "\n")
    assert [q.rule for q in deck.questions] == ["heading"] * 4
    assert all(q.answer.endswith(f"Closing words {n}.") for n, q in enumerate(deck.questions))
    assert not report.diagnostics
