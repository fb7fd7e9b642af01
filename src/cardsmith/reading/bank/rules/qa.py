"""`Q:` and `A:` lines

    Q: What does `type([])` return?
    A: `<class 'list'>`

A line of a top-level paragraph that opens with `Q:` (also `Q1.`, `Q?`, `Question 3)`, `Ques -`,
`Q：` with a full-width colon); the prompt runs to the line that opens with `A:` (also `Ans:`,
`Answer 3.`), which starts the answer, or to the next `Q:` line: a paragraph of `Q:` lines with no `A:` between them holds that many
unanswered questions. Emphasis may wrap the marker alone (`**Q:** What`), the whole line
(`*Q: How many addresses in a /24?*`, `_A: 254_`) or be left open (`*Q:What`): the marker leaves it,
and it stays around the text only when it is closed. Lines between the prompt and `A:` in later
paragraphs (code the question is about) stand with the prompt.

    1.What is a variable?
    2.Which data types do you know?

Numbered lines with no space after the number's dot, which Markdown reads as a paragraph's text and
not as a list, open questions the same way (the whole line the prompt, its number the marker): a
paragraph of them is that many questions, unanswered unless an `A:` line follows one. The paragraph's
first line must be one, and it must ask or have a second one below it (`3.5 million ...` is no
question: a digit follows the dot).
"""

from __future__ import annotations

import re

from cardsmith.reading.bank.answers import Part, split_at_reveal
from cardsmith.reading.bank.asking import asks, without_marks
from cardsmith.reading.bank.document import Document
from cardsmith.reading.bank.rules.rule import Candidate, Given, Placed, Rule

_EMPHASIS = r"^\s*(?P<open>\*{1,3}|_{1,3})?\s*"
# emphasis closed right after the marker's word or after the marker (`**Q**:`, `**Q:**`)
_SEPARATOR = (
    r"\s*\d*(?P<shut>\*{1,3}|_{1,3})?\s*(?:[:：.)%s]|[-–—](?=\s))\s*(?P<close>\*{1,3}|_{1,3})?\s*"
)
_PROMPT = re.compile(_EMPHASIS + r"(?:Q|Question|Ques)" + _SEPARATOR % "?", re.IGNORECASE)
_ANSWER = re.compile(_EMPHASIS + r"(?:A|Ans|Answer)" + _SEPARATOR % "", re.IGNORECASE)
# `1.What is X?`: a number, its dot, and text at once (with a space Markdown makes it a list item)
_NUMBERED = re.compile(r"^ {0,3}\d{1,4}\.(?=[^\s\d.])")


def opens(line: str) -> bool:
    """Whether a line opens a question of this rule."""
    return bool(_PROMPT.match(line))


def find(document: Document, given: Given) -> list[Candidate]:
    tokens, lines = document.tokens, document.lines
    found = []
    for index in document.paragraphs:
        start, end = tokens[index].map
        opening = [n for n in range(start, end) if _PROMPT.match(lines[n])]
        numbered = not opening and _numbered(document, start, end)
        if numbered:
            opening = [n for n in range(start, end) if _NUMBERED.match(lines[n])]
        if start not in opening:
            continue
        for number, following in zip(opening, [*opening[1:], end], strict=True):
            used = next(
                (n for n in range(number + 1, following) if _ANSWER.match(lines[n])), following
            )
            if numbered:
                prompt = "\n".join(lines[n].strip() for n in range(number, used))
            else:
                prompt = _without_marker(_PROMPT, [lines[n] for n in range(number, used)])
            if prompt.strip():
                found.append(Candidate(Rule.QA, " ".join(prompt.split("\n")).strip(), number, used))
    return found


def _numbered(document: Document, start: int, end: int) -> bool:
    """Whether a paragraph opens with a `1.What is X?` line that asks or has another below it."""
    lines = document.lines
    if not _NUMBERED.match(lines[start]):
        return False
    if any(_NUMBERED.match(lines[n]) for n in range(start + 1, end)):
        return True
    return asks(without_marks(lines[start]))


def split(document: Document, placed: Placed, body: Part) -> tuple[Part, Part]:
    """A revealing `<details>` starts the answer, else the `A:` line (its marker taken off)."""
    revealed = split_at_reveal(document, placed, body)
    if revealed is not None:
        return revealed
    for index, (_, text) in enumerate(body.lines):
        if _ANSWER.match(text):
            after = body.lines[index:]
            answer = _without_marker(_ANSWER, [t for _, t in after]).split("\n")
            rest = [(n, t) for (n, _), t in zip(after, answer, strict=True)]
            return Part(body.lines[:index]), Part(rest)
    return Part([]), body


def _without_marker(marker: re.Pattern[str], lines: list[str]) -> str:
    """Lines that open with a marker, without it: emphasis around the marker alone goes with it
    (`**Q:** What`); emphasis opened before it stays before the text when the lines close it
    (`*Q: What?*` -> `*What?*`), and goes when they never do (`*Q: What?`)."""
    match = marker.match(lines[0])
    assert match is not None
    rest = [lines[0][match.end() :], *lines[1:]]
    opened = match.group("open")
    if not opened or match.group("shut") or match.group("close"):
        return "\n".join(rest)
    paragraph = rest[: next((i for i, t in enumerate(rest) if not t.strip()), len(rest))]
    closing = re.compile(rf"(?<![*_\s]){re.escape(opened)}\s*$")
    if any(closing.search(text) for text in paragraph):
        rest[0] = opened + rest[0]
    return "\n".join(rest)
