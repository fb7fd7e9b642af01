"""Exercise and solution blocks of lesson generators (issue #27, open class I): pandoc's fenced divs
(The Carpentries), MyST colon fences, MyST directives and sphinx-exercise's gated pairs (Jupyter
Book), mkdocs admonitions. A generated bank of each, with callouts, lesson prose and sections
around, read back exactly; the text is ours."""

from __future__ import annotations

import itertools
import re

import pytest
from click.testing import CliRunner

from cardsmith.cli.commands import main
from cardsmith.errors import Report
from cardsmith.reading.bank import read_bank
from cardsmith.reading.bank.assemble import LESSON_SECTION, LESSON_SOLUTION, LESSON_TEXT
from cardsmith.text.lessons import admonitions

from support.inputs import write

CODE = "```python\nprint({n})\n```"


def code(n: int) -> str:
    return CODE.format(n=n)


def pandoc(n: int, colons: int) -> tuple[str, str]:
    """A Carpentries challenge with its solution nested (`colons`: 0 all three, else long fences)."""
    outer, inner, close = (":::",) * 3 if not colons else (":" * (38 + n), ":" * 15, ":" * 24)
    end = ":::" if not colons else ":" * 50
    text = (
        f"{outer} challenge\n\n## Title {n}: what does `cmd{n}` do?\n\nBody {n} text.\n\n{code(n)}\n\n"
        f"{inner}  solution\n\n## Solution\n\nAnswer {n} text.\n\n{close}\n\n{end}"
    )
    return text, f"Title {n}: what does `cmd{n}` do?"


def pandoc_attributes(n: int, _: int) -> tuple[str, str]:
    text = (
        f"::: {{.challenge #ch{n}}}\n## Title {n}\n\nBody {n} text.\n\n"
        f"::: {{.solution}}\n## Solution\n\nAnswer {n} text.\n\n{code(n)}\n:::\n:::"
    )
    return text, f"Title {n}"


def myst_colon(n: int, _: int) -> tuple[str, str]:
    """A MyST exercise and its solution after it, matched by the exercise's label."""
    text = (
        f":::{{exercise}} Title {n}\n:label: ex{n}\n\nBody {n} text.\n:::\n\n"
        f":::{{solution}} ex{n}\n:class: dropdown\n\nAnswer {n} text.\n\n{code(n)}\n:::"
    )
    return text, f"Title {n}"


def myst_directive(n: int, _: int) -> tuple[str, str]:
    """A MyST `{exercise}` holding a dropdown `{admonition} Answer` (longer fences outside)."""
    text = (
        f"`````{{exercise}} Title {n}\n:label: ex{n}\n\nBody {n} text.\n\n"
        f"````{{admonition}} Answer\n:class: dropdown\n\nAnswer {n} text.\n\n{code(n)}\n````\n`````"
    )
    return text, f"Title {n}"


def myst_gated(n: int, _: int) -> tuple[str, str]:
    """sphinx-exercise's gated pair, no title (the prompt is the exercise's first paragraph), and
    a `{solution-start}` naming it; code cells and math in both."""
    text = (
        f"```{{exercise-start}}\n:label: ex{n}\n```\n\nBody {n} text.\n\n"
        f"```{{math}}\n:label: eq{n}\n\nx_{n} = 1\n```\n\nWrite it.\n\n```{{exercise-end}}\n```\n\n\n"
        f"```{{solution-start}} ex{n}\n:class: dropdown\n```\n\nAnswer {n} text.\n\n"
        f"```{{code-cell}} python3\n:tags: [hide-output]\nprint({n})\n```\n\n```{{solution-end}}\n```"
    )
    return text, f"Body {n} text."


def mkdocs(n: int, _: int) -> tuple[str, str]:
    text = (
        f'!!! exercise "Title {n}"\n\n    Body {n} text.\n\n'
        f"    ??? solution\n\n        Answer {n} text.\n\n        {code(n).replace(chr(10), chr(10) + ' ' * 8)}"
    )
    return text, f"Title {n}"


def kramdown(n: int, _: int) -> tuple[str, str]:
    """The Carpentries' older lessons: quoted boxes named by an attribute list after them, a code
    block's language in one after its closing fence."""
    text = (
        f"> ## Title {n}\n>\n> Body {n} text.\n>\n> ~~~\n> print({n})\n> ~~~\n> {{: .language-python}}\n"
        f">\n> > ## Solution\n> >\n> > Answer {n} text.\n> >\n> > More {n}.\n> {{: .solution}}\n{{: .challenge}}"
    )
    return text, f"Title {n}"


