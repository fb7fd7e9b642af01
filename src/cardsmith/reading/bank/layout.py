"""The one pass that decides what each part of a file is: which candidates are questions, what every
heading is (a question, a section, the title, part of an answer, or the start of boilerplate), and
where every answer ends."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from cardsmith.reading.bank.asking import asks, marked, without_marks
from cardsmith.reading.bank.boilerplate import (
    Skip,
    heading_kind,
    is_reveal,
    section_region,
    text_of_html,
)
from cardsmith.reading.bank.document import Document, Heading, tag_change
from cardsmith.reading.bank.labels import ANSWER_PART
from cardsmith.reading.bank.prompt import marker_number
from cardsmith.reading.bank.rules import RULES, Candidate, Given, Placed, Role, Rule
from cardsmith.reading.bank.rules.heading import (
    dividers,
    frequency_level,
    link_lists,
    question_level,
    topics,
)
from cardsmith.reading.bank.rules.pattern import Pattern


@dataclass(frozen=True, slots=True)
class Layout:
    """What each part of a file is (`cardsmith.reading.bank.assemble` makes it a `Deck`)."""

    questions: list[Placed]
    sections: list[Heading]
    title: Heading | None
    skips: list[Skip]
    structure: set[int]  # lines of headings that belong to an answer
    # sections at the question level: dividers span the questions of their level that follow them
    # (`## # 1. INTRODUCTION`), other such sections end at the next heading as high (`grouping`)
    dividers: frozenset[int] = frozenset()


def layout(
    document: Document,
    forced: Rule | None = None,
    level: int | None = None,
    pattern: Pattern | None = None,
) -> Layout:
    """Decide what every part of the file is. `forced` limits questions to one rule; `level` is the
    question level the author set, `pattern` the author's own pattern."""
    rules = {rule: spec for rule, spec in RULES.items() if forced in (None, rule)}
    blocks = [
        candidate
        for spec in rules.values()
        if spec.role is not Role.OUTLINE
        for candidate in spec.find(document, Given(pattern=pattern, forced=forced is not None))
    ]
    hidden = _revealed_answers(document)
    if hidden:
        # what a revealing `<details>` holds is an answer: its `**解析**` is never a question
        blocks = [c for c in blocks if not (_weak(c) and _within(hidden, c.line))]
    headings: list[Candidate] = []
    outline = rules.get(Rule.HEADING)
    chosen = None  # the question level
    if outline is not None:
        # a heading indented inside a list's answer (`  ## Key Points`) is never a question
        nested = any(c.item_end is not None and c.rule is not Rule.GLOSSARY for c in blocks)
        chosen = level or question_level(document, nested)
        headings = outline.find(document, Given(chosen, nested))

    asking_weak = [c for c in blocks if _asking_weak(c)]
    strong = sorted(c.line for c in blocks if RULES[c.rule].role is Role.STRONG)
    found_headings = headings
    headings = _without_grouping_headings(document, headings, strong, asking_weak)
    grouping = {c.line for c in found_headings} - {c.line for c in headings}
    if chosen and outline is not None:
        grouping |= set(topics(document, chosen))  # `### Chapter` over `#### What is C?`
    if not headings and not strong and not asking_weak:
        # no question looks like one: a glossary of `## Term` headings, or `**Term**` paragraphs
        fallback_level = frequency_level(document) if outline is not None else None
        fallback = (
            outline.find(document, Given(fallback_level)) if outline and fallback_level else []
        )
        weak = [c for c in blocks if _weak(c)]
        if len(fallback) < 2:
            fallback = []  # one heading with text under it is no glossary
        if fallback:
            weak = _without_sparse_glossary(document, weak, fallback)
        glossary = any(c.rule is Rule.GLOSSARY for c in weak)  # its headings are topics
        if fallback and len(fallback) >= len(weak) and not glossary:
            headings, chosen, blocks = fallback, fallback_level, []
        else:
            blocks = weak
    elif headings or strong:
        blocks = [c for c in blocks if not _weak(c) or _asking_weak(c)]
    return _resolve(document, headings, blocks, chosen, grouping)


def _weak(candidate: Candidate) -> bool:
    return RULES[candidate.rule].role is Role.WEAK


def _asking_weak(candidate: Candidate) -> bool:
    """A weak candidate that asks, so counts beside other questions: a bold question; never a
    glossary's term (`Write Path:` is a term, whatever its first word), which counts only in a file
    of no other questions."""
    return (
        _weak(candidate)
        and candidate.rule is not Rule.GLOSSARY
        and asks(without_marks(candidate.prompt))
    )


