"""The ways people write question banks, each a small rule over markdown-it tokens.

Every rule reads the same `Document` and returns `Candidate`s: where a question's prompt is and which
lines hold its body. The parser turns candidates into `Question`s the same way for every rule, so a
rule only has to find things:

- `heading`: questions are headings (`### 1. What is X?`); the levels above them are sections.
- `list-heading`: ordered list items that open with a heading (`1. ### What is a closure?`), the answer
  indented inside the item.
- `bold`: a paragraph that is only bold text (`**What is regularization? ⭐**`), answered by the blocks
  after it.
- `qa`: `Q:` / `A:` paragraphs.

`detect` runs them all and picks the one that finds the most questions.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

CONVENTIONS = ("heading", "list-heading", "bold", "qa")

_QA_PROMPT = re.compile(r"^\s*(?:\*\*|__)?\s*(?:Q|Question)\s*\d*\s*[:.)]\s*(?:\*\*|__)?\s*", re.I)
_QA_ANSWER = re.compile(r"^\s*(?:\*\*|__)?\s*(?:A|Answer)\s*\d*\s*[:.)]\s*(?:\*\*|__)?\s*", re.I)
# headings that organise a README rather than ask something
_NOT_QUESTIONS = re.compile(
    r"^(table of contents|contents|toc|index|license|licen[cs]e|contributing|contributors|about|"
    r"introduction|intro|preface|references|resources|further reading|see also|links|credits|"
    r"acknowledge?ments?|changelog|support|sponsors?|authors?|disclaimer)\W*$",
    re.I,
)


def is_navigation(title: str) -> bool:
    """`Table of Contents`, `License`, ...: headings that organise a README, not questions or sections."""
    return bool(_NOT_QUESTIONS.match(title))


def html_title(document: Document, before: int) -> str | None:
    """The text of an `<h1>` in an HTML block above line `before` (README files centre their title)."""
    for token in document.tokens:
        if token.type == "html_block" and token.map and token.map[0] < before:
            match = re.search(r"<h1\b[^>]*>(.*?)</h1>", token.content, re.S | re.I)
            if match:
                from html import unescape  # here: html.entities is large and `--help` needs none

                text = unescape(re.sub(r"<[^>]+>", "", match.group(1)))
                return re.sub(r"\s+", " ", text).strip() or None
    return None


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str  # the heading's Markdown (a prompt keeps its marks)
    plain: str  # its plain text (deck and section names carry no Markdown or HTML)
    line: int  # 0-based first line
    end: int  # 0-based line after the heading
    has_body: bool


@dataclass(frozen=True, slots=True)
class Candidate:
    prompt: str  # Markdown, possibly with the author's number, explicit id, difficulty emoji
    line: int  # 0-based line of the prompt
    start: int  # body: lines [start, end)
    end: int
    indent: int = 0  # columns of indentation to remove from the body (list items)
    answer_prefix: re.Pattern | None = None  # a marker to strip from the answer's first line (`A:`)


@dataclass
class Document:
    tokens: list
    lines: list[str]
    headings: list[Heading] = field(default_factory=list)
    _flat: list = field(default_factory=list, repr=False)
    _flat_lines: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.headings = _headings(self.tokens)
        # every token and inline child with the line it starts on; lines never decrease
        line = 0
        for token in self.tokens:
            if token.map:
                line = token.map[0]
            for item in (token, *(token.children or ())):
                self._flat.append(item)
                self._flat_lines.append(line)

    def tokens_between(self, start: int, end: int) -> list:
        """Tokens (inline children included) that start on lines [start, end); one bisect, not a scan,
        so finding each question's images stays linear in the document."""
        return self._flat[bisect_left(self._flat_lines, start) : bisect_left(self._flat_lines, end)]


@dataclass(frozen=True, slots=True)
class Found:
    """What a rule found: the questions, and which top-level headings are sections."""

    convention: str
    candidates: tuple[Candidate, ...]
    section_levels: Callable[[Heading], bool]


def detect(document: Document, forced: str | None = None) -> tuple[Found, dict[str, Found]]:
    """Run every rule (or only `forced`); return the winner and what each rule found."""
    names = (forced,) if forced else CONVENTIONS
    results = {name: RULES[name](document) for name in names}
    # most questions wins; on a tie the earlier rule in CONVENTIONS
    best = max(names, key=lambda name: (len(results[name].candidates), -names.index(name)))
    return results[best], results


def outside(found: Found, winner: Found) -> int:
    """How many of `found`'s questions stand where `winner` found none: neither inside one of the
    winner's questions nor around one (a section heading around bold questions is not a question)."""
    spans = [(c.line, c.end) for c in winner.candidates]
    lines = [c.line for c in winner.candidates]
    return sum(
        1
        for c in found.candidates
        if not any(start <= c.line < end for start, end in spans)
        and not any(c.line <= line < c.end for line in lines)
    )


