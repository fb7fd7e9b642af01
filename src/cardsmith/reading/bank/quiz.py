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
from cardsmith.reading.bank.labels import ANSWER_HEADING, KEY_WORDS


def find_choices(document: Document, front: Part, answer: Part, dropped: list[int] | None = None):
    """A quiz's options: a task list (`- [x] right`, `- [ ] wrong`), or labelled options
    (`- A: ...`, a numbered list in an `upper-alpha` div, `A. ...` lines) with `Answer: A` or `The
    correct answer is **A**.` opening the answer. They leave the front (or the body). A task list
    with none ticked is a quiz (its options none right) only in a file where some other one is;
    an empty task option is left out, its line added to `dropped`."""
    region = front if front.lines else answer
    if not region.lines:
        return (), front, answer
    first, last = region.lines[0][0], region.lines[-1][0] + 1
    if not document.has_list_between(first, last) and not _lettered_lines(front):
        return (), front, answer  # no list and no `A.` line: nothing below can find options
    tasks = _task_options(document, region, first, last, dropped)
    if tasks is not None:
        choices, start, end = tasks
        if front.lines:
            return choices, front.without(start, end), answer
        return choices, answer.before(start), answer.since(end)
    # labelled options leave a front: with none, no list is read for them
    for token_index, token in _lists(document, first, last) if front.lines else ():
        items = document.list_items(token_index, whole=True)
        start, end = token.map
        labelled = _labelled(items) or _lettered(items)
        if labelled and front.lines:
            key = _answer_key(answer)
            if key is not None and set(key[1]) <= {label for label, _ in labelled}:
                choices = tuple(Choice(label, text, label in key[1]) for label, text in labelled)
                start, end = _wrapped(document, token_index, start, end)
                return choices, front.without(start, end), _without_key(answer, key)
    lines = _lettered_lines(front)
    key = _answer_key(answer) if lines else None
    if lines and key is not None and set(key[1]) <= {label for label, _, _ in lines}:
        choices = tuple(Choice(label, text, label in key[1]) for label, text, _ in lines)
        taken = {n for _, _, n in lines}
        for index in document.token_range(first, last):  # a div of the front's own
            token = document.tokens[index]
            if token.type == "markdown_div_open" and token.map:
                inside = range(token.map[0] + 1, token.map[1] - 1)
                if taken & set(inside) and all(
                    n in taken or not document.lines[n].strip() for n in inside
                ):
                    taken |= set(range(*token.map))
        kept = Part([(n, t) for n, t in front.lines if n not in taken])
        return choices, kept, _without_key(answer, key)
    return (), front, answer


_LETTERED_LINE = re.compile(
    r"^\s{0,3}(?:[-*+]\s+)?\(?(?P<label>[A-Z])[.):]\s+(?P<text>\S.*?)\s*(?:\\|<br\s*/?>)?\s*$"
)


def _lettered_lines(front: Part) -> list[tuple[str, str, int]]:
    """Options written as lines of their own, `A. text`, `- B) text` (paragraphs, lines ending in a
    hard break, or a list item indented too little that kept them in its paragraph), lettered from A on with only blank lines between them: (label, text, line)."""
    found: list[tuple[str, str, int]] = []
    for number, text in front.lines:
        match = _LETTERED_LINE.match(text)
        expected = chr(ord("A") + len(found))
        if match and match.group("label") == expected:
            found.append((expected, match.group("text"), number))
        elif found and text.strip() and text.strip().lower() != "</div>":
            break
    return found if len(found) >= 2 else []


def _wrapped(document: Document, index: int, start: int, end: int) -> tuple[int, int]:
    """The lines of the options' list, with the `<div markdown>` around it when it holds nothing
    else (the wrapper would be left empty on the card)."""
    tokens = document.tokens
    level = tokens[index].level
    for position in range(index - 1, -1, -1) if level else ():
        token = tokens[position]
        if token.level < level and token.nesting == 1:
            if token.type != "markdown_div_open" or not token.map:
                break
            div_start, div_end = token.map
            if any(
                document.lines[n].strip()
                for n in (*range(div_start + 1, start), *range(end, div_end - 1))
            ):
                break
            return div_start, div_end
    return start, end


def _lettered(items: list[tuple[bool | None, str]]) -> list[tuple[str, str]] | None:
    """Options without labels of their own (a numbered list in `<div class="upper-alpha"
    markdown>`, drawn A, B, C): lettered in order, A first, when the answer names a letter."""
    if not 2 <= len(items) <= 26 or any(not text for _, text in items):
        return None
    return [(chr(ord("A") + i), text) for i, (_, text) in enumerate(items)]


def _without_key(answer: Part, key: tuple[int, list[str], str]) -> Part:
    """The answer without its key: the key's line gone, or what the line says after the key."""
    number, _, rest = key
    above = [(n, t) for n, t in answer.lines if n < number and t.strip()]
    if above and _ANSWER_HEADING_LINE.match(above[-1][1]):
        # `### 答案` said only that the key follows: both are the options marked right now
        answer = answer.without(above[-1][0], above[-1][0] + 1)
    if not rest:
        return answer.without(number, number + 1)
    return Part([(n, rest if n == number else t) for n, t in answer.lines])