SYNTAXES = [pandoc, pandoc_attributes, myst_colon, myst_directive, myst_gated, mkdocs, kramdown]

NOTES = {  # a box that explains, titled with a question: never a card
    pandoc: "::: callout\n\n## Why is {n} so?\n\nBecause {n}.\n\n:::",
    pandoc_attributes: "::: {{.callout}}\n## Why is {n} so?\n\nBecause {n}.\n:::",
    myst_colon: ":::{{note}} Why is {n} so?\nBecause {n}.\n:::",
    myst_directive: "```{{note}} Why is {n} so?\nBecause {n}.\n```",
    myst_gated: "```{{index}} single: {n}\n```\n\n(target{n})=\n```{{tip}}\nBecause {n}.\n```",
    mkdocs: '!!! note "Read {n} first"\n    Because {n}.',
    kramdown: "> ## Why is {n} so?\n>\n> Because {n}.\n{{: .callout}}",
}


def lesson(syntax, count: int, prose: bool, note: bool, sections: bool, shape: int) -> str:
    parts = ["# Lesson", "", "Lesson intro."]
    for n in range(1, count + 1):
        if sections:
            parts += ["", f"## Part {n}"]
        if prose:
            parts += ["", f"Lesson prose {n} teaches.", "", "```bash\n$ ls\n```"]
        if note:
            parts += ["", NOTES[syntax].format(n=n)]
        block, _ = syntax(n, shape)
        parts += ["", block]
        if prose:
            parts += ["", f"More prose {n}."]
    return "\n".join(parts) + "\n"


def test_lesson_blocks_are_questions_with_their_solutions(tmp_path):
    cases = 0
    for number, (syntax, count, prose, note, sections) in enumerate(
        itertools.product(SYNTAXES, (1, 2, 3), (False, True), (False, True), (False, True))
    ):
        shape = number % 2
        text = lesson(syntax, count, prose, note, sections, shape)
        report = Report()
        deck = read_bank(write(tmp_path, f"l{number}.md", text), tmp_path, report)
        cases += 1
        where = (syntax.__name__, count, prose, note, sections, text)
        assert len(deck.questions) == count, where
        assert [q.prompt for q in deck.questions] == [
            syntax(n, shape)[1] for n in range(1, count + 1)
        ], where
        lines = text.split("\n")
        for n, question in enumerate(deck.questions, 1):
            assert question.kind == "basic"
            assert f"Answer {n} text." in question.answer, where
            assert f"Answer {n}" not in question.front and "Body" not in question.answer, where
            if syntax is not myst_gated:
                assert f"Body {n} text." in question.front, where
            else:
                assert "x_" in question.front and "Write it." in question.front, where
            if syntax not in (myst_colon,):
                assert f"print({n})" in question.front + question.answer, where
            assert question.section == ((f"Part {n}",) if sections else ()), where
            opener = lines[question.source.line - 1]
            assert re.match(r"^(?::::|```|!!!|> ##)", opener), (opener, where)
            for field in (question.prompt, question.front, question.answer):
                assert ":::" not in field and "```{" not in field and "<!--" not in field
                assert "## Solution" not in field and "Because" not in field, (field, where)
                assert ":label:" not in field and ":class:" not in field, (field, where)
                assert "{:" not in field and "> " not in field, (field, where)
        reasons = {s.reason for s in deck.skipped}
        if prose and count > 1:
            assert LESSON_TEXT in reasons, where
        if sections and prose:
            assert LESSON_SECTION not in reasons  # every part has its exercise
        warnings = [d.message for d in report.diagnostics]
        assert warnings == [], (warnings, where)
    assert cases == 168


def test_lesson_rewrite_keeps_every_line_on_its_line():
    for number, (syntax, count) in enumerate(itertools.product(SYNTAXES, (1, 3))):
        text = lesson(syntax, count, True, True, True, number % 2)
        assert len(admonitions(text).split("\n")) == len(text.split("\n"))
    plain = "# A\n\n:: not a fence\n\n```{not closed}\ncode\n"
    assert admonitions(plain) == plain  # a directive never closed stays code, as GitHub shows it


def test_a_file_with_no_lesson_block_is_read_as_it_is():
    """Fences, `:::` lines and JSON code are left exactly as written: an indented closing fence
    and a line of spaces in code stayed, a ```` ``` ```` then `{` on the next line is no directive."""
    for fence in ("```", "~~~", "````"):
        for opener in ("", "json", "python"):
            text = (
                f'# A\n\n### Q1\n\n{fence}{opener}\n{{\n  "a": 1\n}}\n   \n{fence}\n\n'
                f"::: not a div\n\n1. item\n\n   {fence}{opener or 'py'}\n   x = 1\n   {fence}\n\n"
                f"{fence}\nout\n   {fence}\n:::\n"
            )
            assert admonitions(text) == text, text