def heading_rule(document: Document) -> Found:
    usable = [h for h in document.headings if h.has_body and not _NOT_QUESTIONS.match(h.plain)]
    counts = Counter(h.level for h in usable)
    if not counts:
        return Found("heading", (), lambda h: True)
    # the most frequent level with body text; on a tie the shallower, since deeper ones sit in answers
    level = min(counts, key=lambda lv: (-counts[lv], lv))
    candidates = []
    headings = document.headings
    for index, heading in enumerate(headings):
        if heading.level != level or _NOT_QUESTIONS.match(heading.plain):
            continue
        end = next((h.line for h in headings[index + 1 :] if h.level <= level), len(document.lines))
        candidates.append(Candidate(heading.text, heading.line, heading.end, end))
    return Found("heading", tuple(candidates), lambda h: h.level < level)


def list_heading_rule(document: Document) -> Found:
    tokens = document.tokens
    candidates = []
    for index, token in enumerate(tokens):
        if token.type != "list_item_open" or not token.map:
            continue
        first = tokens[index + 1] if index + 1 < len(tokens) else None
        if first is None or first.type != "heading_open" or not first.map:
            continue
        indent = _content_indent(document.lines[token.map[0]])
        prompt = tokens[index + 2].content.strip()
        if not prompt or _NOT_QUESTIONS.match(prompt):
            continue
        candidates.append(Candidate(prompt, first.map[0], first.map[1], token.map[1], indent))
    return Found("list-heading", tuple(candidates), lambda h: True)


def bold_rule(document: Document) -> Found:
    return _paragraph_rule(document, "bold", _bold_prompt)


def qa_rule(document: Document) -> Found:
    return _paragraph_rule(document, "qa", _qa_prompt, answer_prefix=_QA_ANSWER)


def _paragraph_rule(
    document: Document, name: str, prompt_of: Callable, answer_prefix: re.Pattern | None = None
) -> Found:
    """Questions are top-level paragraphs that `prompt_of` recognises; each answer runs to the next
    question or top-level heading."""
    tokens, lines = document.tokens, document.lines
    starts = []
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0 and token.map:
            start, end = token.map
            found = prompt_of(tokens[index + 1], lines[start:end])
            if found:
                prompt, used = found
                starts.append((start, start + used, end, prompt))
    boundaries = sorted({h.line for h in document.headings} | {s[0] for s in starts})
    candidates = []
    for start, body, end, prompt in starts:
        stop = next((b for b in boundaries if b >= end), len(lines))
        candidates.append(Candidate(prompt, start, body, stop, answer_prefix=answer_prefix))
    return Found(name, tuple(candidates), lambda h: True)


def _bold_prompt(inline, source_lines: list[str]) -> tuple[str, int] | None:
    children = [
        c for c in inline.children or () if not (c.type == "text" and not c.content.strip())
    ]
    if (
        len(children) < 3
        or children[0].type != "strong_open"
        or children[-1].type != "strong_close"
    ):
        return None
    if any(c.type in ("strong_open", "strong_close") for c in children[1:-1]):
        return None  # `**A** and **B**` is emphasis inside prose, not a question
    text = "".join(c.content for c in children[1:-1]).strip()
    if not text or text.endswith(":") or _NOT_QUESTIONS.match(text):
        return None  # `**Example:**` is a label
    return inline.content.strip()[2:-2].strip(), len(source_lines)


def _qa_prompt(inline, source_lines: list[str]) -> tuple[str, int] | None:
    """`Q: ...` up to an `A:` line; both often share one paragraph."""
    match = _QA_PROMPT.match(source_lines[0])
    if not match:
        return None
    used = next(
        (n for n, line in enumerate(source_lines) if n and _QA_ANSWER.match(line)),
        len(source_lines),
    )
    prompt = " ".join([source_lines[0][match.end() :], *source_lines[1:used]]).strip()
    return (prompt, used) if prompt else None


def _content_indent(line: str) -> int:
    """Columns before a list item's content: `1. ### Q` -> 3, `  - ### Q` -> 4."""
    match = re.match(r"^(\s*(?:\d{1,9}[.)]|[-+*])\s+)", line)
    return len(match.group(1)) if match else 0


def _headings(tokens) -> list[Heading]:
    """Top-level headings, except those inside a `<details>` block (they belong to a hidden answer)."""
    headings = []
    top = [i for i, t in enumerate(tokens) if t.level == 0 and t.nesting >= 0]
    depth = 0
    for position, i in enumerate(top):
        token = tokens[i]
        if token.type == "html_block":
            content = token.content.lower()
            depth = max(0, depth + content.count("<details") - content.count("</details>"))
        if token.type != "heading_open" or depth:
            continue
        following = tokens[top[position + 1]] if position + 1 < len(top) else None
        has_body = following is not None and following.type not in ("heading_open", "hr")
        headings.append(
            Heading(
                level=int(token.tag[1]),
                text=tokens[i + 1].content.strip(),
                plain=plain_text(tokens[i + 1]),
                line=token.map[0],
                end=token.map[1],
                has_body=has_body,
            )
        )
    return headings


def plain_text(inline) -> str:
    parts = [
        c.content for c in inline.children or () if c.type in ("text", "code_inline", "html_inline")
    ]
    return re.sub(r"\s+", " ", "".join(parts)).strip()


RULES: dict[str, Callable[[Document], Found]] = {
    "heading": heading_rule,
    "list-heading": list_heading_rule,
    "bold": bold_rule,
    "qa": qa_rule,
}