def _without_sparse_glossary(
    document: Document, weak: list[Candidate], headings: list[Candidate]
) -> list[Candidate]:
    """Glossary cards count against `## Term` headings only when at least half of those headings
    hold mostly a glossary (`# A` over a list of terms), not when a few term lists stand inside
    long sections' answers."""
    glossary = [c for c in weak if c.rule is Rule.GLOSSARY]
    if not glossary:
        return weak
    covered = {n for c in glossary for n in range(c.line, c.hard_end or c.line + 1)}
    starts = document.heading_lines
    mostly = 0
    for heading in headings:
        after = bisect_left(starts, heading.line + 1)
        stop = next(
            (h.line for h in document.headings[after:] if h.level <= heading.level),
            len(document.lines),
        )
        text = [
            n
            for n in range(heading.body_start, stop)
            if document.lines[n].strip() and not _HR_OR_HEADING.match(document.lines[n])
        ]
        if text and 2 * sum(n in covered for n in text) >= len(text):
            mostly += 1
    if 2 * mostly >= len(headings):
        return weak
    return [c for c in weak if c.rule is not Rule.GLOSSARY]


_HR_OR_HEADING = re.compile(r"^ {0,3}(?:#{1,6}(?:\s|$)|([-*_=])(?:\s*\1){2,}\s*$)")


def _revealed_answers(document: Document) -> list[tuple[int, int]]:
    """The lines [start, end) of each `<details>` whose summary only reveals an answer ("Answer",
    `查看答案`), to its `</details>` (headings inside it too, as `Document.headings` counts them)."""
    found = []
    depth, start = 0, None
    for token in document.tokens if document.has_details else ():  # (none opens: none found)
        change = tag_change(token)
        if not change or not token.map:
            continue
        if depth == 0 and change > 0:
            summary = _SUMMARY.search(token.content)
            if summary and is_reveal(text_of_html(summary.group(1))):
                start = token.map[0]
        depth = max(0, depth + change)
        if depth == 0 and start is not None:
            found.append((start, token.map[1]))
            start = None
    return found


_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.I | re.S)


def _within(spans: list[tuple[int, int]], line: int) -> bool:
    position = bisect_right(spans, (line, float("inf"))) - 1
    return position >= 0 and spans[position][0] < line < spans[position][1]


def _without_grouping_headings(
    document: Document, headings: list[Candidate], strong: list[int], asking_weak: list[Candidate]
) -> list[Candidate]:
    """Heading candidates that group questions are sections: their text holds strong questions, or
    it opens straight away with a bold line that asks (`## What is A?` then `**What is B?**`)."""
    if not strong and not asking_weak:
        return headings
    starts = document.heading_lines
    weak_lines = {c.line for c in asking_weak}
    kept = []
    for candidate in headings:
        after = bisect_left(starts, candidate.line + 1)
        stop = next(
            (h.line for h in document.headings[after:] if h.level <= candidate.level),
            len(document.lines),
        )
        inside = bisect_left(strong, stop) - bisect_left(strong, candidate.line)
        opening = next(
            (n for n in range(candidate.body_start, stop) if document.lines[n].strip()), None
        )
        strong_heading = marked(candidate.prompt) and asks(without_marks(candidate.prompt))
        if not inside and (strong_heading or opening not in weak_lines):
            kept.append(candidate)
        elif inside and _answers_first(document, candidate, strong, opening):
            kept.append(candidate)  # `## What is a tuple?`, its answer, then an exercise box
    return kept


def _answers_first(
    document: Document, candidate: Candidate, strong: list[int], opening: int | None
) -> bool:
    """Whether a heading that asks answers itself before the first strong question in its text:
    then it is a question whose answer ends where that one begins, not a section over it."""
    if opening is None or not asks(without_marks(candidate.prompt)):
        return False
    first = strong[bisect_left(strong, candidate.line)]
    return opening < first and any(
        document.lines[n].strip() and not document.lines[n].lstrip().startswith("<")
        for n in range(opening, first)
    )


