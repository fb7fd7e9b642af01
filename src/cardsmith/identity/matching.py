"""Which lock entry each question of a build is, so that it keeps that entry's id and GUID.

Each question is matched to an entry by these rules, in this order:

1. an explicit id in the Markdown (`### Question {#my-id}` or `<!-- id: my-id -->`);
2. the same prompt and the same answer;
3. the same prompt (the answer was edited);
4. the same answer (the prompt was reworded);
5. the most similar remaining entry (prompt text, answer words, same section, same file), when it
   is similar enough.

A question left unmatched is new (`assign_ids` mints its id); an entry left over is a question that
was deleted.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from difflib import SequenceMatcher

from cardsmith.identity.fingerprints import (
    EMPTY,
    normal_prompt,
    simhash,
    simhash_similarity,
    text_digest,
)
from cardsmith.identity.lockfile import Entry
from cardsmith.model import Deck, Question, question_text

_MATCH_THRESHOLD = 0.62
_PAIR_BUDGET = 200_000  # question x entry pairs compared by similarity before narrowing to sections


class Keys:
    """What matching compares of one question, each computed once (and the simhash only if asked)."""

    def __init__(self, question: Question, file: str):
        self.question = question
        self.file = file
        self.section = "::".join(question.section)
        self.prompt = normal_prompt(question_text(question))
        self.answer = text_digest(question.answer)

    @functools.cached_property
    def simhash(self) -> str:
        return simhash(self.question.answer)


def match(
    questions: list[tuple[Deck, Question]], keys: list[Keys], entries: list[Entry]
) -> dict[int, Entry]:
    """Map question index -> lock entry, by the rules in this module's docstring. Exact rules use
    dict look-ups, so matching an unchanged deck is linear in its size."""
    matched: dict[int, Entry] = {}
    claimed: set[str] = set()

    def claim(index: int, entry: Entry) -> None:
        matched[index] = entry
        claimed.add(entry.id)

    by_id = {e.id: e for e in entries}
    for index, (_, question) in enumerate(questions):
        # an explicit id names its entry; one not in the lock yet (the author just added it) may
        # still match the question's old entry by the rules below and so keep its GUID
        if question.id and question.id in by_id:
            claim(index, by_id[question.id])
    rules: list[tuple[Callable[[Keys], object], Callable[[Entry], object]]] = [
        (lambda k: (k.prompt, k.answer), lambda e: (normal_prompt(e.prompt), e.answer)),
        (lambda k: k.prompt, lambda e: normal_prompt(e.prompt)),
        # (an empty answer, a cloze's, says nothing of which question it was)
        (lambda k: k.answer if k.answer != EMPTY else None, lambda e: e.answer),
    ]
    for question_key, entry_key in rules:
        index_of: dict[object, list[Entry]] = {}
        for entry in entries:
            if entry.id not in claimed:
                index_of.setdefault(entry_key(entry), []).append(entry)
        if not index_of:
            break
        for index in range(len(questions)):
            if index in matched:
                continue
            for entry in index_of.get(question_key(keys[index]), ()):
                if entry.id not in claimed:
                    claim(index, entry)
                    break

    free = [e for e in entries if e.id not in claimed]
    open_questions = [i for i in range(len(questions)) if i not in matched]
    # Similarity is pairwise; past a budget (a large rewrite), compare only within the same section.
    narrow = len(free) * len(open_questions) > _PAIR_BUDGET
    scored = []
    for index in open_questions if free else ():
        key = keys[index]
        for entry in free:
            if narrow and entry.section != key.section:
                continue
            score = _similarity(key, entry)
            if score >= _MATCH_THRESHOLD:
                scored.append((score, index, entry.id))
    for _score, index, entry_id in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if index not in matched and entry_id not in claimed:
            claim(index, by_id[entry_id])
    return matched


def _similarity(key: Keys, entry: Entry) -> float:
    prompt = SequenceMatcher(None, key.prompt, normal_prompt(entry.prompt)).ratio()
    if key.answer == EMPTY or entry.answer == EMPTY:  # clozes: the prompt is all there is
        same = 0.1 * (key.section == entry.section) + 0.05 * (key.file == entry.file)
        return 0.85 * prompt + same
    answer = max(0.0, (simhash_similarity(key.simhash, entry.simhash) - 0.5) * 2)
    section = 1.0 if key.section == entry.section else 0.0
    same_file = 1.0 if key.file == entry.file else 0.0
    return 0.5 * prompt + 0.35 * answer + 0.1 * section + 0.05 * same_file
