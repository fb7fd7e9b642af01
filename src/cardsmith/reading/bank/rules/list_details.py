"""List items that ask, with the answer in a `<details>` (or an mkdocs admonition that holds it,
`??? success "Answer"`) inside the item

    1. Which service records who terminated an instance?
        - A. Amazon Inspector
        - B. AWS CloudTrail

        <details><summary>Answer</summary>Correct answer: B</details>

Items of a top-level list (the practice exams' shape): the item's first paragraph is the prompt, up
to a line that is an option (`A. ...`); a `<details>` whose summary only reveals ("Answer", "Show
solution") holds the answer; what stands between them (the options) is the front. Lettered options
with `Correct answer: B` (or `B, E`) opening the answer make a choice question (`quiz`). The item
counts when its prompt asks, or when its answer opens with such a key (`Identify the service ...`).

An item numbered `226.` needs five columns of indentation: authors who indent four leave the
options in the prompt's paragraph and the `<details>` after the list, as a code block; others do not
indent the `<details>` at all. A revealing `<details>` right after a numbered list answers its last
item, when that item asks or has its options.
"""

from __future__ import annotations

import re

from cardsmith.reading.bank.answers import (
    Part,
    admonition_answer,
    details_answer,
    reveals,
    split_at_reveal,
)
from cardsmith.reading.bank.asking import asks, without_marks
from cardsmith.reading.bank.boilerplate import is_reveal, text_of_html
from cardsmith.reading.bank.document import Document, closing, content_indent
from cardsmith.reading.bank.quiz import opens_with_answer_key
from cardsmith.reading.bank.rules.rule import Candidate, Given, Placed, Rule

_REVEALING = re.compile(
    r"^\s*<details\b[^>]*>\s*<summary\b[^>]*>(?P<summary>.*?)</summary\s*>", re.I
)
_OPTION = re.compile(r"^\s*(?:[-*+]\s+)?\(?[A-H]\s*[.):]\s+\S")
_DETAILS_TAG = re.compile(r"<(/?)details\b[^>]*>", re.I)


def find(document: Document, given: Given) -> list[Candidate]:
    found = []
    ends: dict[int, int] = {}  # where each `<details>` closes, found once when first needed
    for top in document.lists:
        for index in top.items:
            # a `<details>` right after a numbered list may answer its last item
            last = index == top.items[-1] and document.tokens[top.open].type == "ordered_list_open"
            candidate = _item(document, index, last, top.close + 1, ends)
            if candidate is not None:
                found.append(candidate)
    return found


def split(document: Document, placed: Placed, body: Part) -> tuple[Part, Part]:
    """(front, answer): the answer is the revealing `<details>` (a code block's too), the front
    what stands before it."""
    for index, (_, text) in enumerate(body.lines):
        if _reveals(text):
            return Part(body.lines[:index]), details_answer(Part(body.lines[index:]))
    return split_at_reveal(document, placed, body) or (Part([]), body)


def _item(
    document: Document, index: int, last: bool, after: int, ends: dict[int, int]
) -> Candidate | None:
    tokens, lines = document.tokens, document.lines
    item = tokens[index]
    first = tokens[index + 1] if index + 1 < len(tokens) else None
    if first is None or not item.map or not first.map or first.type != "paragraph_open":
        return None
    start, paragraph_end = first.map
    if _OPTION.match(lines[start][content_indent(lines[item.map[0]]) :]):
        return None  # an option of a quiz (`- B. text`), not its question
    body_start = next((n for n in range(start + 1, paragraph_end) if _OPTION.match(lines[n])), None)
    hard_end = None
    reveal = _inside(document, index)
    if reveal is None and last and after < len(tokens):
        reveal, hard_end = _right_after(document, after, ends)
    if reveal is None:
        return None
    # the paragraph's text: no list marker (`- `, `12. `), no indentation
    text = tokens[index + 2].content.split("\n")[: (body_start or paragraph_end) - start]
    prompt = " ".join(t.strip() for t in text).strip()
    answer = _answer(document, reveal, hard_end or item.map[1])
    # an answer key will do for a prompt that does not ask (`Select the two ...`); after the
    # list, only with options under the prompt (else the item may be an option itself)
    options = body_start is not None or _holds_a_list(document, index)
    evidence = opens_with_answer_key(answer) and (options or not hard_end)
    if not prompt or not (asks(without_marks(prompt)) or evidence):
        return None
    return Candidate(
        Rule.LIST_DETAILS,
        prompt,
        start,
        body_start or paragraph_end,
        hard_end=hard_end,
        indent=content_indent(lines[item.map[0]]),
        item_end=item.map[1],
        number=int(item.info) if item.info.isdigit() else None,
    )


def _inside(document: Document, index: int) -> int | None:
    """The line of the item's own revealing `<details>` or answering admonition (`??? success
    "Answer"`; not a nested item's), or None."""
    tokens = document.tokens
    level = tokens[index].level + 1
    for position in range(index + 1, closing(tokens, index)):
        token = tokens[position]
        if token.level != level or not token.map:
            continue
        if token.type == "html_block" and _reveals(token.content):
            return token.map[0]
        if token.type == "admonition_open":
            admonition = document.admonition_at(position)
            if admonition is not None and reveals(admonition):
                return token.map[0]
    return None


def _answer(document: Document, reveal: int, end: int) -> Part:
    """The answer that begins at line `reveal`: a `<details>`'s inside, or an admonition's body."""
    lines = Part([(n, document.lines[n]) for n in range(reveal, end)])
    admonition = next((a for a in document.admonitions if a.line == reveal), None)
    if admonition is not None:
        return admonition_answer(document, admonition, lines)
    return details_answer(lines)


def _holds_a_list(document: Document, index: int) -> bool:
    tokens = document.tokens
    level = tokens[index].level + 1
    return any(
        tokens[position].level == level and tokens[position].type.endswith("_list_open")
        for position in range(index + 1, closing(tokens, index))
    )


def _right_after(
    document: Document, position: int, ends: dict[int, int]
) -> tuple[int | None, int | None]:
    """(first line, line after) of a revealing `<details>` that is the block right after a list,
    as HTML or as an indented code block; (None, None) when there is none. `ends` maps the line of
    each `<details>` to the line after its `</details>` (filled on first use)."""
    token = document.tokens[position]
    if token.type not in ("html_block", "code_block") or not token.map:
        return None, None
    if not _reveals(token.content):
        return None, None
    if not ends:
        ends.update(_details_ends(document.lines))
    start, end = token.map
    return start, ends.get(start, end)


def _details_ends(lines: list[str]) -> dict[int, int]:
    """For each line that opens a `<details>`, the line after the one that closes it, in one pass
    (a `<details>` never closed has none)."""
    ends: dict[int, int] = {-1: -1}  # never empty, so it is filled once
    opened: list[int] = []
    for number, line in enumerate(lines):
        for tag in _DETAILS_TAG.finditer(line):
            if not tag.group(1):
                opened.append(number)
            elif opened:
                ends.setdefault(opened.pop(), number + 1)
    return ends


def _reveals(text: str) -> bool:
    match = _REVEALING.match(text)
    return bool(match) and is_reveal(text_of_html(match.group("summary")))
