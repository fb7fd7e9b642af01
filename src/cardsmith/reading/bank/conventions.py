"""How question banks are written, and how one file's parts are told apart.

A file is read region by region, never with one convention for the whole file: the same README may ask
470 questions as `1. ### What is X?` list items and then 80 more as `#### 1. What is the output?`
headings with `<details>` answers. Each rule below finds *candidates* over markdown-it tokens; `layout`
then decides, in one pass in line order, what every heading is and where every answer ends.

The rules (names as in `questions:` front matter and `--questions`):

- `heading`: questions are headings. The question level is the one whose headings most look like
  questions: an author's marker (`1.`, `Q.`, `Q12:`, `Question 3 -`) and asking (`?` at the end, or a
  first word such as What, How, Explain). Levels above it are sections. Deeper headings inside a
  question are its answer's structure (`## 1. What is PEP 8?` then `### Naming`), unless they too are
  marked and ask (`#### Q. Is Node.js single-threaded?` between `## Q.` questions). A file whose
  headings never look like questions (a glossary: `## Term` + definition) takes the level that most
  often has text under it. `question-level: N` in front matter (`--question-level`) sets the level.
- `list-heading`: ordered or bullet list items that open with a heading (`12. ### What is a closure?`);
  the answer is the rest of the item and whatever follows it up to the next question or unindented
  heading (real READMEs often indent answers less than the list item needs).
- `list-bold`: list items that open with a line in bold (`1. **What is PEP 8?**` + answer lines).
- `details`: `<details><summary>What does ls -l show?</summary> answer </details>`. A summary such as
  "Answer" or "Show solution" is not a question: it reveals the answer of the question before it.
- `qa`: `Q:` / `A:` paragraphs (also `**Q1. ...**` and `Ans:`).
- `bold`: a paragraph that is only bold text (`**What is regularization? ⭐**`).

`details`, `list-heading` and `qa` are *strong*: a heading whose text holds them groups questions, so
it is a section, not a question. `bold` and `list-bold` are *weak*: inside another question they are
part of its answer (`**example**` under a quiz question), and outside one they count only when they
ask, or when the file has no other questions at all.
"""

from __future__ import annotations

import re
import textwrap
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from cardsmith.reading.bank.asking import asks, marked, without_marks, without_tags
from cardsmith.reading.bank.boilerplate import (
    BOILERPLATE_SECTION,
    NAVIGATION,
    NOT_A_QUESTION,
    Skip,
    heading_kind,
    is_reveal,
)
from cardsmith.reading.bank.document import Document, Heading, closing, content_indent
from cardsmith.reading.bank.prompt import marker_number

CONVENTIONS = ("heading", "list-heading", "list-bold", "details", "qa", "bold")
STRONG = frozenset({"list-heading", "details", "qa"})

