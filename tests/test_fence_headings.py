"""A code block that holds lines shaped as the file's own question headings (issue #27, the fence
class of smaruf's bank): an indented fence inside a code block closes it, and every later fence is
read the other way round, as GitHub shows the file. cardsmith reads it as GitHub does and warns at
each such block with its lines, the questions it holds, and the fence that caused it. A generated
bank of tens of variations; the text is ours."""

from __future__ import annotations

import itertools

from click.testing import CliRunner

from cardsmith.cli.commands import main
from cardsmith.errors import Report
from cardsmith.reading.bank import read_bank

from support.inputs import write

HEADINGS = [
    "### Question {s}.{n}: Design thing {s}{n}",
    "## {s}.{n} Build thing {s}{n}",
    "#### Q{s}{n}. Why {s}{n}?",
]


def bank(shape: int, before: int, nested: bool, after: int):
    """`before` questions, then one whose answer nests an indented fence (`nested`; else plain
    indented code), then `after` questions, each with a code block: (text, (the outer block's
    first line, the indented fence's line))."""
    heading = HEADINGS[shape]
    lines = ["# Bank", ""]
    for n in range(1, before + 1):
        lines += [heading.format(s=1, n=n), "", f"Answer 1.{n}.", ""]
    lines += [heading.format(s=2, n=1), "", "**Sample:**", "```"]
    opened = len(lines)
    lines += ["Plan:", "", "   Code:", "   ```python" if nested else "   code here", "   x = 1"]
    if nested:
        lines += ["   ```"]  # closes the outer block: indented three spaces, it nests nothing
    closer = len(lines)
    lines += ["", "Done.", "```", ""]
    for n in range(1, after + 1):
        lines += [heading.format(s=3, n=n), "", f"Answer 3.{n}.", "", "```", f"code {n}", "```", ""]
    return "\n".join(lines) + "\n", (opened, closer)


def test_code_holding_the_files_headings_is_warned_about_with_its_cause(tmp_path):
    cases = 0
    for shape, before, after in itertools.product(range(len(HEADINGS)), (1, 2, 3), (1, 2, 4)):
        text, (opened, closer) = bank(shape, before, True, after)
        report = Report()
        deck = read_bank(write(tmp_path, f"f{cases}.md", text), tmp_path, report)
        cases += 1
        lines = text.split("\n")
        shown = [d for d in report.diagnostics if "shaped as this file's headings" in d.message]
        # GitHub's reading: the fence after "Done." opens a block that swallows the next heading
        swallowing = lines.index("```", closer) + 1  # 1-based line of that fence
        assert shown, (text, [d.message for d in report.diagnostics])
        first = shown[0]
        assert first.source.line == swallowing, (first, text)
        assert "1 question shown as code" in first.message, first.message
        assert f"line {swallowing + 2}" in first.message
        assert f"the fence at line {closer}, indented, closed the block of line {opened}" in (
            first.message
        )
        span = first.message.split("(lines ")[1].split(")")[0]
        start, end = map(int, span.split("-"))
        assert start == swallowing and lines[end - 1] == "```"
        # from the fence after "Done." on, each closing fence opens a block: every later heading
        # is code, one in each block, as GitHub shows them (the last fence is never closed)
        assert len(shown) == after, [d.message for d in shown]
        assert [d.source.line for d in shown] == [
            n + 1 for n in range(closer, len(lines)) if lines[n] == "```"
        ][0 : 2 * after : 2]
        assert len(deck.questions) == before + 1, [q.prompt for q in deck.questions]
    assert cases == 27


def test_no_warning_without_the_cause_or_for_markdown_in_code(tmp_path):
    for shape, before, after in itertools.product(range(len(HEADINGS)), (1, 2), (1, 3)):
        text, _ = bank(shape, before, False, after)  # no fence nested: every block pairs
        report = Report()
        deck = read_bank(write(tmp_path, f"n{shape}{before}{after}.md", text), tmp_path, report)
        assert not [d for d in report.diagnostics if "headings" in d.message], text
        assert len(deck.questions) == before + 1 + after
    # a tutorial that shows Markdown in code: one heading of each shape, nothing repeated
    text = "# T\n\n## How to write a heading?\n\n```markdown\n## 1. Title\n```\n"
    report = Report()
    read_bank(write(tmp_path, "t.md", text), tmp_path, report)
    assert not report.diagnostics


def test_explain_shows_the_warning_at_the_block(tmp_path):
    text, (_, closer) = bank(0, 1, True, 1)
    path = write(tmp_path, "e.md", text)
    result = CliRunner().invoke(main, ["explain", str(path)])
    assert result.exit_code == 0, result.output
    assert "shaped as this file's headings" in result.output
    assert f"the fence at line {closer}" in result.output