def _task_options(
    document: Document, region: Part, first: int, last: int, dropped: list[int] | None = None
):
    """(choices, first line, line after) of a task-list quiz in lines [first, last): one list
    of `- [ ]`/`- [x]` items, or one-item lists each followed by its own code block or image
    (a fence between items breaks the list). None when there is none, or no item is ticked in a
    file with no ticked item (a checklist). An item with no text (`- [ ]`) is left out."""
    tokens = document.tokens
    options: list[list] = []  # [checked, markdown, first line, line after, item's line]
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
            items = (
                [_bare_box(item) for item in document.list_items(index, whole=True)]
                if _may_be_tasks(document.list_items(index))
                else []
            )
            if not items or any(checked is None for checked, _ in items):
                if options:
                    break
                level = None
                continue
            for (checked, text), line in zip(items, document.item_lines(index), strict=True):
                options.append([checked, text, token.map[0], token.map[1], line])
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
    start, end = (options[0][2], options[-1][3]) if options else (0, 0)
    empty = [option[4] for option in options if not _says_something(option[1])]
    options = [option for option in options if _says_something(option[1])]
    if len(options) < 2:
        return None  # no quiz
    if not any(checked for checked, *_ in options) and not document.has_ticked_task:
        return None  # a checklist, in a file of no quizzes
    if dropped is not None:
        dropped.extend(empty)
    choices = tuple(
        Choice(chr(ord("A") + i), text, bool(checked))
        for i, (checked, text, *_) in enumerate(options)
    )
    return choices, start, end


def _may_be_tasks(items: list[tuple[bool | None, str]]) -> bool:
    """Whether a list's items (their first paragraphs) may all be task items: none is text that is
    no box, which its whole item, that text and more after a blank line, is not either."""
    return all(checked is not None or not text or _BOX.fullmatch(text) for checked, text in items)


_BOX = re.compile(r"\[[ xX]\]")


def _bare_box(item: tuple[bool | None, str]) -> tuple[bool | None, str]:
    """A task item with nothing after its box (`- [ ]`), which markdown-it takes for text `[ ]`."""
    checked, text = item
    if checked is None and _BOX.fullmatch(text):
        return text[1] != " ", ""
    return item


def _says_something(text: str) -> bool:
    """Whether an option has text (a soft hyphen or a non-breaking space alone is none)."""
    return bool(
        re.sub(r"&(?:shy|nbsp|#173|#160|#xad|#xa0);|[\s\u00ad\u200b]", "", text, flags=re.I)
    )


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
# `Answer: D`, `#### Correct answer: B, E`, `**答案**：B`, `### ✅ 正确答案：A（正确）`, `Richtige
# Antwort: ACD`: the key words of any language (`labels.KEY_WORDS`), an emoji before them, a
# full-width colon or brackets, and a remark in brackets after the letter (a true/false item's
# `（正确）`)
_ANSWER_KEY = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:[\u2190-\u2bff\U0001F000-\U0001FAFF\ufe0f]+\s*)?(?:\*\*|__)?\s*"
    rf"(?:{KEY_WORDS})\s*(?:is|are)?\s*(?:\*\*|__)?\s*[:：\-–—=]?\s*(?:\*\*|__)?\s*[(（]?"
    r"((?:[A-Za-z]|\d{1,2})(?:\s*(?:,|，|、|and|&)\s*(?:[A-Za-z]|\d{1,2}))*|[A-H]{2,8})[)）]?"
    r"\s*(?:\*\*|__)?\s*(?:[(（][^()（）]*[)）])?\s*[.:。]?\s*$",
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


# a sentence that opens the answer's first paragraph, the explanation following it:
# `The correct answer is **B**. Timsort keeps ...`, `Correct answers: **A** and **C**.`
_KEY_SENTENCE = re.compile(
    r"^\s*(?i:(?:\*\*|__)?(?:the\s+)?(?:correct|right)\s+(?:answer|option|choice)s?"
    r"(?:\s+(?:is|are))?\s*[:\-–—]?\s*(?:\*\*|__)?)\s*"
    r"(?:\*\*|__)?\(?(?P<labels>[A-Z](?:\s*(?:,|(?i:and)|&)\s*(?:\*\*|__)?[A-Z](?:\*\*|__)?)*)\)?"
    r"(?:\*\*|__)?(?=[\s.,;:)!]|$)[.;:!]?\s*"
)


_ANSWER_HEADING_LINE = re.compile(
    r"^\s{0,3}#{1,6}\s+(?=\S)(?:" + ANSWER_HEADING.pattern[1:-1] + r")\s*#*\s*$", re.I
)


def opens_with_answer_key(answer: Part) -> bool:
    """Whether an answer opens with `Answer: D` (`Correct answer: B, E`)."""
    return _answer_key(answer) is not None


def _answer_key(answer: Part) -> tuple[int, list[str], str] | None:
    """`Answer: D` (or `#### Answer: 4`) opening the answer, or a sentence that opens it (`The
    correct answer is **B**. Because ...`): its line, the right labels, and the rest of the line."""
    for number, text in answer.lines:
        if not text.strip() or _ANSWER_HEADING_LINE.match(text):
            continue  # `### 答案` over `正确答案：B`
        match = _ANSWER_KEY.match(text)
        if match:
            labels = re.split(r"\s*(?:,|，|、|and|&)\s*", match.group(1), flags=re.I)
            if len(labels) == 1 and re.fullmatch(r"[A-H]{2,8}", labels[0]):
                labels = list(labels[0])  # `ABD`
            return number, [label.upper() for label in labels if label], ""
        match = _KEY_SENTENCE.match(text)
        if not match:
            return None
        labels = re.findall(r"[A-Z]", re.sub(r"(?i)\band\b", ",", match.group("labels")))
        rest = text[match.end() :]
        if match.group(0).count("**") % 2 and "**" in rest:
            # the bold opened before the letter holds the option's text too (`**B. Timsort**.`)
            rest = rest.split("**", 1)[1].lstrip(" .;:!")
        return number, labels, rest.strip()
    return None


def _is_image_only(inline) -> bool:
    return bool(re.fullmatch(r"\s*(?:!\[[^\]]*\]\([^)]*\)\s*)+", inline.content or ""))
