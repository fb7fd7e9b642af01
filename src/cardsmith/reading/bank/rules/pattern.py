"""An author's own pattern, for questions written in a way no other rule knows

    pattern: '^Frage \\d+:'          # the line a question starts on
    answer-pattern: '^Antwort:'     # the line its answer starts on (optional)

    Frage 12: Was ist ein Monad?
    Antwort: Ein Monoid in der Kategorie der Endofunktoren.

`pattern` (front matter, `cardsmith.toml`, `--pattern`) is a regular expression searched in each line
outside code blocks (`^` anchors it at the line's start). The prompt is its group named `prompt`, else
its first group, else the rest of the line after the match (a heading's `#` marks taken off).
`answer-pattern` finds the line the answer starts on, after the prompt's match on the same line or on
a later line before the next question; its match is taken off, and lines between stand with the
prompt. A question with no such line has no answer. Without `answer-pattern`, all up to the next
question or heading answers; a question on a heading line runs to the next heading as deep or deeper,
as `heading`'s do. A file with a pattern is read with it alone.

Regular expressions are Python's (the `regex` module, which can stop a search): a file's patterns may
take `SECONDS` of work in all, so one that backtracks without end, such as `^(a|a)*$`, is an error at
the line it was searching instead of a build that never ends.
"""

from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cardsmith.reading.bank.answers import Part, split_at_reveal
from cardsmith.reading.bank.document import Document
from cardsmith.reading.bank.rules.rule import Candidate, Given, Placed, Rule

if TYPE_CHECKING:
    import regex

SECONDS = 1.0  # the processor time a file's patterns may take, all lines together


@dataclass(frozen=True, slots=True)
class Pattern:
    """The author's pattern settings: the prompt line's regular expression, and the answer line's
    ("": the answer follows the prompt)."""

    prompt: str
    answer: str = ""


class TooSlow(Exception):
    """A pattern searched longer than `SECONDS`; `line` (0-based) is the line it was searching."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


@functools.lru_cache(maxsize=16)
def compiled(text: str) -> regex.Pattern:
    """The regular expression `text` (the settings' checks refuse one that is not); `regex` is
    imported only for a file with a pattern."""
    import regex

    return regex.compile(text)


def find(document: Document, given: Given) -> list[Candidate]:
    if given.pattern is None or not given.pattern.prompt:
        return []
    prompt, answer = given.pattern.prompt, given.pattern.answer
    search = _Search(time.process_time() + SECONDS)
    lines = document.lines
    code = _code_lines(document)
    headings = {h.line: h for h in document.headings}
    starts = []
    for number, line in enumerate(lines):
        if not line.strip() or number in code:
            continue  # a blank line is never a prompt, even to a pattern that matches nothing
        if (match := search(prompt, line, number)) is not None:
            starts.append((number, match))
    found = []
    for index, (number, match) in enumerate(starts):
        stop = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        heading = headings.get(number)
        # a heading's other lines (an underlined heading's second line, say) are read as body
        body_start = number + 1
        level = heading.level if heading is not None else 0
        line = lines[number]
        if not answer:
            text = _prompt(match, line, len(line))
            found.append(Candidate(Rule.PATTERN, text, number, body_start, level=level))
            continue
        same = search(answer, line, number, match.end())
        if same is not None and same.end() > match.end():
            text = _prompt(match, line, same.start())
            found.append(
                Candidate(
                    Rule.PATTERN,
                    text,
                    number,
                    number,
                    body_column=same.end(),
                    level=level,
                    answer_at=(number, 0),
                )
            )
            continue
        text = _prompt(match, line, len(line))
        at = None
        for n in range(number + 1, stop):
            if n in code:
                continue
            if (hit := search(answer, lines[n], n)) is not None:
                at = (n, hit.end())
                break
            closing = headings.get(n)
            if closing is not None and (not level or closing.level <= level):
                break  # a heading that would end the answer comes first
        # no answer line before the next question or heading: no answer (its lines are said)
        end = None if at is not None else body_start
        found.append(
            Candidate(
                Rule.PATTERN, text, number, body_start, hard_end=end, level=level, answer_at=at
            )
        )
    return found


def split(document: Document, placed: Placed, body: Part) -> tuple[Part, Part]:
    """The answer starts where `answer-pattern` matched (its match taken off); lines before it stand
    with the prompt. Without an answer pattern, as any rule: a revealing `<details>`, else all."""
    at = placed.candidate.answer_at
    if at is None:
        return split_at_reveal(document, placed, body) or (Part([]), body)
    line, column = at
    front = Part([(n, t) for n, t in body.lines if n < line])
    answer = Part(
        [(n, t[column:].lstrip() if n == line else t) for n, t in body.lines if n >= line]
    )
    return front, answer


class _Search:
    """Searches that together take at most until `deadline` (`time.process_time()`: the `regex`
    module's timeout counts the processor's time, so a busy machine gives a pattern no less)."""

    def __init__(self, deadline: float):
        self.deadline = deadline

    def __call__(self, text: str, line: str, number: int, start: int = 0):
        left = self.deadline - time.process_time()
        if left <= 0:
            raise TooSlow(number)
        try:
            return compiled(text).search(line, start, timeout=left)
        except TimeoutError:
            raise TooSlow(number) from None


def _prompt(match, line: str, end: int) -> str:
    """The prompt a match names: its `prompt` group, else its first group, else the rest of the line
    up to `end`, a heading's `#` marks off."""
    groups = match.groupdict()
    if groups.get("prompt") is not None:
        text = groups["prompt"]
    elif match.re.groups and match.group(1) is not None:
        text = match.group(1)
    else:
        text = line[: match.start()] + line[match.end() : end]
        text = re.sub(r"^\s*#{1,6}(?=\s)|\s#+\s*$", "", text)
    return text.strip()


def _code_lines(document: Document) -> set[int]:
    """Lines inside code blocks (fenced or indented): a pattern never finds a question there."""
    found: set[int] = set()
    for token in document.tokens:
        if token.type in ("fence", "code_block") and token.map:
            found.update(range(*token.map))
    return found