def test_lesson_sections_without_exercises_and_directives_are_skipped_with_reasons(tmp_path):
    text = (
        "# Lecture\n\n(intro)=\n## Overview\n\nProse.\n\n## Index only\n\n```{index} single: x\n```\n\n"
        "## Exercises\n\n```{exercise-start}\n:label: e1\n```\n\nDo it.\n\n```{exercise-end}\n```\n\n"
        "```{solution-start} e1\n:class: dropdown\n```\n\nDone.\n\n```{solution-end}\n```\n\nAfter.\n"
    )
    path = write(tmp_path, "lecture.md", text)
    result = CliRunner().invoke(main, ["explain", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 question (details 1)" in result.output
    for reason in (
        "MyST target (a label)",
        "lesson section with no exercise",  # `Index only`: nothing of its own to keep
        "lesson text between its exercises",  # `After.`
        "MyST {index} directive: no text for a card",
        "MyST directive option",
    ):
        assert reason in result.output, (reason, result.output)
    assert "warning" not in result.output
    deck = read_bank(path, tmp_path, Report())
    assert [(s.path, s.intro) for s in deck.sections if s.intro] == [(("Overview",), "Prose.")]


def test_a_solution_far_from_its_exercise_is_said_and_the_exercise_is_unanswered(tmp_path):
    text = (
        "# L\n\n:::{exercise} First\n:label: a\n\nDo a.\n:::\n\nProse between.\n\n"
        ":::{solution} a\nSolved a.\n:::\n\n:::{exercise} Second\nDo b.\n:::\n\n"
        ":::{exercise} Third\nDo c.\n:::\n:::{solution}\nSolved c.\n:::\n"
    )
    report = Report()
    deck = read_bank(write(tmp_path, "far.md", text), tmp_path, report)
    assert [(q.prompt, q.front, q.answer) for q in deck.questions] == [
        ("Third", "Do c.", "Solved c.")
    ]
    assert [u.prompt for u in deck.unanswered] == ["First", "Second"]
    far = [s for s in deck.skipped if s.reason == LESSON_SOLUTION]
    assert [(s.source.line, s.end) for s in far] == [(11, 12)]
    assert [d.source.line for d in report.diagnostics if "no answer" in d.message] == [3, 15]


def test_kramdown_languages_in_list_items_and_outside_boxes(tmp_path):
    items = "".join(
        f"> {n}. ~~~\n>    $ cmd {n}\n>    ~~~\n>    {{: .language-bash}}\n" for n in range(1, 5)
    )
    text = (
        "# L\n\n~~~\n$ ls\n~~~\n{: .language-bash}\n\n~~~\nout\n~~~\n{: .output}\n\n"
        f"> ## Which one?\n>\n{items}>\n> > ## Solution\n> >\n> > The third.\n> {{: .solution}}\n"
        "{: .challenge}\n"
    )
    deck = read_bank(write(tmp_path, "k.md", text), tmp_path, Report())
    (question,) = deck.questions
    assert question.prompt == "Which one?" and question.answer == "The third."
    assert question.front.count("~~~bash") == 4 and "{:" not in question.front
    assert all(f"$ cmd {n}" in question.front for n in range(1, 5))
    assert "{:" not in deck.intro and "~~~bash\n$ ls\n~~~" in deck.intro


@pytest.mark.parametrize("key", ["questions", "question-level", "lang", "html", "pattern"])
def test_a_front_matter_list_under_a_settings_name_is_another_tools_not_an_error(tmp_path, key):
    """The Carpentries' episodes list their questions in front matter (`questions: [...]`): a list
    or mapping under the name of a setting that takes one value is that tool's, warned about and
    left out, never an error that loses the deck; their other keys (`objectives`, ...) are known."""
    for shape in ("- How do I record changes?\n- Why?", "  one: 1\n  two: 2"):
        text = (
            f'---\ntitle: "Tracking"\nteaching: 20\nexercises: 0\n{key}:\n{shape}\n'
            'objectives:\n- "Go."\nkeypoints:\n- "Status."\n---\n\n'
            "### What is a commit?\n\nA snapshot.\n"
        )
        report = Report()
        deck = read_bank(write(tmp_path, "episode.md", text), tmp_path, report)
        assert [q.prompt for q in deck.questions] == ["What is a commit?"]
        assert [w.source.line for w in report.warnings] == [5]
        assert f"front matter `{key}` is a" in report.warnings[0].message