_QA_PROMPT = re.compile(
    r"^\s*(?:\*\*|__)?\s*(?:Q|Question|Ques)\s*\d*\s*[:.)\-]\s*(?:\*\*|__)?\s*", re.IGNORECASE
)
QA_ANSWER = re.compile(
    r"^\s*(?:\*\*|__)?\s*(?:A|Ans|Answer)\s*\d*\s*[:.)\-]\s*(?:\*\*|__)?\s*", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A question one rule found: where its prompt is and which lines its body may take."""

    rule: str
    prompt: str  # Markdown, possibly with the author's marker, explicit id, difficulty emoji
    line: int  # 0-based line of the prompt
    body_start: int  # the body begins on this line ...
    body_column: int = 0  # ... at this column (a `<details>` answer begins after `</summary>`)
    hard_end: int | None = None  # the body ends here at the latest (`</details>`); else open
    indent: int = 0  # list items: columns of indentation to remove from the item's own lines
    item_end: int | None = None  # list items: where the item itself ends
    number: int | None = None  # the list item's own number (`12. ### ...`)
    level: int = 0  # headings: the heading's level
    weak: bool = False
    front: str = ""  # Markdown shown with the prompt (the rest of a multi-line summary)

    @property
    def strong(self) -> bool:
        return self.rule in STRONG


@dataclass(frozen=True, slots=True)
class Placed:
    """A candidate that `layout` kept, with the lines its body takes: [body_start, end)."""

    candidate: Candidate
    end: int


@dataclass
class Layout:
    """What each part of a file is (the parser turns it into a `Deck`)."""

    questions: list[Placed]
    sections: list[Heading]
    title: Heading | None
    skips: list[Skip]
    structure: set[int]  # lines of headings that belong to an answer
    question_level: int | None


# --- the rules ------------------------------------------------------------------------------------


def heading_candidates(
    document: Document, level: int | None, indented: bool = True
) -> tuple[list[Candidate], int | None]:
    """Headings that ask questions, and the question level (None: no heading looks like one)."""
    usable = [
        h for h in document.headings if heading_kind(h.plain) is None and (indented or not h.indent)
    ]
    if level is None:
        level = _question_level(usable)
    if level is None:
        return [], None
    candidates = []
    for heading in usable:
        strong = marked(heading.text) and asks(heading.plain)
        if heading.level == level or (heading.level != level and strong):
            candidates.append(
                Candidate("heading", heading.text, heading.line, heading.end, level=heading.level)
            )
    return candidates, level


def _question_level(headings: list[Heading]) -> int | None:
    """The level whose headings most look like questions, if at least half of them ask."""
    scores: dict[int, list[int]] = {}
    for heading in headings:
        is_marked, is_asking = marked(heading.text), asks(heading.plain)
        score = scores.setdefault(heading.level, [0, 0, 0, 0])
        score[0] += is_marked and is_asking
        score[1] += is_asking
        score[2] += is_marked
        score[3] += 1
    levels = [lv for lv, score in scores.items() if score[1] and 2 * score[1] >= score[3]]
    return max(levels, key=lambda lv: (scores[lv][:3], -lv), default=None)


def frequency_level(document: Document) -> int | None:
    """For files whose headings never ask: the level that most often has text under it."""
    counts = Counter(
        h.level
        for h in document.headings
        if heading_kind(h.plain) is None and _has_body(document, h)
    )
    if not counts:
        return None
    return min(counts, key=lambda lv: (-counts[lv], lv))


def _has_body(document: Document, heading: Heading) -> bool:
    starts = document.heading_lines
    following = bisect_left(starts, heading.end)
    stop = starts[following] if following < len(starts) else len(document.lines)
    return any(line.strip() for line in document.lines[heading.end : stop])


def list_candidates(document: Document) -> list[Candidate]:
    """`list-heading` and `list-bold`: items of a top-level list that open with a heading or a bold
    line. Heading items count when the file has at least two (an answer's own numbered list often
    shares a list with the next question: `3. **reduce**` then `460. ### What is ...`); bold items
    count when at least two items of their list (or its only item) open that way."""
    tokens, lines = document.tokens, document.lines
    headed: list[Candidate] = []
    bold: list[Candidate] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.level != 0 or token.type not in ("bullet_list_open", "ordered_list_open"):
            index += 1
            continue
        close = closing(tokens, index)
        items = [
            i
            for i in range(index + 1, close)
            if tokens[i].type == "list_item_open" and tokens[i].level == 1
        ]
        found = [c for c in (_list_item(tokens, lines, i) for i in items) if c is not None]
        headed += [c for c in found if c.rule == "list-heading"]
        mine = [c for c in found if c.rule == "list-bold"]
        if mine and (len(mine) >= 2 or len(items) == 1):
            bold += mine
        index = close + 1
    return (headed if len(headed) >= 2 else []) + bold


def _list_item(tokens, lines: list[str], index: int) -> Candidate | None:
    item = tokens[index]
    first = tokens[index + 1] if index + 1 < len(tokens) else None
    if first is None or not item.map or not first.map:
        return None
    indent = content_indent(lines[item.map[0]])
    number = int(item.info) if item.info.isdigit() else None
    if first.type == "heading_open":
        prompt = tokens[index + 2].content.strip()
        if not prompt or heading_kind(prompt) is not None:
            return None
        return Candidate(
            "list-heading",
            prompt,
            first.map[0],
            first.map[1],
            indent=indent,
            item_end=item.map[1],
            number=number,
        )
    if first.type == "paragraph_open":
        content = tokens[index + 2].content
        head, _, rest = content.partition("\n")
        bold = _only_bold(head)
        if bold is None or (not rest.strip() and first.map[1] >= item.map[1]):
            return None  # a bold line alone, nothing under it: a list of terms, not questions
        line = first.map[0]
        return Candidate(
            "list-bold",
            bold,
            line,
            line + 1,
            body_column=0,
            indent=indent,
            item_end=item.map[1],
            number=number,
            weak=True,
        )
    return None


_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?P<text>(?:(?!\1).)+?)\1\s*(?:\\|\s{2,})?$")


def _only_bold(line: str) -> str | None:
    """The text of a line that is only bold (`**What is X?**`, a hard break allowed after it)."""
    match = _BOLD_LINE.match(line)
    if not match:
        return None
    text = match.group("text").strip()
    if not text or text.endswith(":") or NOT_A_QUESTION.match(text):
        return None  # `**Example:**` is a label
    return text


def details_candidates(document: Document) -> list[Candidate]:
    """`<details>` whose summary asks something, and those that only reveal an answer. A summary
    that neither asks nor reveals ("See 20 translations") is a question only in a file whose other
    summaries mostly ask; elsewhere it is just content. A summary over several lines (a question
    with a list in it) gives its first line as the prompt and the rest as the question's front."""
    asking, plain = [], []
    for line, end, _index in document.details:
        found = _summary(document.lines, line, end)
        if found is None:
            continue
        summary, front, body_line, column = found
        text = without_tags(summary)
        if is_reveal(text):
            continue
        candidate = Candidate(
            "details",
            _summary_prompt(summary),
            line,
            body_line,
            body_column=column,
            hard_end=end,
            front=front,
        )
        (asking if asks(text) else plain).append(candidate)
    if len(asking) >= len(plain):
        asking += plain
    return sorted(asking, key=lambda c: c.line)


_SUMMARY = re.compile(r"<summary\b[^>]*>", re.I)
_SUMMARY_END = re.compile(r"</summary\s*>", re.I)


def _summary(lines: list[str], start: int, end: int) -> tuple[str, str, int, int] | None:
    """(summary's first line as HTML, the rest of it as Markdown, line and column where the body
    begins) for the `<details>` on lines [start, end), or None when it has no summary."""
    for number in range(start, min(end, start + 3)):
        opened = _SUMMARY.search(lines[number])
        if opened:
            break
    else:
        return None
    rest = lines[number][opened.end() :]
    closed = _SUMMARY_END.search(rest)
    if closed:
        column = opened.end() + closed.end()
        return rest[: closed.start()], "", number, column
    for later in range(number + 1, end):
        closed = _SUMMARY_END.search(lines[later])
        if closed:
            front = "\n".join([*lines[number + 1 : later], lines[later][: closed.start()]])
            return rest, textwrap.dedent(front).strip("\n"), later, closed.end()
    return rest, "", number + 1, 0


def _summary_prompt(summary: str) -> str:
    """The summary's inner HTML as a prompt: a `<b>`/`<strong>` wrapping all of it is presentation."""
    text = summary.strip()
    while True:
        match = re.fullmatch(r"<(b|strong)\b[^>]*>(.*)</\1>", text, re.S | re.I)
        if not match:
            break
        text = match.group(2).strip()
    return re.sub(r"\s+", " ", text)


def paragraph_candidates(document: Document) -> list[Candidate]:
    """`qa` and `bold`: top-level paragraphs."""
    tokens, lines = document.tokens, document.lines
    found = []
    for index, token in enumerate(tokens):
        if token.type != "paragraph_open" or token.level != 0 or not token.map:
            continue
        start, end = token.map
        qa = _QA_PROMPT.match(lines[start])
        if qa:
            used = next((n for n in range(start + 1, end) if QA_ANSWER.match(lines[n])), end)
            prompt = " ".join([lines[start][qa.end() :], *lines[start + 1 : used]]).strip()
            prompt = re.sub(r"\s*(?:\*\*|__)\s*$", "", prompt).strip()
            if prompt:
                found.append(Candidate("qa", prompt, start, used))
            continue
        content = tokens[index + 1].content
        if "\n" not in content.strip():
            bold = _only_bold(content.strip())
            if bold is not None and "**" not in bold and "__" not in bold:
                found.append(Candidate("bold", bold, start, end, weak=True))
    return found


# --- layout ----------------------------------------------------------------------------------------


def layout(document: Document, forced: str | None = None, level: int | None = None) -> Layout:
    """Decide what every part of the file is. `forced` limits questions to one convention."""
    rules = (forced,) if forced else CONVENTIONS
    details = details_candidates(document)
    blocks = [c for c in details if "details" in rules]
    blocks += [c for c in list_candidates(document) if c.rule in rules]
    blocks += [c for c in paragraph_candidates(document) if c.rule in rules]
    # a heading indented inside a list's answer (`  ## Key Points`) is never a question
    unindented = not any(c.rule.startswith("list-") for c in blocks)
    headings, question_level = (
        heading_candidates(document, level, unindented) if "heading" in rules else ([], None)
    )

    asking_weak = [c for c in blocks if c.weak and asks(without_marks(c.prompt))]
    strong = sorted(c.line for c in blocks if c.strong)
    headings = _without_grouping_headings(document, headings, strong, asking_weak)
    if not headings and not strong and not asking_weak:
        # no question looks like one: a glossary of `## Term` headings, or `**Term**` paragraphs
        fallback_level = frequency_level(document) if "heading" in rules else None
        fallback = heading_candidates(document, fallback_level)[0] if fallback_level else []
        weak = [c for c in blocks if c.weak]
        if len(fallback) < 2:
            fallback = []  # one heading with text under it is no glossary
        if fallback and len(fallback) >= len(weak):
            headings, question_level, blocks = fallback, fallback_level, []
        else:
            blocks = weak
    elif headings or strong:
        blocks = [c for c in blocks if not c.weak or asks(without_marks(c.prompt))]
    return _resolve(document, headings, blocks, question_level)


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
    return kept


def _resolve(
    document: Document,
    headings: list[Candidate],
    blocks: list[Candidate],
    question_level: int | None,
) -> Layout:
    """One pass in line order over headings and candidates: what each heading is, where each answer
    ends, which regions are boilerplate."""
    question_lines = {c.line: c for c in headings}
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
        if current is not None and _holds(current, heading):
            structure.add(heading.line)
            continue
        if region is not None and region[2] and heading.level > region[2]:
            continue  # inside a licence or contributing section (a contents list takes no headings)
        close(line)
        what = heading_kind(heading.plain)
        if (
            title is None
            and heading.plain
            and heading.level == 1
            and (first_question is None or heading.line < first_question)
            and not sections
        ):
            title = heading
        elif what == NAVIGATION:
            region = (heading.line, "table of contents", 0)
        elif what == BOILERPLATE_SECTION:
            region = (heading.line, f"{heading.plain} section", heading.level)
        elif not heading.plain:
            pass  # a heading with no text (only HTML, say) names nothing: reported as text
        elif question_level is None or heading.level < question_level or not headings:
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
        question_level=question_level,
    )


