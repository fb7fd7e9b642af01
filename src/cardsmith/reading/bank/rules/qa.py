"""`Q:` and `A:` paragraphs

    Q: What does `type([])` return?
    A: `<class 'list'>`

A top-level paragraph that opens with `Q:` (also `**Q1. ...**`, `Question 3)`); the prompt runs to
the line that opens with `A:` (also `Ans:`, `**Answer:**`), which starts the answer. Lines between
the prompt and `A:` in later paragraphs (code the question is about) stand with the prompt.
"""

from __future__ import annotations

import re

from cardsmith.reading.bank.answers import Part, split_at_reveal
from cardsmith.reading.bank.document import Document
from cardsmith.reading.bank.rules.rule import Candidate, Given, Placed, Rule

_PROMPT = re.compile(
    r"^\s*(?:\*\*|__)?\s*(?:Q|Question|Ques)\s*\d*\s*[:.)\-]\s*(?:\*\*|__)?\s*", re.IGNORECASE
)
_ANSWER = re.compile(
    r"^\s*(?:\*\*|__)?\s*(?:A|Ans|Answer)\s*\d*\s*[:.)\-]\s*(?:\*\*|__)?\s*", re.IGNORECASE
)


def opens(line: str) -> bool:
    """Whether a line opens a question of this rule."""
    return bool(_PROMPT.match(line))


def find(document: Document, given: Given) -> list[Candidate]:
    tokens, lines = document.tokens, document.lines
    found = []
    for index in document.paragraphs:
        start, end = tokens[index].map
        opened = _PROMPT.match(lines[start])
        if not opened:
            continue
        used = next((n for n in range(start + 1, end) if _ANSWER.match(lines[n])), end)
        prompt = " ".join([lines[start][opened.end() :], *lines[start + 1 : used]]).strip()
        prompt = re.sub(r"\s*(?:\*\*|__)\s*$", "", prompt).strip()
        if prompt:
            found.append(Candidate(Rule.QA, prompt, start, used))
    return found


def split(document: Document, placed: Placed, body: Part) -> tuple[Part, Part]:
    """A revealing `<details>` starts the answer, else the `A:` line (its marker taken off)."""
    revealed = split_at_reveal(document, placed, body)
    if revealed is not None:
        return revealed
    for index, (number, text) in enumerate(body.lines):
        marker = _ANSWER.match(text)
        if marker:
            rest = [(number, text[marker.end() :]), *body.lines[index + 1 :]]
            return Part(body.lines[:index]), Part(rest)
    return Part([]), body
