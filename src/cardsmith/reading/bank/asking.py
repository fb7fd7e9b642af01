"""Whether a prompt asks: a question mark at its end, or an asking first word (`What`, `Explain the
...`) once the author's marker is gone. The rules lean on it wherever a line could be a question or
just a label (`## Naming`, `**Example**`)."""

from __future__ import annotations

import functools
import html
import re

from cardsmith.model import CLOZE_MARK
from cardsmith.reading.bank.prompt import EXPLICIT_ID, MARKER

_INTERROGATIVE = re.compile(
    r"^(?:what|what's|whats|why|how|how's|when|where|which|who|whom|whose|is|are|am|was|were|can|"
    r"could|do|does|did|should|would|will|shall|may|might|must|has|have|had|true|guess)\b\W*\w",
    re.IGNORECASE,
)
# imperatives ask only in a sentence: `#### 1. list` is a heading about lists
_IMPERATIVE = re.compile(
    r"^(?:explain|describe|define|list|name|compare|contrast|differentiate|distinguish|write|give|"
    r"tell|discuss|mention|state|elaborate|illustrate|implement|design|find|show|outline|summari[sz]e|"
    r"identify|suggest|predict|differences?)\b(?:\W+\w+){2,}",
    re.IGNORECASE,
)
_QUESTION_MARK = re.compile(r"[?？؟;]\s*\W*$")


@functools.lru_cache(maxsize=16384)
def asks(text: str) -> bool:
    """Whether a prompt's plain text reads as a question: a question mark at its end, or an asking
    first word (`What`, `Explain`, ...) once the author's marker is gone. Kept for the last 16,384
    texts: the rules ask it of each heading four or five times (its level, topics, dividers, link
    lists, glossaries)."""
    text = MARKER.sub("", EXPLICIT_ID.sub("", text), count=1).strip(" *_`\"'")
    if CLOZE_MARK.search(text):
        return True  # a cloze prompt asks by its blanks
    return bool(
        _QUESTION_MARK.search(text) or _INTERROGATIVE.match(text) or _IMPERATIVE.match(text)
    )


def marked(text: str) -> bool:
    """Whether a prompt opens with an author's marker (`1.`, `Q.`, `Question 3 -`)."""
    return bool(MARKER.match(text))


def without_tags(fragment: str) -> str:
    """HTML's text: tags dropped, entities decoded, spaces folded."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub("", fragment))).strip()


def without_marks(prompt: str) -> str:
    """A Markdown prompt's text for `asks`: no tags, no `*`, `_` or backticks."""
    return _MARKS.sub("", without_tags(prompt))


_SPACES = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_MARKS = re.compile(r"[*_`]+")
