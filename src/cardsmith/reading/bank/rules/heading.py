"""Headings that ask

    ### 12. What is a closure?

The question level is the one whose headings most look like questions: an author's marker (`1.`,
`Q.`, `Q12:`, `Question 3 -`) and asking (`?` at the end, or a first word such as What, How, Explain).
Levels above it are sections. Deeper headings inside a question are its answer's structure
(`## 1. What is PEP 8?` then `### Naming`), unless they too are marked and ask
(`#### Q. Is Node.js single-threaded?` between `## Q.` questions). A file whose headings never look
like questions (a glossary: `## Term` + definition) takes the level that most often has text under it.
`question-level: N` in front matter (`--question-level`) sets the level. The answer runs to the next
heading as deep or deeper.

Two kinds of heading at the question level are not questions (`dividers`): a heading that asks
nothing and has nothing under it before an asking heading of its own level, where the file has two or
more such (`## # 1. INTRODUCTION` / `## Q. What is Node.js?` ... `## # 2. ARCHITECTURE`), divides
the questions into sections, as a heading one level up would; and a heading that asks nothing and has
only links under it (`## Related Topics` + a list of links) is a link list, left out for that reason.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable

from cardsmith.reading.bank.answers import is_empty
from cardsmith.reading.bank.asking import asks, marked
from cardsmith.reading.bank.boilerplate import heading_kind, html_block_reason, outside_reason
from cardsmith.reading.bank.document import Document, Heading
from cardsmith.reading.bank.labels import ANSWER_PART, PART_HEADING
from cardsmith.reading.bank.rules.rule import Candidate, Given, Rule


def find(document: Document, given: Given) -> list[Candidate]:
    """The headings at the question level (but its dividers and link lists), and those elsewhere
    that are marked and ask."""
    if given.level is None:
        return []
    apart = set(dividers(document, given.level)) | set(link_lists(document, given.level))
    grouped = topics(document, given.level)
    apart |= set(grouped)
    asked = {line for lines in grouped.values() for line in lines}
    leaves = set(_asking_leaves(document, given.level))
    return [
        Candidate(Rule.HEADING, heading.text, heading.line, heading.end, level=heading.level)
        for heading in _usable(document, given.nested)
        if (heading.level == given.level and heading.line not in apart)
        or (marked(heading.text) and asks(heading.plain))
        or heading.line in asked
        or heading.line in leaves
    ]


def _asking_leaves(document: Document, level: int) -> list[int]:
    """Headings above the question level that ask, have text under them and hold no asking heading
    (`### What is A?` + its answer in a part, where other parts ask at `####`): questions too."""
    found = []
    headings = document.headings
    for position, heading in enumerate(headings):
        if heading.level >= level or not asks(heading.plain):
            continue
        inner = []
        for other in headings[position + 1 :]:
            if other.level <= heading.level:
                break
            inner.append(other)
        if any(asks(h.plain) for h in inner):
            continue
        stop = inner[0].line if inner else _span_end(document, position)
        if any(line.strip() for line in document.lines[heading.end : stop]):
            found.append(heading.line)
    return found


def _span_end(document: Document, position: int) -> int:
    following = position + 1
    headings = document.headings
    return headings[following].line if following < len(headings) else len(document.lines)


def per_level(compute: Callable) -> Callable:
    """The heading rule finds these and the layout asks again which headings they were: worked
    out once per document and level (kept in `Document.derived`)."""

    @functools.wraps(compute)
    def once(document: Document, level: int):
        key = (compute.__name__, level)
        if key not in document.derived:
            document.derived[key] = compute(document, level)
        return document.derived[key]

    return once


@per_level
def topics(document: Document, level: int) -> dict[int, list[int]]:
    """Headings at `level` that ask nothing and hold two or more asking headings one level deeper
    (`### Chapter 3` over `#### What is C?`, where other parts ask at `###`): each is a topic (a
    section) and those headings its questions. Line of each topic -> lines of its questions."""
    found: dict[int, list[int]] = {}
    headings = document.headings
    for position, heading in enumerate(headings):
        if heading.level != level or asks(heading.plain) or not heading.plain:
            continue
        children = []
        for inner in headings[position + 1 :]:
            if inner.level <= level:
                break
            if inner.level == level + 1:
                children.append(inner)
        asking = [c.line for c in children if asks(c.plain)]
        if len(asking) >= 2 and 2 * len(asking) >= len(children):
            found[heading.line] = asking
    return found


@per_level
def dividers(document: Document, level: int) -> list[int]:
    """Lines of the headings at `level` that divide its questions into sections: each asks nothing,
    has nothing under it (blank lines, empty HTML), and the next heading is an asking one of the
    same level; two or more in the file (one such heading may be a question left without answer)."""
    found = []
    headings = document.headings
    for position, heading in enumerate(headings[:-1]):
        after = headings[position + 1]
        if (
            heading.level == level
            and after.level == level
            and heading.plain
            and not asks(heading.plain)
            and is_empty("\n".join(document.lines[heading.end : after.line]))
            and asks(after.plain)
        ):
            found.append(heading.line)
    return found if len(found) >= 2 else []


@per_level
def link_lists(document: Document, level: int) -> list[int]:
    """Lines of the headings at `level` that ask nothing and have only a list of links under them
    (`## Related Topics`, `## More cheat sheets`): navigation, not a question."""
    found = []
    starts = document.heading_lines
    for heading in document.headings:
        if heading.level != level or asks(heading.plain):
            continue
        following = bisect_left(starts, heading.end)
        stop = starts[following] if following < len(starts) else len(document.lines)
        reasons = {
            _reason(document, index)
            for index in document.token_range(heading.end, stop)
            if document.tokens[index].level == 0 and document.tokens[index].map
        }
        if reasons & {"link list", "link table"} and reasons <= _LINKS:
            found.append(heading.line)
    return found


_LINKS = {"link list", "link table", "back-to-top link", "badges and banners", "empty HTML"}


def _reason(document: Document, index: int) -> str | None:
    """Why a top-level block would be left out outside questions (None: it is text)."""
    token = document.tokens[index]
    if token.type == "html_block":
        return html_block_reason(token.content)
    return outside_reason(document, index)


def question_level(document: Document, nested: bool) -> int | None:
    """The level whose headings most look like questions, if at least half of them ask."""
    scores: dict[int, list[int]] = {}
    for heading in _usable(document, nested):
        is_marked, is_asking = marked(heading.text), asks(heading.plain)
        score = scores.setdefault(heading.level, [0, 0, 0, 0])
        score[0] += is_marked and is_asking
        score[1] += is_asking
        score[2] += is_marked
        score[3] += 1
    levels = [lv for lv, score in scores.items() if score[1] and 2 * score[1] >= score[3]]
    return max(levels, key=lambda lv: (scores[lv][:3], -lv), default=None)


def frequency_level(document: Document) -> int | None:
    """For files whose headings never ask: the level that most often has text under it. A heading
    that only names a part of a question (`### 题目`, `### Answer`) is not counted, unless no other
    has text under it (`### Question` / `### Answer` pairs)."""
    headings = document.headings
    usable = [
        h
        for position, h in enumerate(headings)
        if heading_kind(h.plain) is None
        and not ANSWER_PART.match(h.plain)
        and (_has_body(document, h) or _opens_a_part(headings, position))
    ]
    counts = Counter(h.level for h in usable if not PART_HEADING.match(h.plain)) or Counter(
        h.level for h in usable
    )
    if not counts:
        return None
    return min(counts, key=lambda lv: (-counts[lv], lv))


def _usable(document: Document, nested: bool) -> list[Heading]:
    """Headings that may be questions: not a contents or licence heading, not one that only names
    the rest of the question above it (`### Answer`, `### 📖 解析`: `labels.ANSWER_PART`), and not
    indented when list items hold the questions (`  ## Key Points` inside a list item's answer).
    Worked out once a file (the question level and the rule's `find` ask)."""
    key = ("usable headings", nested)
    if key not in document.derived:
        document.derived[key] = [
            h
            for h in document.headings
            if heading_kind(h.plain) is None
            and not ANSWER_PART.match(h.plain)
            and (not nested or not h.indent)
        ]
    return list(document.derived[key])


def _opens_a_part(headings: list[Heading], position: int) -> bool:
    """`## 第 1 题` right over `### 题目`: its text is under the part heading."""
    after = headings[position + 1] if position + 1 < len(headings) else None
    return (
        after is not None
        and after.level > headings[position].level
        and bool(PART_HEADING.match(after.plain))
    )


def _has_body(document: Document, heading: Heading) -> bool:
    starts = document.heading_lines
    following = bisect_left(starts, heading.end)
    stop = starts[following] if following < len(starts) else len(document.lines)
    return any(line.strip() for line in document.lines[heading.end : stop])
