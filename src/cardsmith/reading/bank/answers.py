"""A question's body as lines of the Markdown file, and what is done to them to make the answer:
`<details>` unwrapped (its summary, `<br>`/`<b>`/`<p>` wrappers and closing tag gone, a label such
as "Solution 2 (recursive)" kept in bold), list indentation removed, trailing rules trimmed, blank
runs folded; where the answer starts (`split`); and whether what is left says anything (empty, or a
placeholder such as `Answer coming soon`: `placeholders`)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cardsmith.reading.bank.boilerplate import Skip, is_reveal, reveal_label, text_of_html
from cardsmith.reading.bank.labels import ANSWER_HEADING
from cardsmith.reading.bank.placeholders import says_nothing_yet

if TYPE_CHECKING:
    from cardsmith.reading.bank.document import Admonition, Document
    from cardsmith.reading.bank.rules.rule import Placed


@dataclass
class Part:
    """A question's body as (line, text) pairs, line numbers 0-based in the document."""

    lines: list[tuple[int, str]]

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines).strip("\n")

    def before(self, line: int) -> Part:
        return Part([(n, t) for n, t in self.lines if n < line])

    def since(self, line: int) -> Part:
        return Part([(n, t) for n, t in self.lines if n >= line])

    def without(self, start: int, end: int) -> Part:
        return Part([(n, t) for n, t in self.lines if not start <= n < end])


def split(document: Document, placed: Placed, body: Part) -> tuple[Part, Part]:
    """(front, answer): a `<details>` that reveals the answer starts it; what stands before it
    belongs with the question (say, the code a "what does this print?" question is about). So does
    a sub-heading of a heading question that only says "Answer" (`### 答案`, `#### Lösung`).
    Without either, the whole body answers."""
    found = split_at_reveal(document, placed, body)
    if found is not None:
        return found
    level = placed.candidate.level
    if level:  # the headings on the body's lines: a bisect of the sorted heading lines, not a scan
        lines = document.heading_lines
        start, end = placed.candidate.body_start, placed.end
        for heading in document.headings[bisect_left(lines, start) : bisect_left(lines, end)]:
            if heading.level > level and ANSWER_HEADING.match(heading.plain):
                return body.before(heading.line), body.since(heading.line)
    return Part([]), body


def split_at_reveal(document: Document, placed: Placed, body: Part) -> tuple[Part, Part] | None:
    """(front, answer) at the first `<details>` in the question's lines whose summary only reveals
    an answer ("Answer", "Show solution"), or at an admonition that holds it (`??? question "Show
    Answer"`), whichever comes first; None when there is neither."""
    start = placed.candidate.body_start
    admonition = revealing_admonition(document, start, placed.end)
    # without a `<details` anywhere in the file (`has_details`) no token holds one
    for token in document.tokens_between(start, placed.end) if document.has_details else ():
        if admonition is not None and token.map and token.map[0] >= admonition.line:
            break
        if token.type != "html_block" or "<details" not in token.content.lower():
            continue
        match = re.search(r"<summary\b[^>]*>(.*?)</summary>", token.content, re.S | re.I)
        if match and is_reveal(text_of_html(match.group(1))) and token.map:
            reveal = token.map[0]
            return body.before(reveal), details_answer(body.since(reveal))
    if admonition is not None:
        front = _unboxed(document, admonition, body.before(admonition.line))
        return front, admonition_answer(document, admonition, body)
    return None


def _unboxed(document: Document, admonition: Admonition, front: Part) -> Part:
    """A front whose question stands in the box that also holds the answer (`!!! question` with
    no title of its own), without the box: its marker line gone, its lines dedented."""
    tokens = document.tokens
    level = tokens[admonition.index].level
    parent = (
        next(
            (
                position
                for position in range(admonition.index - 1, -1, -1)
                if tokens[position].nesting == 1 and tokens[position].level == level - 1
            ),
            None,
        )
        if level
        else None
    )
    box = document.admonition_at(parent) if parent is not None else None
    marker = next((t for n, t in front.lines if box is not None and n == box.line), None)
    if box is None or marker is None or not box.default_title:
        return front
    width = len(marker) - len(marker.lstrip(" ")) + 4
    return Part(
        [
            (n, dedent([t], width)[0] if box.line < n < box.end else t)
            for n, t in front.lines
            if n != box.line
        ]
    )