def _resolve(
    document: Document,
    headings: list[Candidate],
    blocks: list[Candidate],
    level: int | None,
    grouping: set[int] = frozenset(),  # type: ignore[assignment]
) -> Layout:
    """One pass in line order over headings and candidates: what each heading is, where each answer
    ends, which regions are boilerplate."""
    question_lines = {c.line: c for c in headings}
    asked = {c.line for c in blocks if c.level}  # headings a block rule took (an author's pattern)
    events: list[tuple[int, int, object]] = [(h.line, 0, h) for h in document.headings]
    events += [(c.line, 1, c) for c in sorted(blocks, key=lambda c: c.line)]
    events.sort(key=lambda e: (e[0], e[1]))

    questions: list[Placed] = []
    sections: list[Heading] = []
    structure: set[int] = set()
    skips: list[Skip] = []
    title: Heading | None = None
    current: Candidate | None = None
    # a boilerplate region: (start, reason, level of the headings it takes in; 0: none)
    region: tuple[int, str, int] | None = None
    first_question = min([c.line for c in blocks] + list(question_lines), default=None)
    parts = _parts(document, [c.line for c in blocks] + list(question_lines))
    divides = set(dividers(document, level)) if level and headings else set()
    links = set(link_lists(document, level)) if level and headings else set()

    def close(at: int) -> None:
        nonlocal current, region
        if current is not None:
            end = at if current.hard_end is None else min(current.hard_end, at)
            questions.append(Placed(current, max(end, current.body_start)))
            current = None
        if region is not None:
            skips.append(Skip(region[0], at, region[1]))
            region = None

    for line, kind, item in events:
        if current is not None and current.hard_end is not None and line >= current.hard_end:
            close(current.hard_end)
        if kind == 1:
            candidate = item
            assert isinstance(candidate, Candidate)
            if current is not None and _absorbs(current, candidate):
                continue
            close(line)
            current = candidate
            continue
        heading = item
        assert isinstance(heading, Heading)
        if heading.line in question_lines and not _restarts(current, question_lines[heading.line]):
            close(line)
            current = question_lines[heading.line]
            continue
        if heading.line in asked:
            continue  # the candidate on its line is the question, and closes the one before
        if current is not None and _holds(current, heading):
            structure.add(heading.line)
            continue
        if region is not None and region[2] and heading.level > region[2]:
            continue  # inside a licence or contributing section (a contents list takes no headings)
        close(line)
        left_out = section_region(heading.plain, heading.level)
        if (
            title is None
            and heading.plain
            and heading.level == 1
            and (first_question is None or heading.line < first_question)
            and not sections
            and not parts
        ):
            title = heading
        elif left_out is not None:
            region = (heading.line, *left_out)
        elif heading.line in links:
            region = (heading.line, "link list", 0)
        elif not heading.plain:
            pass  # a heading with no text (only HTML, say) names nothing: reported as text
        elif (
            level is None
            or heading.level < level
            or not headings
            or heading.line in divides | grouping
        ):
            sections.append(heading)
        # else: as deep as the question headings, outside them: text (the intro, or reported)
    close(len(document.lines))
    questions.sort(key=lambda q: q.candidate.line)
    return Layout(
        questions=questions,
        sections=sections,
        title=title,
        skips=skips,
        structure=structure,
        dividers=frozenset(divides),
    )


def _parts(document: Document, questions: list[int]) -> bool:
    """Whether the file is in parts: two or more `#` headings (not a contents, licence or
    introduction heading, nor a question), with questions under the first before the second
    (`# Part 1` ... `# Part 2`). Then each is a section, siblings, and none is the deck's title; a
    first `#` with only an introduction under it is the title."""
    questions = sorted(questions)
    tops = [
        h
        for h in document.headings
        if h.level == 1 and h.plain and heading_kind(h.plain) is None and h.line not in questions
    ]
    if len(tops) < 2:
        return False
    first = bisect_left(questions, tops[0].line)
    return first < len(questions) and questions[first] < tops[1].line


def _restarts(current: Candidate | None, candidate: Candidate) -> bool:
    """A deeper heading numbered from 1 again inside a numbered heading question (`## 5. What are
    Python's types?` then `#### 1. list`) numbers the answer's parts, not questions."""
    if current is None or not current.level or candidate.level <= current.level:
        return False
    inner, outer = marker_number(candidate.prompt), marker_number(current.prompt)
    return inner is not None and outer is not None and inner <= outer


def _absorbs(current: Candidate, candidate: Candidate) -> bool:
    """Whether `candidate` is part of the open question's answer rather than a question of its own."""
    if current.hard_end is not None:
        return candidate.line < current.hard_end
    if current.item_end is not None and candidate.line < current.item_end:
        return True  # inside the list item
    # a bold line inside another kind of question organises its answer; after a bold question,
    # the next bold line is the next question
    return _weak(candidate) and current.rule != candidate.rule


def _holds(current: Candidate, heading: Heading) -> bool:
    """Whether a heading that is not a question belongs to the open question's answer: inside its
    closed body, deeper than its heading, or inside (or indented under) its list item."""
    if current.hard_end is not None:
        return heading.line < current.hard_end
    if current.answer_at is not None and heading.line == current.answer_at[0]:
        return True  # the author's answer line, underlined: still its answer
    if current.level:
        # `### Answer` / `### 📖 解析` names the rest of the question above it, even as deep
        return heading.level > current.level or (
            heading.level == current.level and bool(ANSWER_PART.match(heading.plain))
        )
    if current.item_end is not None:
        return heading.line < current.item_end or heading.indent > 0
    return False
