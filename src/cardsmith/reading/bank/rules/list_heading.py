"""List items that open with a heading

    12. ### What is a closure?

Ordered or bullet items of a top-level list. The answer is the rest of the item and whatever follows
it up to the next question or unindented heading (real READMEs often indent answers less than the list
item needs). They count when the file has at least two: an answer's own numbered list often shares a
list with the next question (`3. **reduce**` then `460. ### What is ...`).
"""

from __future__ import annotations

from cardsmith.reading.bank.boilerplate import heading_kind
from cardsmith.reading.bank.document import Document, content_indent
from cardsmith.reading.bank.rules.rule import Candidate, Given, Rule


def find(document: Document, given: Given) -> list[Candidate]:
    found = [
        candidate
        for top in document.lists
        for index in top.items
        if (candidate := _item(document, index)) is not None
    ]
    return found if len(found) >= 2 else []


def _item(document: Document, index: int) -> Candidate | None:
    tokens = document.tokens
    item = tokens[index]
    first = tokens[index + 1] if index + 1 < len(tokens) else None
    if first is None or not item.map or not first.map or first.type != "heading_open":
        return None
    prompt = tokens[index + 2].content.strip()
    if not prompt or heading_kind(prompt) is not None:
        return None
    return Candidate(
        Rule.LIST_HEADING,
        prompt,
        first.map[0],
        first.map[1],
        indent=content_indent(document.lines[item.map[0]]),
        item_end=item.map[1],
        number=int(item.info) if item.info.isdigit() else None,
    )