# admonition types that hold an answer whatever their title (`!!! solution`, `??? answer "参考答案"`),
# and those that do when collapsible (`??? success "参考答案"`; an open `!!! success` may be a note)
_ANSWER_KINDS = {"answer", "answers", "solution", "solutions"}
_COLLAPSED_ANSWER_KINDS = {"success", "check", "done"}
_HINT = re.compile(r"^\W*(?:(?:show|see|view|get|reveal)\s+)?(?:(?:a|the)\s+)?hints?\b", re.I)


def reveals(admonition: Admonition) -> bool:
    """An admonition that holds an answer: titled as a reveal ("Show Answer", "Solution", "Hint"),
    or of an answering type whatever its title says, in any language (`!!! solution`, `??? success
    "参考答案"`)."""
    kind = admonition.kind.lower()
    if kind in _ANSWER_KINDS or (admonition.collapsible and kind in _COLLAPSED_ANSWER_KINDS):
        return True
    return (
        not admonition.default_title
        and bool(admonition.title.strip())
        and is_reveal(admonition.title)
    )


def revealing_admonition(document: Document, start: int, end: int) -> Admonition | None:
    """The admonition in lines [start, end) that holds the answer: the first that reveals one, a
    hint only when no answer follows it (a hint then stays with the question)."""
    found = [a for a in document.admonitions if start <= a.line < end and reveals(a)]
    answers = [a for a in found if not _HINT.match(a.title)]
    return (answers or found or [None])[0]


def admonition_answer(document: Document, admonition: Admonition, body: Part) -> Part:
    """An answering admonition's body, its indentation taken off, and what follows it in the
    question's lines (still inside the admonition's container: indented as its marker was)."""
    marker = next((t for n, t in body.lines if n == admonition.line), "")
    column = len(marker) - len(marker.lstrip(" "))
    inner = [(n, t) for n, t in body.lines if admonition.line < n < admonition.end]
    width = common_indent([t for _, t in inner])
    inner = [(n, dedent([t], width)[0]) for n, t in inner]
    label = "" if admonition.default_title else reveal_label(admonition.title)
    if label:  # "Solution 2 (recursive)": what it says beyond "Answer" stays, in bold
        inner = [(admonition.line, f"**{label}**"), (admonition.line, ""), *inner]
    container_end = _container_end(document, admonition.index)
    after = [
        (n, dedent([t], column)[0] if n < container_end else t)
        for n, t in body.lines
        if n >= admonition.end
    ]
    return Part(inner + after)


def _container_end(document: Document, index: int) -> int:
    """The line where the block holding the token at `index` ends (0 when it is at the top)."""
    tokens = document.tokens
    level = tokens[index].level
    for position in range(index - 1, -1, -1):
        token = tokens[position]
        if token.nesting == 1 and token.level == level - 1 and token.map:
            return token.map[1]
    return 0


_DETAILS_OPEN = re.compile(r"^\s*<details\b[^>]*>", re.I)
_SUMMARY_OPEN = re.compile(r"^\s*<summary\b", re.I)
_SUMMARY_CLOSE = re.compile(r"</summary\s*>", re.I)


