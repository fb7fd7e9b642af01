"""List items that ask, with the answer inside the item

    1. What does `typeof null` return?

       `"object"`, a historical bug.

    - Is JavaScript single-threaded?
      - Yes, with an event loop.

Items of a top-level list whose first paragraph asks; the answer is what the item holds after it
(paragraphs, a nested list, a quote, code, a table), or the rest of that paragraph when its first line
asks alone (`1. What is X?` then `X is ...` on the next line). A list counts when at least two of its
items are such questions (or it has one item); its other items that ask, with nothing under them, are
questions left without answer. What other rules read is theirs: a bold first line (`list-bold`), a
term in bold or code with a dash or colon after it (`glossary`), a
revealing `<details>` in the item (`list-details`), `### ` in the item (`list-heading`). An item whose
only content under it is a list of lettered options (`- A. ...`) or of unticked boxes is a quiz
question with no answer given, not a question answered by its options.
"""

from __future__ import annotations

import re

from cardsmith.reading.bank.asking import asks, without_marks
from cardsmith.reading.bank.document import Document, content_indent
from cardsmith.reading.bank.rules.bold import only_bold
from cardsmith.reading.bank.rules.rule import Candidate, Given, Rule

_OPTION = re.compile(r"^\s*(?:[-*+]\s+)?\(?[A-H]\s*[.):]\s+\S")
_UNTICKED = re.compile(r"^\s*[-*+]\s+\[ \]")
_REVEALING = re.compile(r"^\s*(<details\b|[?!]{3}\+?\s)", re.I)
# a term in bold or code with its separator (`**Term** –`, `` `term`: ``): the glossary's
_TERM = re.compile(r"^(\*\*|__|`)[^*_`\n]{1,60}?\1\s*(?:[:：]|[-–—]+)")


def find(document: Document, given: Given) -> list[Candidate]:
    found: list[Candidate] = []
    for top in document.lists:
        asking = [(i, _item(document, i)) for i in top.items]
        asking = [(i, c) for i, c in asking if c is not None]
        answered = [c for _, c in asking if c.body_start < (c.item_end or c.body_start)]
        if answered and (len(answered) >= 2 or len(top.items) == 1):
            found += [c for _, c in asking]
    return found


def _item(document: Document, index: int) -> Candidate | None:
    """The item as a question when its first paragraph asks and no other rule reads it; its body
    [body_start, item_end) is empty when nothing stands under the question."""
    tokens, lines = document.tokens, document.lines
    item = tokens[index]
    first = tokens[index + 1] if index + 1 < len(tokens) else None
    if first is None or not item.map or not first.map or first.type != "paragraph_open":
        return None
    indent = content_indent(lines[item.map[0]])
    start, paragraph_end = first.map
    content = tokens[index + 2].content
    head = content.partition("\n")[0]
    if only_bold(head) is not None or _TERM.match(head) or _OPTION.match(lines[start][indent:]):
        return None  # list-bold's, a glossary's term, or an option of a quiz
    if asks(without_marks(head)) and "\n" in content.strip():
        prompt, body_start = head.strip(), start + 1  # the answer runs on from the next line
    elif asks(without_marks(" ".join(content.split()))):
        prompt, body_start = " ".join(content.split()), paragraph_end
    else:
        return None
    rest = [n for n in range(body_start, item.map[1]) if lines[n].strip()]
    if any(_REVEALING.match(lines[n][indent:]) or lines[n].lstrip().startswith("#") for n in rest):
        return None  # a `<details>` or admonition answer (list-details), `### ` (list-heading)
    if rest and all(_OPTION.match(lines[n]) or _UNTICKED.match(lines[n]) for n in rest):
        return None  # options with no answer given
    return Candidate(
        Rule.LIST_ITEM,
        prompt,
        start,
        body_start,
        hard_end=item.map[1] if rest else body_start,  # the answer is the item's, no more
        indent=indent,
        item_end=item.map[1] if rest else body_start,
        number=int(item.info) if item.info.isdigit() else None,
    )
