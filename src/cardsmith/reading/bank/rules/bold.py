"""Paragraphs that are only bold text

    **What is regularization? ⭐**

A top-level paragraph of one line, all of it in bold; the answer runs to the next question or
heading. A label such as `**Example:**` or `**Note**` is no question, and a paragraph that opens with
`Q:` belongs to the `qa` rule even when it is bold.

    **16. Is React a framework or a library?**
    React is a library.

A paragraph whose first line is only bold and reads as a question (an author's marker, or it asks)
is a question too, the rest of the paragraph the start of its answer: no blank line after the
question is needed.
"""

from __future__ import annotations

import re

from cardsmith.reading.bank.asking import asks, marked, without_marks
from cardsmith.reading.bank.boilerplate import NOT_A_QUESTION, is_back_to_top
from cardsmith.reading.bank.document import Document
from cardsmith.reading.bank.rules import qa
from cardsmith.reading.bank.rules.rule import Candidate, Given, Rule

_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?P<text>(?:(?!\1).)+?)\1\s*(?:\\|\s{2,})?$")


def find(document: Document, given: Given) -> list[Candidate]:
    tokens, lines = document.tokens, document.lines
    found = []
    for index in document.paragraphs:
        start, end = tokens[index].map
        if qa.opens(lines[start]):
            continue
        content = tokens[index + 1].content.strip()
        first, newline, _rest = content.partition("\n")
        bold = only_bold(first)
        if bold is None or "**" in bold or "__" in bold:
            continue
        if not newline:
            found.append(Candidate(Rule.BOLD, bold, start, end))
        elif marked(bold) or asks(without_marks(bold)):
            # the answer starts on the paragraph's next line
            found.append(Candidate(Rule.BOLD, bold, start, start + 1))
    return found


def only_bold(line: str) -> str | None:
    """The text of a line that is only bold (`**What is X?**`, a hard break allowed after it)."""
    match = _BOLD_LINE.match(line)
    if not match or is_back_to_top(line):  # `**[⬆ Back to Top](#contents)**` is navigation
        return None
    text = match.group("text").strip()
    if not text or text.endswith((":", "：")) or NOT_A_QUESTION.match(text):
        return None  # `**Example:**` is a label
    return text