def _drop_details_head(lines: list[list]) -> str:
    """Remove a leading `<details>` and its `<summary>...</summary>` (which may span lines), in
    place; return what the summary says beyond "Answer" (see `reveal_label`)."""
    index = next((i for i, (_, t) in enumerate(lines) if t.strip()), None)
    if index is None:
        return ""
    opened = _DETAILS_OPEN.match(lines[index][1])
    if opened:
        lines[index][1] = lines[index][1][opened.end() :]
    while index < len(lines) and not lines[index][1].strip():
        index += 1
    if index == len(lines) or not _SUMMARY_OPEN.match(lines[index][1]):
        return ""
    summary = []
    for position in range(index, len(lines)):
        text = lines[position][1]
        closed = _SUMMARY_CLOSE.search(text)
        if closed:
            summary.append(text[: closed.start()])
            lines[position][1] = text[closed.end() :]
            return reveal_label(text_of_html("\n".join(summary)))
        summary.append(text)
        lines[position][1] = ""
    return ""


_LEADING_TAG = re.compile(r"^\s*<(br|p|b|strong|div)\b[^>]*?/?>", re.I)
_TRAILING_TAG = re.compile(r"</(p|b|strong|div)>\s*$", re.I)


def _drop_leading_wrappers(text: str) -> str:
    """`<br><b>answer...` -> `answer...`: tags that open a whole answer (closed on a later line)."""
    while match := _LEADING_TAG.match(text):
        tag = match.group(1).lower()
        rest = text[match.end() :]
        if tag != "br" and re.search(rf"</{tag}\s*>", rest, re.I):
            break  # `<b>word</b> ...` is content
        if re.search(r"\smarkdown\b", match.group(0), re.I):
            break  # `<div markdown>` holds Markdown: content, not a wrapper
        text = rest
    return text


def _drop_trailing_wrappers(text: str) -> str:
    """`...answer</b>` (before `</details>`) -> `...answer`, unless the tag opened on this line."""
    while match := _TRAILING_TAG.search(text):
        tag = match.group(1).lower()
        if re.search(rf"<{tag}\b", text[: match.start()], re.I):
            break
        text = text[: match.start()]
    return text


def details_answer(part: Part) -> Part:
    """The answer inside `<details>`: its summary, wrappers (`<br>`, `<b>`, `<p>`) and closing tag
    removed, line by line so every line keeps its number; what follows `</details>` stays after it,
    with any further revealing `<details>` unwrapped the same way (their labels kept in bold)."""
    inner, after = _unwrap_one(part)
    return Part(inner + _unwrap_reveals(after))


