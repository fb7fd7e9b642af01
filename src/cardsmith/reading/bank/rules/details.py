"""`<details>` whose summary asks, and its mkdocs form, a (collapsible) admonition whose title asks

    <details><summary>What does ls -l show?</summary> the long listing </details>
    ??? question "What does ls -l show?"
        the long listing

The answer is what the `<details>` holds after its summary, unwrapped (its `<br>`, `<b>`, `<p>`
wrappers and closing tag gone). A summary such as "Answer" or "Show solution" is no question: it
reveals the answer of the question before it. A summary that neither asks nor reveals ("See 20
translations") is a question only in a file whose other summaries mostly ask; elsewhere it is just
content. A summary over several lines (a question with a list in it) gives its first line as the
prompt and the rest as the question's front.
"""

from __future__ import annotations

import re
import textwrap

from cardsmith.reading.bank.answers import Part, details_answer, reveals, split_at_reveal
from cardsmith.reading.bank.asking import asks, without_tags
from cardsmith.reading.bank.boilerplate import is_reveal
from cardsmith.reading.bank.document import EXERCISE_KINDS, Document
from cardsmith.reading.bank.rules.rule import Candidate, Given, Placed, Rule
from cardsmith.text.lessons import is_lesson_note
from cardsmith.text.mkdocs import ADMONITION_LINE

_SUMMARY = re.compile(r"<summary\b[^>]*>", re.I)
_SUMMARY_END = re.compile(r"</summary\s*>", re.I)


def find(document: Document, given: Given) -> list[Candidate]:
    asking, plain = _admonitions(document), []
    for line, end, _index in document.details:
        found = _summary(document.lines, line, end)
        if found is None:
            continue
        summary, front, body_line, column = found
        text = without_tags(summary)
        if is_reveal(text):
            continue
        candidate = Candidate(
            Rule.DETAILS,
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


# admonition types that ask: a title of their own that does not read as a question still is one;
# other types ask only with a question mark (`!!! info "How to use this page"` is a note)
_ASKING_KINDS = {"question", "faq", "help", "quiz", "exercise", "problem"}
_QUESTION_MARK = re.compile(r"[?？؟]\W*$")


def _admonitions(document: Document) -> list[Candidate]:
    """Admonitions at the top of the file titled as a question (`??? note "What is a closure?"`),
    or `question` admonitions with a title of their own (`??? question "Q1. Define coupling"`):
    their body is the answer, unless an answering admonition inside it reveals one (`??? success
    "Answer"`)."""
    found = []
    for admonition in document.admonitions:
        if document.tokens[admonition.index].level or admonition.default_title:
            continue
        title = admonition.title.strip()
        if not title or reveals(admonition) or is_lesson_note(admonition.kind):
            continue
        if document.lesson and admonition.kind.lower() not in EXERCISE_KINDS:
            continue  # in a lesson only its exercises ask; a note titled "Why?" explains
        if admonition.kind.lower() in _ASKING_KINDS or _QUESTION_MARK.search(title):
            found.append(
                Candidate(
                    Rule.DETAILS,
                    title,
                    admonition.line,
                    admonition.line + 1,
                    hard_end=admonition.end,
                    indent=admonition.column,
                )
            )
    return found


def _kind(line: str) -> str:
    """An admonition's type, from its first line (`!!! exercise "Clouds"` -> `exercise`)."""
    return line.strip().lstrip("!?+").split()[0].lower()


def unwrap(body: Part) -> Part:
    """The answer inside the `<details>`: its summary, wrappers and closing tag taken off."""
    return details_answer(body)


def split(document: Document, placed: Placed, body: Part) -> tuple[Part, Part]:
    """The summary's further lines stand with the prompt; the body is the answer. An admonition's
    body is split where an answering admonition in it begins, when one does."""
    candidate = placed.candidate
    if ADMONITION_LINE.match(document.lines[candidate.line].strip()):
        found = split_at_reveal(document, placed, body)
        if found is None and _kind(document.lines[candidate.line]) in EXERCISE_KINDS:
            return body, Part([])  # an exercise with no solution: unanswered
        return found or (Part([]), body)
    front = [(candidate.line, t) for t in candidate.front.split("\n")] if candidate.front else []
    return Part(front), body


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
