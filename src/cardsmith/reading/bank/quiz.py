"""Quizzes: a question whose options are given, read into `Choice`s.

Two shapes: a task list (`- [x] right`, `- [ ] wrong`), also when a code block under each option breaks
it into one-item lists; or options with labels of their own (`- A: ...`, `- 1: ...`) and an answer
that opens with `Answer: C` (often inside `<details>`). The options leave the question's front (or its
body); the answer key leaves the answer."""

from __future__ import annotations

import re

from cardsmith.model import Choice
from cardsmith.reading.bank.answers import Part
from cardsmith.reading.bank.document import Document


def find_choices(document: Document, front: Part, answer: Part):
    """A quiz's options: a task list (`- [x] right`, `- [ ] wrong`), or labelled options
    (`- A: ...`) with `Answer: A` opening the answer. They leave the front (or the body)."""
    region = front if front.lines else answer
    if not region.lines:
        return (), front, answer
    first, last = region.lines[0][0], region.lines[-1][0] + 1
    tasks = _task_options(document, region, first, last)
    if tasks is not None:
        choices, start, end = tasks
        if front.lines:
            return choices, front.without(start, end), answer
        return choices, answer.before(start), answer.since(end)
    for token_index, token in _lists(document, first, last):
        items = document.list_items(token_index)
        start, end = token.map
        labelled = _labelled(items)
        if labelled and front.lines:
            key = _answer_key(answer)
            if key is not None and set(key[1]) <= {label for label, _ in labelled}:
                choices = tuple(Choice(label, text, label in key[1]) for label, text in labelled)
                return choices, front.without(start, end), answer.without(key[0], key[0] + 1)
    return (), front, answer


def _task_options(document: Document, region: Part, first: int, last: int):
    """(choices, first line, line after) of a task-list quiz in lines [first, last): one list
    of `- [ ]`/`- [x]` items, or one-item lists each followed by its own code block or image
    (a fence between items breaks the list). None when there is none, or no item is ticked."""
    tokens = document.tokens
    options: list[list] = []  # [checked, markdown, first line, line after]
    level = None
    for index in document.token_range(first, last):
        token = tokens[index]
        if not token.map:
            continue
        if level is None and token.type in ("bullet_list_open", "ordered_list_open"):
            level = token.level
        if level is None or token.level != level or token.nesting == -1:
            continue
        if token.type in ("bullet_list_open", "ordered_list_open"):
            items = document.list_items(index)
            if not items or any(checked is None for checked, _ in items):
                if options:
                    break
                level = None
                continue
            for checked, text in items:
                options.append([checked, text, token.map[0], token.map[1]])
        elif options and (
            token.type in ("fence", "code_block", "table_open", "math_block")
            or (token.type == "paragraph_open" and _is_image_only(tokens[index + 1]))
        ):
            start, end = token.map
            attached = "\n".join(t for n, t in region.lines if start <= n < end).strip("\n")
            options[-1][1] += "\n\n" + attached
            options[-1][3] = end
        elif options:
            break
    if len(options) < 2 or not any(checked for checked, *_ in options):
        return None  # no quiz, or a checklist
    choices = tuple(
        Choice(chr(ord("A") + i), text, bool(checked))
        for i, (checked, text, *_) in enumerate(options)
    )
    return choices, options[0][2], options[-1][3]


def _lists(document: Document, start: int, end: int):
    tokens = document.tokens
    depth_of_first = None
    for index in document.token_range(start, end):
        token = tokens[index]
        if token.type not in ("bullet_list_open", "ordered_list_open") or not token.map:
            continue
        if depth_of_first is None:
            depth_of_first = token.level
        if token.level == depth_of_first:
            yield index, token


_LABEL = re.compile(r"^\s*\(?([A-Za-z]|\d{1,2})\s*[:.)]\s+(.+)$", re.S)
_ANSWER_KEY = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?:the\s+)?(?:correct\s+|right\s+)?(?:answer|ans)\s*"
    r"(?:is)?\s*[:\-–—=]?\s*(?:\*\*|__)?\s*\(?((?:[A-Za-z]|\d{1,2})(?:\s*(?:,|and|&)\s*(?:[A-Za-z]|\d{1,2}))*)\)?"
    r"\s*(?:\*\*|__)?\s*[.:]?\s*$",
    re.I,
)


def _labelled(items: list[tuple[bool | None, str]]) -> list[tuple[str, str]] | None:
    """Settings written with their own labels (`A: text`, `2) text`), or None."""
    found = []
    for _, text in items:
        match = _LABEL.match(text)
        if not match:
            return None
        found.append((match.group(1).upper(), match.group(2).strip()))
    labels = [label for label, _ in found]
    if len(found) < 2 or len(set(labels)) != len(labels):
        return None
    return found


def _answer_key(answer: Part) -> tuple[int, list[str]] | None:
    """`Answer: D` (or `#### Answer: 4`) opening the answer: its line and the right labels."""
    for number, text in answer.lines:
        if not text.strip():
            continue
        match = _ANSWER_KEY.match(text)
        if not match:
            return None
        labels = re.split(r"\s*(?:,|and|&)\s*", match.group(1), flags=re.I)
        return number, [label.upper() for label in labels if label]
    return None


def _is_image_only(inline) -> bool:
    return bool(re.fullmatch(r"\s*(?:!\[[^\]]*\]\([^)]*\)\s*)+", inline.content or ""))
