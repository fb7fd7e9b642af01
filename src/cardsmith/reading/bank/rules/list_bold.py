"""List items that open with a line in bold

    1. **What is PEP 8?**
       PEP 8 is Python's style guide.

Items of a top-level list; the answer is the rest of the item. They count when at least two items of
their list (or its only item) open that way. A bold line alone, with nothing under it, is a term in a
list, not a question; a label such as `**Example:**` is no question either.
"""

from __future__ import annotations

from cardsmith.reading.bank.document import Document, content_indent
from cardsmith.reading.bank.rules.bold import only_bold
from cardsmith.reading.bank.rules.rule import Candidate, Given, Rule


def find(document: Document, given: Given) -> list[Candidate]:
    found: list[Candidate] = []
    for top in document.lists:
        mine = [c for c in (_item(document, i) for i in top.items) if c is not None]
        if mine and (len(mine) >= 2 or len(top.items) == 1):
            found += mine
    return found


def _item(document: Document, index: int) -> Candidate | None:
    tokens = document.tokens
    item = tokens[index]
    first = tokens[index + 1] if index + 1 < len(tokens) else None
    if first is None or not item.map or not first.map or first.type != "paragraph_open":
        return None
    head, _, rest = tokens[index + 2].content.partition("\n")
    bold = only_bold(head)
    if bold is None or (not rest.strip() and first.map[1] >= item.map[1]):
        return None  # a bold line alone, nothing under it: a list of terms, not questions
    line = first.map[0]
    return Candidate(
        Rule.LIST_BOLD,
        bold,
        line,
        line + 1,
        indent=content_indent(document.lines[item.map[0]]),
        item_end=item.map[1],
        number=int(item.info) if item.info.isdigit() else None,
    )
