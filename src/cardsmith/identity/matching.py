"""Which lock entry each question of a build is, so that it keeps that entry's id and GUID.

Each question is matched to an entry by these rules, in this order:

1. an explicit id in the Markdown (`### Question {#my-id}` or `<!-- id: my-id -->`);
2. the same prompt and the same answer;
3. the same prompt (the answer was edited);
4. the same answer (the prompt was reworded);
5. the most similar remaining entry (prompt text, answer words, same section, same file), when it
   is similar enough.

Rules 2 to 5 look first among the entries of the question's own file, then of its deck's other files
(a vault), and only then anywhere (a question moved to another file): a question copied into a second
deck while its first place still holds it is a new note there, whichever file sorts first, and never
takes over the original's note.

A question left unmatched is new (`assign_ids` mints its id); an entry left over is a question that
was deleted.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from difflib import SequenceMatcher

from cardsmith.identity.fingerprints import (
    EMPTY,
    Prints,
    answer_digest,
    normal_prompt,
    simhash,
    simhash_similarity,
)
from cardsmith.identity.lockfile import Entry
from cardsmith.model import Deck, Question, question_text

_MATCH_THRESHOLD = 0.62
_PAIR_BUDGET = 200_000  # question x entry pairs compared by similarity before narrowing to sections


class Keys:
    """What matching compares of one question, each computed once (and the simhash only if asked).
    `deck` tells the question's deck from the others of the build (its index); `prints`, its
    `question_prints` when they were computed already (where the question was read)."""

    def __init__(self, question: Question, file: str, deck: int = 0, prints: Prints | None = None):
        self.question = question
        self.file = file
        self.deck = deck
        self.section = "::".join(question.section)
        self.content: str | None = None  # the card's fingerprint, when given (`assign_ids`)
        if prints is None:
            self.prompt = normal_prompt(question_text(question))
            self.answer = answer_digest(question.answer)
        else:
            self.prompt, self.answer, self.content = prints

    @functools.cached_property
    def simhash(self) -> str:
        return simhash(self.question.answer)


# an exact rule: what it compares of a question (None: nothing to compare) and of an entry
_EXACT: list[tuple[Callable[[Keys], object], Callable[[Entry], object]]] = [
    (lambda k: (k.prompt, k.answer), lambda e: (normal_prompt(e.prompt), e.answer)),
    (lambda k: k.prompt, lambda e: normal_prompt(e.prompt)),
    # (an empty answer, a cloze's, says nothing of which question it was)
    (lambda k: k.answer if k.answer != EMPTY else None, lambda e: e.answer),
]


def match(
    questions: list[tuple[Deck, Question]],
    keys: list[Keys],
    entries: list[Entry],
    deck_of: Mapping[str, int] | None = None,
) -> dict[int, Entry]:
    """Map question index -> lock entry, by the rules in this module's docstring. `deck_of` says
    which deck each file built now belongs to (by default, that of its questions' keys). Exact rules
    use dict look-ups, so matching an unchanged deck is linear in its size."""
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
    if deck_of is None:
        deck_of = {key.file: key.deck for key in keys}
    # where a question looks, nearest first: its file, its deck, anywhere. An entry of a file not
    # built now is in no deck (None never equals a deck's index).
    places: list[tuple[Callable[[Keys], object], Callable[[Entry], object]]] = [
        (lambda k: k.file, lambda e: e.file),
        (lambda k: k.deck, lambda e: deck_of.get(e.file)),
        (lambda k: True, lambda e: True),
    ]
    for depth, (question_place, entry_place) in enumerate(places):
        for question_key, entry_key in _EXACT:
            if len(matched) == len(questions):
                return matched
            index_of: dict[object, list[Entry]] = {}
            for entry in entries:
                if entry.id not in claimed:
                    index_of.setdefault((entry_place(entry), entry_key(entry)), []).append(entry)
            if not index_of:
                return matched
            for index in range(len(questions)):
                if index in matched or (wanted := question_key(keys[index])) is None:
                    continue
                for entry in index_of.get((question_place(keys[index]), wanted), ()):
                    if entry.id not in claimed:
                        claim(index, entry)
                        break
        # pairs a nearer place compared already are not compared again
        _claim_similar(questions, keys, entries, places[: depth + 1], matched, claim, claimed)
    return matched


def _claim_similar(
    questions, keys: list[Keys], entries: list[Entry], places, matched, claim, claimed
):
    """Claim the most similar remaining entry of each open question in the last of `places` but in
    none of those before it, best pairs first, when it is similar enough."""
    *nearer, (question_place, entry_place) = places
    free: dict[object, list[Entry]] = {}
    for entry in entries:
        if entry.id not in claimed:
            free.setdefault(entry_place(entry), []).append(entry)
    open_questions: dict[object, list[int]] = {}
    for index in range(len(questions)):
        if index not in matched:
            open_questions.setdefault(question_place(keys[index]), []).append(index)
    pairs = sum(len(free.get(place, ())) * len(found) for place, found in open_questions.items())
    # Similarity is pairwise; past a budget (a large rewrite), compare only within the same section.
    if pairs > _PAIR_BUDGET:
        free = {}
        for entry in entries:
            if entry.id not in claimed:
                free.setdefault((entry_place(entry), entry.section), []).append(entry)
    scored = []
    for place, found in open_questions.items():
        for index in found:
            key = keys[index]
            for entry in free.get((place, key.section) if pairs > _PAIR_BUDGET else place, ()):
                if any(q(key) == e(entry) for q, e in nearer):
                    continue
                score = _similarity(key, entry)
                if score >= _MATCH_THRESHOLD:
                    scored.append((score, index, entry.id))
    by_id = {e.id: e for e in entries}
    for _score, index, entry_id in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if index not in matched and entry_id not in claimed:
            claim(index, by_id[entry_id])


def _similarity(key: Keys, entry: Entry) -> float:
    prompt = SequenceMatcher(None, key.prompt, normal_prompt(entry.prompt)).ratio()
    if key.answer == EMPTY or entry.answer == EMPTY:  # clozes: the prompt is all there is
        same = 0.1 * (key.section == entry.section) + 0.05 * (key.file == entry.file)
        return 0.85 * prompt + same
    answer = max(0.0, (simhash_similarity(key.simhash, entry.simhash) - 0.5) * 2)
    section = 1.0 if key.section == entry.section else 0.0
    same_file = 1.0 if key.file == entry.file else 0.0
    return 0.5 * prompt + 0.35 * answer + 0.1 * section + 0.05 * same_file
