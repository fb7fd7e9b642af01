"""What the lock remembers of a question's text: short digests, the answer's simhash, the prompt
in normal form, and the fingerprint of everything that reaches its card.

What identity compares of a text (the prompt's words, the answer's digest and simhash) is its
`comparable` form, so text that differs only invisibly (NFC or NFD, a zero-width space) is the same
question; the card's fingerprint takes the text as shown, so such an edit still updates the note."""

from __future__ import annotations

import functools
import hashlib
import operator
import re
import struct
import unicodedata
from collections import Counter

from cardsmith.model import Question, question_text


def comparable(text: str) -> str:
    """`text` as identity and duplicate checks compare it, never as it is shown: composed (NFC, as
    most editors save; macOS file names and some pastes are NFD) and without format characters
    (Unicode category Cf: zero-width spaces and joiners, soft hyphens, direction marks)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    # a text has few distinct characters: look each up once (a 5 MB answer is one set, in C)
    invisible = [ord(c) for c in set(text) if unicodedata.category(c) == "Cf"]
    return text.translate(dict.fromkeys(invisible)) if invisible else text


def text_digest(text: str) -> str:
    """sha256 of `text`, shortened: what the lock keeps of a card's content."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def answer_digest(answer: str) -> str:
    """What the lock keeps of an answer to match it by: the digest of its `comparable` form."""
    return text_digest(comparable(answer))


EMPTY = text_digest("")  # an answer that is not there (a cloze's)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", comparable(text).casefold())


@functools.lru_cache(maxsize=1 << 15)
def normal_prompt(prompt: str) -> str:
    """A prompt as matching compares it: its words, casefolded, one space apart. The last ones
    are kept: a build compares each question's prompt with its lock entry's, mostly the same."""
    return " ".join(_words(prompt))


def simhash(text: str) -> str:
    """64-bit simhash over the word-frequency profile, capped, so a 5 MB answer costs what a short
    one does. A bit is set when most (weighted) words have it. Each word's hash is spread into 64
    16-bit lanes of one integer, so summing integers counts all 64 columns at once, at C speed."""
    total = rows = 0
    for word, count in Counter(_words(text)).most_common(512):
        weight = min(count, 8)
        total += weight * _spread(word)
        rows += weight
    counts = struct.unpack("<64H", total.to_bytes(64 * 2, "little"))
    value = sum(1 << bit for bit, count in enumerate(counts) if 2 * count > rows)
    return f"{value:016x}"


# _SPREAD_AT[j][b]: byte b at position j of a big-endian 64-bit hash, one bit per 16-bit lane
_SPREAD = [sum(((b >> i) & 1) << (16 * i) for i in range(8)) for b in range(256)]
_SPREAD_AT = [[s << (16 * 8 * (7 - j)) for s in _SPREAD] for j in range(8)]


@functools.lru_cache(maxsize=1 << 16)
def _spread(word: str) -> int:
    digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
    return sum(map(operator.getitem, _SPREAD_AT, digest))


def simhash_similarity(a: str, b: str) -> float:
    """The share of the 64 bits two simhashes agree on."""
    return 1 - bin(int(a, 16) ^ int(b, 16)).count("1") / 64


def content_fingerprint(question: Question) -> str:
    """What reaches a card. Line numbers are left out so that an edit above a question does not make
    every later note look changed (Anki would re-import them all)."""
    parts = [
        question.prompt,
        question.front,
        question.answer,
        "::".join(question.section),
        " ".join(question.tags),
        question.kind,
        str(question.source.path.name),
        *(f"{image.src}={image.digest[:16]}" for image in question.images),
        *(f"{c.label}{'+' if c.correct else '-'}{c.text}" for c in question.choices),
    ]
    return text_digest("\x1f".join(parts))


Prints = tuple[str, str, str]


def question_prints(question: Question) -> Prints:
    """What identity computes of one question alone: its prompt in normal form, its answer's digest
    and its card's fingerprint. A build computes them where the question was read (a worker
    process), so that giving ids, which needs every deck of a folder at once, only matches."""
    return (
        normal_prompt(question_text(question)),
        answer_digest(question.answer),
        content_fingerprint(question),
    )
