"""Each answer's block tokens from its file's parse, so that it is rendered without being parsed again
(`cardsmith.render.render_ahead`): where the answer's text is a run of the file's lines, word for
word, that the parse made into whole top-level blocks. Such a run parses alone as it did in its
file (a top-level block starts afresh), but for link references and footnotes, which a file defines
for all of it, and a table too large to be one, which is counted to a blank line past the run: a
file with any of them gives none."""

from __future__ import annotations

from bisect import bisect_right

from cardsmith.model import Deck
from cardsmith.reading.bank.document import Document


def answer_blocks(document: Document, deck: Deck, env: dict) -> dict[str, list]:
    """The block tokens of each answer and front of `deck` that is a run of whole top-level blocks
    of `document` (by its text: questions with the same answer share them), given the `env` its
    parse left."""
    footnotes = env.get("footnotes", {})  # made empty wherever a `[` was parsed
    if env.get("references") or any(footnotes.values()) or env.get("too_large_tables"):
        return {}
    lines = document.lines
    starts = sorted(q.source.line - 1 for q in deck.questions)
    found: dict[str, list] = {}
    for question in deck.questions:
        start = question.source.line - 1
        after = bisect_right(starts, start)
        end = starts[after] if after < len(starts) else len(lines)
        for text in (question.answer, question.front):
            if text and text not in found:
                blocks = _run(document, text, start, end)
                if blocks is not None:
                    found[text] = blocks
    return found


def _run(document: Document, text: str, start: int, end: int) -> list | None:
    """The tokens of the whole top-level blocks that `text` is, word for word, on lines [start,
    end) of `document`; None where it is not."""
    lines = document.lines
    wanted = text.split("\n")
    first = wanted[0]
    for line in range(start, end):
        if lines[line] != first or lines[line : line + len(wanted)] != wanted:
            continue
        blocks = _whole(document, line, line + len(wanted))
        if blocks is not None:
            return blocks
    return None


def _whole(document: Document, start: int, end: int) -> list | None:
    """The tokens of lines [start, end) when they are whole top-level blocks, the first on `start`
    (blank lines after `end` may be the last block's)."""
    tokens = document.tokens
    indexes = document.token_range(start, end)
    if not indexes:
        return None
    first, last = tokens[indexes.start], tokens[indexes.stop - 1]
    if first.level != 0 or first.nesting < 0 or not first.map or first.map[0] != start:
        return None
    if last.level != 0 or last.nesting > 0:
        return None
    lines = document.lines
    for index in indexes:
        token = tokens[index]
        # a list's lines take the blank lines after it: only those may be past the run
        if (
            token.level == 0
            and token.map
            and any(text.strip() for text in lines[end : token.map[1]])
        ):
            return None
    return tokens[indexes.start : indexes.stop]