def _unwrap_reveals(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    for index, (_, text) in enumerate(lines):
        head = _REVEAL_HEAD.match(text)
        if head and is_reveal(text_of_html(head.group("summary"))):
            inner, after = _unwrap_one(Part(lines[index:]))
            return lines[:index] + inner + _unwrap_reveals(after)
    return lines


_REVEAL_HEAD = re.compile(
    r"^\s*<details\b[^>]*>\s*<summary\b[^>]*>(?P<summary>.*?)</summary>", re.I
)


def _unwrap_one(part: Part) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(inside, after) of the `<details>` that `part` opens with."""
    lines = [[n, t] for n, t in part.lines]
    if not lines:
        return [], []
    label = _drop_details_head(lines)
    inner_end = len(lines)  # lines before this index are inside the <details>
    depth = 1
    for index, (_, text) in enumerate(lines):
        for match in re.finditer(r"<(/?)details\b[^>]*>", text, re.I):
            depth += -1 if match.group(1) else 1
            if depth == 0:
                before = _drop_trailing_wrappers(text[: match.start()])
                after = text[match.end() :]
                lines[index][1] = before
                if after.strip():
                    lines.insert(index + 1, [lines[index][0], after])
                inner_end = index + 1
                break
        if depth == 0:
            break
    for index in range(inner_end):
        text = lines[index][1]
        if not text.strip():
            continue
        lines[index][1] = _drop_leading_wrappers(text)
        if lines[index][1].strip():
            break
    inner = [pair for pair in lines[:inner_end] if not _P_ALONE.match(pair[1])]
    width = min((len(t) - len(t.lstrip(" ")) for _, t in inner if t.strip()), default=0)
    inner = [(n, t[min(width, len(t) - len(t.lstrip(" "))) :]) for n, t in inner]
    if label:
        first = inner[0][0] if inner else lines[0][0]
        inner = [(first, f"**{label}**"), (first, ""), *inner]
    return inner, [(n, t) for n, t in lines[inner_end:]]


_P_ALONE = re.compile(r"^\s*</?p>\s*$", re.I)


def common_indent(lines: list[str]) -> int:
    return min((len(t) - len(t.lstrip(" ")) for t in lines if t.strip()), default=0)


def dedent(lines: list[str], indent: int) -> list[str]:
    """Lines without up to `indent` columns of leading spaces (never more than their own)."""
    if not indent:
        return list(lines)
    return [line[min(indent, len(line) - len(line.lstrip(" "))) :] for line in lines]


_HR = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")


def trim(part: Part, skips: list[Skip]) -> Part:
    """A body without the rules and blank lines that end it (they separate questions)."""
    lines = list(part.lines)
    while lines and (not lines[-1][1].strip() or _HR.match(lines[-1][1])):
        number, text = lines.pop()
        if text.strip():
            skips.append(Skip(number, number + 1, "horizontal rule"))
    while lines and not lines[0][1].strip():
        lines.pop(0)
    return Part(lines)


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def clean(markdown: str) -> str:
    """Markdown without blank lines at either end, and runs of blank lines (left where wrappers and
    boilerplate were taken out) folded into one, except inside code."""
    lines, fence, blank = [], None, False
    for line in markdown.strip("\n").split("\n"):
        marker = _FENCE.match(line)
        if marker and (fence is None or marker.group(1)[0] == fence):
            fence = None if fence else marker.group(1)[0]
        if fence is None and not line.strip():
            if blank:
                continue
            blank = True
        else:
            blank = False
        lines.append(line)
    return "\n".join(lines)


def _visible(markdown: str) -> str:
    """Roughly what a reader sees of some Markdown: code kept as text, HTML tags and rules gone."""
    code: list[str] = []

    def keep(match: re.Match) -> str:
        code.append(match.group(0).strip("`~"))
        return f" \x00{len(code) - 1}\x00 "

    text = re.sub(r"(```|~~~).*?(\1|$)|`[^`\n]+`", keep, markdown, flags=re.S)
    text = text_of_html(re.sub(r"^ {0,3}([-*_])(\s*\1){2,}\s*$", "", text, flags=re.M))
    return re.sub(r"\x00(\d+)\x00", lambda m: code[int(m.group(1))], text)


def is_empty(answer: str) -> bool:
    """Only `<br>`, `&nbsp;`, rules or empty HTML: nothing a card could show."""
    if ("<" in answer or "![" in answer or "$" in answer) and _SHOWS.search(answer):
        return False
    if "<" not in answer and "&" not in answer and _LETTER.search(answer):
        return (
            False  # no tag or entity, and a letter or digit, which `_visible` keeps: most answers
        )
    return not re.search(r"\w", _visible(answer))


def is_placeholder(answer: str) -> bool:
    """Whether an answer only says it is still to come (`TODO`, `Answer coming soon`); code is
    always an answer."""
    return "`" not in answer and "~~~" not in answer and says_nothing_yet(_seen(answer))


_LETTER = re.compile(r"[^\W_]")
_SHOWS = re.compile(r"<(img|table|svg|video)\b|!\[|\$", re.I)


def _seen(markdown: str) -> str:
    """`_visible(markdown)`, or `markdown` itself where they have the same words (runs of letters
    and digits): without `<` and `&` there is no tag, comment or entity, and what `_visible` takes
    away besides (the marks of code, rules, runs of spaces) holds none. Most answers: a tenth of
    the time."""
    return markdown if "<" not in markdown and "&" not in markdown else _visible(markdown)