def _restarts(current: Candidate | None, heading: Candidate) -> bool:
    """A deeper heading numbered from 1 again inside a numbered question (`## 5. What are Python's
    types?` then `#### 1. list`) numbers the answer's parts, not questions."""
    if current is None or current.rule != "heading" or heading.level <= current.level:
        return False
    inner, outer = marker_number(heading.prompt), marker_number(current.prompt)
    return inner is not None and outer is not None and inner <= outer


def _absorbs(current: Candidate, candidate: Candidate) -> bool:
    """Whether `candidate` is part of the open question's answer rather than a question of its own."""
    if current.hard_end is not None:
        return candidate.line < current.hard_end
    if current.item_end is not None and candidate.line < current.item_end:
        return True  # inside the list item
    # a bold line inside another kind of question organises its answer; after a bold question,
    # the next bold line is the next question
    return candidate.weak and current.rule != candidate.rule


def _holds(current: Candidate, heading: Heading) -> bool:
    """Whether a heading that is not a question belongs to the open question's answer."""
    if current.hard_end is not None:
        return heading.line < current.hard_end
    if current.rule == "heading":
        return heading.level > current.level
    if current.item_end is not None and heading.line < current.item_end:
        return True
    return current.rule in ("list-heading", "list-bold") and heading.indent > 0
