"""How an author writes a question's prompt, and its parts taken apart: the marker before it (`1.`,
`Q.`, `Question 3 -`) and the number in it, an explicit id (`{#my-id}` after it, or `<!-- id: my-id -->`
in its body), emphasis around all of it, and difficulty marks (`⭐⭐`, `🔴`)."""

from __future__ import annotations

import re

from cardsmith.model import ID_PATTERN

# An author's marker before a prompt: `1.`, `1)`, `Q.`, `Q1:`, `Q 12 -`, `Question 3 -`, `72Q.`, `# 1.`
MARKER = re.compile(
    r"^\s*(?:#\s*)?(?:"
    r"(?:Q(?:uestion)?|Qn|Ques)\s*\.?\s*(?P<q>\d{1,6})\s*(?:[.):\-–—]|(?=\s))"
    r"|(?:Q(?:uestion)?|Qn|Ques)\s*[.):\-–—]"
    r"|(?P<nq>\d{1,6})\s*Q\s*[.):]"
    r"|(?P<n>\d{1,6})\s*(?:[.):]|\s[-–—])(?!\d)"
    r")\s*",
    re.IGNORECASE,
)
# `### What is X? {#x-id}`: the question's id, kept across rewordings
EXPLICIT_ID = re.compile(rf"\s*\{{#({ID_PATTERN})\}}\s*$")
# `<!-- id: x-id -->` on a line of its own in the question's body: the same, for prompts that
# cannot carry `{#...}`
ID_COMMENT = re.compile(rf"^\s*<!--\s*id:\s*({ID_PATTERN})\s*-->\s*$", re.M)

_DIFFICULTY = {
    "🟢": "easy",
    "🟩": "easy",
    "💚": "easy",
    "🟡": "medium",
    "🟨": "medium",
    "🟠": "medium",
    "🟧": "medium",
    "🔴": "hard",
    "🟥": "hard",
}
_STARS = re.compile("[⭐★]")
_SPACES = re.compile(r"\s+")
_WRAPPED = re.compile(r"(\*{1,3}|_{1,3})(?P<inner>[^*_].*?)\1", re.S)


def marker_number(prompt: str) -> int | None:
    """The number in the author's marker (`12.`, `Q12:`, `72Q.`), if the prompt opens with one."""
    match = MARKER.match(prompt)
    return _number(match) if match else None


def _number(marker: re.Match[str]) -> int | None:
    digits = marker.group("q") or marker.group("nq") or marker.group("n")
    return int(digits) if digits else None


def prompt_parts(prompt: str) -> tuple[str, str | None, int | None, tuple[str, ...]]:
    """The author's prompt without its explicit id, marker (`1.`, `Q.`, `Question 3 -`),
    emphasis wrapping all of it, and difficulty marker; and those."""
    explicit = EXPLICIT_ID.search(prompt) if "{#" in prompt else None
    if explicit:
        prompt = prompt[: explicit.start()].rstrip()
    prompt = unwrap(prompt)
    number = None
    marker = MARKER.match(prompt)
    if marker:
        number = _number(marker)
        prompt = prompt[marker.end() :]
    prompt = unwrap(prompt)
    tags = []
    if not prompt.isascii():  # (stars, difficulty marks and U+FE0F are not)
        stars = len(_STARS.findall(prompt))
        if stars:
            tags.append(("easy", "medium", "hard")[min(stars, 3) - 1])
            prompt = _STARS.sub("", prompt)
        for mark, level in _DIFFICULTY.items():
            if mark in prompt:
                tags.append(level)
                prompt = prompt.replace(mark, "")
        prompt = prompt.replace("\ufe0f", "")
    prompt = _SPACES.sub(" ", prompt).strip()
    return (
        unwrap(prompt),
        explicit.group(1) if explicit else None,
        number,
        tuple(dict.fromkeys(tags)),
    )


def unwrap(prompt: str) -> str:
    """`***What is X?***` -> `What is X?`: emphasis around the whole prompt is the author's styling."""
    text = prompt.strip()
    while True:
        if text[:1] not in ("*", "_"):
            return text  # no emphasis opens it (what `_WRAPPED` first asks)
        match = _WRAPPED.fullmatch(text)
        if not match or "**" in match.group("inner") or "__" in match.group("inner"):
            return text
        text = match.group("inner").strip()
